import { describe, expect, it } from 'vitest';
import {
  addSchoolDays,
  addSchoolDaysToInstant,
  atLocalTime,
  currentOrNextTerm,
  englandDefaultCalendar,
  isSchoolDay,
  localDateOf,
  nextSchoolDay,
  previousSchoolDay,
  schoolDaysBetween,
  schoolWeeksBeforeTermEnd,
  termOn,
} from '../../src/calendar/index.ts';
import type { SchoolCalendar } from '../../src/calendar/index.ts';
import { hollinsPark } from './fixtures/hollins-park-calendar.ts';

const autumn = hollinsPark.terms[0];
const summer = hollinsPark.terms[2];

describe('isSchoolDay', () => {
  it('counts an ordinary weekday in term as a school day', () => {
    expect(isSchoolDay(hollinsPark, '2026-10-23')).toBe(true);
    expect(isSchoolDay(hollinsPark, '2026-09-03')).toBe(true);
  });

  it('does not count weekends, half term, holidays, INSET days or bank holidays', () => {
    expect(isSchoolDay(hollinsPark, '2026-10-24')).toBe(false); // Saturday
    expect(isSchoolDay(hollinsPark, '2026-10-28')).toBe(false); // half term
    expect(isSchoolDay(hollinsPark, '2026-12-21')).toBe(false); // Christmas holiday
    expect(isSchoolDay(hollinsPark, '2026-09-02')).toBe(false); // INSET on the first day of term
    expect(isSchoolDay(hollinsPark, '2027-05-03')).toBe(false); // Monday bank holiday
    expect(isSchoolDay(hollinsPark, '2027-07-22')).toBe(false); // after the last day of the year
  });

  it('rejects dates not written as YYYY-MM-DD', () => {
    expect(() => isSchoolDay(hollinsPark, '2026-9-3')).toThrow(RangeError);
    expect(() => isSchoolDay(hollinsPark, '2026-02-30')).toThrow(RangeError);
  });
});

describe('addSchoolDays', () => {
  it('skips the October half term when adding school days', () => {
    expect(addSchoolDays(hollinsPark, '2026-10-23', 1)).toBe('2026-11-02');
    expect(addSchoolDays(hollinsPark, '2026-10-23', 5)).toBe('2026-11-06');
  });

  it('skips a Monday bank holiday in the summer term', () => {
    expect(addSchoolDays(hollinsPark, '2027-04-30', 1)).toBe('2027-05-04');
  });

  it('skips an INSET day and a closure that spans a weekend', () => {
    expect(addSchoolDays(hollinsPark, '2026-11-19', 1)).toBe('2026-11-23');
    expect(addSchoolDays(hollinsPark, '2027-05-05', 1)).toBe('2027-05-11');
  });

  it('returns the date itself for n = 0 on a school day and the next school day otherwise', () => {
    expect(addSchoolDays(hollinsPark, '2026-11-04', 0)).toBe('2026-11-04');
    expect(addSchoolDays(hollinsPark, '2026-10-24', 0)).toBe('2026-11-02');
    expect(addSchoolDays(hollinsPark, '2026-12-25', 0)).toBe('2027-01-05');
  });

  it('counts from the next school day when starting in a holiday', () => {
    expect(addSchoolDays(hollinsPark, '2026-12-25', 2)).toBe('2027-01-07');
  });

  it('fails with a clear code when counting past the end of the summer term', () => {
    expect(addSchoolDays(hollinsPark, '2027-07-19', 2)).toBe('2027-07-21');
    expect(() => addSchoolDays(hollinsPark, '2027-07-19', 3)).toThrow(
      expect.objectContaining({ code: 'tutorbot_calendar_exhausted', message: expect.stringContaining('tutorbot calendar import FILE') }),
    );
  });

  it('carries on into next September when the calendar covers the next year', () => {
    const twoYears = englandDefaultCalendar(2026, 'Europe/London', 2);
    expect(addSchoolDays(twoYears, '2027-07-22', 1)).toBe('2027-09-01');
    expect(nextSchoolDay(twoYears, '2027-08-10')).toBe('2027-09-01');
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addSchoolDays(hollinsPark, '2026-11-04', -1)).toThrow(RangeError);
    expect(() => addSchoolDays(hollinsPark, '2026-11-04', 1.5)).toThrow(RangeError);
  });
});

