import type { Generated } from 'kysely';
import type { Timestamp } from '../db/columns.ts';

/** Kysely's view of the staff table (migrations/0001_core.sql) and the roles a member of staff may hold (docs/roles.md). */

export type StaffRole = 'tutor' | 'head_of_house' | 'head_of_year' | 'pastoral_lead' | 'dsl' | 'deputy_dsl' | 'senco' | 'admin';

export const staffRoles: readonly StaffRole[] = ['tutor', 'head_of_house', 'head_of_year', 'pastoral_lead', 'dsl', 'deputy_dsl', 'senco', 'admin'];

export interface StaffTable {
  id: Generated<number>;
  school_id: number;
  source_id: string | null;
  email: string;
  display_name: string;
  name_key: Generated<string>;
  roles: Generated<StaffRole[]>;
  year_scope: Generated<number[]>;
  house_scope: Generated<string[]>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StaffTables {
  staff: StaffTable;
}
