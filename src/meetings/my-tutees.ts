import { localDateOf } from '../calendar/index.ts';
import type { Request } from '../core-context.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { reply, type Block, type Reply } from '../reply.ts';
import { pupilRef } from '../pupils/resolve-pupil.ts';
import { displayDayShort } from './local-days.ts';
import { loadSchoolTimes } from '../schools/load-school-times.ts';
import { meetingTimes } from './meeting-times.ts';
import { termTitle } from './meeting-policy.ts';
import { byAttention, loadTuteeStatus, termForStatus, type TuteeStatus } from './tutee-status.ts';

/** `tutees` and the tutor's home section: who still needs a meeting this term, and targets due. */
export const tuteesAction = 'meeting_tutees_show';
export const openMeetingFormAction = 'meeting_form_open';

async function loadMine(request: Request) {
  const { core, actor } = request;
  const now = core.now();
  const times = await loadSchoolTimes(core.db, actor.schoolId, now, meetingTimes);
  const today = localDateOf(now, times.calendar.timeZone);
  const term = termForStatus(times.calendar, today);
  if (!term) return null;
  const tutees = (await loadTuteeStatus(core.db, { schoolId: actor.schoolId, tutorStaffId: actor.staffId }, term, times.settings, today)).sort(byAttention);
  return { term, tutees, today };
}

function statusCell(tutee: TuteeStatus): string {
  if (tutee.required === 0) return 'not required';
  if (!tutee.needsMeeting) return tutee.required > 1 ? `met (${tutee.meetingsThisTerm}/${tutee.required})` : 'met';
  return tutee.meetingsThisTerm > 0 ? `not yet (${tutee.meetingsThisTerm}/${tutee.required})` : 'not yet';
}

export async function myTuteesReply(request: Request): Promise<Reply> {
  const mine = await loadMine(request);
  if (!mine) return reply([{ type: 'text', text: 'The school calendar has no current or coming term; an admin can import term dates.' }], 'none');
  const { term, tutees } = mine;
  if (tutees.length === 0) {
    return reply([{ type: 'text', text: 'You have no tutees. Tutees come from the roster; a head of house or year can assign pupils to you.' }], 'none');
  }
  const required = tutees.filter((tutee) => tutee.required > 0);
  const met = required.filter((tutee) => !tutee.needsMeeting).length;
  const due = tutees.reduce((sum, tutee) => sum + tutee.targetsDue, 0);
  const blocks: Block[] = [
    { type: 'heading', text: `Your tutees, ${termTitle(term)}` },
    { type: 'progress', items: [{ label: 'Met this term', done: met, total: required.length }] },
  ];
  if (due > 0) blocks.push({ type: 'text', text: `${due} target${due === 1 ? '' : 's'} due for review.` });
  blocks.push({
    type: 'table',
    columns: ['Pupil', 'Form', 'This term', 'Last met', 'Targets due'],
    rows: tutees.map((tutee) => [
      pupilDisplayName(tutee),
      tutee.form ?? '—',
      statusCell(tutee),
      tutee.lastMetOn ? displayDayShort(tutee.lastMetOn) : 'never',
      tutee.targetsDue > 0 ? String(tutee.targetsDue) : tutee.nextReviewOn ? `next ${displayDayShort(tutee.nextReviewOn)}` : '—',
    ]),
  });
  const toMeet = tutees.filter((tutee) => tutee.needsMeeting || tutee.targetsDue > 0).slice(0, 10);
  if (toMeet.length > 0) {
    blocks.push({
      type: 'choices',
      prompt: 'Log a meeting with:',
      options: toMeet.map((tutee) => ({
        label: pupilDisplayName(tutee),
        detail: tutee.needsMeeting ? 'no meeting yet this term' : `${tutee.targetsDue} target${tutee.targetsDue === 1 ? '' : 's'} due`,
        action: { id: openMeetingFormAction, label: 'Log meeting', value: pupilRef(tutee.pupilId) },
      })),
    });
  }
  return reply(blocks, 'pupil', reply([{ type: 'text', text: 'I have sent you your tutee list privately.' }], 'none'));
}

/** The tutor's home section; nothing for someone with no tutees. */
export async function tutorHomeBlocks(request: Request): Promise<Block[]> {
  const mine = await loadMine(request);
  if (!mine || mine.tutees.length === 0) return [];
  const { term, tutees } = mine;
  const waiting = tutees.filter((tutee) => tutee.needsMeeting);
  const due = tutees.filter((tutee) => tutee.targetsDue > 0);
  const names = (list: TuteeStatus[]) =>
    list
      .slice(0, 8)
      .map((tutee) => pupilDisplayName(tutee))
      .join(', ') + (list.length > 8 ? ` and ${list.length - 8} more` : '');
  const blocks: Block[] = [{ type: 'heading', text: `Tutor meetings, ${termTitle(term)}` }];
  blocks.push({
    type: 'text',
    text:
      waiting.length === 0
        ? 'Every tutee has had their meeting this term.'
        : `${waiting.length} of ${tutees.length} tutees still need a meeting this term: ${names(waiting)}.`,
  });
  if (due.length > 0) blocks.push({ type: 'text', text: `Targets due for review: ${names(due)}.` });
  blocks.push({ type: 'actions', actions: [{ id: tuteesAction, label: 'My tutees', value: 'tutees' }] });
  return blocks;
}
