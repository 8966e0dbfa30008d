import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TutorbotError } from '../../src/errors.ts';
import { isSchoolDay, parseCalendarFile } from '../../src/calendar/index.ts';
import { hollinsPark } from './fixtures/hollins-park-calendar.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const HEADER = 'kind,name,start,end';
const AUTUMN = 'term,autumn 2026,2026-09-02,2026-12-18';
const AUTUMN_HALF_TERM = 'half_term,,2026-10-26,2026-10-30';

function parseRows(...rows: string[]) {
  return parseCalendarFile('calendar.csv', rows.join('\n'), 'Europe/London');
}

function errorFrom(action: () => unknown): TutorbotError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(TutorbotError);
    expect((error as TutorbotError).code).toBe('tutorbot_calendar_invalid');
    return error as TutorbotError;
  }
  throw new Error('expected the calendar file to be rejected');
}

describe('parseCalendarFile with CSV', () => {
  it('reads a spreadsheet export with a BOM, CRLF line ends, quoted commas, blank rows and an extra column', () => {
    expect(parseCalendarFile('hollins-park.csv', fixture('hollins-park.csv'), 'Europe/London')).toEqual(hollinsPark);
  });

  it('gives a one-day closure when its end is blank and closes only the weekdays of a longer one', () => {
    const calendar = parseRows(HEADER, AUTUMN, AUTUMN_HALF_TERM, 'closure,Boiler repair,2026-11-06,2026-11-09', 'inset,,2026-11-20,');
    expect(calendar.closures).toEqual([
      { date: '2026-11-06', kind: 'closure', label: 'Boiler repair' },
      { date: '2026-11-09', kind: 'closure', label: 'Boiler repair' },
      { date: '2026-11-20', kind: 'inset', label: 'INSET day' },
    ]);
    expect(isSchoolDay(calendar, '2026-11-09')).toBe(false);
    expect(isSchoolDay(calendar, '2026-11-10')).toBe(true);
  });

  it('accepts columns in any order and term names in several forms', () => {
    const calendar = parseRows(
      'START,End,Kind,Name',
      '2026-09-02,2026-12-18,Term,Autumn Term 2026-27',
      '2026-10-26,2026-10-30,Half Term,',
      '2027-01-05,2027-03-26,term,spring 2027',
      '2027-02-15,2027-02-19,half-term,',
      '2027-04-12,2027-07-21,term,Summer',
      '2027-05-31,2027-06-04,half_term,',
    );
    expect(calendar.terms.map((term) => `${term.name} ${term.academicYear} ${term.halfTermStart}`)).toEqual([
      'autumn 2026-27 2026-10-26',
      'spring 2026-27 2027-02-15',
      'summer 2026-27 2027-05-31',
    ]);
    expect(calendar.source).toBe('imported');
  });

  it('names the row and column of a date that does not exist', () => {
    const error = errorFrom(() => parseRows(HEADER, AUTUMN, AUTUMN_HALF_TERM, 'term,spring,2026-13-01,2027-03-26'));
    expect(error.message).toBe('calendar.csv row 4, column "start": "2026-13-01" is not a date; write dates as YYYY-MM-DD.');
  });

  it('says how to rewrite a UK-style DD/MM/YYYY date', () => {
    const error = errorFrom(() => parseRows(HEADER, 'term,autumn,02/09/2026,2026-12-18'));
    expect(error.message).toBe('calendar.csv row 2, column "start": "02/09/2026" is not in YYYY-MM-DD form; write it as 2026-09-02.');
  });

  it('rejects an end date before the start date', () => {
    const error = errorFrom(() => parseRows(HEADER, 'term,autumn,2026-12-18,2026-09-02'));
    expect(error.message).toMatch(/^calendar\.csv row 2, column "end": 2026-09-02 is before the start date 2026-12-18; /);
  });

  it('rejects a half term that runs past the end of its term', () => {
    const error = errorFrom(() => parseRows(HEADER, AUTUMN, 'half_term,,2026-12-14,2026-12-22'));
    expect(error.message).toMatch(/^calendar\.csv row 3, column "end": the half term 2026-12-14 to 2026-12-22 runs outside the autumn 2026-27 term/);
    expect(error.message).toContain('(2026-09-02 to 2026-12-18, row 2)');
  });

  it('rejects a half term that lies in no term at all', () => {
    const error = errorFrom(() => parseRows(HEADER, AUTUMN, AUTUMN_HALF_TERM, 'half_term,,2027-02-15,2027-02-19'));
    expect(error.message).toMatch(/^calendar\.csv row 4, column "start": the half term 2027-02-15 to 2027-02-19 is not inside any term; /);
  });

  it('explains how to add a missing half term', () => {
    const error = errorFrom(() => parseRows(HEADER, AUTUMN, AUTUMN_HALF_TERM, 'term,spring,2027-01-05,2027-03-26'));
    expect(error.message).toBe(
      'calendar.csv row 4: the spring 2026-27 term (2027-01-05 to 2027-03-26) has no half term; add a row "half_term,,FIRST,LAST" giving the first and last days of its half-term holiday, e.g. "half_term,,2026-10-26,2026-10-30".',
    );
  });

  it('rejects a second half term in the same term', () => {
    const error = errorFrom(() => parseRows(HEADER, AUTUMN, AUTUMN_HALF_TERM, 'half_term,,2026-11-02,2026-11-03'));
    expect(error.message).toMatch(/^calendar\.csv row 4: the autumn 2026-27 term already has a half term \(row 3, 2026-10-26 to 2026-10-30\); /);
  });

  it('rejects overlapping terms', () => {
    const error = errorFrom(() => parseRows(HEADER, AUTUMN, AUTUMN_HALF_TERM, 'term,spring,2026-12-14,2027-03-26', 'half_term,,2027-02-15,2027-02-19'));
    expect(error.message).toMatch(
      /^calendar\.csv row 4, column "start": the spring 2026-27 term starts on 2026-12-14, before the autumn 2026-27 term ends on 2026-12-18/,
    );
  });

  it('rejects the same term twice', () => {
    const error = errorFrom(() => parseRows(HEADER, AUTUMN, AUTUMN_HALF_TERM, 'term,autumn,2026-12-19,2026-12-31', 'half_term,,2026-12-21,2026-12-22'));
    expect(error.message).toMatch(/^calendar\.csv row 4, column "name": the autumn 2026-27 term appears twice/);
  });

  it('names a missing header column and shows the header to use', () => {
    const error = errorFrom(() => parseRows('kind,name,start', 'term,autumn,2026-09-02'));
    expect(error.message).toBe('calendar.csv row 1: the header has no "end" column; the first row must be the header kind,name,start,end (in any order).');
  });

  it('lists the kinds it accepts when a kind is unknown', () => {
    const error = errorFrom(() => parseRows(HEADER, AUTUMN, AUTUMN_HALF_TERM, 'holiday,Christmas,2026-12-21,2027-01-04'));
    expect(error.message).toBe(
      'calendar.csv row 4, column "kind": has "holiday", which is not a kind this file can use; write one of term, half_term, inset, bank_holiday, closure.',
    );
  });

  it('rejects a term name that is not autumn, spring or summer', () => {
    const error = errorFrom(() => parseRows(HEADER, 'term,autum,2026-09-02,2026-12-18'));
    expect(error.message).toMatch(/^calendar\.csv row 2, column "name": has "autum", which is not a term name; write autumn, spring or summer/);
  });

  it('rejects a year in the name that disagrees with the dates', () => {
    const error = errorFrom(() => parseRows(HEADER, 'term,autumn 2025,2026-09-02,2026-12-18'));
    expect(error.message).toMatch(/^calendar\.csv row 2, column "name": "autumn 2025" does not match the start date 2026-09-02/);
    expect(() => parseRows(HEADER, 'term,spring 2025-26,2027-01-05,2027-03-26')).toThrow(/does not match the start date/);
  });

  it('reports a missing term end and an empty start', () => {
    expect(errorFrom(() => parseRows(HEADER, 'term,autumn,2026-09-02')).message).toBe(
      'calendar.csv row 2, column "end": is empty; write the last day as YYYY-MM-DD.',
    );
    expect(errorFrom(() => parseRows(HEADER, 'inset,,,')).message).toBe('calendar.csv row 2, column "start": is empty; write the first day as YYYY-MM-DD.');
  });

  it('reports an unclosed quote as invalid CSV with its row', () => {
    const error = errorFrom(() => parseRows(HEADER, AUTUMN, 'closure,"Polling day,2026-11-05,'));
    expect(error.message).toMatch(/^calendar\.csv row 3: this is not valid CSV \(/);
    expect(error.cause).toBeDefined();
  });

  it('rejects an empty file, a header alone and a file without terms', () => {
    expect(errorFrom(() => parseRows('')).message).toMatch(/^calendar\.csv is empty; /);
    expect(errorFrom(() => parseRows(HEADER, '')).message).toMatch(/^calendar\.csv has a header but no rows; /);
    expect(errorFrom(() => parseRows(HEADER, 'inset,,2026-09-01,')).message).toMatch(/^calendar\.csv has no terms, /);
  });

  it('recognises CSV content in a file without an extension and rejects what it cannot recognise', () => {
    const content = [HEADER, AUTUMN, AUTUMN_HALF_TERM].join('\r\n');
    expect(parseCalendarFile('term-dates', content, 'Europe/London').terms).toHaveLength(1);
    expect(errorFrom(() => parseCalendarFile('term-dates.txt', 'Autumn: 2 Sept to 18 Dec', 'Europe/London')).message).toMatch(
      /^term-dates\.txt: cannot tell whether this is CSV or iCalendar; /,
    );
  });
});