describe('nextSchoolDay and previousSchoolDay', () => {
  it('step over half term in both directions', () => {
    expect(nextSchoolDay(hollinsPark, '2026-10-23')).toBe('2026-11-02');
    expect(previousSchoolDay(hollinsPark, '2026-11-02')).toBe('2026-10-23');
  });

  it('are strictly after and before the given date', () => {
    expect(nextSchoolDay(hollinsPark, '2026-11-03')).toBe('2026-11-04');
    expect(previousSchoolDay(hollinsPark, '2026-11-04')).toBe('2026-11-03');
  });

  it('find the first day of the year after an INSET day at its start', () => {
    expect(nextSchoolDay(hollinsPark, '2026-08-20')).toBe('2026-09-03');
    expect(() => previousSchoolDay(hollinsPark, '2026-09-03')).toThrow(expect.objectContaining({ code: 'tutorbot_calendar_exhausted' }));
  });

  it('has no school day after the last day of the summer term in a one-year calendar', () => {
    expect(() => nextSchoolDay(hollinsPark, '2027-07-21')).toThrow(expect.objectContaining({ code: 'tutorbot_calendar_exhausted' }));
  });
});

describe('schoolDaysBetween', () => {
  it('counts school days after the first date up to and including the second, across half term', () => {
    expect(schoolDaysBetween(hollinsPark, '2026-10-23', '2026-11-06')).toBe(5);
    expect(schoolDaysBetween(hollinsPark, '2026-10-22', '2026-10-23')).toBe(1);
    expect(schoolDaysBetween(hollinsPark, '2026-11-04', '2026-11-04')).toBe(0);
  });

  it('is negative when the dates are the other way round', () => {
    expect(schoolDaysBetween(hollinsPark, '2026-11-06', '2026-10-23')).toBe(-5);
  });

  it('counts a whole term', () => {
    expect(schoolDaysBetween(hollinsPark, '2026-09-01', '2026-12-18')).toBe(71);
  });
});

describe('terms', () => {
  it('finds the term on a date, including its half term', () => {
    expect(termOn(hollinsPark, '2026-10-28')).toBe(autumn);
    expect(termOn(hollinsPark, '2026-12-18')).toBe(autumn);
    expect(termOn(hollinsPark, '2026-12-19')).toBeUndefined();
  });

  it('finds the next term during a holiday and none after the last term', () => {
    expect(currentOrNextTerm(hollinsPark, '2026-12-25')?.name).toBe('spring');
    expect(currentOrNextTerm(hollinsPark, '2026-11-11')).toBe(autumn);
    expect(currentOrNextTerm(hollinsPark, '2027-07-22')).toBeUndefined();
  });

  it('finds the day two school weeks before the end of term', () => {
    expect(schoolWeeksBeforeTermEnd(hollinsPark, autumn, 2)).toBe('2026-12-04');
    expect(schoolWeeksBeforeTermEnd(hollinsPark, summer, 2)).toBe('2027-07-07');
    expect(schoolWeeksBeforeTermEnd(hollinsPark, summer, 0)).toBe('2027-07-21');
  });

  it('moves the nudge earlier when a closure falls in the last two weeks', () => {
    const withClosure: SchoolCalendar = {
      ...hollinsPark,
      closures: [...hollinsPark.closures, { date: '2026-12-10', kind: 'closure', label: 'Heating failure' }],
    };
    expect(schoolWeeksBeforeTermEnd(withClosure, autumn, 2)).toBe('2026-12-03');
  });

  it('never nudges before the first school day of the term', () => {
    expect(schoolWeeksBeforeTermEnd(hollinsPark, autumn, 100)).toBe('2026-09-03');
  });
});

