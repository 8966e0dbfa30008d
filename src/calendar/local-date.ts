import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { getISODay } from 'date-fns/getISODay';
import { isExists } from 'date-fns/isExists';

/**
 * Helpers for `YYYY-MM-DD` local calendar dates. The calendar keeps dates as strings so that
 * it stays JSON-serialisable and so that comparisons are plain string comparisons (the format
 * sorts lexicographically). Arithmetic happens on TZDate values pinned to UTC: a calendar date
 * has no time of day, and pinning the zone stops the host's DST rules from shifting midnight.
 */

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real date written exactly as YYYY-MM-DD (not 2026-9-1, not 2026-02-30). */
export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  return match !== null && isExists(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** A calendar date as a UTC-pinned TZDate at midnight, for date-fns arithmetic and formatting. */
export function dateValue(date: string): TZDate {
  const match = LOCAL_DATE.exec(date);
  if (match === null || !isExists(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) {
    throw new RangeError(`Expected a date written as YYYY-MM-DD, got ${JSON.stringify(date)}.`);
  }
  return new TZDate(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 'UTC');
}

/** The YYYY-MM-DD string of a date value (its own time zone decides the calendar date). */
export function localDateString(value: Date): string {
  return format(value, 'yyyy-MM-dd');
}

export function addDaysToDate(date: string, days: number): string {
  return localDateString(addDays(dateValue(date), days));
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return getISODay(dateValue(date));
}

export function isWeekendDate(date: string): boolean {
  return isoWeekday(date) >= 6;
}

/** Every date from `start` to `end`, both included; empty when end < start. */
export function datesFromTo(start: string, end: string): string[] {
  const dates: string[] = [];
  let current = dateValue(start);
  const last = dateValue(end);
  while (current.getTime() <= last.getTime()) {
    dates.push(localDateString(current));
    current = addDays(current, 1);
  }
  return dates;
}

/** Human form for listings and messages, e.g. "Thu 3 Sep 2026". */
export function displayDate(date: string, pattern = 'EEE d MMM yyyy'): string {
  return format(dateValue(date), pattern);
}

/** True when Intl (and so TZDate) knows the IANA zone; TZDate silently yields NaN otherwise. */
export function isKnownTimeZone(timeZone: string): boolean {
  if (knownTimeZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
  } catch {
    return false;
  }
  knownTimeZones.add(timeZone);
  return true;
}

// Building an Intl formatter per call is slow, and the school-day functions run in loops.
const knownTimeZones = new Set<string>();
