import type { webApi } from '@slack/bolt';
import type { RequestOrigin } from '../../src/staff/actor.ts';
import { textReply } from '../../src/reply.ts';
import type { App } from '../../src/app/boot.ts';
import type { AfterAckQueue } from './after-ack-queue.ts';
import type { SlackIdentityResolver } from './slack-identity.ts';
import { slackErrorCode, type ReplyTarget, type SlackReplier } from './slack-replier.ts';

/** What every Slack listener needs: the booted app, one Web API client, identity and the replier. */
export interface SlackEdgeContext {
  app: App;
  client: webApi.WebClient;
  identity: SlackIdentityResolver;
  replier: SlackReplier;
  /** Where work after an ack waits its turn (see after-ack-queue.ts). */
  queue: AfterAckQueue;
}

export function slackChannel(conversation: RequestOrigin['conversation']): RequestOrigin {
  return { platform: 'slack', conversation };
}

/** DM channel ids start with D; everything else (C…, G…, shared channels) may have other readers. */
export function conversationOf(channelId: string | undefined | null): RequestOrigin['conversation'] {
  return !channelId || channelId.startsWith('D') ? 'direct' : 'shared';
}

const sorry = textReply('Sorry, something went wrong on my side. Please try again in a moment.');

/**
 * Runs a listener's work after the ack. A failure is logged by code and id (never payload text)
 * and, where possible, the person is told rather than left waiting.
 */
export async function afterAck(edge: SlackEdgeContext, what: string, target: ReplyTarget | null, work: () => Promise<void>): Promise<void> {
  try {
    await edge.queue.run(work);
  } catch (error) {
    edge.app.core.log.error('slack_request_failed', { what, error: slackErrorCode(error) });
    if (!target) return;
    await edge.replier.send(sorry, { ...target, ...(target.kind === 'response_url' ? { replaceOriginal: false } : {}) }).catch(() => {});
  }
}

/**
 * Slack's link markup in a message's text, as plain words for the core. User mentions stay as
 * <@U…> (the grammar drops them) unless `mentions` is 'drop' (text pre-filled into a form).
 */
export function plainMessageText(text: string | undefined, mentions: 'keep' | 'drop' = 'keep'): string {
  return (text ?? '')
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, (mention) => (mentions === 'keep' ? mention : ''))
    .replace(/<(?!@)([^>|]+)\|([^>]+)>/g, '$2')
    .replace(/<(?!@)([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim()
    .slice(0, 3000);
}
