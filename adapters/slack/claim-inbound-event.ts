import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

/**
 * Slack resends an event it thinks we missed (X-Slack-Retry-Num 1..3, same event_id), and Bolt
 * does not deduplicate. The first instance to insert the event id handles it; every later copy,
 * on any instance, is acknowledged and dropped.
 */
export async function claimInboundEvent(db: Kysely<DB>, eventKey: string): Promise<boolean> {
  const inserted = await db
    .insertInto('inbound_event')
    .values({ platform: 'slack', event_key: eventKey })
    .onConflict((conflict) => conflict.columns(['platform', 'event_key']).doNothing())
    .returning('event_key')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Slack stops retrying after about five minutes; a week of keys is ample. */
export async function pruneInboundEvents(db: Kysely<DB>, olderThanDays = 7): Promise<number> {
  const result = await db
    .deleteFrom('inbound_event')
    .where('platform', '=', 'slack')
    .where('received_at', '<', sql<Date>`now() - make_interval(days => ${olderThanDays})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
