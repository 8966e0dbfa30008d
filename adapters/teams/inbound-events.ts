import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

/**
 * Teams may deliver an activity more than once (a retry after a slow or failed answer). Each is
 * claimed by id in inbound_event before it is handled, so a redelivered form submission never logs
 * a concern twice, on any instance. A turn that fails releases its claim so a redelivery can retry.
 */
export async function claimInboundEvent(db: Kysely<DB>, eventKey: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('inbound_event')
    .values({ platform: 'teams', event_key: eventKey, received_at: now })
    .onConflict((conflict) => conflict.columns(['platform', 'event_key']).doNothing())
    .returning('event_key')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function releaseInboundEvent(db: Kysely<DB>, eventKey: string): Promise<void> {
  await db.deleteFrom('inbound_event').where('platform', '=', 'teams').where('event_key', '=', eventKey).execute();
}

/** Teams redelivers within minutes; a week of activity ids is ample. */
export async function pruneInboundEvents(db: Kysely<DB>, now: Date, olderThanDays = 7): Promise<number> {
  const result = await db
    .deleteFrom('inbound_event')
    .where('platform', '=', 'teams')
    .where('received_at', '<', new Date(now.getTime() - olderThanDays * 86_400_000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
