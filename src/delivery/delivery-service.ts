import { sql } from 'kysely';
import { findActorById } from '../staff/actor.ts';
import { createAddressBook } from '../platforms/address-book.ts';
import { linkedPlatforms } from '../platforms/workspace-links.ts';
import type { CoreContext } from '../core-context.ts';
import type { DeliveryKind } from './delivery-kind.ts';
import type { PendingDelivery } from './delivery-renderer.ts';
import { DeliveryFailure, type Messenger, type MessengerAddress } from './messenger.ts';
import { kickDelivery } from './outbox.ts';
import { reserveSendSlot } from './send-pacer.ts';

/**
 * Sends queued deliveries exactly once. A delivery is claimed with a conditional UPDATE (so two
 * workers never both send it), rendered, sent through the first messenger that can reach the
 * person, and recorded. Failures back off (honouring Retry-After) and, after maxAttempts, land
 * in the dead-letter list (`tutorbot deliveries --failed`). People no platform can reach yet
 * stay queued as 'unreachable' until they install the app or message the bot.
 *
 * 'unreachable' is a statement about every platform the school is linked on, so only a process
 * that has a messenger for each of them may make it. A process with fewer (a console chat
 * started without the server's settings) hands a delivery it cannot send back to the queue,
 * attempt unspent, for one that can; it never parks another platform's message.
 */
export interface DeliveryServiceOptions {
  messengers: Messenger[];
  /** Every registered delivery kind (its renderer and retry rule), by kind. */
  kinds: ReadonlyMap<string, DeliveryKind>;
  maxAttempts?: number;
  /**
   * A 'sending' claim not renewed for this long is taken to be from a crashed worker. A live
   * worker renews its claim every third of this while it sends, so however slow a send is (rate
   * limits, a slow platform) its claim never goes stale under it.
   */
  staleClaimSeconds?: number;
  /** The longest a worker waits for its send slot; a later slot puts the delivery back until then. */
  paceMaxWaitMs?: number;
}

export type DeliveryOutcome = 'sent' | 'already-sent' | 'cancelled' | 'unreachable' | 'deferred' | 'paced' | 'retry' | 'failed' | 'not-claimed';

export interface DeliveryService {
  deliver(deliveryId: number): Promise<DeliveryOutcome>;
  /** Sends everything due that no job picked up (lost kicks, stale claims, unreachable people now reachable). */
  sweep(options?: { includeUnreachable?: boolean; limit?: number }): Promise<number>;
  /** Takes over the claims of crashed workers (run every few seconds, so a crash costs well under a minute). */
  recoverStaleClaims(): Promise<number>;
  /** Puts dead-lettered deliveries back in the queue. */
  retryFailed(ids?: number[]): Promise<number>;
  /** A person became reachable (installed the app): send what waited for them. */
  flushFor(staffId: number): Promise<number>;
}

