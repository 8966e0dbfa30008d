import { sql, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.ts';
import { inArea, type PupilArea } from './pupil-area.ts';
import { pupilFactColumns, toPupilFacts, type PupilFacts } from '../pupils/pupil-summary.ts';

/**
 * Pupils for whom the "named tutor for every pupil" promise is broken: active pupils with no
 * current tutor_assignment row, or whose current tutor has left (is no longer active staff).
 */
export interface UnassignedPupil extends PupilFacts {
  /** The tutor who left, when the pupil still has one on record. */
  formerTutor: { staffId: number; name: string } | null;
}

function unassignedBase(db: Kysely<DB>, schoolId: number, area: PupilArea) {
  return db
    .selectFrom('pupil as p')
    .leftJoin('tutor_assignment as ta', (join) => join.onRef('ta.pupil_id', '=', 'p.id').on('ta.valid_to', 'is', null))
    .leftJoin('staff as s', 's.id', 'ta.staff_id')
    .where('p.school_id', '=', schoolId)
    .where('p.active', '=', true)
    .where(inArea(area, 'p'))
    .where(sql<SqlBool>`(ta.id IS NULL OR NOT s.active)`);
}

/**
 * How many pupils in the area have no (active) tutor. For the leads' weekly digest: include the
 * figure when it is not zero. `area` is 'school' or the lead's { years, houses } (leadArea(actor)).
 */
export async function unassignedCount(db: Kysely<DB>, schoolId: number, area: PupilArea): Promise<number> {
  const row = await unassignedBase(db, schoolId, area)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listUnassigned(db: Kysely<DB>, schoolId: number, area: PupilArea, limit: number): Promise<UnassignedPupil[]> {
  const rows = await unassignedBase(db, schoolId, area)
    .select([...pupilFactColumns, 's.id as former_id', 's.display_name as former_name'])
    .orderBy('p.year_group')
    .orderBy('p.form')
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .orderBy('p.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    ...toPupilFacts(row),
    formerTutor: row.former_id === null ? null : { staffId: row.former_id, name: row.former_name ?? '' },
  }));
}
