import type { Json, Timestamp } from '../db/columns.ts';
import type { ChatPlatform } from './chat-platform.ts';

/** Kysely's view of migrations/0003_platforms.sql: workspace links, identities, inbound-event dedupe and addresses. */

export interface PlatformLinkTable {
  platform: ChatPlatform;
  external_id: string;
  school_id: number;
  created_at: Timestamp;
}

export interface PlatformIdentityTable {
  platform: string;
  workspace_id: string;
  user_id: string;
  school_id: number;
  staff_id: number | null;
  fetched_at: Timestamp;
}

export interface InboundEventTable {
  platform: string;
  event_key: string;
  received_at: Timestamp;
}

export interface ConversationRefTable {
  platform: string;
  staff_id: number;
  school_id: number;
  address: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface PlatformTables {
  platform_link: PlatformLinkTable;
  platform_identity: PlatformIdentityTable;
  inbound_event: InboundEventTable;
  conversation_ref: ConversationRefTable;
}
