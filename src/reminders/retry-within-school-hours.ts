import { atLocalTime, isSchoolDay, localDateOf, nextSchoolDay } from '../calendar/index.ts';
import type { RetryRule } from '../delivery/delivery-kind.ts';
import { loadSchoolTimes } from '../schools/load-school-times.ts';

/**
 * Reminders are planned for school hours (the sweep's send window), and a retry must not undo
 * that: a digest that failed at ten to five and backs off for an hour would otherwise reach a
 * tutor's phone in the evening. A retry that falls outside the school day moves to the start of
 * the next one (the same day's start when it is early morning on a school day). Reminders
 * register this rule for each of their delivery kinds; other messages (concerns, safeguarding)
 * register none and keep their own timing: someone is waiting for them.
 */
export const retryWithinSchoolHours: RetryRule = async (core, delivery, retryAt) => {
  const { timeZone: zone, settings, calendar } = await loadSchoolTimes(core.db, delivery.schoolId, retryAt);
  const day = localDateOf(retryAt, zone);
  if (isSchoolDay(calendar, day)) {
    const opens = atLocalTime(day, settings.schoolDayStart, zone);
    if (retryAt < opens) return opens;
    if (retryAt < atLocalTime(day, settings.schoolDayEnd, zone)) return retryAt;
  }
  try {
    return atLocalTime(nextSchoolDay(calendar, day), settings.schoolDayStart, zone);
  } catch {
    // Past the end of the school's calendar: no school day to wait for, so the backoff stands.
    return retryAt;
  }
};
