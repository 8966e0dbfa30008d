import { addDays } from 'date-fns/addDays';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { format } from 'date-fns/format';
import { getISODay } from 'date-fns/getISODay';

/**
 * Small helpers for YYYY-MM-DD local dates. Each is read at noon UTC, so no time zone (the
 * host's included) can move it to another day.
 */
function noon(date: string): Date {
  return new Date(`${date}T12:00:00Z`);
}

/** "Mon 23 Nov 2026". */
export function displayDay(date: string): string {
  return format(noon(date), 'EEE d MMM yyyy');
}

/** "Mon 23 Nov". */
export function displayDayShort(date: string): string {
  return format(noon(date), 'EEE d MMM');
}

export function shiftDate(date: string, days: number): string {
  return addDays(noon(date), days).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return differenceInCalendarDays(noon(to), noon(from));
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekdayOf(date: string): number {
  return getISODay(noon(date));
}
