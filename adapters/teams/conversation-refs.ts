import type { AddressBook, AddressOwner } from '../../src/platforms/index.ts';

/**
 * Where to reach a member of staff in Teams outside a turn: their 1:1 chat with the bot. Kept in
 * the core's address book when they install the app or message the bot, so any instance can send
 * to them. A person without one has not installed the app and cannot be
 * messaged: Teams cannot start a chat from an email address.
 */
export interface TeamsAddress {
  [key: string]: unknown;
  /** The Bot Framework ConversationReference of the 1:1 chat (without an activity id). */
  reference: {
    channelId: string;
    serviceUrl: string;
    conversation: { id: string; conversationType: 'personal'; tenantId: string };
    bot: { id: string; name?: string };
    user: { id: string; name?: string; aadObjectId?: string };
    locale?: string;
  };
  serviceUrl: string;
  tenantId: string;
  conversationId: string;
}

export function teamsAddress(params: {
  serviceUrl: string;
  tenantId: string;
  conversationId: string;
  channelId?: string;
  bot: { id: string; name?: string };
  user: { id: string; name?: string; aadObjectId?: string };
  locale?: string;
}): TeamsAddress {
  return {
    reference: {
      channelId: params.channelId ?? 'msteams',
      serviceUrl: params.serviceUrl,
      conversation: { id: params.conversationId, conversationType: 'personal', tenantId: params.tenantId },
      bot: { id: params.bot.id, ...(params.bot.name ? { name: params.bot.name } : {}) },
      user: {
        id: params.user.id,
        ...(params.user.name ? { name: params.user.name } : {}),
        ...(params.user.aadObjectId ? { aadObjectId: params.user.aadObjectId } : {}),
      },
      ...(params.locale ? { locale: params.locale } : {}),
    },
    serviceUrl: params.serviceUrl,
    tenantId: params.tenantId,
    conversationId: params.conversationId,
  };
}

export function isTeamsAddress(value: unknown): value is TeamsAddress {
  const address = value as Partial<TeamsAddress> | null;
  return Boolean(address && typeof address.serviceUrl === 'string' && typeof address.conversationId === 'string' && address.reference);
}

/** The same chat: where a message goes (the reference's other fields, like the locale, may vary). */
function sameChat(address: TeamsAddress) {
  return (stored: Record<string, unknown>) =>
    isTeamsAddress(stored) &&
    stored.conversationId === address.conversationId &&
    stored.serviceUrl === address.serviceUrl &&
    stored.tenantId === address.tenantId;
}

/** Keeps the person's 1:1 chat; a new or moved one (or messages held for them) releases what waited. */
export async function saveTeamsAddress(addresses: AddressBook, owner: AddressOwner, address: TeamsAddress): Promise<'new' | 'changed' | 'same'> {
  return addresses.remember('teams', owner, address, sameChat(address));
}

export async function loadTeamsAddress(addresses: AddressBook, staffId: number): Promise<TeamsAddress | null> {
  const address = await addresses.find('teams', staffId);
  return isTeamsAddress(address) ? address : null;
}

/** Forgets the person's 1:1 chat if it is this one (the app was removed there). */
export async function forgetTeamsAddress(addresses: AddressBook, staffId: number, conversationId: string): Promise<boolean> {
  return addresses.forget('teams', staffId, (stored) => isTeamsAddress(stored) && stored.conversationId === conversationId);
}
