import { currentOrNextTerm, termOn, TERM_NAMES, type SchoolCalendar, type Term } from '../calendar/index.ts';
import type { SchoolSettings } from '../schools/school-settings.ts';

/**
 * The school's meeting policy: `meetingsPerYear` spread over the three terms (3 = one a term,
 * the default; 6 = two a term; 4 = two in autumn, then one a term: front-loaded so a pupil is
 * met early), for the year groups in `meetingYearGroups` (empty: all).
 */
export function meetingsRequiredInTerm(settings: Pick<SchoolSettings, 'meetingsPerYear'>, term: Term['name']): number {
  const index = TERM_NAMES.indexOf(term);
  const perYear = settings.meetingsPerYear;
  return Math.ceil((perYear * (index + 1)) / 3) - Math.ceil((perYear * index) / 3);
}

export function policyAppliesToYear(settings: Pick<SchoolSettings, 'meetingYearGroups'>, yearGroup: number | null): boolean {
  if (settings.meetingYearGroups.length === 0) return true;
  return yearGroup !== null && settings.meetingYearGroups.includes(yearGroup);
}

/** '2026-27:autumn': how a term is named in reminder periods and idempotency keys. */
export function termKey(term: Pick<Term, 'academicYear' | 'name'>): string {
  return `${term.academicYear}:${term.name}`;
}

export function termTitle(term: Pick<Term, 'academicYear' | 'name'>): string {
  return `${term.name} term ${term.academicYear}`;
}

/**
 * The term a meeting on `date` counts for: the term containing it (half term included), else
 * the term just ended (a meeting in the first days of a holiday belongs to the term it closes),
 * else the next one.
 */
export function termForMeeting(calendar: SchoolCalendar, date: string): Term | undefined {
  const containing = termOn(calendar, date);
  if (containing) return containing;
  const previous = [...calendar.terms].filter((term) => term.end < date).sort((a, b) => b.end.localeCompare(a.end))[0];
  return previous ?? currentOrNextTerm(calendar, date);
}

/** Dates come back from PostgreSQL as 'YYYY-MM-DD' and from PGlite as a Date at UTC midnight. */
export function asLocalDate(value: string | Date): string {
  if (typeof value === 'string') return value.slice(0, 10);
  return value.toISOString().slice(0, 10);
}
