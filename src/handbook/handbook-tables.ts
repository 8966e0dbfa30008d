import type { Json, Timestamp } from '../db/columns.ts';

/** Kysely's view of a school's imported tutoring handbook (migrations/0007_meetings.sql). */

export interface SchoolHandbookTable {
  school_id: number;
  handbook: Json<unknown>;
  imported_at: Timestamp;
  imported_by: string | null;
}

export interface HandbookTables {
  school_handbook: SchoolHandbookTable;
}
