import type { Kysely } from 'kysely';
import type { CoreContext } from '../core-context.ts';
import type { DB } from '../db/schema.ts';

/**
 * Asking for a message to reach someone. The delivery row is the durable promise; its
 * idempotency key makes asking twice (a platform retry, a second instance, a restarted job)
 * a no-op. Call it after the transaction that created the subject has committed, or the fast
 * path will find nothing to send and the sweeper will send it a minute later instead.
 */
export const deliveryQueue = 'delivery';

export interface OutboundMessage {
  schoolId: number;
  staffId: number;
  kind: string;
  /** Ids only: the renderer reads the current state at send time. */
  subject: Record<string, unknown>;
  idempotencyKey: string;
  notBefore?: Date;
}

export async function enqueueDelivery(core: CoreContext, message: OutboundMessage): Promise<{ id: number | null; created: boolean }> {
  const id = await insertDelivery(core.db, core.now(), message);
  if (id === null) return { id: null, created: false };
  await kickDelivery(core, id, message.notBefore);
  return { id, created: true };
}

/**
 * The delivery row alone, for callers that queue messages inside their own transaction (so that
 * the subject and its messages commit together); the sweeper sends them once committed.
 * Returns the new id, or null when the idempotency key was already used.
 */
export async function insertDelivery(db: Kysely<DB>, now: Date, message: OutboundMessage): Promise<number | null> {
  const inserted = await db
    .insertInto('delivery')
    .values({
      school_id: message.schoolId,
      staff_id: message.staffId,
      kind: message.kind,
      subject: JSON.stringify(message.subject),
      idempotency_key: message.idempotencyKey,
      not_before: message.notBefore ?? now,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted ? inserted.id : null;
}

function kickJob(deliveryId: number, startAfter?: Date) {
  return { data: { deliveryId }, options: { startAfter, singletonKey: `delivery:${deliveryId}:${startAfter?.getTime() ?? 0}` } };
}

/** The fast path: a job to send now (or at notBefore). If it is lost, the sweeper still sends. */
export async function kickDelivery(core: CoreContext, deliveryId: number, startAfter?: Date): Promise<void> {
  const job = kickJob(deliveryId, startAfter);
  try {
    await core.queue.send(deliveryQueue, job.data, job.options);
  } catch (error) {
    core.log.warn('delivery_kick_failed', { deliveryId, error: (error as Error).message });
  }
}

/** Kicks many deliveries in a few statements (a feature's sweep); lost kicks are the sweeper's, as above. */
export async function kickDeliveries(core: CoreContext, ids: (number | null)[]): Promise<void> {
  // null: a delivery that was queued already (its idempotency key was taken), so kicked already.
  const deliveryIds = ids.filter((id): id is number => id !== null);
  if (deliveryIds.length === 0) return;
  try {
    await core.queue.sendMany(
      deliveryQueue,
      deliveryIds.map((id) => kickJob(id)),
    );
  } catch (error) {
    core.log.warn('delivery_kick_failed', { deliveries: deliveryIds.length, error: (error as Error).message });
  }
}
