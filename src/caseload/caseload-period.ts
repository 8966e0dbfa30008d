import type { Kysely } from 'kysely';
import { atLocalTime, localDateOf, type SchoolCalendar, type Term } from '../calendar/index.ts';
import type { DB } from '../db/schema.ts';
import { meetingsRequiredInTerm, termForMeeting } from '../meetings/index.ts';
import { loadSchoolTimes } from '../schools/load-school-times.ts';
import type { SchoolSettings } from '../schools/school-settings.ts';

/**
 * The dates and the policy a caseload is measured against, from the school's calendar and
 * settings: "this term" is the term a meeting held today would count for (docs/product-rules.md: the term
 * containing today, else the one just ended), "this half term" the half of that term we are in
 * (the first half while on the half-term holiday), and "overdue" the meetings the policy required
 * in this academic year's terms that have already ended.
 */
export interface CaseloadPeriod {
  today: string;
  timeZone: string;
  term: Term | null;
  /** e.g. "autumn term 2026-27". */
  termLabel: string;
  halfTermStart: Date;
  /** Exclusive. */
  halfTermEnd: Date;
  halfTermLabel: string;
  /** Meetings per pupil this term, this year, and those that should have happened by now. */
  requiredThisTerm: number;
  requiredThisYear: number;
  requiredByNow: number;
  /** Year groups the meeting policy covers; empty: all. */
  policyYears: number[];
}

function nextDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

// Periods by everything they are derived from (school, day, zone, settings, calendar version):
// a caseload is asked for many times a day, and its period stays the same all day. The key
// changes whenever an input does, so a cached period is never stale.
const memo = new Map<string, CaseloadPeriod>();
const memoLimit = 2000;

export async function loadCaseloadPeriod(db: Kysely<DB>, schoolId: number, now: Date): Promise<CaseloadPeriod> {
  const { timeZone, settings, calendar, calendarImportedAt } = await loadSchoolTimes(db, schoolId, now);
  const today = localDateOf(now, timeZone);
  const calendarVersion = calendarImportedAt ? calendarImportedAt.toISOString() : 'default';
  const key = `${schoolId}|${today}|${timeZone}|${calendarVersion}|${JSON.stringify(settings)}`;
  const known = memo.get(key);
  if (known) return known;
  const period = computePeriod(calendar, today, timeZone, settings);
  if (memo.size >= memoLimit) memo.delete(memo.keys().next().value!);
  memo.set(key, period);
  return period;
}

function computePeriod(calendar: SchoolCalendar, today: string, timeZone: string, settings: SchoolSettings): CaseloadPeriod {
  const term = termForMeeting(calendar, today) ?? null;
  const midnight = (date: string) => atLocalTime(date, '00:00', timeZone);
  if (!term) {
    return {
      today,
      timeZone,
      term: null,
      termLabel: 'no term in the calendar',
      halfTermStart: midnight(today),
      halfTermEnd: midnight(nextDay(today)),
      halfTermLabel: 'today',
      requiredThisTerm: 0,
      requiredThisYear: settings.meetingsPerYear,
      requiredByNow: 0,
      policyYears: settings.meetingYearGroups,
    };
  }
  const secondHalf = today > term.halfTermEnd;
  const halfStart = secondHalf ? nextDay(term.halfTermEnd) : term.start;
  const halfEnd = secondHalf ? nextDay(term.end) : term.halfTermStart;
  const endedThisYear = calendar.terms.filter((candidate) => candidate.academicYear === term.academicYear && candidate.end < today);
  return {
    today,
    timeZone,
    term,
    termLabel: `${term.name} term ${term.academicYear}`,
    halfTermStart: midnight(halfStart),
    halfTermEnd: midnight(halfEnd),
    halfTermLabel: `${secondHalf ? 'second' : 'first'} half of the ${term.name} term`,
    requiredThisTerm: meetingsRequiredInTerm(settings, term.name),
    requiredThisYear: settings.meetingsPerYear,
    requiredByNow: endedThisYear.reduce((sum, ended) => sum + meetingsRequiredInTerm(settings, ended.name), 0),
    policyYears: settings.meetingYearGroups,
  };
}
