import type { ExpressReceiverOptions } from '@slack/bolt';
import type { Logger } from '../../src/logger.ts';

/**
 * Every signed request Slack sends gets an answer within its 3 s, and never a 5xx: Slack
 * retries a 5xx (three times, then it warns the workspace) and a malformed event will not get
 * any better. Bolt answers 500 when its own processing throws (a signed event_callback with
 * `event: null` does) and 404 after 3 s when no listener acknowledged a request, so both
 * handlers are replaced: a failure is acknowledged with `X-Slack-No-Retry: 1` and one clean log
 * line, and anything still unacknowledged after 2.5 s is acknowledged empty.
 */
export const unacknowledgedAfterMillis = 2500;

type ErrorHandler = NonNullable<ExpressReceiverOptions['processEventErrorHandler']>;
type UnhandledHandler = NonNullable<ExpressReceiverOptions['unhandledRequestHandler']>;

export function answerEveryRequest(log: Logger): {
  processEventErrorHandler: ErrorHandler;
  unhandledRequestHandler: UnhandledHandler;
  unhandledRequestTimeoutMillis: number;
} {
  return {
    processEventErrorHandler: async ({ error, response }) => {
      log.warn('slack_request_failed', { error: (error as Error)?.name ?? 'unknown', code: (error as { code?: string })?.code });
      if (response.headersSent) return false;
      response.writeHead(200, { 'X-Slack-No-Retry': '1' });
      response.end();
      return true;
    },
    unhandledRequestHandler: ({ response }) => {
      log.warn('slack_request_unacknowledged', { afterMs: unacknowledgedAfterMillis });
      if (response.headersSent) return;
      response.writeHead(200);
      response.end();
    },
    unhandledRequestTimeoutMillis: unacknowledgedAfterMillis,
  };
}
