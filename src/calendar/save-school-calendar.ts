import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { SchoolCalendar } from './school-calendar.ts';

/** Stores a school's own calendar (replacing any before it); src/schools/load-school-times.ts reads it back. */
export async function saveSchoolCalendar(db: Kysely<DB>, schoolId: number, calendar: SchoolCalendar, importedBy: string | null): Promise<void> {
  await db
    .insertInto('school_calendar')
    .values({ school_id: schoolId, calendar: JSON.stringify(calendar), imported_by: importedBy })
    .onConflict((conflict) =>
      conflict.column('school_id').doUpdateSet({ calendar: JSON.stringify(calendar), imported_at: new Date(), imported_by: importedBy }),
    )
    .execute();
}
