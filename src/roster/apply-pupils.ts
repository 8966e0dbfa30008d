import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { insertNewPupils } from './insert-new-pupils.ts';
import { textArray, unnestPupilBatch, withTutors, type PreparedPupils, type PupilBatch } from './pupil-batch.ts';

/**
 * Pupils are written set-based, a batch of a few thousand rows per statement sent as arrays and
 * unnested by the server: a trust's 100,000 pupils take a few dozen statements, not 100,000. The
 * upsert's WHERE ... IS DISTINCT FROM skips rows that did not change, so a nightly re-import of
 * the same roster writes nothing and no updated_at moves.
 */

export interface PupilCounts {
  added: number;
  changed: number;
  deactivated: number;
  started: number;
  ended: number;
  tutorChanges: number;
}

const leftTheRoll = 'left the roll';

interface BatchRow {
  pupil_id: number;
  source_id: string | null;
  /** Set for rows the upsert wrote; null for the rows whose tutor differs from the roster's. */
  inserted: boolean | null;
  staff_id: number | null;
  current_staff_id: number | null;
}

/**
 * One statement upserts the batch and, in the same snapshot, finds the existing pupils whose
 * current tutor differs from the roster's, so an unchanged batch costs a single read-mostly
 * statement. New pupils come back from the upsert itself (the snapshot cannot see them yet).
 */
async function upsertBatch(db: Kysely<DB>, schoolId: number, batch: PupilBatch, now: Date, rekeyed: Set<string>, counts: PupilCounts): Promise<void> {
  const result = await sql<BatchRow>`
    WITH r AS (SELECT * FROM ${unnestPupilBatch(batch)}),
    up AS (
      INSERT INTO pupil AS p (school_id, source_id, upn, given_name, family_name, preferred_name, date_of_birth, year_group,
        form, house, sen, eal, name_key, preferred_key, created_at, updated_at)
      SELECT ${schoolId}::int, source_id, upn, given_name, family_name, preferred_name, date_of_birth, year_group,
        form, house, sen, eal, name_key, preferred_key, ${now}::timestamptz, ${now}::timestamptz
      FROM r
      ON CONFLICT (school_id, source_id) DO UPDATE SET upn = excluded.upn, given_name = excluded.given_name,
        family_name = excluded.family_name, preferred_name = excluded.preferred_name, date_of_birth = excluded.date_of_birth,
        year_group = excluded.year_group, form = excluded.form, house = excluded.house, sen = excluded.sen, eal = excluded.eal,
        name_key = excluded.name_key, preferred_key = excluded.preferred_key, active = true, updated_at = excluded.updated_at
      WHERE (p.upn, p.given_name, p.family_name, p.preferred_name, p.date_of_birth, p.year_group, p.form, p.house, p.sen, p.eal,
          p.name_key, p.preferred_key, p.active)
        IS DISTINCT FROM (excluded.upn, excluded.given_name, excluded.family_name, excluded.preferred_name, excluded.date_of_birth,
          excluded.year_group, excluded.form, excluded.house, excluded.sen, excluded.eal, excluded.name_key, excluded.preferred_key, true)
      RETURNING p.id, p.source_id, (p.xmax = 0) AS inserted
    )
    SELECT id AS pupil_id, source_id, inserted, NULL::int AS staff_id, NULL::int AS current_staff_id FROM up
    UNION ALL
    SELECT p.id, NULL, NULL, r.staff_id, a.staff_id
    FROM r
    -- LIMIT 1 keeps these lookups as index probes: a plain join may hash every pupil of the
    -- school for each batch, which grows with the school instead of with the batch.
    CROSS JOIN LATERAL (SELECT id FROM pupil WHERE school_id = ${schoolId} AND source_id = r.source_id LIMIT 1) p
    LEFT JOIN LATERAL (SELECT staff_id FROM tutor_assignment WHERE pupil_id = p.id AND valid_to IS NULL LIMIT 1) a ON true
    WHERE r.staff_id IS NOT NULL AND a.staff_id IS DISTINCT FROM r.staff_id`.execute(db);

  const end: number[] = [];
  const startPupils: number[] = [];
  const startStaff: number[] = [];
  for (const row of result.rows) {
    if (row.inserted === null) {
      if (row.current_staff_id !== null) end.push(row.pupil_id);
      startPupils.push(row.pupil_id);
      startStaff.push(row.staff_id!);
      continue;
    }
    if (!row.inserted) {
      // Counted already if it took a new id (below); a pupil changes once per import.
      if (!rekeyed.has(row.source_id!)) counts.changed += 1;
      continue;
    }
    counts.added += 1;
    const tutor = batch.tutorOf.get(row.source_id!) ?? null;
    if (tutor !== null) {
      startPupils.push(row.pupil_id);
      startStaff.push(tutor);
    }
  }
  // Ended before the new rows go in: a pupil has one current row (a unique index).
  if (end.length > 0) {
    await sql`UPDATE tutor_assignment SET valid_to = GREATEST(valid_from, ${now}::timestamptz)
      WHERE valid_to IS NULL AND pupil_id = ANY(${end}::int[])`.execute(db);
    counts.ended += end.length;
    counts.tutorChanges += end.length;
  }
  if (startPupils.length > 0) {
    await sql`INSERT INTO tutor_assignment (school_id, pupil_id, staff_id, valid_from, reason)
      SELECT ${schoolId}::int, pupil_id, staff_id, ${now}::timestamptz, 'roster import'
      FROM unnest(${startPupils}::int[], ${startStaff}::int[]) AS r(pupil_id, staff_id)`.execute(db);
    counts.started += startPupils.length;
  }
}

