import { TutorbotError } from '../errors.ts';
import { academicYearStartFor } from './england-default-calendar.ts';
import { datesFromTo, isWeekendDate } from './local-date.ts';
import { academicYearLabel } from './school-calendar.ts';
import type { Closure, ClosureKind, SchoolCalendar, Term, TermName } from './school-calendar.ts';

/**
 * The checks that span rows or events (half terms inside terms, one half term per term, terms
 * not overlapping), shared by the CSV and ICS readers. Each reader first turns its rows or
 * events into entries with dates already checked one by one, and a way to say where each
 * entry came from, so every message can point at the row or event to fix.
 */

export type EntryField = 'kind' | 'name' | 'start' | 'end';

/** Where an entry came from, e.g. `calendar.csv row 4, column "start"`; no field = the whole row. */
export type Locate = (field?: EntryField) => string;

interface EntryBase {
  start: string;
  /** Inclusive last day. */
  end: string;
  at: Locate;
  /** Short form for pointing at another entry within a message, e.g. `row 2`. */
  ref: string;
}

export interface TermEntry extends EntryBase {
  kind: 'term';
  name: TermName;
  academicYear: string;
}

export interface HalfTermEntry extends EntryBase {
  kind: 'half_term';
}

export interface ClosureEntry extends EntryBase {
  kind: ClosureKind;
  label: string;
}

export type CalendarEntry = TermEntry | HalfTermEntry | ClosureEntry;

export interface AssembleOptions {
  fileName: string;
  timeZone: string;
  /** How to tell the user to add a half term, in the words of their file format. */
  addHalfTermHint: string;
  addTermHint: string;
}

export function calendarInvalid(message: string, cause?: unknown): TutorbotError {
  return new TutorbotError('tutorbot_calendar_invalid', message, cause === undefined ? undefined : { cause });
}

/** Autumn terms can start in late August, so the term's name decides its year, not the month. */
export function academicYearOfTerm(name: TermName, start: string): string {
  return academicYearLabel(name === 'autumn' ? Number(start.slice(0, 4)) : academicYearStartFor(start));
}

export function assembleCalendar(entries: CalendarEntry[], options: AssembleOptions): SchoolCalendar {
  const termEntries = entries.filter((entry): entry is TermEntry => entry.kind === 'term').sort((a, b) => a.start.localeCompare(b.start));
  if (termEntries.length === 0) {
    throw calendarInvalid(`${options.fileName} has no terms, so no day would count as a school day; ${options.addTermHint}.`);
  }
  checkTermsApart(termEntries);

  const halfTerms = new Map<TermEntry, HalfTermEntry>();
  for (const halfTerm of entries.filter((entry): entry is HalfTermEntry => entry.kind === 'half_term')) {
    const term = termContaining(termEntries, halfTerm);
    const earlier = halfTerms.get(term);
    if (earlier !== undefined) {
      throw calendarInvalid(
        `${halfTerm.at()}: the ${describeTerm(term)} term already has a half term (${earlier.ref}, ${earlier.start} to ${earlier.end}); each term has exactly one half term, so remove one or correct its dates.`,
      );
    }
    halfTerms.set(term, halfTerm);
  }

  const terms: Term[] = termEntries.map((term) => {
    const halfTerm = halfTerms.get(term);
    if (halfTerm === undefined) {
      throw calendarInvalid(`${term.at()}: the ${describeTerm(term)} term (${term.start} to ${term.end}) has no half term; ${options.addHalfTermHint}.`);
    }
    return {
      academicYear: term.academicYear,
      name: term.name,
      start: term.start,
      end: term.end,
      halfTermStart: halfTerm.start,
      halfTermEnd: halfTerm.end,
    };
  });

  return { timeZone: options.timeZone, source: 'imported', terms, closures: closuresFrom(entries) };
}

function checkTermsApart(terms: TermEntry[]): void {
  const seen = new Map<string, TermEntry>();
  terms.forEach((term, position) => {
    const key = `${term.name} ${term.academicYear}`;
    const twin = seen.get(key);
    if (twin !== undefined) {
      throw calendarInvalid(
        `${term.at('name')}: the ${describeTerm(term)} term appears twice (also ${twin.ref}); keep one row per term, or correct the name or dates.`,
      );
    }
    seen.set(key, term);
    const previous = terms[position - 1];
    if (previous !== undefined && term.start <= previous.end) {
      throw calendarInvalid(
        `${term.at('start')}: the ${describeTerm(term)} term starts on ${term.start}, before the ${describeTerm(previous)} term ends on ${previous.end} (${previous.ref}); terms must not overlap, so correct one of the dates.`,
      );
    }
  });
}

function termContaining(terms: TermEntry[], halfTerm: HalfTermEntry): TermEntry {
  const term = terms.find((candidate) => candidate.start <= halfTerm.start && halfTerm.end <= candidate.end);
  if (term !== undefined) return term;
  const overlapping = terms.find((candidate) => candidate.start <= halfTerm.end && halfTerm.start <= candidate.end);
  const range = `${halfTerm.start} to ${halfTerm.end}`;
  if (overlapping !== undefined) {
    const field = halfTerm.start < overlapping.start ? 'start' : 'end';
    throw calendarInvalid(
      `${halfTerm.at(field)}: the half term ${range} runs outside the ${describeTerm(overlapping)} term (${overlapping.start} to ${overlapping.end}, ${overlapping.ref}); a half term must lie inside its term, so correct the dates.`,
    );
  }
  throw calendarInvalid(
    `${halfTerm.at('start')}: the half term ${range} is not inside any term; a half term must lie inside its term, so correct its dates or add the term it belongs to.`,
  );
}

// A closure spanning a weekend only closes the weekdays; listing Saturdays as closures would
// clutter `calendar show` without changing any count.
function closuresFrom(entries: CalendarEntry[]): Closure[] {
  const byDate = new Map<string, Closure>();
  for (const entry of entries) {
    if (entry.kind === 'term' || entry.kind === 'half_term') continue;
    const days = entry.start === entry.end ? [entry.start] : datesFromTo(entry.start, entry.end).filter((d) => !isWeekendDate(d));
    for (const date of days) {
      if (!byDate.has(date)) byDate.set(date, { date, kind: entry.kind, label: entry.label });
    }
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

function describeTerm(term: TermEntry): string {
  return `${term.name} ${term.academicYear}`;
}
