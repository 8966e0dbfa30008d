import { nextMonday } from 'date-fns/nextMonday';
import { previousMonday } from 'date-fns/previousMonday';
import { isMonday } from 'date-fns/isMonday';
import { easterSunday } from './easter-sunday.ts';
import { addDaysToDate, dateValue, isWeekendDate, localDateString } from './local-date.ts';
import type { Closure } from './school-calendar.ts';

/**
 * England and Wales bank holidays for one calendar year, by the standing rules (Banking and
 * Financial Dealings Act 1971 plus the usual royal proclamations). One-off holidays (a
 * coronation, a jubilee, a moved early-May holiday as in 2020) are proclaimed case by case and
 * cannot be derived: a school that needs them imports its own calendar.
 *
 * A holiday that falls at a weekend is observed on the next weekday not already a holiday;
 * holidays that already fall on a weekday keep their date first, which is why Christmas on a
 * Sunday gives Boxing Day on Monday 26th and "Christmas Day (substitute day)" on Tuesday 27th.
 */
export function englandBankHolidays(year: number): Closure[] {
  const easter = easterSunday(year);
  const fixed: Closure[] = [
    holiday(addDaysToDate(easter, -2), 'Good Friday'),
    holiday(addDaysToDate(easter, 1), 'Easter Monday'),
    holiday(firstMondayOf(`${year}-05-01`), 'Early May bank holiday'),
    holiday(lastMondayOnOrBefore(`${year}-05-31`), 'Spring bank holiday'),
    holiday(lastMondayOnOrBefore(`${year}-08-31`), 'Summer bank holiday'),
  ];
  const withSubstitutes = observeWithSubstitutes([
    { date: `${year}-01-01`, label: "New Year's Day" },
    { date: `${year}-12-25`, label: 'Christmas Day' },
    { date: `${year}-12-26`, label: 'Boxing Day' },
  ]);
  return [...fixed, ...withSubstitutes].sort((a, b) => a.date.localeCompare(b.date));
}

function observeWithSubstitutes(days: { date: string; label: string }[]): Closure[] {
  const observed = days.filter((day) => !isWeekendDate(day.date)).map((day) => holiday(day.date, day.label));
  const taken = new Set(observed.map((closure) => closure.date));
  for (const day of days.filter((d) => isWeekendDate(d.date))) {
    let date = day.date;
    while (isWeekendDate(date) || taken.has(date)) date = addDaysToDate(date, 1);
    taken.add(date);
    observed.push(holiday(date, `${day.label} (substitute day)`));
  }
  return observed;
}

function firstMondayOf(firstOfMonth: string): string {
  const day = dateValue(firstOfMonth);
  return localDateString(isMonday(day) ? day : nextMonday(day));
}

function lastMondayOnOrBefore(date: string): string {
  const day = dateValue(date);
  return localDateString(isMonday(day) ? day : previousMonday(day));
}

function holiday(date: string, label: string): Closure {
  return { date, kind: 'bank_holiday', label };
}
