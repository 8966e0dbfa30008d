import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** Whether the database answers a query (the server's /healthz). */
export async function databaseAnswers(db: Kysely<DB>): Promise<boolean> {
  try {
    await db.selectFrom('school').select('id').limit(1).execute();
    return true;
  } catch {
    return false;
  }
}
