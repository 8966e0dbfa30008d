import type { Generated } from 'kysely';
import type { TermName } from '../calendar/school-calendar.ts';
import type { Timestamp } from '../db/columns.ts';

/** Kysely's view of migrations/0007_meetings.sql. */
export type TargetStatus = 'open' | 'met' | 'partly_met' | 'not_met';
export type TargetOutcome = 'met' | 'partly_met' | 'not_met' | 'carried_over';

export interface MeetingTable {
  id: Generated<number>;
  school_id: number;
  pupil_id: number;
  staff_id: number;
  /** YYYY-MM-DD, the school's local date. */
  held_on: string;
  academic_year: string;
  term: TermName;
  place: string | null;
  /** Sealed text ("v1:…"), bound to `meeting:<id>`. */
  notes: string;
  covered: Generated<string[]>;
  contacts_given: Generated<string[]>;
  source: 'text' | 'form';
  channel: string | null;
  submission_key: string | null;
  created_at: Timestamp;
}

export interface TargetTable {
  id: Generated<number>;
  school_id: number;
  pupil_id: number;
  meeting_id: number | null;
  set_by: number;
  /** Sealed text, bound to `target:<id>`. */
  text: string;
  set_on: string;
  review_on: string;
  status: Generated<TargetStatus>;
  closed_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TargetReviewTable {
  id: Generated<number>;
  school_id: number;
  target_id: number;
  meeting_id: number | null;
  outcome: TargetOutcome;
  reviewed_on: string;
  reviewed_by: number;
  next_review_on: string | null;
  created_at: Timestamp;
}

export interface MeetingsTables {
  meeting: MeetingTable;
  target: TargetTable;
  target_review: TargetReviewTable;
}
