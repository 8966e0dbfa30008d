import type { TeamsConfig } from '../../src/config.ts';
import { DeliveryFailure, type Messenger, type MessengerAddress, type SentMessage, type StaffContact } from '../../src/delivery/messenger.ts';
import type { AddressBook } from '../../src/platforms/index.ts';
import type { Reply } from '../../src/reply.ts';
import type { SendPace } from '../../src/delivery/send-pacer.ts';
import { BotConnectorClient, ConnectorError } from './bot-connector-client.ts';
import { isTeamsAddress, loadTeamsAddress } from './conversation-refs.ts';
import { renderMessage } from './render-adaptive-card.ts';

/**
 * Delivers direct messages in Teams: to the 1:1 chat stored when the person installed the app or
 * last wrote to the bot. Someone without one cannot be reached (Teams cannot message an email
 * address), so their deliveries wait as 'unreachable' until they install the app.
 */
export class TeamsMessenger implements Messenger {
  readonly platform = 'teams' as const;
  readonly notFoundMeans = 'they have not installed tutorbot in Teams, nor messaged it, yet';
  readonly #client: BotConnectorClient;

  readonly #perTenantPerSecond: number;

  /**
   * `perTenantPerSecond`: sends per second to one tenant from every instance together. The Bot
   * Connector allows about 30 to 50 a second per app per tenant (docs/teams.md); 25 stays under it.
   */
  constructor(config: TeamsConfig, options: { client?: BotConnectorClient; perTenantPerSecond?: number } = {}) {
    this.#client = options.client ?? new BotConnectorClient(config);
    this.#perTenantPerSecond = options.perTenantPerSecond ?? 25;
  }

  pace(address: MessengerAddress): SendPace {
    return { perSecond: this.#perTenantPerSecond, scope: typeof address.tenantId === 'string' ? address.tenantId : 'unknown-tenant' };
  }

  async resolveAddress(addresses: AddressBook, contact: StaffContact): Promise<MessengerAddress | null> {
    return loadTeamsAddress(addresses, contact.staffId);
  }

  async send(address: MessengerAddress, message: Reply): Promise<SentMessage> {
    if (!isTeamsAddress(address)) throw new DeliveryFailure('The stored Teams address is not usable.', { retryable: false });
    try {
      const sent = await this.#client.sendToConversation(address.serviceUrl, address.conversationId, renderMessage(message));
      return { ref: { serviceUrl: address.serviceUrl, conversationId: address.conversationId, activityId: sent.id } };
    } catch (error) {
      throw deliveryFailure(error);
    }
  }

  async update(ref: Record<string, unknown>, message: Reply): Promise<void> {
    const { serviceUrl, conversationId, activityId } = ref;
    if (typeof serviceUrl !== 'string' || typeof conversationId !== 'string' || typeof activityId !== 'string' || !activityId) {
      throw new DeliveryFailure('This message was not sent through Teams, so it cannot be updated there.', { retryable: false });
    }
    try {
      await this.#client.updateActivity(serviceUrl, conversationId, activityId, renderMessage(message));
    } catch (error) {
      throw deliveryFailure(error);
    }
  }
}

const retryableStatuses = new Set([0, 412, 429, 502, 503, 504]);

/** Teams' answers, as the delivery service understands them. */
export function deliveryFailure(error: unknown): DeliveryFailure {
  if (!(error instanceof ConnectorError)) {
    return new DeliveryFailure(`Teams send failed unexpectedly: ${(error as Error)?.name ?? 'error'}`, { retryable: true, cause: error });
  }
  if (retryableStatuses.has(error.status)) {
    return new DeliveryFailure(error.message, { retryable: true, retryAfterSeconds: error.retryAfterSeconds, cause: error });
  }
  if (error.status === 403) {
    return new DeliveryFailure('Teams refused (403): the person blocked or removed the app.', { retryable: false, unreachable: true, cause: error });
  }
  if (error.status === 404) {
    return new DeliveryFailure('Teams answered 404: the chat no longer exists.', { retryable: false, unreachable: true, cause: error });
  }
  return new DeliveryFailure(error.message, { retryable: false, cause: error });
}
