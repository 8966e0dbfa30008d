import type { webApi } from '@slack/bolt';
import { findActorByEmail, findActorById, type Actor } from '../../src/actor.ts';
import { textReply, type Reply } from '../../src/reply.ts';
import type { App } from '../../src/app/boot.ts';

/**
 * Who is asking. The Slack workspace (team id, or enterprise id for an org-wide install) must be
 * linked to a school; the user is matched to an active staff record by the email Slack holds for
 * them (users.info, scope users:read.email). Answers are cached in platform_identity so that any
 * instance can use them: matches for a day, non-matches for ten minutes (someone just added to
 * the roster should not wait a day). Anyone unmatched gets a refusal and nothing else.
 */
export interface SlackUserRef {
  teamId?: string | null;
  enterpriseId?: string | null;
  isEnterpriseInstall?: boolean;
  userId: string;
}

export type SlackIdentity =
  | { ok: true; actor: Actor; workspaceId: string }
  | { ok: false; reason: 'unlinked' | 'not_staff' | 'lookup_failed'; reply: Reply };

export interface SlackIdentityOptions {
  matchTtlMs?: number;
  noMatchTtlMs?: number;
  /** How long this process trusts what it last read from the database (saves three queries a request). */
  localTtlMs?: number;
}

const platform = 'slack';

export class SlackIdentityResolver {
  readonly #app: App;
  readonly #client: webApi.WebClient;
  readonly #matchTtlMs: number;
  readonly #noMatchTtlMs: number;
  readonly #localTtlMs: number;
  readonly #local = new Map<string, { identity: SlackIdentity; until: number }>();

  constructor(app: App, client: webApi.WebClient, options: SlackIdentityOptions = {}) {
    this.#app = app;
    this.#client = client;
    this.#matchTtlMs = options.matchTtlMs ?? 24 * 3600_000;
    this.#noMatchTtlMs = options.noMatchTtlMs ?? 10 * 60_000;
    this.#localTtlMs = options.localTtlMs ?? 60_000;
  }

