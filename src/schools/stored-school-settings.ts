import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** The settings a school has stored, as saved (unchecked: parseSchoolSettings checks them); {} when none. */
export async function storedSchoolSettings(db: Kysely<DB>, schoolId: number): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('school').select('settings').where('id', '=', schoolId).executeTakeFirstOrThrow();
  return (row.settings ?? {}) as Record<string, unknown>;
}
