import { addSchoolDays, addSchoolDaysToInstant, atLocalTime, isSchoolDay, localDateOf, nextSchoolDay, type SchoolCalendar } from '../calendar/index.ts';

/**
 * When an unacknowledged note climbs, as pure functions of the calendar and the clock so that
 * tests can check them across weekends, half terms and INSET days without a database.
 */

/**
 * The two escalation deadlines of a concern logged at `loggedAt`: to the heads of house/year
 * after `schoolDays` school days, then to the DSLs after as many school days again.
 */
export function escalationDeadlines(calendar: SchoolCalendar, loggedAt: Date, schoolDays: number): { heads: Date; safeguardingTeam: Date } {
  const heads = addSchoolDaysToInstant(calendar, loggedAt, schoolDays, calendar.timeZone);
  return { heads, safeguardingTeam: addSchoolDaysToInstant(calendar, heads, schoolDays, calendar.timeZone) };
}

/** The next escalation deadline after one that has just passed. */
export function nextEscalationDeadline(calendar: SchoolCalendar, previousDeadline: Date, schoolDays: number): Date {
  return addSchoolDaysToInstant(calendar, previousDeadline, schoolDays, calendar.timeZone);
}

export const resendIntervalMinutes = 30;

/**
 * When an unacknowledged safeguarding concern is next re-sent: 30 minutes after `after` if that
 * falls within the school day (a school day, from `dayStart` to before `dayEnd`, local time),
 * otherwise at the start of the next school day.
 */
export function nextResendSlot(calendar: SchoolCalendar, after: Date, schoolDay: { start: string; end: string }): Date {
  const zone = calendar.timeZone;
  const candidate = new Date(after.getTime() + resendIntervalMinutes * 60_000);
  const date = localDateOf(candidate, zone);
  if (isSchoolDay(calendar, date)) {
    const start = atLocalTime(date, schoolDay.start, zone);
    const end = atLocalTime(date, schoolDay.end, zone);
    if (candidate < start) return start;
    if (candidate < end) return candidate;
    return atLocalTime(nextSchoolDay(calendar, date), schoolDay.start, zone);
  }
  return atLocalTime(addSchoolDays(calendar, date, 0), schoolDay.start, zone);
}
