import type { SchoolCalendar } from '../../src/calendar/index.ts';
import type { StaffRole } from '../../src/staff/staff-tables.ts';
import { policyAppliesToYear } from '../../src/meetings/meeting-policy.ts';
import type { SchoolSettings } from '../../src/schools/school-settings.ts';
import { deliveryKindOf, reminderKey, snoozedSuffix, type ReminderKind } from '../../src/reminders/reminder-kinds.ts';
import { remindersDueOn, termEndsAt, type DueReminder } from '../../src/reminders/reminders-due.ts';

/**
 * Who gets which reminder at one school on one date, from plain facts: the rules stated plainly,
 * as a test oracle. Production plans reminders one way only, the sweep's set-based SQL
 * (src/reminders/reminder-plan-sql.ts, for every school at once); plan-matches-sql.test.ts holds
 * that SQL to this statement's answers, and reminder-plan.test.ts states the rules through it.
 *
 * - term-start / nudge: each tutor with at least one tutee still needing a meeting this term.
 * - digest: each tutor with a tutee needing a meeting or an open target whose review date has
 *   come, unless they snoozed the digest within the last week.
 * - again: a tutor who snoozed a term-start or nudge, once the snooze is over, if still needed.
 * - missed: each head of house / year (and pastoral lead) with pupils in scope who had fewer
 *   meetings than the policy asked in the term just ended.
 */
export interface ReminderFacts {
  schoolId: number;
  /** Active pupils, with their current tutor when that tutor is active, and since when they have had a tutor at all. */
  pupils: { id: number; yearGroup: number | null; house: string | null; tutorStaffId: number | null; tutoredFrom: Date | null }[];
  /** Active staff. */
  staff: { id: number; roles: StaffRole[]; yearScope: number[]; houseScope: string[] }[];
  meetings: { pupilId: number; academicYear: string; term: string }[];
  openTargets: { pupilId: number; reviewOn: string }[];
  snoozes: { staffId: number; kind: string; period: string; snoozedOn: string; untilOn: string }[];
}

export interface Reminder {
  kind: ReminderKind;
  deliveryKind: string;
  staffId: number;
  period: string;
  key: string;
  /** Pupils the message is about: tutees to meet, or (missed) pupils not met in scope. */
  pupils: number;
  /** Digest only: targets due for review. */
  targets: number;
}

export function planReminders(calendar: SchoolCalendar, settings: SchoolSettings, date: string, facts: ReminderFacts): Reminder[] {
  const due = remindersDueOn(calendar, settings, date);
  const plan: Reminder[] = [];
  for (const item of due) {
    if (item.kind === 'missed') plan.push(...planMissed(item, settings, facts, calendar.timeZone));
    else plan.push(...planForTutors(item, settings, date, facts));
  }
  return plan;
}

function meetingCounts(facts: ReminderFacts, item: DueReminder): Map<number, number> {
  const counts = new Map<number, number>();
  for (const meeting of facts.meetings) {
    if (meeting.academicYear === item.term.academicYear && meeting.term === item.term.name) {
      counts.set(meeting.pupilId, (counts.get(meeting.pupilId) ?? 0) + 1);
    }
  }
  return counts;
}

function needsMeeting(pupil: ReminderFacts['pupils'][number], settings: SchoolSettings, item: DueReminder, counts: Map<number, number>): boolean {
  return policyAppliesToYear(settings, pupil.yearGroup) && (counts.get(pupil.id) ?? 0) < item.quota;
}

function planForTutors(item: DueReminder, settings: SchoolSettings, date: string, facts: ReminderFacts): Reminder[] {
  const counts = meetingCounts(facts, item);
  const targetsDue = new Map<number, number>();
  for (const target of facts.openTargets) if (target.reviewOn <= date) targetsDue.set(target.pupilId, (targetsDue.get(target.pupilId) ?? 0) + 1);
  const tutors = new Map<number, { toMeet: number; targets: number }>();
  for (const pupil of facts.pupils) {
    if (pupil.tutorStaffId === null) continue;
    const tally = tutors.get(pupil.tutorStaffId) ?? { toMeet: 0, targets: 0 };
    if (needsMeeting(pupil, settings, item, counts)) tally.toMeet += 1;
    tally.targets += targetsDue.get(pupil.id) ?? 0;
    tutors.set(pupil.tutorStaffId, tally);
  }
  const plan: Reminder[] = [];
  for (const [staffId, tally] of tutors) {
    const base = { kind: item.kind, deliveryKind: deliveryKindOf(item.kind), staffId, period: item.period, pupils: tally.toMeet, targets: 0 };
    if (item.again) {
      if (tally.toMeet === 0) continue;
      for (const snooze of facts.snoozes) {
        if (snooze.staffId === staffId && snooze.kind === item.kind && snooze.period === item.period && snooze.untilOn <= date) {
          plan.push({ ...base, key: reminderKey(facts.schoolId, staffId, item.kind, item.period, snoozedSuffix(snooze.untilOn)) });
        }
      }
      continue;
    }
    if (item.kind === 'digest') {
      const snoozed = facts.snoozes.some(
        (snooze) => snooze.staffId === staffId && snooze.kind === 'digest' && snooze.snoozedOn < date && date <= snooze.untilOn,
      );
      if (snoozed || (tally.toMeet === 0 && tally.targets === 0)) continue;
      plan.push({ ...base, targets: tally.targets, key: reminderKey(facts.schoolId, staffId, item.kind, item.period) });
    } else if (tally.toMeet > 0) {
      plan.push({ ...base, key: reminderKey(facts.schoolId, staffId, item.kind, item.period) });
    }
  }
  return plan;
}

function planMissed(item: DueReminder, settings: SchoolSettings, facts: ReminderFacts, timeZone: string): Reminder[] {
  const counts = meetingCounts(facts, item);
  const endsAt = termEndsAt(item.term, timeZone);
  // Only pupils who had a tutor during the term: not those who joined (or whose school started
  // using tutorbot) after it ended.
  const missed = facts.pupils.filter((pupil) => pupil.tutoredFrom !== null && pupil.tutoredFrom < endsAt && needsMeeting(pupil, settings, item, counts));
  const plan: Reminder[] = [];
  for (const member of facts.staff) {
    const wholeSchool = member.roles.includes('pastoral_lead') && member.yearScope.length === 0 && member.houseScope.length === 0;
    const byYear = member.roles.includes('head_of_year') || member.roles.includes('pastoral_lead');
    const byHouse = member.roles.includes('head_of_house') || member.roles.includes('pastoral_lead');
    if (!wholeSchool && !byYear && !byHouse) continue;
    const houses = member.houseScope.map((house) => house.toLowerCase());
    const count = missed.filter(
      (pupil) =>
        wholeSchool ||
        (byYear && pupil.yearGroup !== null && member.yearScope.includes(pupil.yearGroup)) ||
        (byHouse && pupil.house !== null && houses.includes(pupil.house.toLowerCase())),
    ).length;
    if (count === 0) continue;
    plan.push({
      kind: 'missed',
      deliveryKind: deliveryKindOf('missed'),
      staffId: member.id,
      period: item.period,
      key: reminderKey(facts.schoolId, member.id, 'missed', item.period),
      pupils: count,
      targets: 0,
    });
  }
  return plan;
}
