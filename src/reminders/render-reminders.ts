import { localDateOf, type Term } from '../calendar/index.ts';
import type { CoreContext } from '../core-context.ts';
import type { DeliveryRenderer } from '../delivery/delivery-renderer.ts';
import { byAttention, displayDay, loadTuteeStatus, meetingTimes, openMeetingFormAction, termTitle, tuteesAction, type TuteeStatus } from '../meetings/index.ts';
import { loadSchoolTimes } from '../schools/load-school-times.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { leadsPupil } from '../permissions.ts';
import { pupilRef } from '../pupils/resolve-pupil.ts';
import { reply, type Action, type Block } from '../reply.ts';
import { deliveryKindOf, isoWeekPeriod, periodPattern, type ReminderKind } from './reminder-kinds.ts';
import { termEndsAt } from './reminders-due.ts';
import type { TermName } from '../calendar/school-calendar.ts';

/**
 * Reminder messages, rendered when they are sent from the state at that moment: a tutee met
 * since the plan drops off the list, and a reminder with nobody left on it (or whose week or
 * term is over, e.g. one that waited for its recipient to become reachable) is cancelled
 * rather than sent stale. The subject holds ids only.
 */
export const snoozeAction = 'reminder_snooze';

interface ReminderSubject {
  kind: ReminderKind;
  period: string;
  academicYear: string;
  term: TermName;
}

function readSubject(subject: Record<string, unknown>): ReminderSubject | null {
  const { kind, period, academicYear, term } = subject as Partial<ReminderSubject>;
  if (typeof period !== 'string' || !periodPattern.test(period) || typeof academicYear !== 'string') return null;
  if (term !== 'autumn' && term !== 'spring' && term !== 'summer') return null;
  if (kind !== 'term-start' && kind !== 'digest' && kind !== 'nudge' && kind !== 'missed') return null;
  return { kind, period, academicYear, term };
}

function names(tutees: TuteeStatus[], limit = 30): string {
  const lines = tutees.slice(0, limit).map((tutee) => `• ${pupilDisplayName(tutee)}${tutee.form ? ` (${tutee.form})` : ''}`);
  if (tutees.length > limit) lines.push(`…and ${tutees.length - limit} more (see "tutees")`);
  return lines.join('\n');
}

function tutorActions(subject: ReminderSubject, first: TuteeStatus | undefined): Action[] {
  const actions: Action[] = [];
  if (first) actions.push({ id: openMeetingFormAction, label: `Log meeting with ${first.givenName}`, value: pupilRef(first.pupilId), style: 'primary' });
  actions.push({ id: tuteesAction, label: 'My tutees', value: 'tutees' });
  actions.push({ id: snoozeAction, label: 'Snooze for a week', value: `${subject.kind}|${subject.period}` });
  return actions;
}

async function tutorContext(core: CoreContext, schoolId: number, staffId: number, subject: ReminderSubject) {
  const now = core.now();
  const times = await loadSchoolTimes(core.db, schoolId, now, meetingTimes);
  const today = localDateOf(now, times.calendar.timeZone);
  const term = times.calendar.terms.find((candidate) => candidate.academicYear === subject.academicYear && candidate.name === subject.term);
  if (!term) return null;
  const tutees = (await loadTuteeStatus(core.db, { schoolId, tutorStaffId: staffId }, term, times.settings, today)).sort(byAttention);
  return { today, term, tutees, times };
}

/**
 * The term-start list and the two-weeks-left nudge say the same thing at two moments: the tutees
 * still to meet this term. Nothing is sent once the term is over or when nobody is waiting.
 */
function stillToMeet(wording: (term: Term, waiting: number) => { heading: string; lead: string }): DeliveryRenderer {
  return async (core, delivery, recipient) => {
    const subject = readSubject(delivery.subject);
    if (!subject) return null;
    const context = await tutorContext(core, delivery.schoolId, recipient.staffId, subject);
    if (!context || context.today > context.term.end) return null;
    const waiting = context.tutees.filter((tutee) => tutee.needsMeeting);
    if (waiting.length === 0) return null;
    const { heading, lead } = wording(context.term, waiting.length);
    const blocks: Block[] = [
      { type: 'heading', text: heading },
      { type: 'text', text: `${lead}:\n${names(waiting)}` },
      { type: 'actions', actions: tutorActions(subject, waiting[0]) },
    ];
    return reply(blocks, 'pupil');
  };
}

const termStart = stillToMeet((term, waiting) => ({
  heading: `Tutor meetings this term: ${termTitle(term)}`,
  lead: `Please meet ${waiting === 1 ? 'this tutee' : `these ${waiting} tutees`} by ${displayDay(term.end)}`,
}));

