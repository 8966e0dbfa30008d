import { getISOWeek } from 'date-fns/getISOWeek';
import { getISOWeekYear } from 'date-fns/getISOWeekYear';

/**
 * The reminders tutorbot sends about tutor meetings, and how each is named. A reminder's
 * idempotency key is `reminder:<school>:<staff>:<kind>:<period>` (period: a term such as
 * '2026-27:autumn', or an ISO week such as '2026-W48'), so however many sweeps, instances or
 * retries ask for it, the outbox holds it once.
 */
export type ReminderKind = 'term-start' | 'digest' | 'nudge' | 'missed';

export const reminderKinds: readonly ReminderKind[] = ['term-start', 'digest', 'nudge', 'missed'];

/** Kinds a tutor receives and may snooze; 'missed' is the heads' end-of-term report. */
export const tutorReminderKinds: readonly ReminderKind[] = ['term-start', 'digest', 'nudge'];

export function deliveryKindOf(kind: ReminderKind): string {
  return `reminder-${kind}`;
}

export function reminderKindOfDelivery(deliveryKind: string): ReminderKind | null {
  const kind = deliveryKind.replace(/^reminder-/, '') as ReminderKind;
  return reminderKinds.includes(kind) ? kind : null;
}

export function reminderKey(schoolId: number, staffId: number, kind: ReminderKind, period: string, suffix = ''): string {
  return `reminder:${schoolId}:${staffId}:${kind}:${period}${suffix}`;
}

/** The suffix of a snoozed one-off reminder coming back: one repeat per snooze. */
export function snoozedSuffix(untilOn: string): string {
  return `:snoozed-${untilOn}`;
}

/** '2026-W48' for a YYYY-MM-DD date (ISO weeks start on Monday; the ISO year may differ at New Year). */
export function isoWeekPeriod(date: string): string {
  const day = new Date(`${date}T12:00:00Z`);
  return `${getISOWeekYear(day)}-W${String(getISOWeek(day)).padStart(2, '0')}`;
}

export const periodPattern = /^(\d{4}-\d{2}:(autumn|spring|summer)|\d{4}-W\d{2})$/;