export async function writePupils(
  db: Kysely<DB>,
  schoolId: number,
  pupils: PreparedPupils[],
  tutorIds: Map<string, number>,
  options: {
    full: boolean;
    now: Date;
    rekeyed: Set<string>;
    /** The school has no pupil rows yet (see schoolHasNoPupils): plain inserts, nothing to deactivate. */
    firstImport: boolean;
    onBatch: (rows: number) => void;
  },
): Promise<PupilCounts> {
  const counts: PupilCounts = { added: 0, changed: options.rekeyed.size, deactivated: 0, started: 0, ended: 0, tutorChanges: 0 };
  const write = async (batch: PupilBatch): Promise<void> => {
    if (!options.firstImport) return upsertBatch(db, schoolId, batch, options.now, options.rekeyed, counts);
    const inserted = await insertNewPupils(db, schoolId, batch, options.now);
    counts.added += inserted.added;
    counts.started += inserted.started;
  };
  for (const prepared of pupils) {
    await write(withTutors(prepared, tutorIds));
    options.onBatch(prepared.size);
  }
  if (options.full && !options.firstImport) {
    await deactivateMissing(
      db,
      schoolId,
      pupils.flatMap((batch) => batch.sourceIds),
      options.now,
      counts,
    );
  }
  return counts;
}

async function deactivateMissing(db: Kysely<DB>, schoolId: number, sourceIds: string[], now: Date, counts: PupilCounts): Promise<void> {
  // The assignment is ended, not deleted (history), and the audit log says why, since the row's
  // own reason records why it began.
  const result = await sql<{ deactivated: number; ended: number }>`
    WITH gone AS (
      UPDATE pupil AS p SET active = false, updated_at = ${now}::timestamptz
      WHERE p.school_id = ${schoolId} AND p.active
        AND NOT EXISTS (SELECT 1 FROM unnest(${textArray(sourceIds)}::text[]) AS r(source_id) WHERE r.source_id = p.source_id)
      RETURNING p.id),
    ended AS (
      UPDATE tutor_assignment AS a SET valid_to = GREATEST(a.valid_from, ${now}::timestamptz)
      FROM gone WHERE a.pupil_id = gone.id AND a.valid_to IS NULL
      RETURNING a.id, a.pupil_id),
    audited AS (
      INSERT INTO audit_log (school_id, action, pupil_id, subject, channel, at)
      SELECT ${schoolId}::int, ${`tutor assignment ended: ${leftTheRoll}`}::text, ended.pupil_id, 'tutor_assignment:' || ended.id, 'roster import', ${now}::timestamptz
      FROM ended)
    SELECT (SELECT count(*) FROM gone)::int AS deactivated, (SELECT count(*) FROM ended)::int AS ended`.execute(db);
  counts.deactivated += result.rows[0].deactivated;
  counts.ended += result.rows[0].ended;
}
