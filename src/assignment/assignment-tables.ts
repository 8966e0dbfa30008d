import type { Generated } from 'kysely';
import type { Timestamp } from '../db/columns.ts';

/**
 * Kysely's view of who tutors whom (tutor_assignment, migrations/0001_core.sql) and of
 * handovers between tutors (handover_request, migrations/0010_caseload.sql).
 */

export interface TutorAssignmentTable {
  id: Generated<number>;
  school_id: number;
  pupil_id: number;
  staff_id: number;
  valid_from: Timestamp;
  valid_to: Timestamp | null;
  reason: string;
  created_by: number | null;
}

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

export interface AssignmentTables {
  tutor_assignment: TutorAssignmentTable;
  handover_request: HandoverRequestTable;
}
