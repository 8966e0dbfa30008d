import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ImportProblems } from './import-problems.ts';
import { shorten } from './roster-cells.ts';
import type { RosterPupil } from './roster.ts';

/**
 * A UPN identifies one child nationally, and the database holds each one once per school. Before
 * pupils are written, the roster's UPNs that another pupil record already holds are sorted out:
 *
 * - held by a pupil the roster also lists (UPNs moving or swapped between two records, after a
 *   correction): the holder lets go first, so the unique index does not trip half-way;
 * - held by a pupil the roster does not list, and the roster's id is new: the same child under a
 *   new MIS id (a school moving from the CSV pair to OneRoster, or to a new MIS), so the existing
 *   record takes the new id and keeps its history instead of a duplicate starting afresh;
 * - otherwise two records claim one child: a problem for the school to resolve.
 */

export interface UpnPlan {
  release: string[];
  rekey: { from: string; to: string }[];
}

export async function planUpns(db: Kysely<DB>, schoolId: number, pupils: RosterPupil[], problems: ImportProblems): Promise<UpnPlan> {
  const plan: UpnPlan = { release: [], rekey: [] };
  const withUpn = pupils.filter((pupil) => pupil.upn !== null);
  if (withUpn.length === 0) return plan;
  const holders = await sql<{ holder: string; upn: string; source_id: string; known: boolean }>`
    SELECT p.source_id AS holder, p.upn, r.source_id,
      EXISTS (SELECT 1 FROM pupil q WHERE q.school_id = ${schoolId} AND q.source_id = r.source_id) AS known
    FROM unnest(${withUpn.map((pupil) => pupil.sourceId)}::text[], ${withUpn.map((pupil) => pupil.upn)}::text[]) AS r(source_id, upn)
    JOIN pupil p ON p.school_id = ${schoolId} AND p.upn = r.upn AND p.source_id <> r.source_id`.execute(db);
  if (holders.rows.length === 0) return plan;
  const inRoster = new Set(pupils.map((pupil) => pupil.sourceId));
  for (const row of holders.rows) {
    if (inRoster.has(row.holder)) plan.release.push(row.holder);
    else if (!row.known) plan.rekey.push({ from: row.holder, to: row.source_id });
    else {
      const pupil = withUpn.find((candidate) => candidate.sourceId === row.source_id)!;
      const at = pupil.origin
        ? `${pupil.origin.file} row ${pupil.origin.row}, column "${pupil.origin.columns.upn ?? 'upn'}"`
        : `pupil "${shorten(pupil.sourceId)}"`;
      problems.add(
        `${at}: the UPN "${shorten(row.upn)}" belongs to another pupil (id "${shorten(row.holder)}") who is not in this roster; correct the UPN, or if they are the same child, merge the two records in your MIS.`,
      );
    }
  }
  return plan;
}

/** Returns the source ids of the pupils that took a new id. */
export async function applyUpnPlan(db: Kysely<DB>, schoolId: number, plan: UpnPlan, now: Date): Promise<Set<string>> {
  if (plan.release.length > 0) {
    await sql`UPDATE pupil SET upn = NULL, updated_at = ${now}::timestamptz
      WHERE school_id = ${schoolId} AND source_id = ANY(${plan.release}::text[])`.execute(db);
  }
  if (plan.rekey.length > 0) {
    await sql`UPDATE pupil AS p SET source_id = r.to_id, updated_at = ${now}::timestamptz
      FROM unnest(${plan.rekey.map((pair) => pair.from)}::text[], ${plan.rekey.map((pair) => pair.to)}::text[]) AS r(from_id, to_id)
      WHERE p.school_id = ${schoolId} AND p.source_id = r.from_id`.execute(db);
  }
  return new Set(plan.rekey.map((pair) => pair.to));
}
