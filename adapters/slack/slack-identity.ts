import type { webApi } from '@slack/bolt';
import type { Actor } from '../../src/staff/actor.ts';
import type { App } from '../../src/app/boot.ts';
import { createAddressBook, PlatformIdentities, type AddressBook, type PlatformIdentityOptions } from '../../src/platforms/index.ts';
import { textReply, type Reply } from '../../src/reply.ts';

/**
 * Who is asking, in Slack. The rules (workspace links, the identity cache, who counts as staff)
 * are the core's (src/platforms); this edge says which ids name the workspace and asks Slack for
 * the user's confirmed email (users.info, scope users:read.email). Anyone unmatched gets a
 * refusal and nothing else.
 */
export interface SlackUserRef {
  teamId?: string | null;
  enterpriseId?: string | null;
  isEnterpriseInstall?: boolean;
  userId: string;
}

export type SlackIdentity = { ok: true; actor: Actor; workspaceId: string } | { ok: false; reason: 'unlinked' | 'not_staff' | 'lookup_failed'; reply: Reply };

export type SlackIdentityOptions = PlatformIdentityOptions;

export class SlackIdentityResolver {
  readonly #client: webApi.WebClient;
  readonly #identities: PlatformIdentities;
  readonly #addresses: AddressBook;

  constructor(app: App, client: webApi.WebClient, options: SlackIdentityOptions = {}) {
    this.#client = client;
    this.#identities = new PlatformIdentities(app.core, options);
    this.#addresses = createAddressBook(app.core, app.deliveries);
  }

  async resolve(ref: SlackUserRef): Promise<SlackIdentity> {
    // An org-wide install is linked by its enterprise id; a workspace install by its team id.
    const workspaceId = (ref.isEnterpriseInstall ? ref.enterpriseId : ref.teamId) ?? ref.teamId ?? ref.enterpriseId ?? null;
    if (!workspaceId || !ref.userId) return refuse('not_staff');
    const resolved = await this.#identities.resolve({
      platform: 'slack',
      workspaceId,
      alsoLinkedAs: [ref.teamId, ref.enterpriseId],
      userId: ref.userId,
      lookUp: async () => [await this.#emailOf(ref.userId)],
    });
    if (!resolved.ok) {
      if (resolved.reason === 'unlinked') return { ok: false, reason: 'unlinked', reply: unlinkedReply(workspaceId) };
      if (resolved.reason === 'lookup_failed') return { ok: false, reason: 'lookup_failed', reply: lookupFailedReply };
      return refuse('not_staff');
    }
    // A Slack user id is the address; what waited for the person goes out once it is known.
    if (!resolved.fromMemory) {
      const address = { userId: ref.userId, workspaceId };
      await this.#addresses.remember('slack', resolved.actor, address, (stored) => stored.userId === ref.userId && stored.workspaceId === workspaceId);
    }
    return { ok: true, actor: resolved.actor, workspaceId };
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
}

function refuse(reason: 'not_staff'): SlackIdentity {
  return { ok: false, reason, reply: notStaffReply };
}

const notStaffReply = textReply(
  'Sorry, tutorbot is only for staff of this school, and I could not match your Slack account to an active staff record. ' +
    'If you are on the staff, ask whoever looks after tutorbot to check that the email address on your Slack profile is the one in the school roster.',
);

const lookupFailedReply = textReply('Sorry, I could not check who you are with Slack just now. Please try again in a minute.');

function unlinkedReply(workspaceId: string): Reply {
  return textReply(
    `This Slack workspace is not linked to a school in tutorbot, so I cannot help here yet. ` +
      `An administrator can link it with: tutorbot link slack ${workspaceId} --school "School name"`,
  );
}
