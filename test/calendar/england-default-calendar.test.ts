import { describe, expect, it } from 'vitest';
import {
  academicYearStartFor,
  addSchoolDays,
  easterSunday,
  englandBankHolidays,
  englandDefaultCalendar,
  isSchoolDay,
  schoolDaysBetween,
} from '../../src/calendar/index.ts';
import { addDaysToDate, isoWeekday } from '../../src/calendar/local-date.ts';

describe('easterSunday', () => {
  it.each([
    [2008, '2008-03-23'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2038, '2038-04-25'],
  ])('puts Easter Sunday %i on %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
    expect(isoWeekday(expected)).toBe(7);
  });
});

describe('englandBankHolidays', () => {
  it('lists the 2026 bank holidays, with Boxing Day on a Saturday moved to Monday 28th', () => {
    expect(englandBankHolidays(2026).map((holiday) => [holiday.date, holiday.label])).toEqual([
      ['2026-01-01', "New Year's Day"],
      ['2026-04-03', 'Good Friday'],
      ['2026-04-06', 'Easter Monday'],
      ['2026-05-04', 'Early May bank holiday'],
      ['2026-05-25', 'Spring bank holiday'],
      ['2026-08-31', 'Summer bank holiday'],
      ['2026-12-25', 'Christmas Day'],
      ['2026-12-28', 'Boxing Day (substitute day)'],
    ]);
  });

  it('moves Christmas on a Saturday to Monday 27th and Boxing Day to Tuesday 28th', () => {
    const december = englandBankHolidays(2027).filter((holiday) => holiday.date.startsWith('2027-12'));
    expect(december).toEqual([
      { date: '2027-12-27', kind: 'bank_holiday', label: 'Christmas Day (substitute day)' },
      { date: '2027-12-28', kind: 'bank_holiday', label: 'Boxing Day (substitute day)' },
    ]);
  });

  it('keeps Boxing Day on Monday 26th and moves Christmas to Tuesday 27th when Christmas is a Sunday', () => {
    const december = englandBankHolidays(2022).filter((holiday) => holiday.date.startsWith('2022-12'));
    expect(december.map((holiday) => [holiday.date, holiday.label])).toEqual([
      ['2022-12-26', 'Boxing Day'],
      ['2022-12-27', 'Christmas Day (substitute day)'],
    ]);
  });

  it("moves New Year's Day on a Saturday to Monday 3rd", () => {
    expect(englandBankHolidays(2028)[0]).toEqual({
      date: '2028-01-03',
      kind: 'bank_holiday',
      label: "New Year's Day (substitute day)",
    });
  });
});

describe('academicYearStartFor', () => {
  it('runs academic years from September to August', () => {
    expect(academicYearStartFor('2026-08-31')).toBe(2025);
    expect(academicYearStartFor('2026-09-01')).toBe(2026);
    expect(academicYearStartFor('2027-01-15')).toBe(2026);
    expect(academicYearStartFor('2027-07-22')).toBe(2026);
  });
});

