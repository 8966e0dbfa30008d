import type { Generated } from 'kysely';
import type { Timestamp } from '../db/columns.ts';

/** Kysely's view of the audit log (migrations/0001_core.sql): who looked at or changed what. */

export interface AuditLogTable {
  id: Generated<number>;
  school_id: number;
  actor_staff_id: number | null;
  action: string;
  pupil_id: number | null;
  subject: string | null;
  channel: string | null;
  at: Timestamp;
}

export interface AuditTables {
  audit_log: AuditLogTable;
}
