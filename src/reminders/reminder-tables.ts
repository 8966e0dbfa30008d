import type { Timestamp } from '../db/columns.ts';

/** Kysely's view of reminder snoozes and runs (migrations/0007_meetings.sql). */

export interface ReminderSnoozeTable {
  school_id: number;
  staff_id: number;
  kind: string;
  period: string;
  snoozed_on: string;
  until_on: string;
  created_at: Timestamp;
}

export interface ReminderRunTable {
  school_id: number;
  kind: string;
  period: string;
  planned_on: string;
  deliveries: number;
  created_at: Timestamp;
}

export interface ReminderTables {
  reminder_snooze: ReminderSnoozeTable;
  reminder_run: ReminderRunTable;
}
