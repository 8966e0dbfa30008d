import { sql, type Kysely } from 'kysely';
import type { NoteSealer } from '../crypto/note-sealer.ts';
import type { DB } from '../db/schema.ts';
import type { TermName } from '../calendar/school-calendar.ts';
import type { TargetOutcome, TargetStatus } from './meetings-tables.ts';
import { asLocalDate } from './meeting-policy.ts';

/**
 * Reading and writing meetings and targets. Text is sealed with the row's own id as context
 * (the id is taken from the sequence first), so a ciphertext moved onto another row fails to
 * open. Callers that show text to a person write the audit row (see read-targets.ts).
 */
export function meetingContext(meetingId: number): string {
  return `meeting:${meetingId}`;
}

export function targetContext(targetId: number): string {
  return `target:${targetId}`;
}

async function nextId(db: Kysely<DB>, table: 'meeting' | 'target'): Promise<number> {
  const { rows } = await sql<{ id: number | string }>`SELECT nextval(pg_get_serial_sequence(${table}, 'id')) AS id`.execute(db);
  return Number(rows[0].id);
}

export interface NewMeeting {
  schoolId: number;
  pupilId: number;
  staffId: number;
  heldOn: string;
  academicYear: string;
  term: TermName;
  place: string | null;
  notes: string;
  covered: string[];
  contactsGiven: string[];
  source: 'text' | 'form';
  channel: string | null;
  submissionKey: string | null;
  createdAt: Date;
}

/** Inserts the meeting, or returns null when its submission key was already used (a repeat). */
export async function insertMeeting(db: Kysely<DB>, sealer: NoteSealer, meeting: NewMeeting): Promise<number | null> {
  const id = await nextId(db, 'meeting');
  const row = await db
    .insertInto('meeting')
    .values({
      id: id as never,
      school_id: meeting.schoolId,
      pupil_id: meeting.pupilId,
      staff_id: meeting.staffId,
      held_on: meeting.heldOn,
      academic_year: meeting.academicYear,
      term: meeting.term,
      place: meeting.place,
      notes: sealer.seal(meeting.notes, meetingContext(id)),
      covered: meeting.covered,
      contacts_given: meeting.contactsGiven,
      source: meeting.source,
      channel: meeting.channel,
      submission_key: meeting.submissionKey,
      created_at: meeting.createdAt,
    })
    .onConflict((conflict) => conflict.column('submission_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

export interface NewTarget {
  schoolId: number;
  pupilId: number;
  meetingId: number;
  setBy: number;
  text: string;
  setOn: string;
  reviewOn: string;
  createdAt: Date;
}

export async function insertTarget(db: Kysely<DB>, sealer: NoteSealer, target: NewTarget): Promise<number> {
  const id = await nextId(db, 'target');
  await db
    .insertInto('target')
    .values({
      id: id as never,
      school_id: target.schoolId,
      pupil_id: target.pupilId,
      meeting_id: target.meetingId,
      set_by: target.setBy,
      text: sealer.seal(target.text, targetContext(id)),
      set_on: target.setOn,
      review_on: target.reviewOn,
      created_at: target.createdAt,
      updated_at: target.createdAt,
    })
    .execute();
  return id;
}

export interface TargetRow {
  id: number;
  pupilId: number;
  meetingId: number | null;
  setBy: number;
  setByName: string;
  sealed: string;
  setOn: string;
  reviewOn: string;
  status: TargetStatus;
  closedOn: string | null;
  /** The last review outcome, when there was one ('carried_over' keeps a target open). */
  lastOutcome: TargetOutcome | null;
}

/** A pupil's targets, open ones first (soonest review first), then the rest, newest first. */
export async function loadTargets(db: Kysely<DB>, schoolId: number, pupilId: number, options: { openOnly?: boolean } = {}): Promise<TargetRow[]> {
  let query = db
    .selectFrom('target as t')
    .innerJoin('staff as s', 's.id', 't.set_by')
    .select([
      't.id',
      't.pupil_id',
      't.meeting_id',
      't.set_by',
      's.display_name',
      't.text',
      sql<string>`t.set_on::text`.as('set_on'),
      sql<string>`t.review_on::text`.as('review_on'),
      't.status',
      sql<string | null>`t.closed_on::text`.as('closed_on'),
      sql<TargetOutcome | null>`(SELECT r.outcome FROM target_review r WHERE r.target_id = t.id ORDER BY r.id DESC LIMIT 1)`.as('last_outcome'),
    ])
    .where('t.school_id', '=', schoolId)
    .where('t.pupil_id', '=', pupilId);
  if (options.openOnly) query = query.where('t.status', '=', 'open');
  const rows = await query
    .orderBy(sql`t.status = 'open'`, 'desc')
    .orderBy(sql`CASE WHEN t.status = 'open' THEN t.review_on END`, 'asc')
    .orderBy('t.id', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    pupilId: row.pupil_id,
    meetingId: row.meeting_id === null ? null : Number(row.meeting_id),
    setBy: row.set_by,
    setByName: row.display_name,
    sealed: row.text,
    setOn: asLocalDate(row.set_on),
    reviewOn: asLocalDate(row.review_on),
    status: row.status,
    closedOn: row.closed_on === null ? null : asLocalDate(row.closed_on),
    lastOutcome: row.last_outcome,
  }));
}

export function openTargetText(sealer: NoteSealer, target: Pick<TargetRow, 'id' | 'sealed'>): string {
  return sealer.open(target.sealed, targetContext(target.id));
}

export interface MeetingRow {
  id: number;
  staffName: string;
  heldOn: string;
  academicYear: string;
  term: TermName;
  place: string | null;
  sealed: string;
  covered: string[];
  contactsGiven: string[];
}

export async function loadMeetings(db: Kysely<DB>, schoolId: number, pupilId: number, limit = 20): Promise<MeetingRow[]> {
  const rows = await db
    .selectFrom('meeting as m')
    .innerJoin('staff as s', 's.id', 'm.staff_id')
    .select([
      'm.id',
      's.display_name',
      sql<string>`m.held_on::text`.as('held_on'),
      'm.academic_year',
      'm.term',
      'm.place',
      'm.notes',
      'm.covered',
      'm.contacts_given',
    ])
    .where('m.school_id', '=', schoolId)
    .where('m.pupil_id', '=', pupilId)
    .orderBy('m.held_on', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    staffName: row.display_name,
    heldOn: asLocalDate(row.held_on),
    academicYear: row.academic_year,
    term: row.term,
    place: row.place,
    sealed: row.notes,
    covered: row.covered,
    contactsGiven: row.contacts_given,
  }));
}

export function openMeetingNotes(sealer: NoteSealer, meeting: Pick<MeetingRow, 'id' | 'sealed'>): string {
  return sealer.open(meeting.sealed, meetingContext(meeting.id));
}
