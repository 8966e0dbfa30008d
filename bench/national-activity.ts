/**
 * A year of pastoral records on the national dataset (bench/national-dataset.ts): meetings,
 * concerns, praise, safeguarding notes and targets, written once with set-based SQL into tables
 * that are still empty. The caseload and weekly-digest benches both read them, so both see the
 * same data whichever runs first.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';

async function isEmpty(db: Kysely<DB>, table: 'meeting' | 'note' | 'target'): Promise<boolean> {
  const result = await sql<{ present: boolean }>`SELECT EXISTS (SELECT 1 FROM ${sql.table(table)}) AS present`.execute(db);
  return !result.rows[0].present;
}

/** A plausible year of pastoral records for every pupil, written once and reused by every bench. */
export async function ensureNationalActivity(db: Kysely<DB>, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  let wrote = false;
  // Each pupil's number within its school (the dataset's source_id 'p<n>'), so that every school
  // gets the same mix; pupil ids interleave schools, so id-based patterns would skew by school.
  const numbered = sql`(SELECT a.school_id, a.pupil_id, a.staff_id, substr(p.source_id, 2)::int AS n
                          FROM tutor_assignment a JOIN pupil p ON p.id = a.pupil_id WHERE a.valid_to IS NULL)`;
  if (await isEmpty(db, 'meeting')) {
    log('adding meetings (autumn for 80% of pupils, a second for 1 in 7, spring for 40%)');
    await sql`
      INSERT INTO meeting (school_id, pupil_id, staff_id, held_on, academic_year, term, notes, source)
      SELECT ta.school_id, ta.pupil_id, ta.staff_id, m.held_on, '2026-27', m.term, 'v1:bench', 'text'
        FROM ${numbered} ta
        CROSS JOIN LATERAL (VALUES
          (DATE '2026-10-05' + (ta.n % 40), 'autumn', ta.n % 10 < 8),
          (DATE '2026-11-16' + (ta.n % 20), 'autumn', ta.n % 7 = 0),
          (DATE '2027-01-11' + (ta.n % 20), 'spring', ta.n % 10 < 4)
        ) AS m(held_on, term, wanted)
       WHERE m.wanted`.execute(db);
    wrote = true;
  }
  if (await isEmpty(db, 'note')) {
    log('adding notes (concerns for 1 pupil in 4, half acknowledged; praise for 1 in 5; safeguarding for 1 in 97)');
    await sql`
      INSERT INTO note (school_id, pupil_id, author_staff_id, kind, safeguarding, body, source, created_at, acknowledged_at)
      SELECT ta.school_id, ta.pupil_id, ta.staff_id, n.kind, n.kind = 'safeguarding', 'v1:bench', 'text', n.at,
             CASE WHEN n.kind <> 'praise' AND ta.n % 8 < 4 THEN n.at + interval '1 day' END
        FROM ${numbered} ta
        CROSS JOIN LATERAL (VALUES
          ('concern', TIMESTAMPTZ '2026-09-10 10:00Z' + (ta.n % 150) * interval '1 day', ta.n % 4 = 0),
          ('praise', TIMESTAMPTZ '2026-09-15 10:00Z' + (ta.n % 140) * interval '1 day', ta.n % 5 = 0),
          ('safeguarding', TIMESTAMPTZ '2026-10-01 10:00Z' + (ta.n % 120) * interval '1 day', ta.n % 97 = 0)
        ) AS n(kind, at, wanted)
       WHERE n.wanted`.execute(db);
    wrote = true;
  }
  if (await isEmpty(db, 'target')) {
    log('adding targets (one for 1 pupil in 3, a quarter of them met)');
    await sql`
      INSERT INTO target (school_id, pupil_id, set_by, text, set_on, review_on, status, closed_on)
      SELECT ta.school_id, ta.pupil_id, ta.staff_id, 'v1:bench', DATE '2026-10-05', DATE '2026-12-01' + (ta.n % 120),
             CASE WHEN ta.n % 4 = 0 THEN 'met' ELSE 'open' END,
             CASE WHEN ta.n % 4 = 0 THEN DATE '2027-01-15' END
        FROM ${numbered} ta
       WHERE ta.n % 3 = 0`.execute(db);
    wrote = true;
  }
  if (wrote) {
    await sql`ANALYZE meeting`.execute(db);
    await sql`ANALYZE note`.execute(db);
    await sql`ANALYZE target`.execute(db);
    log(`pastoral records ready in ${Math.round((performance.now() - started) / 1000)} s`);
  }
}
