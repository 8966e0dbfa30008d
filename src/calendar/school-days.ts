import { TZDate, tz } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { TutorbotError } from '../errors.ts';
import { defaultTimeZone } from '../schools/default-time-zone.ts';
import { isKnownTimeZone, isLocalDate } from './local-date.ts';
import type { SchoolCalendar, Term } from './school-calendar.ts';
import { firstIndexAfter, firstIndexOnOrAfter, schoolDayIndex } from './school-day-index.ts';

/**
 * School-day arithmetic over a SchoolCalendar. A school day is a weekday inside a term, outside
 * its half term, and not a closure (INSET day, bank holiday, other closure). Dates are local
 * YYYY-MM-DD strings in the school's time zone; instants are converted with the zone given.
 *
 * Functions that must find a school day beyond the calendar's last term throw
 * `tutorbot_calendar_exhausted` rather than guess: a deadline silently pushed to "never" is
 * worse than an error that says to import next year's dates.
 */

/** Where the school day starts when a deadline is counted from a non-school day. */
export const SCHOOL_DAY_START = '08:00';

/** The local calendar date of an instant in the given time zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  assertInstant(instant);
  assertTimeZone(timeZone);
  return format(instant, 'yyyy-MM-dd', { in: tz(timeZone) });
}

export function isSchoolDay(calendar: SchoolCalendar, date: string): boolean {
  assertDate(date);
  return schoolDayIndex(calendar).daySet.has(date);
}

/** The first school day strictly after `date`. */
export function nextSchoolDay(calendar: SchoolCalendar, date: string): string {
  assertDate(date);
  const { days } = schoolDayIndex(calendar);
  const position = firstIndexAfter(days, date);
  if (position >= days.length) throw exhausted(calendar, date);
  return days[position];
}

/** The last school day strictly before `date`. */
export function previousSchoolDay(calendar: SchoolCalendar, date: string): string {
  assertDate(date);
  const { days } = schoolDayIndex(calendar);
  const position = firstIndexOnOrAfter(days, date) - 1;
  if (position < 0) {
    throw new TutorbotError(
      'tutorbot_calendar_exhausted',
      `The school calendar has no school days before ${date}; import the earlier term dates with \`tutorbot calendar import FILE\`.`,
    );
  }
  return days[position];
}

/**
 * The date `n` school days after `date`. Counting starts from `date` itself when it is a school
 * day and from the next school day otherwise, so n = 0 gives "today, or the next school day".
 */
export function addSchoolDays(calendar: SchoolCalendar, date: string, n: number): string {
  assertDate(date);
  assertCount(n, 'n');
  const { days } = schoolDayIndex(calendar);
  const position = firstIndexOnOrAfter(days, date) + n;
  if (position >= days.length) throw exhausted(calendar, date);
  return days[position];
}

/**
 * How many school days fall after `fromExclusive` up to and including `toInclusive`. Negative
 * when the dates are the other way round, like date-fns' differenceIn… functions. Only days the
 * calendar knows are counted: a range past its last term counts the holiday as no school days.
 */
export function schoolDaysBetween(calendar: SchoolCalendar, fromExclusive: string, toInclusive: string): number {
  assertDate(fromExclusive);
  assertDate(toInclusive);
  const { days } = schoolDayIndex(calendar);
  return firstIndexAfter(days, toInclusive) - firstIndexAfter(days, fromExclusive);
}

/** The term whose start..end contains `date`, half term included. */
export function termOn(calendar: SchoolCalendar, date: string): Term | undefined {
  assertDate(date);
  return schoolDayIndex(calendar).terms.find((term) => term.start <= date && date <= term.end);
}

/** The term containing `date`, or else the first term starting after it. */
export function currentOrNextTerm(calendar: SchoolCalendar, date: string): Term | undefined {
  assertDate(date);
  return schoolDayIndex(calendar).terms.find((term) => date <= term.end);
}

/**
 * The school day `weeks` school weeks (5 school days each) before the term's last school day,
 * e.g. for "nudge two school weeks before the end of term". Closures inside the window push it
 * earlier, as they should. Clamped to the term's first school day when the term is shorter.
 */
export function schoolWeeksBeforeTermEnd(calendar: SchoolCalendar, term: Term, weeks: number): string {
  assertCount(weeks, 'weeks');
  const { days } = schoolDayIndex(calendar);
  const first = firstIndexOnOrAfter(days, term.start);
  const last = firstIndexAfter(days, term.end) - 1;
  if (last < first) {
    throw new TutorbotError(
      'tutorbot_calendar_invalid',
      `The ${term.name} term ${term.academicYear} (${term.start} to ${term.end}) has no school days; check its dates, half term and closures.`,
    );
  }
  return days[Math.max(first, last - weeks * 5)];
}

/**
 * The instant at which the wall clock in `timeZone` shows `hhmm` on `date`. DST is handled by
 * TZDate: 08:00 on a BST date is 07:00Z. A time inside a spring-forward gap moves forward an hour.
 */
export function atLocalTime(date: string, hhmm: string, timeZone: string): Date {
  assertDate(date);
  assertTimeZone(timeZone);
  const time = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (time === null) throw new RangeError(`Expected a 24-hour time written as HH:MM, got ${JSON.stringify(hhmm)}.`);
  const [year, month, day] = date.split('-').map(Number);
  return new Date(new TZDate(year, month - 1, day, Number(time[1]), Number(time[2]), timeZone).getTime());
}

/**
 * An escalation deadline: the same local time of day `n` school days after `instant`. An
 * instant outside school days (a weekend, a holiday) counts from the start of the next school
 * day, SCHOOL_DAY_START, so a concern raised on Saturday with n = 1 is due 08:00 Tuesday.
 */
export function addSchoolDaysToInstant(calendar: SchoolCalendar, instant: Date, n: number, timeZone: string): Date {
  assertCount(n, 'n');
  const today = localDateOf(instant, timeZone);
  if (!isSchoolDay(calendar, today)) {
    return atLocalTime(addSchoolDays(calendar, today, n), SCHOOL_DAY_START, timeZone);
  }
  const [year, month, day] = addSchoolDays(calendar, today, n).split('-').map(Number);
  const local = new TZDate(instant, timeZone);
  const due = new TZDate(year, month - 1, day, local.getHours(), local.getMinutes(), local.getSeconds(), local.getMilliseconds(), timeZone);
  return new Date(due.getTime());
}

function exhausted(calendar: SchoolCalendar, date: string): TutorbotError {
  const lastTerm = schoolDayIndex(calendar).terms.at(-1);
  const coverage = lastTerm === undefined ? 'has no terms' : `ends on ${lastTerm.end}`;
  return new TutorbotError(
    'tutorbot_calendar_exhausted',
    `The school calendar ${coverage}, so there is no school day to count to from ${date}; import next year's term dates with \`tutorbot calendar import FILE\`.`,
  );
}

function assertDate(date: string): void {
  if (!isLocalDate(date)) throw new RangeError(`Expected a date written as YYYY-MM-DD, got ${JSON.stringify(date)}.`);
}

function assertCount(n: number, name: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number >= 0, got ${n}.`);
}

function assertInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('Expected a valid Date.');
}

function assertTimeZone(timeZone: string): void {
  if (!isKnownTimeZone(timeZone)) throw new RangeError(`Unknown time zone ${JSON.stringify(timeZone)}; use an IANA name such as ${defaultTimeZone}.`);
}
