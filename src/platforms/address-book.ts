import { isDeepStrictEqual } from 'node:util';
import type { CoreContext } from '../core-context.ts';
import { hasHeldDeliveries } from '../delivery/held-deliveries.ts';
import type { ChatPlatform } from './chat-platform.ts';

/**
 * Where each platform reaches a member of staff outside a conversation (conversation_ref): a
 * Slack user id, a Teams 1:1 chat. Edges remember an address when a request shows where the
 * person is; messengers look it up to deliver. One rule releases held messages, whichever
 * platform learns the address:
 *
 * - a new or changed address is written, and deliveries held for the person ('unreachable') are
 *   released (DeliveryService.flushFor);
 * - an unchanged address writes nothing, unless messages are held for the person: then they are
 *   released too, since the person has just shown up there (Teams keeps the same chat id for
 *   someone who blocked the bot and unblocked it).
 */
export type StoredAddress = Record<string, unknown>;

export interface AddressOwner {
  staffId: number;
  schoolId: number;
}

export type RememberedAddress = 'new' | 'changed' | 'same';

/** The port a messenger gets to find (and learn) where someone is reached. */
export interface AddressBook {
  find(platform: ChatPlatform, staffId: number): Promise<StoredAddress | null>;
  /** The platform user id last matched to this person, for platforms that can address a user by id. */
  knownUserId(platform: ChatPlatform, staffId: number): Promise<string | null>;
  /**
   * Keeps `address` as where this platform reaches the person. `same` says whether a stored
   * address is this one (by the fields that make it usable; the default compares them all).
   */
  remember(platform: ChatPlatform, owner: AddressOwner, address: StoredAddress, same?: (stored: StoredAddress) => boolean): Promise<RememberedAddress>;
  /** Forgets the person's address if `matches` it (the app was removed there). */
  forget(platform: ChatPlatform, staffId: number, matches: (stored: StoredAddress) => boolean): Promise<boolean>;
}

/** What releases held messages: the delivery service. */
export interface HeldDeliveries {
  flushFor(staffId: number): Promise<number>;
}

export function createAddressBook(core: CoreContext, held: HeldDeliveries): AddressBook {
  async function find(platform: ChatPlatform, staffId: number): Promise<StoredAddress | null> {
    const row = await core.db
      .selectFrom('conversation_ref')
      .select('address')
      .where('platform', '=', platform)
      .where('staff_id', '=', staffId)
      .executeTakeFirst();
    const address: unknown = typeof row?.address === 'string' ? JSON.parse(row.address) : row?.address;
    return address && typeof address === 'object' && !Array.isArray(address) ? (address as StoredAddress) : null;
  }

  async function release(platform: ChatPlatform, staffId: number): Promise<void> {
    try {
      const released = await held.flushFor(staffId);
      if (released > 0) core.log.info('deliveries_released', { platform, staffId, count: released });
    } catch (error) {
      // The sweep sends them later; the request that taught us the address still gets its answer.
      core.log.warn('deliveries_release_failed', { platform, staffId, error: (error as Error)?.name ?? 'unknown' });
    }
  }

  return {
    find,
    async knownUserId(platform, staffId) {
      const seen = await core.db
        .selectFrom('platform_identity')
        .select('user_id')
        .where('platform', '=', platform)
        .where('staff_id', '=', staffId)
        .orderBy('fetched_at', 'desc')
        .executeTakeFirst();
      return seen?.user_id ?? null;
    },
    async remember(platform, owner, address, same = (stored) => sameFields(stored, address)) {
      const previous = await find(platform, owner.staffId);
      if (previous && same(previous)) {
        if (await hasHeldDeliveries(core.db, owner.staffId)) await release(platform, owner.staffId);
        return 'same';
      }
      const json = JSON.stringify(address);
      await core.db
        .insertInto('conversation_ref')
        .values({ platform, staff_id: owner.staffId, school_id: owner.schoolId, address: json, updated_at: core.now() })
        .onConflict((conflict) => conflict.columns(['platform', 'staff_id']).doUpdateSet({ address: json, school_id: owner.schoolId, updated_at: core.now() }))
        .execute();
      const state = previous ? 'changed' : 'new';
      core.log.info('address_stored', { platform, staffId: owner.staffId, state });
      await release(platform, owner.staffId);
      return state;
    },
    async forget(platform, staffId, matches) {
      const stored = await find(platform, staffId);
      if (!stored || !matches(stored)) return false;
      await core.db.deleteFrom('conversation_ref').where('platform', '=', platform).where('staff_id', '=', staffId).execute();
      return true;
    },
  };
}

function sameFields(stored: StoredAddress, address: StoredAddress): boolean {
  // Key order is not kept by jsonb.
  return isDeepStrictEqual(stored, JSON.parse(JSON.stringify(address)));
}