describe('englandDefaultCalendar', () => {
  it('gives plausible 2025-26 term dates', () => {
    const calendar = englandDefaultCalendar(2025);
    expect(calendar.source).toBe('default');
    expect(calendar.timeZone).toBe('Europe/London');
    expect(calendar.terms).toEqual([
      { academicYear: '2025-26', name: 'autumn', start: '2025-09-01', end: '2025-12-19', halfTermStart: '2025-10-27', halfTermEnd: '2025-10-31' },
      { academicYear: '2025-26', name: 'spring', start: '2026-01-05', end: '2026-03-27', halfTermStart: '2026-02-16', halfTermEnd: '2026-02-20' },
      { academicYear: '2025-26', name: 'summer', start: '2026-04-13', end: '2026-07-22', halfTermStart: '2026-05-25', halfTermEnd: '2026-05-29' },
    ]);
  });

  it('gives plausible 2026-27 term dates, with the spring term ending before an early Good Friday', () => {
    expect(englandDefaultCalendar(2026).terms).toEqual([
      { academicYear: '2026-27', name: 'autumn', start: '2026-09-01', end: '2026-12-18', halfTermStart: '2026-10-26', halfTermEnd: '2026-10-30' },
      { academicYear: '2026-27', name: 'spring', start: '2027-01-04', end: '2027-03-25', halfTermStart: '2027-02-15', halfTermEnd: '2027-02-19' },
      { academicYear: '2026-27', name: 'summer', start: '2027-04-12', end: '2027-07-22', halfTermStart: '2027-05-31', halfTermEnd: '2027-06-04' },
    ]);
  });

  it('takes the two weeks before a late Easter and starts the summer term after Easter Monday', () => {
    const [, spring, summer] = englandDefaultCalendar(2024).terms;
    expect(spring.end).toBe('2025-04-04');
    expect(summer.start).toBe('2025-04-22');
  });

  it('keeps the October half term in October when 31 October is a Tuesday', () => {
    expect(englandDefaultCalendar(2023).terms[0].halfTermStart).toBe('2023-10-23');
    expect(englandDefaultCalendar(2024).terms[0].halfTermStart).toBe('2024-10-28');
  });

  it('starts the spring term after the New Year substitute day', () => {
    const calendar = englandDefaultCalendar(2027);
    expect(calendar.terms[1].start).toBe('2028-01-04');
    expect(isSchoolDay(calendar, '2028-01-03')).toBe(false);
  });

  it('closes on bank holidays from September to August only', () => {
    const dates = englandDefaultCalendar(2026).closures.map((closure) => closure.date);
    expect(dates).toEqual(['2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30']);
    expect(isSchoolDay(englandDefaultCalendar(2026), '2027-05-03')).toBe(false);
  });

  it('appends following academic years when asked for several', () => {
    const calendar = englandDefaultCalendar(2026, 'Europe/London', 2);
    expect(calendar.terms.map((term) => `${term.name} ${term.academicYear}`)).toEqual([
      'autumn 2026-27',
      'spring 2026-27',
      'summer 2026-27',
      'autumn 2027-28',
      'spring 2027-28',
      'summer 2027-28',
    ]);
    expect(addSchoolDays(calendar, '2027-07-22', 1)).toBe('2027-09-01');
  });

  it('refuses an unknown time zone', () => {
    expect(() => englandDefaultCalendar(2026, 'Europe/Atlantis')).toThrow(expect.objectContaining({ code: 'tutorbot_calendar_invalid' }));
  });

  it.each(Array.from({ length: 31 }, (_, i) => 2020 + i))('is internally consistent for %i', (year) => {
    const calendar = englandDefaultCalendar(year);
    const [autumn, spring, summer] = calendar.terms;
    expect(calendar.terms.map((term) => term.name)).toEqual(['autumn', 'spring', 'summer']);
    calendar.terms.forEach((term, position) => {
      expect(term.start < term.halfTermStart && term.halfTermEnd < term.end).toBe(true);
      expect(isoWeekday(term.halfTermStart)).toBe(1);
      expect(isoWeekday(term.halfTermEnd)).toBe(5);
      expect(isSchoolDay(calendar, term.start)).toBe(true);
      expect(isSchoolDay(calendar, term.end)).toBe(true);
      if (position > 0) expect(calendar.terms[position - 1].end < term.start).toBe(true);
    });
    expect(autumn.start >= `${year}-09-01` && autumn.start <= `${year}-09-03`).toBe(true);
    expect(autumn.halfTermStart.slice(0, 7)).toBe(`${year}-10`);
    expect(summer.end >= `${year + 1}-07-18` && summer.end <= `${year + 1}-07-22`).toBe(true);

    // The Easter break is about two weeks and keeps Good Friday and Easter Monday out of term.
    const easter = easterSunday(year + 1);
    expect(spring.end < addDaysToDate(easter, -2)).toBe(true);
    expect(summer.start > addDaysToDate(easter, 1)).toBe(true);
    expect(schoolDaysBetween(calendar, spring.end, addDaysToDate(summer.start, -1))).toBe(0);
    const breakWeekdays = [...Array(30).keys()]
      .map((i) => addDaysToDate(spring.end, i + 1))
      .filter((date) => date < summer.start && isoWeekday(date) <= 5).length;
    expect(breakWeekdays).toBeGreaterThanOrEqual(10);
    expect(breakWeekdays).toBeLessThanOrEqual(11);

    // Terms hold roughly the 195 days a school is open.
    const total = schoolDaysBetween(calendar, `${year}-08-31`, `${year + 1}-08-31`);
    expect(total).toBeGreaterThanOrEqual(190);
    expect(total).toBeLessThanOrEqual(198);
  });
});
