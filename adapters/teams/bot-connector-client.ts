import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { TeamsConfig } from '../../src/config.ts';
import { ConversationBusy, ConversationLimiter } from './conversation-limiter.ts';
import type { TeamsMessage } from './render-adaptive-card.ts';

/**
 * Outbound calls to the Bot Connector service at a conversation's `serviceUrl`, for messages
 * sent outside a turn (deliveries, the private half of a channel answer). They are made directly
 * rather than through the SDK's connector because its HTTP pipeline retries 429 and 5xx in-process
 * (up to three times, sleeping for Retry-After), which would hold a delivery worker; the durable
 * delivery service owns retries and backoff instead. Tokens still come from the SDK's credential
 * factory, so every app type it supports (multi-tenant, single-tenant, managed identity) works.
 */

// AuthenticationConstants.ToChannelFromBotOAuthScope / ToChannelFromBotLoginUrl (public cloud).
const botFrameworkScope = 'https://api.botframework.com';
const botFrameworkLoginUrl = 'https://login.microsoftonline.com/botframework.com';

export class ConnectorError extends Error {
  /** HTTP status, or 0 when the service could not be reached. */
  readonly status: number;
  readonly retryAfterSeconds: number | null;
  readonly errorCode: string | null;

  constructor(message: string, options: { status: number; retryAfterSeconds?: number | null; errorCode?: string | null; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
    this.errorCode = options.errorCode ?? null;
  }
}

interface TokenSource {
  getToken(forceRefresh?: boolean): Promise<string>;
}

export class BotConnectorClient {
  readonly #config: TeamsConfig;
  readonly #limiter: ConversationLimiter;
  readonly #timeoutMs: number;
  #tokens: Promise<TokenSource> | null = null;

  constructor(config: TeamsConfig, options: { limiter?: ConversationLimiter; timeoutMs?: number } = {}) {
    this.#config = config;
    this.#limiter = options.limiter ?? sharedLimiter;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Posts a new message into a conversation: `POST v3/conversations/{id}/activities`. */
  async sendToConversation(serviceUrl: string, conversationId: string, message: TeamsMessage): Promise<{ id: string }> {
    await this.#acquire(conversationId);
    const body = await this.#request('POST', serviceUrl, `v3/conversations/${encodeURIComponent(conversationId)}/activities`, message);
    return { id: typeof body?.id === 'string' ? body.id : '' };
  }

  /** Replaces a message in place: `PUT v3/conversations/{id}/activities/{activityId}`. */
  async updateActivity(serviceUrl: string, conversationId: string, activityId: string, message: TeamsMessage): Promise<void> {
    await this.#acquire(conversationId);
    const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`;
    await this.#request('PUT', serviceUrl, path, { ...message, id: activityId });
  }

  /**
   * Opens (or finds) the 1:1 chat between the bot and a user: `POST v3/conversations`. Teams
   * answers 403 when the app is not installed for that user: the bot cannot start a chat then.
   */
  async createPersonalConversation(serviceUrl: string, params: { botId: string; userId: string; tenantId: string }): Promise<{ id: string }> {
    const body = await this.#request('POST', serviceUrl, 'v3/conversations', {
      isGroup: false,
      bot: { id: params.botId },
      members: [{ id: params.userId }],
      tenantId: params.tenantId,
      channelData: { tenant: { id: params.tenantId } },
    });
    if (typeof body?.id !== 'string' || !body.id) throw new ConnectorError('The Bot Connector returned no conversation id.', { status: 502 });
    return { id: body.id };
  }

  async #acquire(conversationId: string): Promise<void> {
    try {
      await this.#limiter.acquire(conversationId);
    } catch (error) {
      if (error instanceof ConversationBusy) {
        throw new ConnectorError(error.message, { status: 429, retryAfterSeconds: error.retryAfterSeconds, errorCode: 'local_rate_limit', cause: error });
      }
      throw error;
    }
  }

  async #authorization(): Promise<string | null> {
    if (this.#config.authDisabled) return null;
    this.#tokens ??= (async () => {
      const { appId, appPassword, appType, tenantId } = this.#config;
      const factory = new ConfigurationServiceClientCredentialFactory({
        MicrosoftAppId: appId,
        MicrosoftAppPassword: appType === 'UserAssignedMSI' ? undefined : appPassword,
        MicrosoftAppType: appType,
        MicrosoftAppTenantId: tenantId || undefined,
      });
      return (await factory.createCredentials(appId, botFrameworkScope, botFrameworkLoginUrl, true)) as unknown as TokenSource;
    })();
    try {
      return `Bearer ${await (await this.#tokens).getToken()}`;
    } catch (cause) {
      this.#tokens = null;
      throw new ConnectorError('Could not get a Bot Framework token: check MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD.', { status: 0, cause });
    }
  }

  async #request(method: 'POST' | 'PUT', serviceUrl: string, path: string, payload: unknown): Promise<Record<string, unknown> | null> {
    const url = `${serviceUrl.replace(/\/+$/, '')}/${path}`;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };
    const authorization = await this.#authorization();
    if (authorization) headers.authorization = authorization;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: JSON.stringify(payload), signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (cause) {
      throw new ConnectorError(`The Bot Connector service could not be reached (${(cause as Error).name}).`, { status: 0, cause });
    }
    const text = await response.text().catch(() => '');
    let body: Record<string, unknown> | null = null;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    if (!response.ok) {
      const error = body?.error as { code?: unknown; message?: unknown } | undefined;
      throw new ConnectorError(`The Bot Connector answered ${response.status}${typeof error?.code === 'string' ? ` (${error.code})` : ''}.`, {
        status: response.status,
        retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
        errorCode: typeof error?.code === 'string' ? error.code : null,
      });
    }
    return body;
  }
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : null;
}

// One limiter per process, shared by in-turn private replies and deliveries to the same chats.
const sharedLimiter = new ConversationLimiter();
