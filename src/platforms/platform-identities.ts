import { findActorByEmail, findActorById, type Actor } from '../staff/actor.ts';
import type { CoreContext } from '../core-context.ts';
import type { ChatPlatform } from './chat-platform.ts';
import { schoolForWorkspace, type WorkspaceRef } from './workspace-links.ts';

/**
 * Who a platform user is, for tutorbot: their workspace (or tenant) must be linked to a school,
 * and an address their platform holds for them (email, user principal name) must be an active
 * member of that school's staff. The edge supplies only how to ask its platform; the rules are
 * here, the same for every platform:
 *
 * - answers are cached in platform_identity so that any instance can use them: a match for a day,
 *   a non-match for ten minutes (someone just added to the roster should not wait a day);
 * - each process remembers matches (only) for a minute, which saves the queries of a request: the
 *   database stays the shared truth, and someone who leaves, or a workspace unlinked, is refused
 *   everywhere within a minute, while a refusal lifts as soon as the roster or the link is fixed;
 * - someone cached as staff who has left since is looked up again (and then refused);
 * - a platform briefly unable to answer does not lock out someone already known.
 */
export interface PlatformUserRef extends WorkspaceRef {
  userId: string;
  /**
   * Asks the platform for the addresses it holds for this user: [] for someone it does not know
   * (or a bot, or a deactivated account); throws when the platform cannot be asked just now.
   */
  lookUp: () => Promise<(string | null | undefined)[]>;
}

export type ResolvedUser =
  | { ok: true; actor: Actor; schoolId: number; workspaceId: string; fromMemory: boolean }
  | { ok: false; reason: 'unlinked' | 'not_staff' | 'lookup_failed'; cause?: unknown };

export interface PlatformIdentityOptions {
  matchTtlMs?: number;
  noMatchTtlMs?: number;
  localTtlMs?: number;
}

export const identityCacheLifetimes = { matchMs: 24 * 3600_000, noMatchMs: 10 * 60_000, localMs: 60_000 };

const localLimit = 5000;

export class PlatformIdentities {
  readonly #core: CoreContext;
  readonly #matchTtlMs: number;
  readonly #noMatchTtlMs: number;
  readonly #localTtlMs: number;
  readonly #local = new Map<string, { resolved: Extract<ResolvedUser, { ok: true }>; until: number }>();

  constructor(core: CoreContext, options: PlatformIdentityOptions = {}) {
    this.#core = core;
    this.#matchTtlMs = options.matchTtlMs ?? identityCacheLifetimes.matchMs;
    this.#noMatchTtlMs = options.noMatchTtlMs ?? identityCacheLifetimes.noMatchMs;
    this.#localTtlMs = options.localTtlMs ?? identityCacheLifetimes.localMs;
  }

  async resolve(ref: PlatformUserRef): Promise<ResolvedUser> {
    if (!ref.workspaceId || !ref.userId) return { ok: false, reason: 'not_staff' };
    const key = JSON.stringify([ref.platform, ref.workspaceId, ...(ref.alsoLinkedAs ?? []).map((id) => id ?? ''), ref.userId]);
    const now = this.#core.now().getTime();
    const remembered = this.#local.get(key);
    if (remembered && remembered.until > now) return { ...remembered.resolved, fromMemory: true };
    const resolved = await this.#resolve(ref);
    if (resolved.ok) {
      if (this.#local.size >= localLimit) this.#local.clear();
      this.#local.set(key, { resolved, until: now + this.#localTtlMs });
    }
    return resolved;
  }

  async #resolve(ref: PlatformUserRef): Promise<ResolvedUser> {
    const core = this.#core;
    const { platform, workspaceId, userId } = ref;
    const school = await schoolForWorkspace(core, ref);
    if (!school) return { ok: false, reason: 'unlinked' };
    const { schoolId } = school;
    const matched = (actor: Actor): ResolvedUser => ({ ok: true, actor, schoolId, workspaceId, fromMemory: false });
    const cached = await core.db
      .selectFrom('platform_identity')
      .select(['staff_id', 'school_id', 'fetched_at'])
      .where('platform', '=', platform)
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const cachedHere = cached && cached.school_id === schoolId ? cached : null;
    const knownActor = async () => {
      if (!cachedHere?.staff_id) return null;
      const actor = await findActorById(core.db, cachedHere.staff_id);
      return actor && actor.schoolId === schoolId ? actor : null;
    };
    if (cachedHere) {
      const age = core.now().getTime() - new Date(cachedHere.fetched_at).getTime();
      if (cachedHere.staff_id === null && age < this.#noMatchTtlMs) return { ok: false, reason: 'not_staff' };
      if (cachedHere.staff_id !== null && age < this.#matchTtlMs) {
        const actor = await knownActor();
        if (actor) return matched(actor);
      }
    }
    let addresses: string[];
    try {
      addresses = normaliseAddresses(await ref.lookUp());
    } catch (error) {
      const actor = await knownActor();
      core.log.warn('platform_identity_lookup_failed', { platform, workspaceId, userId, known: actor !== null, error: errorCode(error) });
      return actor ? matched(actor) : { ok: false, reason: 'lookup_failed', cause: error };
    }
    let actor: Actor | null = null;
    for (const address of addresses) {
      actor = await findActorByEmail(core.db, schoolId, address);
      if (actor) break;
    }
    const staffId = actor?.staffId ?? null;
    await core.db
      .insertInto('platform_identity')
      .values({ platform, workspace_id: workspaceId, user_id: userId, school_id: schoolId, staff_id: staffId, fetched_at: core.now() })
      .onConflict((conflict) =>
        conflict.columns(['platform', 'workspace_id', 'user_id']).doUpdateSet({ school_id: schoolId, staff_id: staffId, fetched_at: core.now() }),
      )
      .execute();
    if (!actor) {
      core.log.info('platform_user_not_staff', { platform, workspaceId, userId, schoolId, known: addresses.length > 0 });
      return { ok: false, reason: 'not_staff' };
    }
    return matched(actor);
  }
}

/** The member of staff tutorbot last matched to this platform user, if any (for events that carry no staff record, like an uninstall). */
export async function knownStaffId(core: CoreContext, user: { platform: ChatPlatform; workspaceId: string; userId: string }): Promise<number | null> {
  const row = await core.db
    .selectFrom('platform_identity')
    .select('staff_id')
    .where('platform', '=', user.platform)
    .where('workspace_id', '=', user.workspaceId)
    .where('user_id', '=', user.userId)
    .executeTakeFirst();
  return row?.staff_id ?? null;
}

/** Lower-cased, distinct, and only what can be an email address. */
function normaliseAddresses(values: (string | null | undefined)[]): string[] {
  const addresses = values.map((value) => (typeof value === 'string' ? value.trim().toLowerCase() : '')).filter((value) => value.includes('@'));
  return [...new Set(addresses)];
}

function errorCode(error: unknown): string {
  const typed = error as { code?: unknown; statusCode?: unknown } | null;
  if (typeof typed?.code === 'string') return typed.code;
  if (typeof typed?.statusCode === 'number') return `status_${typed.statusCode}`;
  return 'unexpected';
}
