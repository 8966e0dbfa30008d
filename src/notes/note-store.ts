import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { NoteSealer } from '../crypto/note-sealer.ts';
import { getPupilSummary, type PupilSummary } from '../pupils/pupil-summary.ts';
import type { NoteKind, NoteTable, NoteUrgency } from './notes-tables.ts';

/**
 * Reading and writing note rows. Text is sealed with the row's own id as context, so the id is
 * taken from the sequence first: a ciphertext moved onto another row then fails to open.
 */
export type NoteRow = Selectable<NoteTable>;

export interface NewNote {
  schoolId: number;
  pupilId: number;
  authorStaffId: number;
  kind: NoteKind;
  parentNoteId?: number | null;
  category?: string | null;
  urgency?: NoteUrgency | null;
  safeguarding: boolean;
  text: string;
  source: string;
  channel: string | null;
  originKey?: string | null;
  createdAt: Date;
}

export function noteContext(noteId: number): string {
  return `note:${noteId}`;
}

export async function insertNote(db: Kysely<DB>, sealer: NoteSealer, note: NewNote): Promise<NoteRow> {
  const { rows } = await sql<{ id: number | string }>`SELECT nextval(pg_get_serial_sequence('note', 'id')) AS id`.execute(db);
  const id = Number(rows[0].id);
  return db
    .insertInto('note')
    .values({
      id: id as never,
      school_id: note.schoolId,
      pupil_id: note.pupilId,
      author_staff_id: note.authorStaffId,
      kind: note.kind,
      parent_note_id: note.parentNoteId ?? null,
      category: note.category ?? null,
      urgency: note.urgency ?? null,
      safeguarding: note.safeguarding,
      body: sealer.seal(note.text, noteContext(id)),
      source: note.source,
      channel: note.channel,
      origin_key: note.originKey ?? null,
      created_at: note.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The plain text of a note. Callers that show it to a person must also write the audit row. */
export function openNoteText(sealer: NoteSealer, note: Pick<NoteRow, 'id' | 'body'>): string {
  return sealer.open(note.body, noteContext(note.id));
}

export async function findNote(db: Kysely<DB>, schoolId: number, noteId: number, options: { lock?: boolean } = {}): Promise<NoteRow | null> {
  let query = db.selectFrom('note').selectAll().where('id', '=', noteId).where('school_id', '=', schoolId);
  if (options.lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

/** A note with what every rendering of it needs: the pupil, and the names of the people involved. */
export interface NoteDetails {
  note: NoteRow;
  pupil: PupilSummary;
  authorName: string;
  acknowledgedByName: string | null;
  /** For a follow-up: the note it adds to. */
  parent: NoteRow | null;
}

export async function loadNoteDetails(db: Kysely<DB>, schoolId: number, noteId: number): Promise<NoteDetails | null> {
  const note = await findNote(db, schoolId, noteId);
  if (!note) return null;
  const pupil = await getPupilSummary(db, schoolId, note.pupil_id);
  if (!pupil) return null;
  const names = await staffNames(db, [note.author_staff_id, note.acknowledged_by]);
  const parent = note.parent_note_id !== null ? await findNote(db, schoolId, note.parent_note_id) : null;
  return {
    note,
    pupil,
    authorName: names.get(note.author_staff_id) ?? 'a former member of staff',
    acknowledgedByName: note.acknowledged_by !== null ? (names.get(note.acknowledged_by) ?? 'a former member of staff') : null,
    parent,
  };
}

export async function staffNames(db: Kysely<DB>, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('staff').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

/** "note:42" on buttons and form state: the id only, never anything about the pupil. */
export function noteActionValue(noteId: number): string {
  return `note:${noteId}`;
}

export function parseNoteActionValue(value: string | undefined): number | null {
  const match = /^note:(\d{1,15})$/.exec(value?.trim() ?? '');
  if (!match) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