export function createDeliveryService(core: CoreContext, options: DeliveryServiceOptions): DeliveryService {
  const maxAttempts = options.maxAttempts ?? 8;
  const staleClaimSeconds = options.staleClaimSeconds ?? 20;
  const deferSeconds = 30;
  const paceMaxWaitMs = options.paceMaxWaitMs ?? 2000;

  async function claim(deliveryId: number) {
    return core.db
      .updateTable('delivery')
      .set({ status: 'sending', attempts: sql`attempts + 1`, updated_at: core.now() })
      .where('id', '=', deliveryId)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', 'in', ['pending', 'unreachable']), eb('not_before', '<=', core.now())]),
          eb.and([eb('status', '=', 'sending'), eb('updated_at', '<', new Date(core.now().getTime() - staleClaimSeconds * 1000))]),
        ]),
      )
      .returning(['id', 'school_id', 'staff_id', 'kind', 'subject', 'attempts', 'status'])
      .executeTakeFirst();
  }

  async function settle(deliveryId: number, values: Record<string, unknown>) {
    await core.db
      .updateTable('delivery')
      .set({ ...values, updated_at: core.now() } as never)
      .where('id', '=', deliveryId)
      .execute();
  }

  // Messengers learn addresses through it; a newly learnt one releases what waited for the person.
  const addresses = createAddressBook(core, { flushFor: (staffId) => service.flushFor(staffId) });

  async function addressFor(staffId: number, schoolId: number, email: string): Promise<{ messenger: Messenger; address: MessengerAddress } | null> {
    for (const messenger of options.messengers) {
      const address = await messenger.resolveAddress(addresses, { staffId, schoolId, email });
      if (address) return { messenger, address };
    }
    return null;
  }

  /** Renews a claim while its worker is busy with it, so no other worker takes it for a crashed one's. */
  function holdClaim(deliveryId: number): () => void {
    const renew = setInterval(
      () => {
        core.db
          .updateTable('delivery')
          .set({ updated_at: core.now() })
          .where('id', '=', deliveryId)
          .where('status', '=', 'sending')
          .execute()
          .catch((error) => core.log.warn('delivery_claim_renew_failed', { deliveryId, error: (error as Error).message }));
      },
      Math.max(1000, (staleClaimSeconds * 1000) / 3),
    );
    renew.unref();
    return () => clearInterval(renew);
  }

  async function deliver(deliveryId: number): Promise<DeliveryOutcome> {
    const previous = await core.db.selectFrom('delivery').select(['status']).where('id', '=', deliveryId).executeTakeFirst();
    const claimed = await claim(deliveryId);
    if (!claimed) return previous?.status === 'sent' ? 'already-sent' : 'not-claimed';
    const release = holdClaim(claimed.id);
    try {
      // A claim after a spent attempt may follow a send whose outcome was never recorded: a stale
      // claim (its worker died mid-send), or a takeover whose look for the message failed (a 5xx
      // from Slack) and went back to the queue. (Paced and rate-limited claims give their attempt
      // back, so a first claim counts 1.)
      return await deliverClaimed(claimed, previous?.status === 'sending' || claimed.attempts > 1);
    } finally {
      release();
    }
  }

  /**
   * `recovering`: this claim follows a spent attempt (a crashed worker's claim, or a failed send).
   * Its message has waited its turn already, so it jumps the send queue instead of going to the
   * back of whatever backlog built up meanwhile. (A rate limit gives its attempt back: a message
   * the platform asked us to hold never jumps.)
   */
  async function deliverClaimed(claimed: NonNullable<Awaited<ReturnType<typeof claim>>>, recovering: boolean): Promise<DeliveryOutcome> {
    // (recovering) A stale claim means a worker died mid-send: ask the platform, where it can
    // tell, whether the message arrived before sending it again.
    const delivery: PendingDelivery = {
      id: claimed.id,
      schoolId: claimed.school_id,
      staffId: claimed.staff_id,
      kind: claimed.kind,
      subject: claimed.subject as Record<string, unknown>,
      attempts: claimed.attempts,
    };
    const recipient = await findActorById(core.db, delivery.staffId);
    const kind = options.kinds.get(delivery.kind);
    if (!recipient || !kind) {
      await settle(delivery.id, { status: 'cancelled', last_error: recipient ? `no renderer for ${delivery.kind}` : 'recipient inactive' });
      core.log.warn('delivery_cancelled', { deliveryId: delivery.id, kind: delivery.kind, reason: recipient ? 'no_renderer' : 'recipient_inactive' });
      return 'cancelled';
    }
    try {
      // Inside the try: a failed look-up (a 500 from users.lookupByEmail) is retried like a failed send.
      const target = await addressFor(recipient.staffId, recipient.schoolId, recipient.email);
      if (!target) {
        const missing = await platformsWithoutMessenger(delivery.schoolId);
        if (missing.length > 0) return defer(delivery, missing);
        const why = options.messengers.flatMap((messenger) => (messenger.notFoundMeans ? [messenger.notFoundMeans] : []));
        await settle(delivery.id, { status: 'unreachable', last_error: ['no platform can reach this person yet', ...why].join(': ') });
        core.log.info('delivery_unreachable', { deliveryId: delivery.id, staffId: delivery.staffId });
        return 'unreachable';
      }
      if (recovering && target.messenger.findSent) {
        const found = await target.messenger.findSent(target.address, { deliveryId: delivery.id });
        if (found) {
          await settle(delivery.id, { status: 'sent', platform: target.messenger.platform, sent_ref: JSON.stringify(found.ref), sent_at: core.now() });
          return 'already-sent';
        }
      }
      const message = await kind.render(core, delivery, recipient);
      if (!message) {
        await settle(delivery.id, { status: 'cancelled', last_error: null });
        return 'cancelled';
      }
      const pace = target.messenger.pace?.(target.address);
      if (pace) {
        const slot = await reserveSendSlot(core, target.messenger.platform, pace, paceMaxWaitMs, { jumpQueue: recovering });
        if (slot.kind === 'full') {
          core.log.info('delivery_paced', {
            deliveryId: delivery.id,
            platform: target.messenger.platform,
            retryInMs: slot.nextFree.getTime() - core.now().getTime(),
          });
          return putBack(delivery, slot.nextFree, 'paced', `paced: ${target.messenger.platform}'s send rate is taken up until then`);
        }
        const wait = slot.at.getTime() - core.now().getTime();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const sent = await target.messenger.send(target.address, message, { deliveryId: delivery.id });
      await settle(delivery.id, {
        status: 'sent',
        platform: target.messenger.platform,
        sent_ref: JSON.stringify(sent.ref),
        sent_at: core.now(),
        last_error: null,
      });
      core.log.info('delivery_sent', { deliveryId: delivery.id, kind: delivery.kind, staffId: delivery.staffId, platform: target.messenger.platform });
      return 'sent';
    } catch (error) {
      return fail(delivery, kind, error);
    }
  }

  /** The platforms the school is linked on that this process cannot send through. */
  async function platformsWithoutMessenger(schoolId: number): Promise<string[]> {
    const here = new Set<string>(options.messengers.map((messenger) => messenger.platform));
    return (await linkedPlatforms(core.db, schoolId)).filter((platform) => !here.has(platform));
  }

  /**
   * Gives the delivery back, attempt unspent, for a process that has the missing platforms; a
   * little later, so this one does not claim it again at once (its own sweep runs every minute).
   */
  async function defer(delivery: PendingDelivery, missing: string[]): Promise<DeliveryOutcome> {
    const notBefore = new Date(core.now().getTime() + deferSeconds * 1000);
    core.log.info('delivery_deferred', { deliveryId: delivery.id, missing: missing.join(',') });
    return putBack(delivery, notBefore, 'deferred', `waiting for a process that can send through ${missing.join(' and ')}`);
  }

  /** Puts a claimed delivery back in the queue until `notBefore`, attempt unspent: nothing failed. */
  async function putBack(delivery: PendingDelivery, notBefore: Date, outcome: 'paced' | 'deferred', why: string): Promise<DeliveryOutcome> {
    await settle(delivery.id, { status: 'pending', attempts: Math.max(0, delivery.attempts - 1), not_before: notBefore, last_error: why });
    await kickDelivery(core, delivery.id, notBefore);
    return outcome;
  }

  async function fail(delivery: PendingDelivery, kind: DeliveryKind, error: unknown): Promise<DeliveryOutcome> {
    const failure = error instanceof DeliveryFailure ? error : null;
    const reason = failure ? failure.message : `unexpected: ${(error as Error)?.message ?? String(error)}`;
    if (failure?.unreachable) {
      await settle(delivery.id, { status: 'unreachable', last_error: reason });
      return 'unreachable';
    }
    const retryable = failure ? failure.retryable : true;
    // A rate limit is the platform asking us to wait, not a failed attempt: it gives the attempt
    // back, so it never dead-letters.
    const rateLimited = failure?.retryable === true && failure.retryAfterSeconds !== null;
    if (!rateLimited && (!retryable || delivery.attempts >= maxAttempts)) {
      await settle(delivery.id, { status: 'failed', last_error: reason });
      core.log.error('delivery_dead_lettered', { deliveryId: delivery.id, attempts: delivery.attempts });
      return 'failed';
    }
    // Exponential backoff with jitter, unless the platform said exactly when to come back.
    const backoffSeconds = failure?.retryAfterSeconds ?? Math.min(3600, 2 ** delivery.attempts * 2) * (0.75 + Math.random() * 0.5);
    const proposed = new Date(core.now().getTime() + backoffSeconds * 1000);
    // The kind's own rule may hold the retry back (e.g. to the hours it was planned for).
    const notBefore = kind.retryAt ? await kind.retryAt(core, delivery, proposed) : proposed;
    const attempts = rateLimited ? { attempts: Math.max(0, delivery.attempts - 1) } : {};
    await settle(delivery.id, { status: 'pending', not_before: notBefore, last_error: reason, ...attempts });
    await kickDelivery(core, delivery.id, notBefore);
    core.log.warn(rateLimited ? 'delivery_rate_limited' : 'delivery_retry', {
      deliveryId: delivery.id,
      attempts: delivery.attempts,
      error: reason.slice(0, 200),
      retryInSeconds: Math.round((notBefore.getTime() - core.now().getTime()) / 1000),
    });
    return 'retry';
  }

  const service: DeliveryService = {
    deliver,
    async sweep({ includeUnreachable = false, limit = 500 } = {}) {
      const statuses = includeUnreachable ? ['pending', 'sending', 'unreachable'] : ['pending', 'sending'];
      const due = await core.db
        .selectFrom('delivery')
        .select('id')
        .where('status', 'in', statuses as never)
        .where('not_before', '<=', core.now())
        .orderBy('id')
        .limit(limit)
        .execute();
      let sent = 0;
      for (const { id } of due) if ((await deliver(id)) === 'sent') sent += 1;
      return sent;
    },
    async recoverStaleClaims() {
      const stale = await core.db
        .selectFrom('delivery')
        .select('id')
        .where('status', '=', 'sending')
        .where('updated_at', '<', new Date(core.now().getTime() - staleClaimSeconds * 1000))
        .orderBy('id')
        .limit(500)
        .execute();
      let sent = 0;
      for (const { id } of stale) if ((await deliver(id)) === 'sent') sent += 1;
      if (stale.length > 0) core.log.info('delivery_stale_claims_recovered', { claims: stale.length, sent });
      return sent;
    },
    async retryFailed(ids) {
      let query = core.db
        .updateTable('delivery')
        .set({ status: 'pending', attempts: 0, not_before: core.now(), updated_at: core.now() })
        .where('status', '=', 'failed');
      if (ids && ids.length > 0) query = query.where('id', 'in', ids);
      const rows = await query.returning('id').execute();
      for (const row of rows) await kickDelivery(core, row.id);
      return rows.length;
    },
    async flushFor(staffId) {
      const rows = await core.db
        .updateTable('delivery')
        .set({ status: 'pending', not_before: core.now(), updated_at: core.now() })
        .where('staff_id', '=', staffId)
        .where('status', '=', 'unreachable')
        .returning('id')
        .execute();
      for (const row of rows) await kickDelivery(core, row.id);
      return rows.length;
    },
  };
  return service;
}
