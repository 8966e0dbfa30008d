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

/** The next free send slot per platform and scope (migrations/0012_send_pace.sql). */
export interface SendPaceTable {
  platform: string;
  scope: string;
  next_slot: Timestamp;
}

export interface DeliveryTables {
  delivery: DeliveryTable;
  send_pace: SendPaceTable;
}
