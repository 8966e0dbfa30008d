import { previousDay } from 'date-fns/previousDay';
import { TutorbotError } from '../errors.ts';
import { defaultTimeZone } from '../schools/default-time-zone.ts';
import { easterSunday } from './easter-sunday.ts';
import { englandBankHolidays } from './england-bank-holidays.ts';
import { addDaysToDate, dateValue, isKnownTimeZone, isLocalDate, isoWeekday, localDateString } from './local-date.ts';
import { academicYearLabel } from './school-calendar.ts';
import type { SchoolCalendar, Term } from './school-calendar.ts';

/**
 * A plausible English state-school calendar, used until a school imports its own dates.
 * Councils and trusts each publish slightly different dates, so the aim is "within a few days
 * of most schools", never an exact match. The rules (y = the September the year starts in):
 *
 * - Autumn term: the first weekday on or after 1 September to the last Friday on or before
 *   22 December. Half term is the week (Mon–Fri) beginning the last Monday on or before
 *   29 October: councils keep it in late October, and when 31 October is a Monday or Tuesday
 *   they take the week before rather than straddle into November.
 * - Spring term: the first weekday on or after 4 January to the start of the Easter break.
 *   Half term is the week beginning the Monday that falls between 12 and 18 February.
 * - Easter break (two weeks, always containing Good Friday and Easter Monday), placed by
 *   when Easter Sunday falls, as councils do:
 *   - Easter on or before 1 April: Good Friday plus the two weeks after Easter (spring ends
 *     on the Thursday before Good Friday, summer starts two weeks after Easter Monday);
 *   - Easter 2–14 April: the week before Easter and the week after (spring ends on the
 *     Friday before Palm Sunday, summer starts the Monday after Easter week);
 *   - Easter on or after 15 April: the two weeks before Easter plus Easter Monday (summer
 *     starts on the Tuesday after Easter Monday).
 * - Summer term: from the end of the Easter break to the last weekday on or before 22 July.
 *   Half term is the week of the late-May (spring) bank holiday.
 * - Closures: the England and Wales bank holidays from 1 September to 31 August. INSET days
 *   are not guessed: each school chooses its own five, and marking the wrong days closed
 *   would move deadlines more than leaving them out does.
 *
 * With these rules the terms hold 193–197 school days a year (2020–2050), close to the 195 days (190 with pupils
 * plus 5 INSET) a school is open. `years` > 1 appends the following academic years: counting
 * school days from late July or August needs next September's term to count into.
 */
export function englandDefaultCalendar(academicYearStartYear: number, timeZone = defaultTimeZone, years = 1): SchoolCalendar {
  if (!Number.isInteger(academicYearStartYear) || academicYearStartYear < 1900 || academicYearStartYear > 2999) {
    throw new TutorbotError('tutorbot_calendar_invalid', `The academic year must start in a year from 1900 to 2999, got ${academicYearStartYear}.`);
  }
  if (!Number.isInteger(years) || years < 1) throw new RangeError(`years must be a whole number >= 1, got ${years}.`);
  if (!isKnownTimeZone(timeZone)) {
    throw new TutorbotError('tutorbot_calendar_invalid', `"${timeZone}" is not a time zone this system knows; use an IANA name such as ${defaultTimeZone}.`);
  }
  const calendar: SchoolCalendar = { timeZone, source: 'default', terms: [], closures: [] };
  for (let year = academicYearStartYear; year < academicYearStartYear + years; year++) {
    const { terms, closures } = oneAcademicYear(year);
    calendar.terms.push(...terms);
    calendar.closures.push(...closures);
  }
  return calendar;
}

function oneAcademicYear(y: number): Pick<SchoolCalendar, 'terms' | 'closures'> {
  const academicYear = academicYearLabel(y);
  const closures = [...englandBankHolidays(y), ...englandBankHolidays(y + 1)].filter(
    (closure) => closure.date >= `${y}-09-01` && closure.date <= `${y + 1}-08-31`,
  );
  const bankHolidays = new Set(closures.map((closure) => closure.date));
  const easter = easterSunday(y + 1);
  const easterBreak = easterBreakAround(easter);
  const lateMayBankHoliday = weekdayOnOrBefore(`${y + 1}-05-31`, MONDAY);

  const terms: Term[] = [
    {
      academicYear,
      name: 'autumn',
      start: firstWorkingDayOnOrAfter(`${y}-09-01`, bankHolidays),
      end: weekdayOnOrBefore(`${y}-12-22`, FRIDAY),
      ...halfTermWeek(weekdayOnOrBefore(`${y}-10-29`, MONDAY)),
    },
    {
      academicYear,
      name: 'spring',
      start: firstWorkingDayOnOrAfter(`${y + 1}-01-04`, bankHolidays),
      end: easterBreak.springEnd,
      ...halfTermWeek(weekdayOnOrBefore(`${y + 1}-02-18`, MONDAY)),
    },
    {
      academicYear,
      name: 'summer',
      start: easterBreak.summerStart,
      end: lastWorkingDayOnOrBefore(`${y + 1}-07-22`, bankHolidays),
      ...halfTermWeek(lateMayBankHoliday),
    },
  ];
  return { terms, closures };
}

/** The September-to-August academic year a date belongs to, as the year it starts in. */
export function academicYearStartFor(date: string): number {
  if (!isLocalDate(date)) {
    throw new RangeError(`Expected a date written as YYYY-MM-DD, got ${JSON.stringify(date)}.`);
  }
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 9 ? year : year - 1;
}

const MONDAY = 1 as const;
const FRIDAY = 5 as const;

function easterBreakAround(easter: string): { springEnd: string; summerStart: string } {
  const monthDay = easter.slice(5);
  if (monthDay <= '04-01') {
    return { springEnd: addDaysToDate(easter, -3), summerStart: addDaysToDate(easter, 15) };
  }
  if (monthDay <= '04-14') {
    return { springEnd: addDaysToDate(easter, -9), summerStart: addDaysToDate(easter, 8) };
  }
  return { springEnd: addDaysToDate(easter, -16), summerStart: addDaysToDate(easter, 2) };
}

function halfTermWeek(monday: string): Pick<Term, 'halfTermStart' | 'halfTermEnd'> {
  return { halfTermStart: monday, halfTermEnd: addDaysToDate(monday, 4) };
}

function weekdayOnOrBefore(date: string, day: typeof MONDAY | typeof FRIDAY): string {
  const value = dateValue(date);
  return value.getDay() === day ? date : localDateString(previousDay(value, day));
}

function firstWorkingDayOnOrAfter(date: string, bankHolidays: Set<string>): string {
  let day = date;
  while (isoWeekday(day) >= 6 || bankHolidays.has(day)) day = addDaysToDate(day, 1);
  return day;
}

function lastWorkingDayOnOrBefore(date: string, bankHolidays: Set<string>): string {
  let day = date;
  while (isoWeekday(day) >= 6 || bankHolidays.has(day)) day = addDaysToDate(day, -1);
  return day;
}
