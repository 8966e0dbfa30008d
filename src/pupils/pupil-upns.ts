import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** The pupil of the school with this UPN (any case), leavers included. */
export async function findPupilIdByUpn(db: Kysely<DB>, schoolId: number, upn: string): Promise<number | null> {
  const row = await db
    .selectFrom('pupil')
    .select('id')
    .where('school_id', '=', schoolId)
    .where(sql<string>`upper(upn)`, '=', upn.trim().toUpperCase())
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The UPNs of these pupils, by pupil id (null where the school gave none). */
export async function upnsOf(db: Kysely<DB>, pupilIds: number[]): Promise<Map<number, string | null>> {
  if (pupilIds.length === 0) return new Map();
  const rows = await db.selectFrom('pupil').select(['id', 'upn']).where('id', 'in', pupilIds).execute();
  return new Map(rows.map((row) => [row.id, row.upn]));
}
