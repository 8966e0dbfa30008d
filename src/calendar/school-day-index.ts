import { eachDayOfInterval } from 'date-fns/eachDayOfInterval';
import { isWeekend } from 'date-fns/isWeekend';
import { dateValue, localDateString } from './local-date.ts';
import type { SchoolCalendar, Term } from './school-calendar.ts';

/**
 * Every school day of a calendar, precomputed once per calendar object. Whole-year reminder
 * plans call the school-day functions in loops, so each call should be a Set lookup or a
 * binary search over sorted strings rather than fresh date arithmetic.
 */
export interface SchoolDayIndex {
  /** All school days, ascending. */
  readonly days: readonly string[];
  readonly daySet: ReadonlySet<string>;
  /** Terms sorted by start date. */
  readonly terms: readonly Term[];
}

// Looked up by object identity first (a Map lookup per call). A calendar read afresh from
// storage for each request is a new object with the same content, so on a miss the index is
// found by content too: building one takes milliseconds, serialising the calendar microseconds.
const byObject = new WeakMap<SchoolCalendar, SchoolDayIndex>();
const byContent = new Map<string, Pick<SchoolDayIndex, 'days' | 'daySet'>>();
const CONTENT_CACHE_SIZE = 32;

export function schoolDayIndex(calendar: SchoolCalendar): SchoolDayIndex {
  let index = byObject.get(calendar);
  if (index !== undefined) return index;
  const key = JSON.stringify([calendar.terms, calendar.closures]);
  let schoolDays = byContent.get(key);
  if (schoolDays === undefined) {
    schoolDays = buildSchoolDays(calendar);
    if (byContent.size >= CONTENT_CACHE_SIZE) byContent.delete(byContent.keys().next().value!);
    byContent.set(key, schoolDays);
  }
  // Terms come from this very calendar, so termOn() returns its own objects.
  index = { ...schoolDays, terms: sortedTerms(calendar) };
  byObject.set(calendar, index);
  return index;
}

function sortedTerms(calendar: SchoolCalendar): Term[] {
  return [...calendar.terms].sort((a, b) => a.start.localeCompare(b.start));
}

function buildSchoolDays(calendar: SchoolCalendar): Pick<SchoolDayIndex, 'days' | 'daySet'> {
  const closed = new Set(calendar.closures.map((closure) => closure.date));
  const terms = sortedTerms(calendar);
  const daySet = new Set<string>();
  for (const term of terms) {
    if (term.end < term.start) continue;
    for (const value of eachDayOfInterval({ start: dateValue(term.start), end: dateValue(term.end) })) {
      if (isWeekend(value)) continue;
      const date = localDateString(value);
      const inHalfTerm = date >= term.halfTermStart && date <= term.halfTermEnd;
      if (!inHalfTerm && !closed.has(date)) daySet.add(date);
    }
  }
  return { days: [...daySet].sort(), daySet };
}

/** Position of the first school day >= date (days.length when there is none). */
export function firstIndexOnOrAfter(days: readonly string[], date: string): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (days[middle] < date) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Position of the first school day > date (days.length when there is none). */
export function firstIndexAfter(days: readonly string[], date: string): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (days[middle] <= date) low = middle + 1;
    else high = middle;
  }
  return low;
}
