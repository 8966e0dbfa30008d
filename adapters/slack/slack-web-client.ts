import { LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { SlackConfig } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';

/**
 * Slack Web API clients. The SDK's default retry policy keeps trying for about thirty minutes
 * and pauses every call while rate-limited; neither suits us. Interactive replies retry briefly;
 * outbound deliveries do not retry at all, because the durable delivery jobs do (honouring
 * Retry-After). Rate-limited calls are rejected with their Retry-After instead of queued.
 */
export type SlackClientPurpose = 'interactive' | 'delivery';

export function slackClientOptions(config: SlackConfig, purpose: SlackClientPurpose, log?: Logger): webApi.WebClientOptions {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: purpose === 'delivery' ? { retries: 0 } : { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000, randomize: true },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: boltLogger(log),
  };
}

/**
 * The Socket Mode client's own Web API options, for apps.connections.open with the app-level
 * token. The socket is the only way Slack reaches us, and the SDK gives up reconnecting for good
 * once that call fails after its retries (a 5xx or a network error is "unrecoverable" to it), so
 * this keeps trying for about three minutes (1, 2, 4, 8, 16 s, then every 30 s); a refused token
 * is not retried and fails at once.
 */
export function socketModeClientOptions(config: SlackConfig, log?: Logger, retryMinMs = 1000): webApi.WebClientOptions {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 10, factor: 2, minTimeout: retryMinMs, maxTimeout: 30 * retryMinMs, randomize: false },
    timeout: 10_000,
    logger: boltLogger(log),
  };
}

export function createSlackWebClient(config: SlackConfig, purpose: SlackClientPurpose, log?: Logger): webApi.WebClient {
  return new webApi.WebClient(config.botToken, slackClientOptions(config, purpose, log));
}

/**
 * The SDKs' logger interface over ours. Their debug output can quote request bodies (names,
 * note text), so only warnings and errors pass, as one message field.
 */
export function boltLogger(log?: Logger): BoltLogger {
  let level = LogLevel.WARN;
  const message = (parts: unknown[]) =>
    parts
      .map((part) => (part instanceof Error ? part.message : String(part)))
      .join(' ')
      .slice(0, 500);
  return {
    debug: () => {},
    info: () => {},
    warn: (...parts: unknown[]) => log?.warn('slack_sdk_warning', { message: message(parts) }),
    error: (...parts: unknown[]) => log?.error('slack_sdk_error', { message: message(parts) }),
    setLevel: (next: LogLevel) => void (level = next),
    getLevel: () => level,
    setName: () => {},
  };
}
