import type { AssignmentTables } from '../assignment/assignment-tables.ts';
import type { AuditTables } from '../audit/audit-tables.ts';
import type { CalendarTables } from '../calendar/calendar-tables.ts';
import type { DeliveryTables } from '../delivery/delivery-tables.ts';
import type { HandbookTables } from '../handbook/handbook-tables.ts';
import type { MeetingsTables } from '../meetings/meetings-tables.ts';
import type { NotesTables } from '../notes/notes-tables.ts';
import type { PlatformTables } from '../platforms/platform-tables.ts';
import type { PupilTables } from '../pupils/pupil-tables.ts';
import type { ReminderTables } from '../reminders/reminder-tables.ts';
import type { SchoolTables } from '../schools/school-tables.ts';
import type { StaffTables } from '../staff/staff-tables.ts';

/**
 * Kysely's view of every table that migrations/ creates. Each feature keeps its own tables'
 * interfaces beside its code (a `*-tables.ts` file) and this file only composes them; a new
 * feature adds its tables here, and shared column types come from ./columns.ts, so no table
 * file imports this one.
 */
export type DB = SchoolTables &
  StaffTables &
  PupilTables &
  AssignmentTables &
  AuditTables &
  PlatformTables &
  DeliveryTables &
  CalendarTables &
  HandbookTables &
  NotesTables &
  MeetingsTables &
  ReminderTables;
