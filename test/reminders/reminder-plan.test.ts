import { describe, expect, it } from 'vitest';
import { englandDefaultCalendar, type SchoolCalendar } from '../../src/calendar/index.ts';
import { shiftDate } from '../../src/meetings/local-days.ts';
import { remindersDueOn } from '../../src/reminders/reminders-due.ts';
import { defaultSchoolSettings, type SchoolSettings } from '../../src/schools/school-settings.ts';
import { planReminders, type ReminderFacts } from './reminder-rules-oracle.ts';

/**
 * The reminder rules: which reminders are due on which school day (remindersDueOn, as the sweep
 * uses it) and to whom (the rules oracle, which plan-matches-sql.test.ts holds the sweep's SQL
 * to). Built-in England calendar for 2025-26 to 2027-28 (2026-27: autumn 1 Sep–18 Dec, half
 * term 26–30 Oct; spring 4 Jan–25 Mar, half term 15–19 Feb, Good Friday 26 Mar; summer 12
 * Apr–22 Jul, bank holidays 3 and 31 May, half term 31 May–4 Jun).
 */
const calendar: SchoolCalendar = englandDefaultCalendar(2025, 'Europe/London', 3);
const settings: SchoolSettings = { ...defaultSchoolSettings };
const due = (date: string, custom: Partial<SchoolSettings> = {}) =>
  remindersDueOn(calendar, { ...settings, ...custom }, date)
    .filter((item) => !item.again)
    .map((item) => `${item.kind} ${item.period}`);

describe('when reminders are due', () => {
  it('never on a weekend, in half term, on a bank holiday or in the holidays', () => {
    expect(due('2026-11-28')).toEqual([]); // Saturday
    expect(due('2026-10-26')).toEqual([]); // half term Monday
    expect(due('2027-05-03')).toEqual([]); // early May bank holiday
    expect(due('2026-12-21')).toEqual([]); // Christmas holidays
    expect(due('2027-07-23')).toEqual([]); // the day after the summer term ends
    expect(due('2027-08-16')).toEqual([]); // summer holidays, a Monday
  });

  it('moves the digest to the first school day of the week when the digest day is a holiday', () => {
    expect(due('2027-05-04')).toEqual(['digest 2027-W18']);
    expect(due('2027-05-05')).toEqual(['digest 2027-W18']); // still due later that week (a catch-up)
  });

  it('has no digest in the week back after half term only if a term starts then', () => {
    expect(due('2026-11-02')).toEqual(['digest 2026-W45']);
    expect(due('2027-01-04')).toEqual(['term-start 2026-27:spring', 'missed 2026-27:autumn']);
  });

  it('keeps each reminder due for the rest of its window, so a missed sweep catches up', () => {
    // The Monday digest stays due all week; the nudge from its day to the end of term.
    expect(due('2026-12-04')).toEqual(['nudge 2026-27:autumn', 'digest 2026-W49']);
    expect(due('2026-12-18')).toEqual(['nudge 2026-27:autumn', 'digest 2026-W51']);
    expect(due('2026-09-07')).toEqual(['term-start 2026-27:autumn', 'digest 2026-W37', 'missed 2025-26:summer']);
    expect(due('2026-09-08')).toEqual(['digest 2026-W37']); // the term-start list's five school days are over
  });

  it('sends the nudge two school weeks before the end of the summer term, and stops with the term', () => {
    expect(due('2027-07-07')).toEqual(['digest 2027-W27']);
    expect(due('2027-07-08')).toEqual(['nudge 2026-27:summer', 'digest 2027-W27']);
    expect(due('2027-07-22')).toEqual(['nudge 2026-27:summer', 'digest 2027-W29']); // the last day of the summer term
    expect(due('2027-07-26')).toEqual([]);
  });

  it("gives the heads the summer term's missed list on the first school day of the next year", () => {
    expect(due('2027-09-01')).toEqual(['term-start 2027-28:autumn', 'missed 2026-27:summer']);
    expect(due('2027-09-07')).toEqual(['term-start 2027-28:autumn', 'digest 2027-W36', 'missed 2026-27:summer']);
    expect(due('2027-09-08')).toEqual(['digest 2027-W36']); // the five-school-day windows have closed
  });

  it('follows the school digest day and meeting policy', () => {
    expect(due('2026-11-23', { digestDay: 'wednesday' })).toEqual([]);
    expect(due('2026-11-25', { digestDay: 'wednesday' })).toEqual(['digest 2026-W48']);
    // One meeting a year, in the autumn: no start-of-term list or nudge in spring.
    expect(due('2027-01-04', { meetingsPerYear: 1 })).toEqual(['missed 2026-27:autumn']);
    expect(due('2027-03-11', { meetingsPerYear: 1 })).toEqual(['digest 2027-W10']);
  });
});

