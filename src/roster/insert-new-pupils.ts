import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { unnestPupilBatch, type PupilBatch } from './pupil-batch.ts';

/**
 * A school's first import: it has no pupil rows yet, so there is nothing to match, compare, end
 * or deactivate. The batch's pupils and their tutor assignments go in with two plain INSERTs
 * chained in one statement, which spares the upsert's per-row costs (the ON CONFLICT arbiter
 * probe, the IS DISTINCT FROM comparison, the probes for a current assignment) and the round
 * trip that brings the new ids back to start the assignments.
 */
export async function insertNewPupils(db: Kysely<DB>, schoolId: number, batch: PupilBatch, now: Date): Promise<{ added: number; started: number }> {
  const result = await sql<{ added: number; started: number }>`
    WITH r AS (SELECT * FROM ${unnestPupilBatch(batch)}),
    p AS (
      INSERT INTO pupil (school_id, source_id, upn, given_name, family_name, preferred_name, date_of_birth, year_group,
        form, house, sen, eal, name_key, preferred_key, created_at, updated_at)
      SELECT ${schoolId}::int, source_id, upn, given_name, family_name, preferred_name, date_of_birth, year_group,
        form, house, sen, eal, name_key, preferred_key, ${now}::timestamptz, ${now}::timestamptz
      FROM r
      RETURNING id, source_id
    ),
    a AS (
      INSERT INTO tutor_assignment (school_id, pupil_id, staff_id, valid_from, reason)
      SELECT ${schoolId}::int, p.id, r.staff_id, ${now}::timestamptz, 'roster import'
      -- Matched in byte order: equality is the same, and the join's sorts skip the collation.
      FROM p JOIN r ON r.source_id COLLATE "C" = p.source_id COLLATE "C"
      WHERE r.staff_id IS NOT NULL
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM p)::int AS added, (SELECT count(*) FROM a)::int AS started`.execute(db);
  return result.rows[0];
}

/**
 * Whether the school has no pupil rows, decided under a lock on the school row so that a second
 * import of the same school waits for this one and then sees its pupils (and takes the upsert)
 * instead of failing on the unique index. NO KEY UPDATE leaves foreign-key checks (new notes,
 * meetings, assignments for the school) unblocked. The check is a statement of its own: under
 * READ COMMITTED it then reads with a snapshot taken after the wait, which sees the other
 * import's pupils; in the statement that waited, it would not.
 */
export async function schoolHasNoPupils(db: Kysely<DB>, schoolId: number): Promise<boolean> {
  await sql`SELECT 1 FROM school WHERE id = ${schoolId} FOR NO KEY UPDATE`.execute(db);
  const result = await sql<{ empty: boolean }>`SELECT NOT EXISTS (SELECT 1 FROM pupil WHERE school_id = ${schoolId}) AS empty`.execute(db);
  return result.rows[0].empty;
}
