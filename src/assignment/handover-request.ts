import type { Kysely } from 'kysely';
import type { HandoverStatus } from './assignment-tables.ts';
import type { DB } from '../db/schema.ts';
import { assignTutor } from './assign-tutor.ts';

/**
 * A previewed handover, stored server-side so that Confirm moves exactly the pupils the preview
 * listed (never whoever the tutor has by then), and so that the status can change only once.
 */
export interface HandoverRequest {
  id: number;
  schoolId: number;
  fromStaffId: number;
  toStaffId: number;
  pupilIds: number[];
  status: HandoverStatus;
  createdBy: number;
  createdAt: Date;
  decidedAt: Date | null;
  movedPupilIds: number[];
  skippedPupilIds: number[];
}

/** After this long a preview can no longer be confirmed: the list may be out of date. */
export const handoverPreviewLifetimeMs = 24 * 60 * 60 * 1000;

export async function createHandoverRequest(
  db: Kysely<DB>,
  input: { schoolId: number; fromStaffId: number; toStaffId: number; pupilIds: number[]; createdBy: number; now: Date },
): Promise<number> {
  const row = await db
    .insertInto('handover_request')
    .values({
      school_id: input.schoolId,
      from_staff_id: input.fromStaffId,
      to_staff_id: input.toStaffId,
      pupil_ids: input.pupilIds,
      created_by: input.createdBy,
      created_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function getHandoverRequest(db: Kysely<DB>, schoolId: number, id: number): Promise<HandoverRequest | null> {
  const row = await db.selectFrom('handover_request').selectAll().where('id', '=', id).where('school_id', '=', schoolId).executeTakeFirst();
  if (!row) return null;
  return {
    id: Number(row.id),
    schoolId: row.school_id,
    fromStaffId: row.from_staff_id,
    toStaffId: row.to_staff_id,
    pupilIds: row.pupil_ids.map(Number),
    status: row.status,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    decidedAt: row.decided_at ? new Date(row.decided_at) : null,
    movedPupilIds: row.moved_pupil_ids.map(Number),
    skippedPupilIds: row.skipped_pupil_ids.map(Number),
  };
}

export async function cancelHandoverRequest(db: Kysely<DB>, id: number, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('handover_request')
    .set({ status: 'cancelled', decided_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export type HandoverExecution =
  | { outcome: 'done'; moved: number[]; skipped: { pupilId: number; currentStaffId: number | null; reason: 'moved' | 'left' | 'out-of-scope' }[] }
  | { outcome: 'not-pending' };

/**
 * Confirms a pending handover and moves its pupils, in one transaction: the status change is the
 * claim (a second Confirm finds it no longer pending and moves nobody), and each pupil moves only
 * if their current tutor is still the one handing over, so a tutee reassigned meanwhile is skipped.
 */
export async function executeHandover(
  db: Kysely<DB>,
  request: HandoverRequest,
  options: { now: Date; actorStaffId: number; reason: string; mayMove: ReadonlySet<number> },
): Promise<HandoverExecution> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('handover_request')
      .set({ status: 'confirmed', decided_at: options.now })
      .where('id', '=', request.id)
      .where('status', '=', 'pending')
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return { outcome: 'not-pending' as const };
    const moved: number[] = [];
    const skipped: { pupilId: number; currentStaffId: number | null; reason: 'moved' | 'left' | 'out-of-scope' }[] = [];
    for (const pupilId of request.pupilIds) {
      if (!options.mayMove.has(pupilId)) {
        skipped.push({ pupilId, currentStaffId: null, reason: 'out-of-scope' });
        continue;
      }
      const outcome = await assignTutor(trx, {
        schoolId: request.schoolId,
        pupilId,
        staffId: request.toStaffId,
        reason: options.reason,
        createdBy: options.actorStaffId,
        now: options.now,
        expectedFromStaffId: request.fromStaffId,
      });
      if (outcome.outcome === 'assigned') moved.push(pupilId);
      else if (outcome.outcome === 'pupil-gone') skipped.push({ pupilId, currentStaffId: null, reason: 'left' });
      else if (outcome.outcome === 'changed-meanwhile') skipped.push({ pupilId, currentStaffId: outcome.currentStaffId, reason: 'moved' });
      else skipped.push({ pupilId, currentStaffId: request.toStaffId, reason: 'moved' });
    }
    await trx
      .updateTable('handover_request')
      .set({ moved_pupil_ids: moved, skipped_pupil_ids: skipped.map((entry) => entry.pupilId) })
      .where('id', '=', request.id)
      .execute();
    return { outcome: 'done' as const, moved, skipped };
  });
}
