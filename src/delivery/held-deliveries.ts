import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/**
 * Deliveries held as 'unreachable': no platform could reach the person when they were due (in
 * Teams: they have not installed the app). They are released (DeliveryService.flushFor) when a
 * platform learns where the person is.
 */
export async function hasHeldDeliveries(db: Kysely<DB>, staffId: number): Promise<boolean> {
  const row = await db.selectFrom('delivery').select('id').where('staff_id', '=', staffId).where('status', '=', 'unreachable').limit(1).executeTakeFirst();
  return row !== undefined;
}

export interface UnreachableStaff {
  staffId: number;
  name: string;
  email: string;
  waiting: number;
  oldest: Date;
  /** Why, as the platform said it for the latest held message (a deactivated account is not a missing install). */
  reason: string;
}

/** Active staff of the school with messages held for them, longest waiting first (`tutorbot unreachable`). */
export async function listUnreachableStaff(db: Kysely<DB>, schoolId: number): Promise<UnreachableStaff[]> {
  const rows = await db
    .selectFrom('delivery as d')
    .innerJoin('staff as s', 's.id', 'd.staff_id')
    .select([
      's.id',
      's.display_name',
      's.email',
      sql<string>`count(*)`.as('waiting'),
      sql<Date>`min(d.created_at)`.as('oldest'),
      sql<string | null>`(array_agg(d.last_error ORDER BY d.updated_at DESC))[1]`.as('reason'),
    ])
    .where('d.status', '=', 'unreachable')
    .where('s.active', '=', true)
    .where('d.school_id', '=', schoolId)
    .groupBy(['s.id', 's.display_name', 's.email'])
    .orderBy(sql`min(d.created_at)`)
    .orderBy('s.display_name')
    .execute();
  return rows.map((row) => ({
    staffId: row.id,
    name: row.display_name,
    email: row.email,
    waiting: Number(row.waiting),
    oldest: new Date(row.oldest),
    reason: row.reason ?? 'no platform can reach this person yet',
  }));
}
