import { academicYearStartFor, englandDefaultCalendar } from './england-default-calendar.ts';
import type { SchoolCalendar } from './school-calendar.ts';

/**
 * Which academic years a built-in default calendar spans around a date: this one and the next
 * (counting school days from late July still finds September), or the previous one too (so
 * that "the term just ended" is there in September: the heads' list of missed meetings).
 */
export type DefaultCalendarYears = 'this-and-next' | 'last-this-and-next';

// Default calendars are immutable, so schools in one zone share one: a sweep over thousands of
// schools builds a handful of calendars instead of thousands (each takes milliseconds).
const shared = new Map<string, SchoolCalendar>();
const sharedLimit = 64;

/** The England default calendar for the academic years around `date` (YYYY-MM-DD), in `timeZone`. */
export function sharedDefaultCalendar(date: string, timeZone: string, years: DefaultCalendarYears): SchoolCalendar {
  const [start, count] = years === 'this-and-next' ? [academicYearStartFor(date), 2] : [academicYearStartFor(date) - 1, 3];
  const key = `${start}|${count}|${timeZone}`;
  let calendar = shared.get(key);
  if (!calendar) {
    calendar = englandDefaultCalendar(start, timeZone, count);
    if (shared.size > sharedLimit) shared.clear();
    shared.set(key, calendar);
  }
  return calendar;
}
