import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/**
 * What is still open for a few named pupils (a handover's list, a leaver's tutees): counts only,
 * never note text. Safeguarding notes are never counted here: these counts go to tutors and heads
 * of house/year.
 */
export interface OpenItems {
  openConcerns: number;
  openTargets: number;
  targetsOverdue: number;
}

export async function openItemsForPupils(db: Kysely<DB>, schoolId: number, pupilIds: number[], today: string): Promise<Map<number, OpenItems>> {
  const result = new Map<number, OpenItems>(pupilIds.map((id) => [id, { openConcerns: 0, openTargets: 0, targetsOverdue: 0 }]));
  if (pupilIds.length === 0) return result;
  const concerns = await db
    .selectFrom('note')
    .select(['pupil_id', (eb) => eb.fn.countAll<number>().as('open')])
    .where('school_id', '=', schoolId)
    .where('pupil_id', 'in', pupilIds)
    .where('kind', '=', 'concern')
    .where('safeguarding', '=', false)
    .where('acknowledged_at', 'is', null)
    .groupBy('pupil_id')
    .execute();
  for (const row of concerns) result.get(row.pupil_id)!.openConcerns = Number(row.open);
  const targets = await sql<{ pupil_id: number; open: number; overdue: number }>`
    SELECT pupil_id, count(*)::int AS open, (count(*) FILTER (WHERE review_on < ${today}::date))::int AS overdue
      FROM target
     WHERE school_id = ${schoolId} AND status = 'open' AND pupil_id = ANY(${pupilIds}::int[])
     GROUP BY pupil_id`.execute(db);
  for (const row of targets.rows) {
    const items = result.get(row.pupil_id)!;
    items.openTargets = Number(row.open);
    items.targetsOverdue = Number(row.overdue);
  }
  return result;
}
