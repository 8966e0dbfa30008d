import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/**
 * Pupil and staff names are searched through GIN indexes, which take new entries into a pending
 * list that every search reads in full until it is merged: by VACUUM, or when the list outgrows
 * gin_pending_list_limit (4 MB). After an import the list holds everyone added, and on a large
 * shared database autovacuum may not come round for days (it waits for a fifth of the table to
 * change), so every "who tutors" would read it meanwhile: 10 ms instead of 1 at national scale.
 * The import merges the lists itself, in its own transaction.
 */
export async function mergeSearchIndexes(db: Kysely<DB>): Promise<void> {
  await sql`
    SELECT gin_clean_pending_list(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
    WHERE a.amname = 'gin' AND i.indrelid IN ('pupil'::regclass, 'staff'::regclass)`.execute(db);
}
