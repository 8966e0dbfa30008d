import type { Generated } from 'kysely';
import type { Timestamp } from '../db/schema.ts';

/** Kysely's view of migrations/0010_caseload.sql. */
export type HandoverStatus = 'pending' | 'confirmed' | 'cancelled';

export interface HandoverRequestTable {
  id: Generated<number>;
  school_id: number;
  from_staff_id: number;
  to_staff_id: number;
  pupil_ids: number[];
  status: Generated<HandoverStatus>;
  created_by: number;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  moved_pupil_ids: Generated<number[]>;
  skipped_pupil_ids: Generated<number[]>;
}

export interface CaseloadTables {
  handover_request: HandoverRequestTable;
}
