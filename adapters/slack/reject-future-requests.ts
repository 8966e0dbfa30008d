import type express from 'express';
import type { Logger } from '../../src/logger.ts';

/**
 * Bolt refuses a signed request dated more than five minutes in the past but accepts one dated
 * hours ahead, which a captured request replayed later would be. This runs before Bolt on the same
 * route and refuses anything more than five minutes ahead with 401, before the body is read.
 */
export const maxClockSkewSeconds = 5 * 60;

export function rejectFutureRequests(log: Logger, now: () => number = Date.now): express.RequestHandler {
  return (req, res, next) => {
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(timestamp) && timestamp - Math.floor(now() / 1000) > maxClockSkewSeconds) {
      log.warn('slack_request_from_the_future', { aheadSeconds: Math.round(timestamp - now() / 1000) });
      res.status(401).end();
      return;
    }
    next();
  };
}
