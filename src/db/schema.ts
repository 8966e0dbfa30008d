import type { ColumnType, Generated } from 'kysely';
import type { NotesTables } from '../notes/notes-tables.ts';
import type { CaseloadTables } from '../caseload/caseload-tables.ts';
import type { MeetingsTables } from '../meetings/meetings-tables.ts';

/**
 * Kysely's view of the tables that migrations/ creates. Each feature keeps its own tables'
 * interface beside it and this file composes them, so the migration and its types change together.
 */

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T = unknown> = ColumnType<T, string | T, string | T>;
export type JsonWithDefault<T = unknown> = ColumnType<T, string | T | undefined, string | T>;

export type StaffRole = 'tutor' | 'head_of_house' | 'head_of_year' | 'pastoral_lead' | 'dsl' | 'deputy_dsl' | 'senco' | 'admin';

export const staffRoles: readonly StaffRole[] = ['tutor', 'head_of_house', 'head_of_year', 'pastoral_lead', 'dsl', 'deputy_dsl', 'senco', 'admin'];

export interface SchoolTable {
  id: Generated<number>;
  name: string;
  urn: string | null;
  time_zone: Generated<string>;
  settings: JsonWithDefault<Record<string, unknown>>;
  created_at: Timestamp;
}

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

export interface PlatformLinkTable {
  platform: 'slack' | 'teams';
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

export interface CoreTables {
  school: SchoolTable;
  staff: StaffTable;
  pupil: PupilTable;
  tutor_assignment: TutorAssignmentTable;
  audit_log: AuditLogTable;
  platform_link: PlatformLinkTable;
  platform_identity: PlatformIdentityTable;
  inbound_event: InboundEventTable;
  conversation_ref: ConversationRefTable;
  delivery: DeliveryTable;
}

export interface SchoolCalendarTable {
  school_id: number;
  calendar: Json<unknown>;
  imported_at: Timestamp;
  imported_by: string | null;
}

export interface CalendarTables {
  school_calendar: SchoolCalendarTable;
}

// Features add their table interfaces to this intersection.
export type DB = CoreTables & CalendarTables & NotesTables & CaseloadTables & MeetingsTables;
