import type { Generated } from 'kysely';
import type { Timestamp } from '../db/columns.ts';

/** Kysely's view of migrations/0006_notes.sql. */
export type NoteKind = 'concern' | 'praise' | 'safeguarding' | 'followup';
/** What someone can log in one command or form; a follow-up is added to a note that already exists. */
export type LoggedNoteKind = Exclude<NoteKind, 'followup'>;
export type NoteUrgency = 'routine' | 'urgent';
export type RecipientReason = 'tutor' | 'head_of_house' | 'head_of_year' | 'pastoral_lead' | 'safeguarding' | 'escalation' | 'dsl_escalation';

export interface NoteTable {
  id: Generated<number>;
  school_id: number;
  pupil_id: number;
  author_staff_id: number;
  kind: NoteKind;
  parent_note_id: number | null;
  category: string | null;
  urgency: NoteUrgency | null;
  safeguarding: boolean;
  /** Sealed text ("v1:…"), bound to `note:<id>`. */
  body: string;
  source: string;
  channel: string | null;
  origin_key: string | null;
  created_at: Timestamp;
  routed_at: Timestamp | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by: number | null;
  reclassified_at: Timestamp | null;
  reclassified_by: number | null;
  escalation_level: Generated<number>;
  next_escalation_at: Timestamp | null;
  escalation_job_id: string | null;
  next_resend_at: Timestamp | null;
  resend_job_id: string | null;
}

export interface NoteRecipientTable {
  note_id: number;
  staff_id: number;
  reason: RecipientReason;
  added_at: Timestamp;
}

export interface PendingNoteTable {
  id: Generated<number>;
  school_id: number;
  reporter_staff_id: number;
  kind: LoggedNoteKind;
  category: string | null;
  urgency: NoteUrgency | null;
  /** Sealed text, bound to `pending_note:<id>`. */
  body: string;
  channel: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface NotesTables {
  note: NoteTable;
  note_recipient: NoteRecipientTable;
  pending_note: PendingNoteTable;
}
