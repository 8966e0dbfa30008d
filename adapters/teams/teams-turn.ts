import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Actor, RequestOrigin } from '../../src/staff/actor.ts';
import type { TeamsConfig } from '../../src/config.ts';
import type { Reply } from '../../src/reply.ts';
import type { App } from '../../src/app/boot.ts';
import type { AddressBook, PlatformIdentities } from '../../src/platforms/index.ts';
import { loadSchoolSettings } from '../../src/schools/load-school-times.ts';
import { ConnectorError, type BotConnectorClient } from './bot-connector-client.ts';
import { loadTeamsAddress, saveTeamsAddress, teamsAddress, type TeamsAddress } from './conversation-refs.ts';
import { cardMessage, formOf, renderCard, renderMessage, textMessage, type AdaptiveCard } from './render-adaptive-card.ts';
import { activityLogFields, surfaceOf, tenantOf } from './teams-activity.ts';
import { resolveTeamsUser, type TeamsMember } from './teams-identity.ts';

/**
 * One incoming activity from a member of staff: who they are, where they are (their 1:1 chat or a
 * shared channel / group chat), and how an answer reaches them. Anything about a pupil goes only
 * to the asker's 1:1 chat; a channel sees at most the reply's channel-safe part and a short note.
 */
export interface TeamsEdgeDeps {
  app: App;
  config: TeamsConfig;
  connector: BotConnectorClient;
  identities: PlatformIdentities;
  addresses: AddressBook;
}

export const refusals = {
  notLinked: (tenantId: string | null) =>
    tenantId
      ? `tutorbot is not set up for your organisation yet. A tutorbot administrator can link it to your school with: tutorbot link teams ${tenantId} --school "<school>"`
      : 'tutorbot could not tell which organisation this message came from, so it cannot answer it.',
  notStaff:
    'Sorry, I can only help members of staff at a school that uses tutorbot, and I could not match your Teams account to a staff record. ' +
    'If you are on the staff, ask your tutorbot administrator to check that your work email address is in the roster.',
  lookupFailed: 'Sorry, I could not check who you are just now. Please try again in a minute.',
};

export const privateNotes = {
  details: 'I’ve sent you the details in a private chat.',
  form: 'I’ve sent you the form in a private chat.',
  unreachable:
    'I couldn’t send you the details in a private chat, so I’ve kept them out of this conversation. ' + 'Open tutorbot from Apps in Teams, then ask me there.',
};

/** The 'pupil' replies and every form go to the asker alone: a form's answers are about a pupil too. */
export function isPrivateReply(reply: Reply): boolean {
  return reply.privacy === 'pupil' || formOf(reply) !== null;
}

export type CardOutcome = { kind: 'card'; card: AdaptiveCard; updated: boolean } | { kind: 'message'; text: string };

export class TeamsTurn {
  readonly context: TurnContext;
  readonly deps: TeamsEdgeDeps;
  readonly actor: Actor;
  readonly tenantId: string;
  readonly surface: 'direct' | 'shared';

  constructor(context: TurnContext, deps: TeamsEdgeDeps, actor: Actor, tenantId: string) {
    this.context = context;
    this.deps = deps;
    this.actor = actor;
    this.tenantId = tenantId;
    this.surface = surfaceOf(context.activity);
  }

  get channel(): RequestOrigin {
    return { platform: 'teams', conversation: this.surface };
  }

  /**
   * Resolves the sender to a member of staff, or says why not (the caller decides how to show
   * it: a message, an invoke answer, or nothing). In a 1:1 chat the conversation is remembered
   * so that messages can reach the person later.
   */
  static async open(context: TurnContext, deps: TeamsEdgeDeps, options: { remember?: boolean } = {}): Promise<{ turn: TeamsTurn } | { refusal: string }> {
    const { core } = deps.app;
    const activity = context.activity;
    const tenantId = tenantOf(activity);
    if (!tenantId) {
      core.log.warn('teams_tenant_not_linked', activityLogFields(activity));
      return { refusal: refusals.notLinked(tenantId) };
    }
    const userId = activity.from.id;
    const resolved = await resolveTeamsUser(deps.identities, { tenantId, userId, config: deps.config, fetchMember: () => fetchMember(context, userId) });
    if (!resolved.ok) {
      if (resolved.reason === 'unlinked') {
        core.log.warn('teams_tenant_not_linked', activityLogFields(activity));
        return { refusal: refusals.notLinked(tenantId) };
      }
      if (resolved.reason === 'lookup_failed') {
        core.log.warn('teams_member_lookup_failed', {
          ...activityLogFields(activity),
          status: (resolved.cause as { statusCode?: number } | undefined)?.statusCode ?? null,
        });
        return { refusal: refusals.lookupFailed };
      }
      return { refusal: refusals.notStaff };
    }
    const { actor } = resolved;
    const turn = new TeamsTurn(context, deps, actor, tenantId);
    if (turn.surface === 'direct' && options.remember !== false) await turn.rememberPersonalChat();
    return { turn };
  }

