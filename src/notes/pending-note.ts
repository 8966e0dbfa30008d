import { sql, type Kysely, type Selectable } from 'kysely';
import type { Actor } from '../staff/actor.ts';
import type { CoreContext } from '../core-context.ts';
import type { DB } from '../db/schema.ts';
import { pupilRef, parsePupilRef } from '../pupils/resolve-pupil.ts';
import type { PendingNoteTable } from './notes-tables.ts';

/**
 * A note whose pupil name matched several pupils waits here until its author picks one, so that
 * nothing is saved (or routed) against the wrong child and nothing typed is lost. Only its id
 * and a pupil reference travel on the buttons; the text stays sealed in the database, for the
 * author alone, for an hour.
 */
export const pendingNoteLifetimeMinutes = 60;

export type PendingNote = Selectable<PendingNoteTable>;

export function pendingNoteContext(id: number): string {
  return `pending_note:${id}`;
}

export async function holdPendingNote(
  core: CoreContext,
  actor: Actor,
  note: { kind: PendingNote['kind']; text: string; category: string | null; urgency: PendingNote['urgency']; channel: string },
): Promise<number> {
  const { rows } = await sql<{ id: number | string }>`SELECT nextval(pg_get_serial_sequence('pending_note', 'id')) AS id`.execute(core.db);
  const id = Number(rows[0].id);
  const now = core.now();
  await core.db
    .insertInto('pending_note')
    .values({
      id: id as never,
      school_id: actor.schoolId,
      reporter_staff_id: actor.staffId,
      kind: note.kind,
      category: note.category,
      urgency: note.urgency,
      body: core.sealer.seal(note.text, pendingNoteContext(id)),
      channel: note.channel,
      created_at: now,
      expires_at: new Date(now.getTime() + pendingNoteLifetimeMinutes * 60_000),
    })
    .execute();
  return id;
}

/** "pending:12|#pupil:345" */
export function pendingChoiceValue(pendingId: number, pupilId: number): string {
  return `pending:${pendingId}|${pupilRef(pupilId)}`;
}

export function parsePendingChoice(value: string): { pendingId: number; pupilId: number } | null {
  const match = /^pending:(\d{1,15})\|(#pupil:\d{1,12})$/.exec(value.trim());
  if (!match) return null;
  const pupilId = parsePupilRef(match[2]);
  const pendingId = Number(match[1]);
  return pupilId !== null && Number.isSafeInteger(pendingId) ? { pendingId, pupilId } : null;
}

/** The author's own pending note, unexpired; null otherwise (someone else's id finds nothing). */
export async function findPendingNote(db: Kysely<DB>, actor: Actor, pendingId: number, now: Date): Promise<PendingNote | null> {
  const row = await db
    .selectFrom('pending_note')
    .selectAll()
    .where('id', '=', pendingId)
    .where('school_id', '=', actor.schoolId)
    .where('reporter_staff_id', '=', actor.staffId)
    .executeTakeFirst();
  if (!row || row.expires_at <= now) return null;
  return row;
}

export async function purgeExpiredPendingNotes(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db.deleteFrom('pending_note').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
