import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

/**
 * Where to reach a member of staff in Teams outside a turn: their 1:1 chat with the bot. Stored
 * in conversation_ref (platform 'teams') when they install the app or message the bot, so any
 * instance can send to them. A person without one has not installed the app and cannot be
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

/** Stores the person's 1:1 chat; says whether it is new (or moved), which is when queued messages can go out. */
export async function saveTeamsAddress(
  db: Kysely<DB>,
  params: { staffId: number; schoolId: number; address: TeamsAddress; now: Date },
): Promise<'new' | 'changed' | 'same'> {
  const previous = await loadTeamsAddress(db, params.staffId);
  const same =
    previous &&
    previous.conversationId === params.address.conversationId &&
    previous.serviceUrl === params.address.serviceUrl &&
    previous.tenantId === params.address.tenantId;
  if (same) return 'same';
  await db
    .insertInto('conversation_ref')
    .values({ platform: 'teams', staff_id: params.staffId, school_id: params.schoolId, address: JSON.stringify(params.address), updated_at: params.now })
    .onConflict((conflict) =>
      conflict.columns(['platform', 'staff_id']).doUpdateSet({ address: JSON.stringify(params.address), school_id: params.schoolId, updated_at: params.now }),
    )
    .execute();
  return previous ? 'changed' : 'new';
}

export async function loadTeamsAddress(db: Kysely<DB>, staffId: number): Promise<TeamsAddress | null> {
  const row = await db
    .selectFrom('conversation_ref')
    .select('address')
    .where('platform', '=', 'teams')
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
  const address = typeof row?.address === 'string' ? JSON.parse(row.address) : row?.address;
  return isTeamsAddress(address) ? address : null;
}

/** Forgets the person's 1:1 chat if it is this one (the app was removed there). */
export async function forgetTeamsAddress(db: Kysely<DB>, staffId: number, conversationId: string): Promise<boolean> {
  const stored = await loadTeamsAddress(db, staffId);
  if (!stored || stored.conversationId !== conversationId) return false;
  await db.deleteFrom('conversation_ref').where('platform', '=', 'teams').where('staff_id', '=', staffId).execute();
  return true;
}
