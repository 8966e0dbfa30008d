import type { Activity } from 'botbuilder';

/**
 * Reading the parts of a Teams activity tutorbot cares about. Teams puts the tenant in two places
 * and marks the kind of conversation in `conversationType`; the Emulator leaves most of it out.
 */

export function tenantOf(activity: Partial<Activity>): string | null {
  const fromConversation = (activity.conversation as { tenantId?: unknown } | undefined)?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation) return fromConversation;
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return typeof fromChannelData === 'string' && fromChannelData ? fromChannelData : null;
}

/** 'direct' for the 1:1 chat with the bot; 'shared' for channels and group chats, where others read along. */
export function surfaceOf(activity: Partial<Activity>): 'direct' | 'shared' {
  const type = activity.conversation?.conversationType;
  if (type === 'personal') return 'direct';
  if (type === 'channel' || type === 'groupChat') return 'shared';
  return activity.conversation?.isGroup ? 'shared' : 'direct';
}

export function mentionsBot(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).some((entity) => entity.type === 'mention' && (entity as { mentioned?: { id?: string } }).mentioned?.id === botId);
}

/** The dedupe key of an activity: ids are unique within a conversation. */
export function inboundKey(activity: Partial<Activity>): string | null {
  if (!activity.id || !activity.conversation?.id) return null;
  return `${activity.conversation.id}|${activity.id}`;
}

/** Only the ids that identify a request go into logs, never names or text. */
export function activityLogFields(activity: Partial<Activity>): Record<string, string | undefined> {
  return {
    activityType: activity.type,
    activityName: activity.name,
    conversationType: activity.conversation?.conversationType,
  };
}
