import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** School names by id, for reports that span schools. */
export async function schoolNames(db: Kysely<DB>, schoolIds: number[]): Promise<Map<number, string>> {
  if (schoolIds.length === 0) return new Map();
  const rows = await db.selectFrom('school').select(['id', 'name']).where('id', 'in', schoolIds).orderBy('id').execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
