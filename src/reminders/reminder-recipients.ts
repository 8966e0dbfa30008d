import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** "Name <email>" of each recipient, by staff id, for the reminder dry run. */
export async function recipientLabels(db: Kysely<DB>, staffIds: number[]): Promise<Map<number, string>> {
  if (staffIds.length === 0) return new Map();
  const rows = await db.selectFrom('staff').select(['id', 'display_name', 'email']).where('id', 'in', staffIds).execute();
  return new Map(rows.map((row) => [row.id, `${row.display_name} <${row.email}>`]));
}
