import type { Generated } from 'kysely';
import type { JsonWithDefault, Timestamp } from '../db/columns.ts';

/** Kysely's view of the school table (migrations/0001_core.sql): a school, its zone and settings. */

export interface SchoolTable {
  id: Generated<number>;
  name: string;
  urn: string | null;
  time_zone: Generated<string>;
  settings: JsonWithDefault<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface SchoolTables {
  school: SchoolTable;
}
