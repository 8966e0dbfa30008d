/**
 * The school calendar is a plain JSON-serialisable value so that it can be stored as one
 * document, compared in tests and built from a file without any class machinery. All dates
 * are local calendar dates in the school's time zone, written as `YYYY-MM-DD` strings; they
 * sort correctly as strings, which the school-day functions rely on.
 *
 * Treat a calendar as immutable once built: the school-day functions memoise an index per
 * calendar object, so edit by building a new object rather than mutating one in place.
 */

export type TermName = 'autumn' | 'spring' | 'summer';

export const TERM_NAMES: readonly TermName[] = ['autumn', 'spring', 'summer'];

export interface Term {
  /** The academic year the term belongs to, e.g. '2026-27' (September to August). */
  academicYear: string;
  name: TermName;
  /** First day of term (YYYY-MM-DD). */
  start: string;
  /** Last day of term (YYYY-MM-DD), inclusive. */
  end: string;
  /** The half-term holiday, inclusive at both ends; it lies inside start..end. */
  halfTermStart: string;
  halfTermEnd: string;
}

export type ClosureKind = 'inset' | 'bank_holiday' | 'closure';

/** A single day with no pupils in school, such as an INSET day or a bank holiday. */
export interface Closure {
  date: string;
  kind: ClosureKind;
  label: string;
}

export interface SchoolCalendar {
  /** IANA time zone of the school, e.g. London's (defaultTimeZone). */
  timeZone: string;
  /** 'default' until the school imports its own term dates. */
  source: 'default' | 'imported';
  /** Sorted by start date, not overlapping. */
  terms: Term[];
  /** Sorted by date, at most one per date. */
  closures: Closure[];
}

/** '2026-27' for the academic year starting in September 2026. */
export function academicYearLabel(academicYearStartYear: number): string {
  return `${academicYearStartYear}-${String((academicYearStartYear + 1) % 100).padStart(2, '0')}`;
}
