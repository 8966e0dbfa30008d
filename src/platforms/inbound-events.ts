import type { CoreContext } from '../core-context.ts';
import type { ChatPlatform } from './chat-platform.ts';

/**
 * Platforms deliver some inbound events more than once (Slack resends an event it thinks we
 * missed, with the same event_id; Teams retries an activity after a slow or failed answer). Each
 * is claimed by its key before it is handled, so a copy is dropped on any instance; a claim whose
 * handling fails is released, so that a redelivery can try again. One rule for every platform,
 * on the app's clock (tests control it).
 */
export async function claimInboundEvent(core: CoreContext, platform: ChatPlatform, eventKey: string): Promise<boolean> {
  const inserted = await core.db
    .insertInto('inbound_event')
    .values({ platform, event_key: eventKey, received_at: core.now() })
    .onConflict((conflict) => conflict.columns(['platform', 'event_key']).doNothing())
    .returning('event_key')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function releaseInboundEvent(core: CoreContext, platform: ChatPlatform, eventKey: string): Promise<void> {
  await core.db.deleteFrom('inbound_event').where('platform', '=', platform).where('event_key', '=', eventKey).execute();
}

/**
 * Handles an event once: 'duplicate' when another copy was (or is being) handled; otherwise runs
 * `handle`, releasing the claim if it throws (and rethrowing).
 */
export async function handleInboundEventOnce(
  core: CoreContext,
  platform: ChatPlatform,
  eventKey: string,
  handle: () => Promise<void>,
): Promise<'handled' | 'duplicate'> {
  if (!(await claimInboundEvent(core, platform, eventKey))) return 'duplicate';
  try {
    await handle();
  } catch (error) {
    await releaseInboundEvent(core, platform, eventKey).catch(() => {});
    throw error;
  }
  return 'handled';
}

/** Platforms stop redelivering within minutes; a week of keys is ample. Other platforms' keys are left alone. */
export async function pruneInboundEvents(core: CoreContext, platform: ChatPlatform, olderThanDays = 7): Promise<number> {
  const result = await core.db
    .deleteFrom('inbound_event')
    .where('platform', '=', platform)
    .where('received_at', '<', new Date(core.now().getTime() - olderThanDays * 86_400_000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
