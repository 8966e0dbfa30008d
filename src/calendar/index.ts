/** The calendar's public surface; the other files in this folder are its internals. */
export type { Closure, ClosureKind, SchoolCalendar, Term, TermName } from './school-calendar.ts';
export { academicYearLabel, TERM_NAMES } from './school-calendar.ts';
export { academicYearStartFor, englandDefaultCalendar } from './england-default-calendar.ts';
export { englandBankHolidays } from './england-bank-holidays.ts';
export { easterSunday } from './easter-sunday.ts';
export {
  addSchoolDays,
  addSchoolDaysToInstant,
  atLocalTime,
  currentOrNextTerm,
  isSchoolDay,
  localDateOf,
  nextSchoolDay,
  previousSchoolDay,
  SCHOOL_DAY_START,
  schoolDaysBetween,
  schoolWeeksBeforeTermEnd,
  termOn,
} from './school-days.ts';
export { parseCalendarFile } from './parse-calendar-file.ts';
export { describeCalendar } from './describe-calendar.ts';
export { isLocalDate } from './local-date.ts';
