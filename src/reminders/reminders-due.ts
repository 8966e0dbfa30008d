import { addSchoolDays, atLocalTime, isSchoolDay, nextSchoolDay, schoolWeeksBeforeTermEnd, termOn, type SchoolCalendar, type Term } from '../calendar/index.ts';
import { isoWeekdayOf, meetingsRequiredInTerm, shiftDate, termKey } from '../meetings/index.ts';
import type { SchoolSettings } from '../schools/school-settings.ts';
import { isoWeekPeriod, type ReminderKind } from './reminder-kinds.ts';

/**
 * Which reminders are due at a school on a date: pure timing from the calendar and settings,
 * nothing about people (the sweep's SQL, reminder-plan-sql.ts, decides who gets one).
 *
 * Only school days: never a weekend, half term, holiday, INSET day or bank holiday. Each kind
 * has a first day and a window after it, so a sweep that missed its day (the server was down)
 * still sends on the next school day; the idempotency key stops a second copy.
 *
 * - term-start: the first school day of each term, window 5 school days.
 * - digest: the digest day of each ISO week (or the first school day after it that week), window
 *   to the end of that week; not in the week a term starts (the term-start list covers it), and
 *   not on the day of the two-weeks-left nudge.
 * - nudge: two school weeks before the term's last school day, window to the end of term.
 * - missed (heads of house/year): the first school day after a term ends, window 5 school days.
 * - again: a snoozed term-start or nudge comes back once the snooze is over, within the term.
 */
export interface DueReminder {
  kind: ReminderKind;
  /** Snoozed reminders coming back (term-start, nudge) rather than first sends. */
  again: boolean;
  period: string;
  /** The term whose meetings count: the current one, or for 'missed' the one just ended. */
  term: Term;
  /** Meetings each pupil needs in that term. */
  quota: number;
  /** The first day it was due; `date` may be later (a catch-up). */
  firstDay: string;
}

const weekdayNumbers: Record<SchoolSettings['digestDay'], number> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5 };

function lastSchoolDayOf(calendar: SchoolCalendar, term: Term): string {
  return schoolWeeksBeforeTermEnd(calendar, term, 0);
}

function firstSchoolDayOf(calendar: SchoolCalendar, term: Term): string {
  return addSchoolDays(calendar, term.start, 0);
}

/** The last day of a window of `days` school days from `first`, never past `limit` (nor the calendar's end). */
function lastOfWindow(calendar: SchoolCalendar, first: string, days: number, limit: string): string {
  try {
    const last = addSchoolDays(calendar, first, days - 1);
    return last < limit ? last : limit;
  } catch {
    return limit;
  }
}

/** The school days from `first` that make up a catch-up window of `days` school days. */
function withinSchoolDays(calendar: SchoolCalendar, first: string, date: string, days: number): boolean {
  if (date < first) return false;
  try {
    return date <= addSchoolDays(calendar, first, days - 1);
  } catch {
    return true;
  }
}

export function remindersDueOn(calendar: SchoolCalendar, settings: SchoolSettings, date: string): DueReminder[] {
  if (!isSchoolDay(calendar, date)) return [];
  const term = termOn(calendar, date);
  if (!term) return [];
  const due: DueReminder[] = [];
  const quota = meetingsRequiredInTerm(settings, term.name);
  const firstDay = firstSchoolDayOf(calendar, term);
  const lastDay = lastSchoolDayOf(calendar, term);
  const startWindowEnd = lastOfWindow(calendar, firstDay, 5, lastDay);
  const nudgeDay = schoolWeeksBeforeTermEnd(calendar, term, 2);
  // A term too short for both: the start-of-term list already says everything the nudge would.
  const hasNudge = nudgeDay > startWindowEnd;
  const period = termKey(term);

  if (quota > 0) {
    if (date <= startWindowEnd) due.push({ kind: 'term-start', again: false, period, term, quota, firstDay });
    if (hasNudge && date >= nudgeDay) due.push({ kind: 'nudge', again: false, period, term, quota, firstDay: nudgeDay });
    due.push({ kind: 'term-start', again: true, period, term, quota, firstDay });
    if (hasNudge) due.push({ kind: 'nudge', again: true, period, term, quota, firstDay: nudgeDay });
  }

  const digestDay = digestDayOfWeek(calendar, settings, date);
  const startsThisWeek = isoWeekPeriod(firstDay) === isoWeekPeriod(date);
  if (digestDay !== null && date >= digestDay && !startsThisWeek && !(hasNudge && quota > 0 && digestDay === nudgeDay)) {
    due.push({ kind: 'digest', again: false, period: isoWeekPeriod(date), term, quota, firstDay: digestDay });
  }

  const ended = [...calendar.terms].filter((candidate) => candidate.end < date).sort((a, b) => b.end.localeCompare(a.end))[0];
  if (ended) {
    const endedQuota = meetingsRequiredInTerm(settings, ended.name);
    let firstAfter: string | null = null;
    try {
      firstAfter = nextSchoolDay(calendar, ended.end);
    } catch {
      firstAfter = null;
    }
    if (endedQuota > 0 && firstAfter !== null && withinSchoolDays(calendar, firstAfter, date, 5)) {
      due.push({ kind: 'missed', again: false, period: termKey(ended), term: ended, quota: endedQuota, firstDay: firstAfter });
    }
  }
  return due;
}

/**
 * The day this week's digest is due: the school's digest day, or the first school day after it
 * in the same ISO week (a bank holiday Monday moves it to Tuesday). Null when no school day is left.
 */
export function digestDayOfWeek(calendar: SchoolCalendar, settings: SchoolSettings, date: string): string | null {
  const monday = shiftDate(date, 1 - isoWeekdayOf(date));
  for (let offset = weekdayNumbers[settings.digestDay] - 1; offset < 5; offset += 1) {
    const candidate = shiftDate(monday, offset);
    if (isSchoolDay(calendar, candidate)) return candidate;
  }
  return null;
}

/** The instant a term is over: midnight at the start of the day after its last day, in the school's zone. */
export function termEndsAt(term: Pick<Term, 'end'>, timeZone: string): Date {
  return atLocalTime(shiftDate(term.end, 1), '00:00', timeZone);
}

/** When reminders may go out on a date: from the digest time (never before the school day starts) to the end of the school day. */
export function sendWindow(settings: SchoolSettings, date: string, timeZone: string): { from: Date; to: Date } {
  const start = settings.digestTime >= settings.schoolDayStart && settings.digestTime < settings.schoolDayEnd ? settings.digestTime : settings.schoolDayStart;
  return { from: atLocalTime(date, start, timeZone), to: atLocalTime(date, settings.schoolDayEnd, timeZone) };
}
