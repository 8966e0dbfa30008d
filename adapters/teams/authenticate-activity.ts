import type { Activity } from 'botbuilder';
import type { Logger } from '../../src/logger.ts';

/**
 * Checks the Bot Framework token of an activity before its turn runs, and says what went wrong in
 * words a caller may see. botbuilder's own `process()` answers a key metadata outage with 500 and
 * every refusal with the SDK's error text in the body; here a token that is missing, malformed,
 * expired, badly signed or for another bot gets 401, and not being able to fetch Microsoft's
 * signing keys gets 503 (the channel retries), each with a fixed body and one log line that
 * carries a code and the error's name, never the token or the SDK's message.
 */
export interface BotFrameworkAuthenticator<Result> {
  authenticateRequest(activity: Activity, authHeader: string): Promise<Result>;
}

export type AuthenticationOutcome<Result> =
  | { ok: true; result: Result }
  | {
      ok: false;
      status: 401 | 503;
      code: 'tutorbot_teams_token_refused' | 'tutorbot_teams_keys_unavailable';
      body: { error: { code: string; message: string } };
    };

// jsonwebtoken's refusals of a token (bad signature, wrong audience or issuer, expired, not yet valid).
const tokenErrorNames = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

function isRefusedToken(error: unknown): boolean {
  const { name, statusCode } = (error ?? {}) as { name?: unknown; statusCode?: unknown };
  // The SDK's AuthenticationError carries 401 for a refused token and 500 when it could not load
  // the signing keys (network, metadata or key document errors carry no status at all).
  return statusCode === 401 || (typeof name === 'string' && tokenErrorNames.has(name));
}

export async function authenticateActivity<Result>(
  authenticator: BotFrameworkAuthenticator<Result>,
  activity: Partial<Activity>,
  authHeader: string,
  log: Logger,
): Promise<AuthenticationOutcome<Result>> {
  try {
    return { ok: true, result: await authenticator.authenticateRequest(activity as Activity, authHeader) };
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    if (isRefusedToken(error)) {
      log.warn('teams_token_refused', { code: 'tutorbot_teams_token_refused', error: name, activityType: activity.type });
      return {
        ok: false,
        status: 401,
        code: 'tutorbot_teams_token_refused',
        body: { error: { code: 'Unauthorized', message: 'The Bot Framework token is not valid for this bot.' } },
      };
    }
    log.error('teams_keys_unavailable', { code: 'tutorbot_teams_keys_unavailable', error: name, activityType: activity.type });
    return {
      ok: false,
      status: 503,
      code: 'tutorbot_teams_keys_unavailable',
      body: { error: { code: 'ServiceUnavailable', message: 'The request could not be verified just now. Please try again.' } },
    };
  }
}