describe("an imported calendar's edges", () => {
  const short: SchoolCalendar = {
    timeZone: 'Europe/London',
    source: 'imported',
    terms: [{ academicYear: '2026-27', name: 'summer', start: '2027-07-19', end: '2027-07-21', halfTermStart: '2027-07-20', halfTermEnd: '2027-07-20' }],
    closures: [],
  };

  it('plans a term of two school days at the end of the calendar without failing, and nothing after it', () => {
    expect(
      remindersDueOn(short, settings, '2027-07-19')
        .filter((item) => !item.again)
        .map((item) => item.kind),
    ).toEqual(['term-start']); // no digest in a term's first week
    expect(
      remindersDueOn(short, settings, '2027-07-21')
        .filter((item) => !item.again)
        .map((item) => item.kind),
    ).toEqual(['term-start']); // no digest in a term's first week
    expect(remindersDueOn(short, settings, '2027-09-06')).toEqual([]);
  });
});

describe('planReminders over a whole year', () => {
  // Tutor 1 has two Year 9 pupils (10, 11); tutor 2 one Year 12 pupil (20). Staff 5 is head of
  // Year 9; staff 6 head of house Beacon; staff 7 a DSL (no lists).
  const facts: ReminderFacts = {
    schoolId: 1,
    pupils: [
      { id: 10, yearGroup: 9, house: 'Aurora', tutorStaffId: 1, tutoredFrom: new Date('2026-08-20T00:00:00Z') },
      { id: 11, yearGroup: 9, house: 'Beacon', tutorStaffId: 1, tutoredFrom: new Date('2026-08-20T00:00:00Z') },
      { id: 20, yearGroup: 12, house: 'beacon', tutorStaffId: 2, tutoredFrom: new Date('2027-01-10T00:00:00Z') },
    ],
    staff: [
      { id: 1, roles: ['tutor'], yearScope: [], houseScope: [] },
      { id: 2, roles: ['tutor'], yearScope: [], houseScope: [] },
      { id: 5, roles: ['head_of_year'], yearScope: [9], houseScope: [] },
      { id: 6, roles: ['head_of_house'], yearScope: [], houseScope: ['Beacon'] },
      { id: 7, roles: ['dsl'], yearScope: [], houseScope: [] },
    ],
    // Pupil 10 is met every term; pupil 11 only in spring.
    meetings: [
      { pupilId: 10, academicYear: '2026-27', term: 'autumn' },
      { pupilId: 10, academicYear: '2026-27', term: 'spring' },
      { pupilId: 11, academicYear: '2026-27', term: 'spring' },
      { pupilId: 10, academicYear: '2026-27', term: 'summer' },
    ],
    openTargets: [{ pupilId: 20, reviewOn: '2027-06-15' }],
    snoozes: [],
  };

  function year(custom: Partial<SchoolSettings> = {}) {
    const seen = new Map<string, string>();
    for (let day = '2026-09-01'; day <= '2027-09-10'; day = shiftDate(day, 1)) {
      for (const reminder of planReminders(calendar, { ...settings, ...custom }, day, facts)) {
        if (!seen.has(reminder.key)) seen.set(reminder.key, `${day} ${reminder.kind} ${reminder.pupils}/${reminder.targets}`);
      }
    }
    const byStaff = (staffId: number) => [...seen.entries()].filter(([key]) => key.split(':')[2] === String(staffId)).map(([, what]) => what);
    return byStaff;
  }

  it('sends the heads exactly the pupils missed, on the first school day after each term', () => {
    const plan = year();
    expect(plan(5)).toEqual(['2027-01-04 missed 1/0', '2027-09-01 missed 1/0']);
    // Pupil 20 joined in January: not missed in the autumn; but missed in spring and summer.
    expect(plan(6)).toEqual(['2027-01-04 missed 1/0', '2027-04-12 missed 1/0', '2027-09-01 missed 2/0']);
    expect(plan(7)).toEqual([]);
  });

  it('stops the nudge for a tutor whose tutees have all been met, and digests targets that fall due', () => {
    const tutor2 = year()(2);
    expect(tutor2).toContain('2027-06-21 digest 1/1'); // the target was due on 15 Jun (half term week after)
    expect(tutor2.filter((line) => line.includes('nudge'))).toEqual(['2026-12-04 nudge 1/0', '2027-03-11 nudge 1/0', '2027-07-08 nudge 1/0']);
    const tutor1 = year()(1);
    expect(tutor1.filter((line) => line.includes('nudge'))).toEqual(['2026-12-04 nudge 1/0', '2027-07-08 nudge 1/0']);
    expect(tutor1.filter((line) => line.startsWith('2027-03'))).toEqual([]);
  });

  it('leaves out year groups the policy does not cover', () => {
    const plan = year({ meetingYearGroups: [12] });
    expect(plan(1)).toEqual([]);
    expect(plan(5)).toEqual([]);
  });
});
