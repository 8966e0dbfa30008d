import { addDaysToDate, displayDate, isWeekendDate } from './local-date.ts';
import type { Closure, SchoolCalendar, Term } from './school-calendar.ts';
import { isSchoolDay, schoolDaysBetween, termOn } from './school-days.ts';

/**
 * The plain-text listing printed by `tutorbot calendar show`. It doubles as the way a school
 * checks an import, so it shows the school-day count per term (a wrong date shows up as an odd
 * count) and says what today is and why.
 */
export function describeCalendar(calendar: SchoolCalendar, today: string): string {
  const lines: string[] = [];
  if (calendar.source === 'default') {
    lines.push(
      "This is the built-in England default calendar (usual English term dates), not your school's own.",
      "To use your school's dates, run: tutorbot calendar import FILE  (a .csv or .ics file)",
      '',
    );
  }
  lines.push(`Time zone: ${calendar.timeZone}`, `Today, ${displayDate(today)}: ${describeDay(calendar, today)}.`);

  const terms = [...calendar.terms].sort((a, b) => a.start.localeCompare(b.start));
  if (terms.length === 0) lines.push('', 'No terms: no day counts as a school day until term dates are imported.');
  let academicYear: string | undefined;
  for (const term of terms) {
    if (term.academicYear !== academicYear) {
      academicYear = term.academicYear;
      lines.push('', academicYear);
    }
    const days = schoolDaysBetween(calendar, addDaysToDate(term.start, -1), term.end);
    const now = term.start <= today && today <= term.end ? '  (now)' : '';
    lines.push(
      `  ${`${capitalise(term.name)} term`.padEnd(13)} ${range(term.start, term.end).padEnd(36)} ${days} school days${now}`,
      `    ${'half term'.padEnd(11)} ${range(term.halfTermStart, term.halfTermEnd)}`,
    );
  }

  const closures = [...calendar.closures].sort((a, b) => a.date.localeCompare(b.date));
  lines.push('', closures.length === 0 ? 'Closures: none' : 'Closures (no pupils in school):');
  for (const closure of closures) {
    const holiday = wouldBeSchoolDay(calendar, closure.date) ? '' : '  (in a holiday anyway)';
    lines.push(`  ${displayDate(closure.date).padEnd(16)} ${KIND_NAMES[closure.kind].padEnd(13)} ${closure.label}${holiday}`);
  }
  return lines.join('\n');
}

const KIND_NAMES: Record<Closure['kind'], string> = {
  inset: 'INSET day',
  bank_holiday: 'bank holiday',
  closure: 'closure',
};

function describeDay(calendar: SchoolCalendar, date: string): string {
  const term = termOn(calendar, date);
  if (isSchoolDay(calendar, date)) return `a school day in the ${termLabel(term!)}`;
  const closure = calendar.closures.find((candidate) => candidate.date === date);
  if (term === undefined) {
    const last = calendar.terms.reduce<string | undefined>((latest, t) => (latest === undefined || t.end > latest ? t.end : latest), undefined);
    return last === undefined || date > last
      ? "not a school day: this calendar has no terms after today; import next year's dates with `tutorbot calendar import FILE`"
      : 'not a school day (school holiday)';
  }
  if (isWeekendDate(date)) return `not a school day (weekend, ${termLabel(term)})`;
  if (term.halfTermStart <= date && date <= term.halfTermEnd) return `not a school day (${term.name} half term)`;
  return `not a school day (${closure?.label ?? 'closed'})`;
}

/** Whether the date would be a school day were it not closed; closures in holidays change nothing. */
function wouldBeSchoolDay(calendar: SchoolCalendar, date: string): boolean {
  const term = termOn(calendar, date);
  return term !== undefined && !isWeekendDate(date) && !(term.halfTermStart <= date && date <= term.halfTermEnd);
}

function termLabel(term: Term): string {
  return `${term.name} term ${term.academicYear}`;
}

function range(start: string, end: string): string {
  return `${displayDate(start)} to ${displayDate(end)}`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
