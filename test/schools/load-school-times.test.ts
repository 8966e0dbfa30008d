import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSchoolCalendar } from '../../src/calendar/save-school-calendar.ts';
import { meetingTimes } from '../../src/meetings/meeting-times.ts';
import { defaultTimeZone } from '../../src/schools/default-time-zone.ts';
import { loadAllSchoolTimes, loadSchoolSettings, loadSchoolTimes, loadSchoolTimeZone } from '../../src/schools/load-school-times.ts';
import { defaultSchoolSettings } from '../../src/schools/school-settings.ts';
import { hollinsPark } from '../calendar/fixtures/hollins-park-calendar.ts';
import { engines, openTestDatabase, type TestDatabase } from '../support/test-database.ts';

// A day in the first days of September, before the autumn term: which years the default spans shows.
const septemberFirst = new Date('2026-09-01T09:00:00Z');

describe.each(engines)("loading a school's times (%s)", (engine) => {
  let database: TestDatabase;
  let plain: number;
  let own: number;
  let broken: number;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const insert = (name: string, values: { time_zone?: string; settings?: string }) =>
      database.db
        .insertInto('school')
        .values({ name, ...values })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then((row) => row.id);
    plain = await insert('Plain School', {});
    own = await insert('Own Calendar School', { time_zone: 'Europe/Dublin', settings: JSON.stringify({ meetingsPerYear: 6 }) });
    broken = await insert('Broken Settings School', { settings: JSON.stringify({ meetingsPerYear: 99 }) });
    await saveSchoolCalendar(database.db, own, hollinsPark, 'test');
  });

  afterAll(async () => {
    await database?.close();
  });

  it("gives a school's zone, settings and the England default calendar for this academic year and the next", async () => {
    const times = await loadSchoolTimes(database.db, plain, septemberFirst);
    expect(times).toMatchObject({ schoolId: plain, timeZone: defaultTimeZone, settings: defaultSchoolSettings, calendarImportedAt: null });
    expect(times.calendar.source).toBe('default');
    expect([...new Set(times.calendar.terms.map((term) => term.academicYear))]).toEqual(['2026-27', '2027-28']);
  });

  it('reaches back a year for meetings, so the term just ended is in the calendar', async () => {
    const times = await loadSchoolTimes(database.db, plain, septemberFirst, meetingTimes);
    expect([...new Set(times.calendar.terms.map((term) => term.academicYear))]).toEqual(['2025-26', '2026-27', '2027-28']);
  });

  it('shares one default calendar between loads instead of building it again', async () => {
    const first = await loadSchoolTimes(database.db, plain, septemberFirst);
    const second = await loadSchoolTimes(database.db, broken, septemberFirst, { invalidSettings: 'use-defaults' });
    expect(second.calendar).toBe(first.calendar);
  });

  it("uses the school's imported calendar and its stored settings, and says when the calendar was imported", async () => {
    const times = await loadSchoolTimes(database.db, own, septemberFirst);
    expect(times.timeZone).toBe('Europe/Dublin');
    expect(times.calendar).toEqual(hollinsPark);
    expect(times.settings.meetingsPerYear).toBe(6);
    expect(times.calendarImportedAt).toBeInstanceOf(Date);
  });

  it('fails on a bad stored setting unless asked to use the defaults instead', async () => {
    await expect(loadSchoolTimes(database.db, broken, septemberFirst)).rejects.toMatchObject({ code: 'tutorbot_settings_invalid' });
    await expect(loadSchoolSettings(database.db, broken)).rejects.toMatchObject({ code: 'tutorbot_settings_invalid' });
    const times = await loadSchoolTimes(database.db, broken, septemberFirst, meetingTimes);
    expect(times.settings).toEqual(defaultSchoolSettings);
  });

  it('loads every school, or the ones named, in school order', async () => {
    const all = await loadAllSchoolTimes(database.db, septemberFirst, undefined, meetingTimes);
    expect(all.map((times) => times.schoolId)).toEqual([plain, own, broken]);
    expect((await loadAllSchoolTimes(database.db, septemberFirst, [own])).map((times) => times.schoolId)).toEqual([own]);
    expect(await loadAllSchoolTimes(database.db, septemberFirst, [])).toEqual([]);
  });

  it('gives the zone alone, and the default zone for a school that is not there', async () => {
    expect(await loadSchoolTimeZone(database.db, own)).toBe('Europe/Dublin');
    expect(await loadSchoolTimeZone(database.db, 999_999)).toBe(defaultTimeZone);
  });
});