describe('local dates and times', () => {
  it('gives the local date of an instant in the school time zone', () => {
    const lateJuneEvening = new Date('2026-06-30T23:30:00Z');
    expect(localDateOf(lateJuneEvening, 'Europe/London')).toBe('2026-07-01');
    expect(localDateOf(lateJuneEvening, 'UTC')).toBe('2026-06-30');
    expect(localDateOf(new Date('2026-12-31T23:30:00Z'), 'Europe/London')).toBe('2026-12-31');
  });

  it('puts 08:00 London time at 07:00Z in summer time and 08:00Z in winter', () => {
    expect(atLocalTime('2026-07-01', '08:00', 'Europe/London').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(atLocalTime('2026-12-01', '08:00', 'Europe/London').toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });

  it('switches offset on the days the clocks change', () => {
    expect(atLocalTime('2027-03-27', '08:00', 'Europe/London').toISOString()).toBe('2027-03-27T08:00:00.000Z');
    expect(atLocalTime('2027-03-28', '08:00', 'Europe/London').toISOString()).toBe('2027-03-28T07:00:00.000Z');
    expect(atLocalTime('2026-10-25', '08:00', 'Europe/London').toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('rejects a time not written as 24-hour HH:MM', () => {
    expect(() => atLocalTime('2026-07-01', '8am', 'Europe/London')).toThrow(RangeError);
    expect(() => atLocalTime('2026-07-01', '24:00', 'Europe/London')).toThrow(RangeError);
    expect(() => atLocalTime('2026-07-01', '08:00', 'Europe/Atlantis')).toThrow(RangeError);
  });
});

describe('addSchoolDaysToInstant', () => {
  it('keeps the local time of day across half term and the end of summer time', () => {
    // Fri 23 Oct 2026 14:30 BST; the clocks go back on Sun 25 Oct.
    const raised = new Date('2026-10-23T13:30:00Z');
    expect(addSchoolDaysToInstant(hollinsPark, raised, 1, 'Europe/London').toISOString()).toBe('2026-11-02T14:30:00.000Z');
  });

  it('counts from 08:00 on the next school day when raised at a weekend', () => {
    const saturday = new Date('2026-11-07T10:00:00Z');
    expect(addSchoolDaysToInstant(hollinsPark, saturday, 0, 'Europe/London').toISOString()).toBe('2026-11-09T08:00:00.000Z');
    expect(addSchoolDaysToInstant(hollinsPark, saturday, 1, 'Europe/London').toISOString()).toBe('2026-11-10T08:00:00.000Z');
  });

  it('counts from 08:00 on the next school day when raised on an INSET day', () => {
    const inset = new Date('2026-11-20T09:15:00Z');
    expect(addSchoolDaysToInstant(hollinsPark, inset, 2, 'Europe/London').toISOString()).toBe('2026-11-25T08:00:00.000Z');
  });

  it('uses the school-local date of an instant just after local midnight', () => {
    // 23:30Z on Wed 30 Jun 2027 is 00:30 BST on Thu 1 Jul.
    const afterMidnight = new Date('2027-06-30T23:30:00Z');
    expect(addSchoolDaysToInstant(hollinsPark, afterMidnight, 1, 'Europe/London').toISOString()).toBe('2027-07-01T23:30:00.000Z');
  });
});

describe('walking a year', () => {
  it('steps school day by school day from September to the last day of the summer term', () => {
    const calendar = englandDefaultCalendar(2026);
    let date = '2026-09-01';
    let steps = 0;
    for (;;) {
      try {
        date = addSchoolDays(calendar, date, 1);
      } catch {
        break;
      }
      steps += 1;
    }
    expect(date).toBe('2027-07-22');
    expect(steps).toBe(schoolDaysBetween(calendar, '2026-09-01', '2027-07-22'));
  });
});
