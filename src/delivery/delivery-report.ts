import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { DeliveryStatus } from './delivery-tables.ts';

/**
 * What an admin sees of the outbound queue (`tutorbot deliveries`): counts by status and the
 * dead-letter list. Recipients are staff; no message text is stored, so none is shown.
 */
export interface FailedDelivery {
  id: number;
  kind: string;
  attempts: number;
  lastError: string | null;
  updatedAt: Date;
  recipientName: string;
  recipientEmail: string;
  timeZone: string;
}

export async function failedDeliveries(db: Kysely<DB>, options: { schoolId?: number; limit?: number } = {}): Promise<FailedDelivery[]> {
  let query = db
    .selectFrom('delivery as d')
    .innerJoin('staff as s', 's.id', 'd.staff_id')
    .innerJoin('school as sc', 'sc.id', 'd.school_id')
    .select(['d.id', 'd.kind', 'd.attempts', 'd.last_error', 'd.updated_at', 's.display_name', 's.email', 'sc.time_zone'])
    .where('d.status', '=', 'failed')
    .orderBy('d.updated_at', 'desc')
    .limit(options.limit ?? 200);
  if (options.schoolId !== undefined) query = query.where('d.school_id', '=', options.schoolId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    attempts: row.attempts,
    lastError: row.last_error,
    updatedAt: new Date(row.updated_at),
    recipientName: row.display_name,
    recipientEmail: row.email,
    timeZone: row.time_zone,
  }));
}

/** Of these ids, the ones that are not in the dead-letter list (unknown, sent or still queued). */
export async function idsNotFailed(db: Kysely<DB>, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const found = await db.selectFrom('delivery').select(['id', 'status']).where('id', 'in', ids).execute();
  return ids.filter((id) => !found.some((row) => Number(row.id) === id && row.status === 'failed'));
}

export async function deliveryStatusCounts(db: Kysely<DB>): Promise<{ status: DeliveryStatus; count: number }[]> {
  const rows = await db
    .selectFrom('delivery')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .orderBy('status')
    .execute();
  return rows.map((row) => ({ status: row.status, count: Number(row.n) }));
}