  async resolve(ref: SlackUserRef): Promise<SlackIdentity> {
    const workspaceId = (ref.isEnterpriseInstall ? ref.enterpriseId : ref.teamId) ?? ref.teamId ?? ref.enterpriseId ?? null;
    if (!workspaceId || !ref.userId) return refuse('not_staff');
    // A minute's memory of matches in this process: the database stays the shared truth, and
    // someone who leaves, or a workspace unlinked, is refused everywhere within a minute.
    const key = `${workspaceId}|${ref.teamId ?? ''}|${ref.enterpriseId ?? ''}|${ref.userId}`;
    const now = this.#app.core.now().getTime();
    const remembered = this.#local.get(key);
    if (remembered && remembered.until > now) return remembered.identity;
    const identity = await this.#resolve(ref, workspaceId);
    // Only matches: a refusal must lift as soon as the roster or the workspace link is fixed.
    if (identity.ok) {
      if (this.#local.size >= 5000) this.#local.clear();
      this.#local.set(key, { identity, until: now + this.#localTtlMs });
    }
    return identity;
  }

  async #resolve(ref: SlackUserRef, workspaceId: string): Promise<SlackIdentity> {
    const { core } = this.#app;
    const schoolId = await this.#schoolFor(ref, workspaceId);
    if (schoolId === null) {
      core.log.info('slack_workspace_unlinked', { workspaceId });
      return { ok: false, reason: 'unlinked', reply: unlinkedReply(workspaceId) };
    }
    const cached = await core.db
      .selectFrom('platform_identity')
      .select(['staff_id', 'school_id', 'fetched_at'])
      .where('platform', '=', platform)
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', ref.userId)
      .executeTakeFirst();
    if (cached && cached.school_id === schoolId) {
      const age = core.now().getTime() - new Date(cached.fetched_at).getTime();
      if (cached.staff_id === null && age < this.#noMatchTtlMs) return refuse('not_staff');
      if (cached.staff_id !== null && age < this.#matchTtlMs) {
        const actor = await findActorById(core.db, cached.staff_id);
        // A member of staff who left since is looked up again (and then refused).
        if (actor && actor.schoolId === schoolId) return { ok: true, actor, workspaceId };
      }
    }
    let email: string | null;
    try {
      email = await this.#emailOf(ref.userId);
    } catch (error) {
      core.log.warn('slack_identity_lookup_failed', { workspaceId, userId: ref.userId, error: (error as { code?: string }).code ?? 'unexpected' });
      // Slack being briefly unreachable should not lock out someone we already know.
      if (cached?.staff_id && cached.school_id === schoolId) {
        const actor = await findActorById(core.db, cached.staff_id);
        if (actor && actor.schoolId === schoolId) return { ok: true, actor, workspaceId };
      }
      return {
        ok: false,
        reason: 'lookup_failed',
        reply: textReply('Sorry, I could not check who you are with Slack just now. Please try again in a minute.'),
      };
    }
    const actor = email ? await findActorByEmail(core.db, schoolId, email) : null;
    await core.db
      .insertInto('platform_identity')
      .values({ platform, workspace_id: workspaceId, user_id: ref.userId, school_id: schoolId, staff_id: actor?.staffId ?? null, fetched_at: core.now() })
      .onConflict((conflict) =>
        conflict.columns(['platform', 'workspace_id', 'user_id']).doUpdateSet({ school_id: schoolId, staff_id: actor?.staffId ?? null, fetched_at: core.now() }),
      )
      .execute();
    if (!actor) {
      core.log.info('slack_user_not_staff', { workspaceId, userId: ref.userId, schoolId });
      return refuse('not_staff');
    }
    await this.#rememberAddress(actor, ref.userId, workspaceId);
    return { ok: true, actor, workspaceId };
  }

  /** The confirmed email Slack holds for this user, or null for bots, deactivated and unknown users. */
  async #emailOf(userId: string): Promise<string | null> {
    try {
      const result = await this.#client.users.info({ user: userId });
      const user = result.user;
      if (!user || user.deleted || user.is_bot || user.is_email_confirmed === false) return null;
      return user.profile?.email?.trim().toLowerCase() || null;
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error === 'user_not_found') return null;
      throw error;
    }
  }

  async #schoolFor(ref: SlackUserRef, workspaceId: string): Promise<number | null> {
    const { db } = this.#app.core;
    const candidates = [workspaceId, ref.teamId, ref.enterpriseId].filter((id): id is string => Boolean(id));
    const find = async () => {
      const links = await db
        .selectFrom('platform_link')
        .select(['external_id', 'school_id'])
        .where('platform', '=', platform)
        .where('external_id', 'in', candidates)
        .execute();
      for (const id of candidates) {
        const link = links.find((row) => row.external_id === id);
        if (link) return link.school_id;
      }
      return null;
    };
    const linked = await find();
    if (linked !== null) return linked;
    // A single-school install links itself to the first workspace that uses it. Once any
    // workspace is linked, another one needs an explicit `tutorbot link slack …`: a workspace we
    // never meant to serve must not reach pupil data by having staff-looking emails.
    const schools = await db.selectFrom('school').select('id').limit(2).execute();
    if (schools.length !== 1) return null;
    const anyLink = await db.selectFrom('platform_link').select('external_id').where('platform', '=', platform).limit(1).executeTakeFirst();
    if (anyLink) return null;
    await db
      .insertInto('platform_link')
      .values({ platform, external_id: workspaceId, school_id: schools[0].id })
      .onConflict((conflict) => conflict.columns(['platform', 'external_id']).doNothing())
      .execute();
    this.#app.core.log.info('slack_workspace_linked', { workspaceId, schoolId: schools[0].id });
    return find();
  }

  /** Where deliveries reach this person; when they become reachable, what waited for them is sent. */
  async #rememberAddress(actor: Actor, userId: string, workspaceId: string): Promise<void> {
    const { core } = this.#app;
    const existing = await core.db
      .selectFrom('conversation_ref')
      .select('address')
      .where('platform', '=', platform)
      .where('staff_id', '=', actor.staffId)
      .executeTakeFirst();
    const address = { userId, workspaceId };
    if (existing && existing.address.userId === userId && existing.address.workspaceId === workspaceId) return;
    await core.db
      .insertInto('conversation_ref')
      .values({ platform, staff_id: actor.staffId, school_id: actor.schoolId, address: JSON.stringify(address), updated_at: core.now() })
      .onConflict((conflict) => conflict.columns(['platform', 'staff_id']).doUpdateSet({ address: JSON.stringify(address), updated_at: core.now() }))
      .execute();
    if (!existing) {
      await this.#app.deliveries.flushFor(actor.staffId).catch((error) => {
        core.log.warn('slack_flush_failed', { staffId: actor.staffId, error: (error as Error).message });
      });
    }
  }
}

function refuse(reason: 'not_staff'): SlackIdentity {
  return { ok: false, reason, reply: notStaffReply };
}

const notStaffReply = textReply(
  'Sorry, tutorbot is only for staff of this school, and I could not match your Slack account to an active staff record. ' +
    'If you are on the staff, ask whoever looks after tutorbot to check that the email address on your Slack profile is the one in the school roster.',
);

function unlinkedReply(workspaceId: string): Reply {
  return textReply(
    `This Slack workspace is not linked to a school in tutorbot, so I cannot help here yet. ` +
      `An administrator can link it with: tutorbot link slack ${workspaceId} --school "School name"`,
  );
}
