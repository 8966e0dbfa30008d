import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { academicYearStartFor, englandDefaultCalendar } from './england-default-calendar.ts';
import type { SchoolCalendar } from './school-calendar.ts';

/**
 * The calendar that governs a school's dates: its imported one, or the built-in England default
 * for the academic year containing `today` and the next (so that counting school days from late
 * July still finds September).
 */
export async function loadSchoolCalendar(db: Kysely<DB>, schoolId: number, today: string): Promise<SchoolCalendar> {
  const row = await db
    .selectFrom('school_calendar')
    .innerJoin('school', 'school.id', 'school_calendar.school_id')
    .select(['school_calendar.calendar', 'school.time_zone'])
    .where('school_calendar.school_id', '=', schoolId)
    .executeTakeFirst();
  if (row) return row.calendar as SchoolCalendar;
  const school = await db.selectFrom('school').select('time_zone').where('id', '=', schoolId).executeTakeFirst();
  return englandDefaultCalendar(academicYearStartFor(today), school?.time_zone ?? 'Europe/London', 2);
}

export async function saveSchoolCalendar(db: Kysely<DB>, schoolId: number, calendar: SchoolCalendar, importedBy: string | null): Promise<void> {
  await db
    .insertInto('school_calendar')
    .values({ school_id: schoolId, calendar: JSON.stringify(calendar), imported_by: importedBy })
    .onConflict((conflict) =>
      conflict.column('school_id').doUpdateSet({ calendar: JSON.stringify(calendar), imported_at: new Date(), imported_by: importedBy }),
    )
    .execute();
}
