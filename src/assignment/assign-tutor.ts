import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/**
 * Gives a pupil a new tutor, keeping history: the current row gets a valid_to and a new row starts,
 * in one transaction, with the pupil row locked so that two people assigning the same pupil at
 * once cannot both end the same row (the unique index on current rows would reject one anyway).
 */
export interface AssignTutorInput {
  schoolId: number;
  pupilId: number;
  staffId: number;
  reason: string;
  createdBy: number;
  now: Date;
  /**
   * Only move the pupil if their current tutor is still this one (a handover confirmed after a
   * preview). undefined: whoever the current tutor is.
   */
  expectedFromStaffId?: number | null;
}

export type AssignTutorOutcome =
  | { outcome: 'assigned'; assignmentId: number; previousStaffId: number | null }
  | { outcome: 'already' }
  | { outcome: 'changed-meanwhile'; currentStaffId: number | null }
  | { outcome: 'pupil-gone' };

export async function assignTutor(db: Kysely<DB>, input: AssignTutorInput): Promise<AssignTutorOutcome> {
  const work = (trx: Kysely<DB>) => assignInTransaction(trx, input);
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

async function assignInTransaction(trx: Kysely<DB>, input: AssignTutorInput): Promise<AssignTutorOutcome> {
  const pupil = await trx
    .selectFrom('pupil')
    .select(['id', 'active'])
    .where('id', '=', input.pupilId)
    .where('school_id', '=', input.schoolId)
    .forUpdate()
    .executeTakeFirst();
  if (!pupil || !pupil.active) return { outcome: 'pupil-gone' };
  const current = await trx
    .selectFrom('tutor_assignment')
    .select(['id', 'staff_id'])
    .where('pupil_id', '=', input.pupilId)
    .where('valid_to', 'is', null)
    .executeTakeFirst();
  const currentStaffId = current?.staff_id ?? null;
  if (input.expectedFromStaffId !== undefined && currentStaffId !== input.expectedFromStaffId) {
    return { outcome: 'changed-meanwhile', currentStaffId };
  }
  if (currentStaffId === input.staffId) return { outcome: 'already' };
  if (current) {
    await trx
      .updateTable('tutor_assignment')
      .set({ valid_to: sql`GREATEST(valid_from, ${input.now}::timestamptz)` })
      .where('id', '=', current.id)
      .execute();
  }
  const inserted = await trx
    .insertInto('tutor_assignment')
    .values({
      school_id: input.schoolId,
      pupil_id: input.pupilId,
      staff_id: input.staffId,
      // A clock behind the previous row's start would break valid_to >= valid_from; history stays ordered.
      valid_from: current ? sql`GREATEST(${input.now}::timestamptz, (SELECT valid_to FROM tutor_assignment WHERE id = ${current.id}))` : input.now,
      reason: input.reason,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { outcome: 'assigned', assignmentId: Number(inserted.id), previousStaffId: currentStaffId };
}
