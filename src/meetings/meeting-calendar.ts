import type { Kysely } from 'kysely';
import { academicYearStartFor, englandDefaultCalendar, localDateOf, type SchoolCalendar } from '../calendar/index.ts';
import type { DB } from '../db/schema.ts';
import { parseSchoolSettings, type SchoolSettings } from '../schools/school-settings.ts';

/**
 * The calendar and settings meetings and reminders work from. A school's imported calendar is
 * used as stored; the built-in England default is built for the previous, current and next
 * academic years, so "the term just ended" (the heads' list in September) and "next term" are
 * both there. Default calendars are shared between schools (they are immutable), which keeps a
 * sweep over thousands of schools from building thousands of copies.
 */
export interface SchoolTimes {
  schoolId: number;
  calendar: SchoolCalendar;
  settings: SchoolSettings;
  timeZone: string;
}

const defaultCalendars = new Map<string, SchoolCalendar>();

export function defaultCalendarAround(date: string, timeZone: string): SchoolCalendar {
  const start = academicYearStartFor(date) - 1;
  const key = `${start}|${timeZone}`;
  let calendar = defaultCalendars.get(key);
  if (!calendar) {
    calendar = englandDefaultCalendar(start, timeZone, 3);
    if (defaultCalendars.size > 64) defaultCalendars.clear();
    defaultCalendars.set(key, calendar);
  }
  return calendar;
}

interface SchoolTimesRow {
  id: number;
  time_zone: string;
  settings: unknown;
  calendar: unknown;
}

function toSchoolTimes(row: SchoolTimesRow, now: Date): SchoolTimes {
  const timeZone = row.time_zone;
  const calendar = row.calendar ? (row.calendar as SchoolCalendar) : defaultCalendarAround(localDateOf(now, timeZone), timeZone);
  let settings: SchoolSettings;
  try {
    settings = parseSchoolSettings(row.settings);
  } catch {
    // A bad stored value must not stop every school's reminders; `tutorbot settings show` reports it.
    settings = parseSchoolSettings({});
  }
  return { schoolId: row.id, calendar, settings, timeZone: calendar.timeZone || timeZone };
}

function selectSchoolTimes(db: Kysely<DB>) {
  return db
    .selectFrom('school')
    .leftJoin('school_calendar', 'school_calendar.school_id', 'school.id')
    .select(['school.id', 'school.time_zone', 'school.settings', 'school_calendar.calendar']);
}

/** One school's calendar and settings, as of `now` (which decides the default calendar's years). */
export async function loadSchoolTimes(db: Kysely<DB>, schoolId: number, now: Date): Promise<SchoolTimes> {
  const row = await selectSchoolTimes(db).where('school.id', '=', schoolId).executeTakeFirstOrThrow();
  return toSchoolTimes(row, now);
}

/** Every school's, in one query (the reminder sweep). */
export async function loadAllSchoolTimes(db: Kysely<DB>, now: Date, schoolIds?: number[]): Promise<SchoolTimes[]> {
  let query = selectSchoolTimes(db).orderBy('school.id');
  if (schoolIds) query = query.where('school.id', 'in', schoolIds.length > 0 ? schoolIds : [-1]);
  return (await query.execute()).map((row) => toSchoolTimes(row, now));
}
