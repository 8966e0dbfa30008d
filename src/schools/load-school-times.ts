import type { Kysely } from 'kysely';
import { localDateOf, type SchoolCalendar } from '../calendar/index.ts';
import { sharedDefaultCalendar, type DefaultCalendarYears } from '../calendar/shared-default-calendar.ts';
import type { DB } from '../db/schema.ts';
import { defaultTimeZone } from './default-time-zone.ts';
import { defaultSchoolSettings, parseSchoolSettings, type SchoolSettings } from './school-settings.ts';

/**
 * What a school's dates are reckoned from: its time zone, its settings (school day, digest,
 * escalation, meeting policy) and the calendar that governs it (its imported one, else the
 * built-in England default). Every feature reads them through here, in one query, once per
 * request or job. A school id with no row (it cannot be, while rows refer to it) gets the
 * defaults.
 */
export interface SchoolTimes {
  schoolId: number;
  /** The school's own zone. An imported calendar keeps the zone it was imported in (calendar.timeZone). */
  timeZone: string;
  settings: SchoolSettings;
  calendar: SchoolCalendar;
  /** When the school's own calendar was imported; null while the default applies. A version for memos. */
  calendarImportedAt: Date | null;
}

export interface SchoolTimesOptions {
  /** The years the default calendar spans around the day of `at`; this one and the next unless said. */
  defaultCalendarYears?: DefaultCalendarYears;
  /**
   * A stored setting that fails its check: 'fail' (the default) passes the error on; 'use-defaults'
   * uses the default settings instead, for work that must not stop for it (reminders, meeting
   * screens): `tutorbot settings show` reports the problem.
   */
  invalidSettings?: 'fail' | 'use-defaults';
}

interface SchoolTimesRow {
  id: number;
  time_zone: string;
  settings: unknown;
  calendar: unknown;
  imported_at: Date | string | null;
}

function selectSchoolTimes(db: Kysely<DB>) {
  return db
    .selectFrom('school')
    .leftJoin('school_calendar', 'school_calendar.school_id', 'school.id')
    .select(['school.id', 'school.time_zone', 'school.settings', 'school_calendar.calendar', 'school_calendar.imported_at']);
}

function toSchoolTimes(row: SchoolTimesRow, at: Date, options: SchoolTimesOptions): SchoolTimes {
  const timeZone = row.time_zone;
  const calendar = row.calendar
    ? (row.calendar as SchoolCalendar)
    : sharedDefaultCalendar(localDateOf(at, timeZone), timeZone, options.defaultCalendarYears ?? 'this-and-next');
  let settings: SchoolSettings;
  try {
    settings = parseSchoolSettings(row.settings);
  } catch (error) {
    if (options.invalidSettings !== 'use-defaults') throw error;
    settings = { ...defaultSchoolSettings };
  }
  return { schoolId: row.id, timeZone, settings, calendar, calendarImportedAt: row.imported_at === null ? null : new Date(row.imported_at) };
}

/** One school's times as of `at` (whose local day decides the default calendar's years). */
export async function loadSchoolTimes(db: Kysely<DB>, schoolId: number, at: Date, options: SchoolTimesOptions = {}): Promise<SchoolTimes> {
  const row = await selectSchoolTimes(db).where('school.id', '=', schoolId).executeTakeFirst();
  const missing: SchoolTimesRow = { id: schoolId, time_zone: defaultTimeZone, settings: {}, calendar: null, imported_at: null };
  return toSchoolTimes(row ?? missing, at, options);
}

/** Every school's (or those in `schoolIds`), in one query: the reminder sweep. */
export async function loadAllSchoolTimes(db: Kysely<DB>, at: Date, schoolIds: number[] | undefined, options: SchoolTimesOptions = {}): Promise<SchoolTimes[]> {
  let query = selectSchoolTimes(db).orderBy('school.id');
  if (schoolIds) query = query.where('school.id', 'in', schoolIds.length > 0 ? schoolIds : [-1]);
  return (await query.execute()).map((row) => toSchoolTimes(row, at, options));
}

/** Only the school's zone (formatting a time), without reading its calendar. */
export async function loadSchoolTimeZone(db: Kysely<DB>, schoolId: number): Promise<string> {
  const row = await db.selectFrom('school').select('time_zone').where('id', '=', schoolId).executeTakeFirst();
  return row?.time_zone ?? defaultTimeZone;
}

/** The zone of the first school in the database (a CLI default when no school is named). */
export async function firstSchoolTimeZone(db: Kysely<DB>): Promise<string> {
  const row = await db.selectFrom('school').select('time_zone').orderBy('id').executeTakeFirst();
  return row?.time_zone ?? defaultTimeZone;
}

/** Only the school's settings, checked (a bad stored value fails), without reading its calendar. */
export async function loadSchoolSettings(db: Kysely<DB>, schoolId: number): Promise<SchoolSettings> {
  const row = await db.selectFrom('school').select('settings').where('id', '=', schoolId).executeTakeFirst();
  return parseSchoolSettings(row?.settings);
}
