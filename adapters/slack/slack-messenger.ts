import { createHash } from 'node:crypto';
import { webApi } from '@slack/bolt';
import type { SlackConfig } from '../../src/config.ts';
import { DeliveryFailure, type Messenger, type MessengerAddress, type SentMessage, type StaffContact } from '../../src/delivery/messenger.ts';
import type { Logger } from '../../src/logger.ts';
import type { AddressBook } from '../../src/platforms/index.ts';
import type { Reply } from '../../src/reply.ts';
import type { SendPace } from '../../src/delivery/send-pacer.ts';
import { ChannelPacer } from './channel-pacer.ts';
import { fileBlocks, renderMessage } from './render-block-kit.ts';
import { slackErrorCode } from './slack-replier.ts';
import { createSlackWebClient } from './slack-web-client.ts';

/**
 * Routed messages (concerns, reminders…) reach people as direct messages from the bot. Every
 * message carries its delivery id in Slack message metadata, so after a crash between sending
 * and recording, findSent() sees that it already arrived and nothing is sent twice. The client
 * never retries on its own: the durable delivery jobs do, honouring Retry-After.
 */
export const deliveryEventType = 'tutorbot_delivery';

/** Slack's answers that mean this person cannot be messaged, and what each means for an admin. */
const unreachableErrors = new Map([
  ['user_not_found', 'Slack has no such user'],
  ['users_not_found', 'Slack has no such user'],
  ['account_inactive', 'their Slack account is deactivated'],
  ['user_disabled', 'their Slack account is disabled'],
  ['cannot_dm_bot', 'Slack does not let the bot message them'],
]);
const transientErrors = new Set(['ratelimited', 'fatal_error', 'internal_error', 'service_unavailable', 'request_timeout']);

export interface SlackMessengerOptions {
  /** Minimum spacing of posts to one channel (Slack: about one a second). */
  perChannelIntervalMs?: number;
  /**
   * Sends per second to the workspace from every instance together. Slack allows about one post a
   * second per channel and several hundred a minute per workspace (docs/slack.md); five a second
   * stays under that with room for the conversations.open a new address needs.
   */
  perWorkspacePerSecond?: number;
  logger?: Logger;
}

export class SlackMessenger implements Messenger {
  readonly platform = 'slack' as const;
  readonly notFoundMeans = 'Slack has no user with their email in the linked workspace';
  readonly #client: webApi.WebClient;
  readonly #pacer: ChannelPacer;
  readonly #dmChannels = new Map<string, string>();
  readonly #pace: SendPace;

  constructor(config: SlackConfig, options: SlackMessengerOptions = {}) {
    this.#client = createSlackWebClient(config, 'delivery', options.logger);
    this.#pacer = new ChannelPacer(options.perChannelIntervalMs ?? 1000);
    // One bot token is one workspace (or one org-wide install): its hash names the scope without
    // putting the token in the database.
    const scope = createHash('sha256').update(config.botToken).digest('hex').slice(0, 16);
    this.#pace = { perSecond: options.perWorkspacePerSecond ?? 5, scope };
  }

  pace(): SendPace {
    return this.#pace;
  }

  async resolveAddress(addresses: AddressBook, contact: StaffContact): Promise<MessengerAddress | null> {
    const known = await addresses.find('slack', contact.staffId);
    if (typeof known?.userId === 'string') return { userId: known.userId };
    const seen = await addresses.knownUserId('slack', contact.staffId);
    if (seen) return { userId: seen };
    // Someone who has never used tutorbot in Slack can still be reached by their email.
    let userId: string | undefined;
    try {
      userId = (await this.#client.users.lookupByEmail({ email: contact.email })).user?.id;
    } catch (error) {
      const failure = toDeliveryFailure(error);
      if (failure.unreachable) return null;
      throw failure;
    }
    if (!userId) return null;
    await addresses.remember('slack', contact, { userId }, (stored) => stored.userId === userId);
    return { userId };
  }

  async send(address: MessengerAddress, message: Reply, meta: { deliveryId: number }): Promise<SentMessage> {
    try {
      const channel = await this.#dm(address);
      const rendered = renderMessage(message, 'dm');
      await this.#pacer.wait(channel);
      const posted = await this.#client.chat.postMessage({
        channel,
        ...rendered,
        metadata: { event_type: deliveryEventType, event_payload: { delivery_id: meta.deliveryId } },
      });
      for (const file of fileBlocks(message)) {
        await this.#client.filesUploadV2({ channel_id: channel, filename: file.name, title: file.name, content: file.content });
      }
      return { ref: { channel, ts: posted.ts } };
    } catch (error) {
      throw toDeliveryFailure(error);
    }
  }

  async findSent(address: MessengerAddress, meta: { deliveryId: number }): Promise<SentMessage | null> {
    try {
      const channel = await this.#dm(address);
      const history = await this.#client.conversations.history({ channel, include_all_metadata: true, limit: 100 });
      const found = (history.messages ?? []).find(
        (entry) =>
          entry.metadata?.event_type === deliveryEventType &&
          Number((entry.metadata.event_payload as { delivery_id?: unknown } | undefined)?.delivery_id) === meta.deliveryId,
      );
      return found?.ts ? { ref: { channel, ts: found.ts } } : null;
    } catch (error) {
      throw toDeliveryFailure(error);
    }
  }

  async update(ref: Record<string, unknown>, message: Reply): Promise<void> {
    try {
      await this.#client.chat.update({ channel: String(ref.channel), ts: String(ref.ts), ...renderMessage(message, 'dm') });
    } catch (error) {
      throw toDeliveryFailure(error);
    }
  }

  async #dm(address: MessengerAddress): Promise<string> {
    const userId = String(address.userId ?? '');
    if (!userId) throw new DeliveryFailure('no Slack user id in the address', { retryable: false, unreachable: true });
    const cached = this.#dmChannels.get(userId);
    if (cached) return cached;
    const opened = await this.#client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new DeliveryFailure('conversations.open returned no channel', { retryable: true });
    this.#dmChannels.set(userId, channel);
    return channel;
  }
}

/** Slack's failures in the delivery service's terms: when to retry, and who cannot be reached. */
export function toDeliveryFailure(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  const typed = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  const code = slackErrorCode(error);
  switch (typed?.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new DeliveryFailure(`slack rate limited (retry after ${typed.retryAfter}s)`, {
        retryable: true,
        retryAfterSeconds: typed.retryAfter ?? null,
        cause: error,
      });
    case webApi.ErrorCode.HTTPError:
      return new DeliveryFailure(`slack http ${typed.statusCode}`, { retryable: (typed.statusCode ?? 500) >= 500, cause: error });
    case webApi.ErrorCode.RequestError:
      return new DeliveryFailure('slack unreachable', { retryable: true, cause: error });
    case webApi.ErrorCode.PlatformError:
      if (unreachableErrors.has(code))
        return new DeliveryFailure(`slack: ${code}: ${unreachableErrors.get(code)}`, { retryable: false, unreachable: true, cause: error });
      return new DeliveryFailure(`slack: ${code}`, { retryable: transientErrors.has(code), cause: error });
    default:
      return new DeliveryFailure(`slack: ${code}`, { retryable: true, cause: error });
  }
}
