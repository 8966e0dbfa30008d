import type { Generated } from 'kysely';
import type { Json, JsonWithDefault, Timestamp } from '../db/columns.ts';

/** Kysely's view of the delivery outbox (migrations/0003_platforms.sql): one row per message to one member of staff. */

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'unreachable' | 'failed' | 'cancelled';

export interface DeliveryTable {
  id: Generated<number>;
  school_id: number;
  staff_id: number;
  idempotency_key: string;
  kind: string;
  subject: JsonWithDefault<Record<string, unknown>>;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  platform: string | null;
  sent_ref: Json<Record<string, unknown>> | null;
  not_before: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface DeliveryTables {
  delivery: DeliveryTable;
}