const digest: DeliveryRenderer = async (core, delivery, recipient) => {
  const subject = readSubject(delivery.subject);
  if (!subject) return null;
  const context = await tutorContext(core, delivery.schoolId, recipient.staffId, subject);
  // A digest is about its week: one delayed past it would be stale, and the next one is coming.
  if (!context || isoWeekPeriod(context.today) !== subject.period) return null;
  const waiting = context.tutees.filter((tutee) => tutee.needsMeeting);
  const due = context.tutees.filter((tutee) => tutee.targetsDue > 0);
  if (waiting.length === 0 && due.length === 0) return null;
  const blocks: Block[] = [{ type: 'heading', text: `Your weekly tutor digest, ${termTitle(context.term)}` }];
  blocks.push({
    type: 'text',
    text:
      waiting.length > 0
        ? `Still to meet this term (${waiting.length}), by ${displayDay(context.term.end)}:\n${names(waiting)}`
        : 'Every tutee has had their meeting this term.',
  });
  if (due.length > 0) {
    blocks.push({
      type: 'text',
      text: `Targets due for review (${due.reduce((sum, tutee) => sum + tutee.targetsDue, 0)}):\n${due
        .slice(0, 30)
        .map((tutee) => `• ${pupilDisplayName(tutee)}: ${tutee.targetsDue} target${tutee.targetsDue === 1 ? '' : 's'}`)
        .join('\n')}`,
    });
  }
  blocks.push({ type: 'actions', actions: tutorActions(subject, waiting[0] ?? due[0]) });
  return reply(blocks, 'pupil');
};

const nudge = stillToMeet((term, waiting) => ({
  heading: `The ${term.name} term ends on ${displayDay(term.end)}`,
  lead: `${waiting === 1 ? 'This tutee still needs' : `These ${waiting} tutees still need`} a meeting this term`,
}));

const missed: DeliveryRenderer = async (core, delivery, recipient) => {
  const subject = readSubject(delivery.subject);
  if (!subject) return null;
  const now = core.now();
  const times = await loadSchoolTimes(core.db, delivery.schoolId, now, meetingTimes);
  const today = localDateOf(now, times.calendar.timeZone);
  const term = times.calendar.terms.find((candidate) => candidate.academicYear === subject.academicYear && candidate.name === subject.term);
  if (!term) return null;
  const everyone = await loadTuteeStatus(
    core.db,
    { schoolId: delivery.schoolId, tutoredBefore: termEndsAt(term, times.calendar.timeZone) },
    term,
    times.settings,
    today,
  );
  const inScope = everyone.filter(
    (pupil) => pupil.needsMeeting && leadsPupil(recipient, { yearGroup: pupil.yearGroup, house: pupil.house, tutorStaffId: pupil.tutorStaffId }),
  );
  if (inScope.length === 0) return null;
  const tutorIds = [...new Set(inScope.map((pupil) => pupil.tutorStaffId).filter((id): id is number => id !== null))];
  const tutors = tutorIds.length ? await core.db.selectFrom('staff').select(['id', 'display_name']).where('id', 'in', tutorIds).execute() : [];
  const tutorName = new Map(tutors.map((tutor) => [tutor.id, tutor.display_name]));
  const byTutor = new Map<string, TuteeStatus[]>();
  for (const pupil of inScope.sort((a, b) => a.familyName.localeCompare(b.familyName) || a.givenName.localeCompare(b.givenName))) {
    const name = pupil.tutorStaffId !== null ? (tutorName.get(pupil.tutorStaffId) ?? 'Former tutor') : 'No tutor';
    byTutor.set(name, [...(byTutor.get(name) ?? []), pupil]);
  }
  const rows = [...byTutor.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .map(([tutor, pupils]) => [tutor, String(pupils.length), pupils.map((pupil) => pupilDisplayName(pupil)).join(', ')]);
  const blocks: Block[] = [
    { type: 'heading', text: `Missed tutor meetings: ${termTitle(term)}` },
    {
      type: 'text',
      text: `${inScope.length} pupil${inScope.length === 1 ? '' : 's'} in your care had no tutor meeting in the ${term.name} term (it ended ${displayDay(term.end)}), by tutor:`,
    },
    { type: 'table', columns: ['Tutor', 'Missed', 'Pupils'], rows },
  ];
  return reply(blocks, 'pupil');
};

export const reminderRenderers: Record<string, DeliveryRenderer> = {
  [deliveryKindOf('term-start')]: termStart,
  [deliveryKindOf('digest')]: digest,
  [deliveryKindOf('nudge')]: nudge,
  [deliveryKindOf('missed')]: missed,
};
