import type { Json, Timestamp } from '../db/columns.ts';

/** Kysely's view of a school's imported calendar (migrations/0005_calendar_settings.sql). */

export interface SchoolCalendarTable {
  school_id: number;
  calendar: Json<unknown>;
  imported_at: Timestamp;
  imported_by: string | null;
}

export interface CalendarTables {
  school_calendar: SchoolCalendarTable;
}
