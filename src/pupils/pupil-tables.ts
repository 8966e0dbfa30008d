import type { Generated } from 'kysely';
import type { Timestamp } from '../db/columns.ts';

/** Kysely's view of the pupil table (migrations/0001_core.sql, name tokens in 0011). */

export interface PupilTable {
  id: Generated<number>;
  school_id: number;
  source_id: string;
  upn: string | null;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: string | null;
  year_group: number | null;
  form: string | null;
  house: string | null;
  sen: Generated<boolean>;
  eal: Generated<boolean>;
  active: Generated<boolean>;
  name_key: string;
  preferred_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PupilTables {
  pupil: PupilTable;
}
