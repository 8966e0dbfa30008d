import { sql, type Kysely } from 'kysely';
import type { NoteSealer } from '../crypto/note-sealer.ts';
import type { DB } from '../db/schema.ts';
import { openNoteText, type NoteRow } from './note-store.ts';

/**
 * The same person sending the same note about the same pupil again within a few minutes (a
 * double-click, a form submitted twice, a command pasted twice) means one note, not two. Text is
 * sealed with a random IV, so the few candidates are opened and compared in memory; nobody is
 * shown anything, so this is not a read to audit.
 */
export const repeatWindowMinutes = 10;

export async function findRepeatedNote(
  db: Kysely<DB>,
  sealer: NoteSealer,
  now: Date,
  note: { authorStaffId: number; pupilId: number; kind: NoteRow['kind']; parentNoteId: number | null; text: string },
): Promise<NoteRow | null> {
  let query = db
    .selectFrom('note')
    .selectAll()
    .where('author_staff_id', '=', note.authorStaffId)
    .where('pupil_id', '=', note.pupilId)
    .where('created_at', '>=', new Date(now.getTime() - repeatWindowMinutes * 60_000))
    .orderBy('created_at', 'desc')
    .limit(20);
  // A form's safeguarding choice turns a concern into a safeguarding one: the same text either way.
  query = note.kind === 'followup' ? query.where('kind', '=', 'followup') : query.where('kind', '<>', 'followup');
  query = note.parentNoteId === null ? query.where('parent_note_id', 'is', null) : query.where('parent_note_id', '=', note.parentNoteId);
  for (const candidate of await query.execute()) {
    if (openNoteText(sealer, candidate) === note.text) return candidate;
  }
  return null;
}

/**
 * Serialises note writing per author for the rest of the transaction, so two copies of one
 * request arriving together cannot both pass the repeat check.
 */
export async function lockAuthor(trx: Kysely<DB>, staffId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(73102446, ${staffId}::int)`.execute(trx);
}