  /**
   * Keeps this 1:1 chat as the way to reach the person; the address book releases what waited for
   * them (src/platforms/address-book.ts: a new or moved chat, or messages held for them).
   */
  async rememberPersonalChat(): Promise<void> {
    const activity = this.context.activity;
    const address = teamsAddress({
      serviceUrl: activity.serviceUrl,
      tenantId: this.tenantId,
      conversationId: activity.conversation.id,
      channelId: activity.channelId,
      bot: { id: activity.recipient.id },
      user: { id: activity.from.id, aadObjectId: activity.from.aadObjectId },
      locale: activity.locale,
    });
    await this.#store(address);
  }

  async #store(address: TeamsAddress): Promise<void> {
    await saveTeamsAddress(this.deps.addresses, this.actor, address);
  }

  /**
   * Answers in this conversation. In a shared one every answer goes to the asker's 1:1 chat (even
   * a refusal can repeat the name they typed) and the channel sees only a note; a school that
   * turns on teamsChannelCards lets the channel see the short pupil card as well.
   */
  async respond(reply: Reply): Promise<void> {
    if (this.surface === 'direct') {
      await this.context.sendActivity(renderMessage(reply));
      return;
    }
    const sent = await this.sendPrivately(reply);
    const note = sent ? (formOf(reply) ? privateNotes.form : privateNotes.details) : privateNotes.unreachable;
    const settings = await loadSchoolSettings(this.deps.app.core.db, this.actor.schoolId);
    const safe =
      settings.teamsChannelCards && reply.channelSafe && reply.channelSafe.privacy === 'none' && !formOf(reply.channelSafe) ? reply.channelSafe.blocks : [];
    await this.context.sendActivity(renderMessage({ text: note, blocks: [...safe, { type: 'text', text: note }], privacy: 'none' }));
  }

  /**
   * The answer to a button or a form on a card: it replaces the card (PUT activity) where the
   * card is the asker's own; a form in the answer opens as a new message so the card stays; in a
   * shared conversation pupil details go privately and the channel card is left as it was.
   */
  async answerInPlace(reply: Reply, replyToId: string | undefined): Promise<CardOutcome> {
    if (this.surface === 'shared') {
      const sent = await this.sendPrivately(reply);
      return { kind: 'message', text: sent ? (formOf(reply) ? privateNotes.form : privateNotes.details) : privateNotes.unreachable };
    }
    if (formOf(reply)) {
      await this.context.sendActivity(renderMessage(reply));
      return { kind: 'message', text: 'I’ve opened the form below.' };
    }
    const card = renderCard(reply);
    if (!replyToId) return { kind: 'card', card, updated: false };
    await this.context.updateActivity({ ...cardMessage(card), id: replyToId });
    return { kind: 'card', card, updated: true };
  }

  /** Sends a reply to the asker's 1:1 chat, opening it if needed. False when they cannot be reached. */
  async sendPrivately(reply: Reply): Promise<boolean> {
    const { core } = this.deps.app;
    const stored = await loadTeamsAddress(this.deps.addresses, this.actor.staffId);
    const message = renderMessage(reply);
    if (stored) {
      try {
        await this.deps.connector.sendToConversation(stored.serviceUrl, stored.conversationId, message);
        return true;
      } catch (error) {
        core.log.warn('teams_private_send_failed', { staffId: this.actor.staffId, status: statusOf(error), stored: true });
        if (![403, 404].includes(statusOf(error))) return false;
      }
    }
    const opened = await this.#openPersonalChat();
    if (!opened) return false;
    try {
      await this.deps.connector.sendToConversation(opened.serviceUrl, opened.conversationId, message);
      return true;
    } catch (error) {
      core.log.warn('teams_private_send_failed', { staffId: this.actor.staffId, status: statusOf(error), stored: false });
      return false;
    }
  }

  async #openPersonalChat(): Promise<TeamsAddress | null> {
    const activity = this.context.activity;
    try {
      const { id } = await this.deps.connector.createPersonalConversation(activity.serviceUrl, {
        botId: activity.recipient.id,
        userId: activity.from.id,
        tenantId: this.tenantId,
      });
      const address = teamsAddress({
        serviceUrl: activity.serviceUrl,
        tenantId: this.tenantId,
        conversationId: id,
        channelId: activity.channelId,
        bot: { id: activity.recipient.id },
        user: { id: activity.from.id, aadObjectId: activity.from.aadObjectId },
      });
      await this.#store(address);
      return address;
    } catch (error) {
      this.deps.app.core.log.warn('teams_open_chat_failed', { staffId: this.actor.staffId, status: statusOf(error) });
      return null;
    }
  }

  async sendText(text: string): Promise<void> {
    await this.context.sendActivity(textMessage(text));
  }
}

function statusOf(error: unknown): number {
  return error instanceof ConnectorError ? error.status : -1;
}

/** GET v3/conversations/{team or conversation}/members/{userId}; null when Teams does not know them. */
async function fetchMember(context: TurnContext, userId: string): Promise<TeamsMember | null> {
  try {
    const member = await TeamsInfo.getMember(context, userId);
    return { email: member.email, userPrincipalName: member.userPrincipalName };
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404 || status === 403) return null;
    throw error;
  }
}
