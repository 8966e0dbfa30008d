import { App as BoltApp, ExpressReceiver, SocketModeReceiver } from '@slack/bolt';
import type express from 'express';
import { TutorbotError } from '../../src/errors.ts';
import type { App } from '../../src/app/boot.ts';
import { handleInboundEventOnce, pruneInboundEvents } from '../../src/platforms/index.ts';
import type { PlatformMount } from '../server/platform-mount.ts';
import { AfterAckQueue } from './after-ack-queue.ts';
import { answerEveryRequest } from './answer-every-request.ts';
import { registerConversationListeners } from './conversation-listeners.ts';
import { registerInteractionListeners } from './interaction-listeners.ts';
import { rejectFutureRequests } from './reject-future-requests.ts';
import type { SlackEdgeContext } from './slack-edge-context.ts';
import { SlackIdentityResolver } from './slack-identity.ts';
import { SlackReplier, slackErrorCode } from './slack-replier.ts';
import { boltLogger, createSlackWebClient, slackClientOptions, socketModeClientOptions } from './slack-web-client.ts';

/**
 * The Slack edge. Over HTTP it is Bolt's ExpressReceiver mounted on our one express app at
 * POST /slack/events (events, slash commands, interactivity and options alike), with Bolt's
 * signature verification on: a forged, unsigned or stale (> 5 min) request gets 401 before any of
 * our code runs. With SLACK_APP_TOKEN it uses Socket Mode instead and needs no public URL: one
 * WebSocket to the URL apps.connections.open gives (at SLACK_API_URL too), every envelope
 * acknowledged by its envelope_id, reconnecting whenever Slack asks or the connection drops.
 */
export interface SlackEdge {
  name: string;
  stop(): Promise<void>;
  /** Resolves when no Slack request is being worked on (tests wait on it instead of sleeping). */
  idle(): Promise<void>;
}

const slackEventsPath = '/slack/events';

/** Socket Mode's clocks, shortened by tests so that a reconnection takes a moment, not seconds. */
export interface SlackEdgeOptions {
  /**
   * How long the socket client waits for a pong (it pings every third of it), and also how long
   * it waits before reconnecting after a connection closes. The SDK's default is 5 s.
   */
  socketPingTimeoutMs?: number;
  /** The first pause between attempts at apps.connections.open when Slack does not answer. */
  socketConnectRetryMinMs?: number;
}

export const mountSlack: PlatformMount = (app, router) => mountSlackEdge(app, router);

export async function mountSlackEdge(app: App, router: express.Express, options: SlackEdgeOptions = {}): Promise<SlackEdge> {
  const config = app.config.slack;
  const log = app.core.log;
  if (!config) return { name: 'slack (not configured)', stop: async () => {}, idle: async () => {} };
  const client = createSlackWebClient(config, 'interactive', log);
  // Our own auth.test, once: a bad token stops start-up with a clear message, and Bolt (given the
  // bot ids) never calls auth.test again — with tokenVerificationEnabled it would on every request.
  let bot: { botId: string; botUserId: string };
  try {
    const auth = await client.auth.test();
    bot = { botId: String(auth.bot_id ?? ''), botUserId: String(auth.user_id ?? '') };
  } catch (error) {
    throw new TutorbotError(
      'tutorbot_slack_auth_failed',
      `Slack did not accept SLACK_BOT_TOKEN (${slackErrorCode(error)}). Copy the Bot User OAuth Token (xoxb-…) from your Slack app's "OAuth & Permissions" page` +
        (config.apiUrl ? `, and check SLACK_API_URL (${config.apiUrl}).` : '.'),
      { cause: error },
    );
  }
  const common = {
    token: config.botToken,
    botId: bot.botId,
    botUserId: bot.botUserId,
    clientOptions: slackClientOptions(config, 'interactive', log),
    logger: boltLogger(log),
    // Bolt's in-memory conversation store would differ per instance; we keep nothing between requests.
    convoStore: false as const,
  };
  let bolt: BoltApp;
  if (config.socketMode) {
    if (!config.appToken) throw new TutorbotError('tutorbot_config_invalid', 'Slack Socket Mode needs SLACK_APP_TOKEN (xapp-…).');
    // Our own receiver rather than Bolt's (`socketMode: true`): Bolt would hand the socket client
    // the same Web API options as our replies, whose two quick retries turn a few seconds of Slack
    // trouble during a reconnect into a socket client that has given up. This one keeps
    // SLACK_API_URL and its own patient retries for apps.connections.open.
    const receiver = new SocketModeReceiver({
      appToken: config.appToken,
      logger: boltLogger(log),
      clientPingTimeout: options.socketPingTimeoutMs,
      installerOptions: { clientOptions: socketModeClientOptions(config, log, options.socketConnectRetryMinMs) },
      // The envelope's id, for recognising one Slack delivers again after a lost ack.
      customPropertiesExtractor: (args) => ({ envelopeId: String((args as { envelope_id?: string }).envelope_id ?? '') }),
      // As over HTTP: a request our code fails on is acknowledged, since a redelivery fares no better.
      processEventErrorHandler: async ({ error }) => {
        log.warn('slack_request_failed', { error: error?.name ?? 'unknown', code: (error as { code?: string })?.code });
        return true;
      },
    });
    bolt = new BoltApp({ ...common, receiver });
  } else {
    if (!config.signingSecret) {
      throw new TutorbotError('tutorbot_config_invalid', 'Slack over HTTP needs SLACK_SIGNING_SECRET (Slack app → Basic Information → Signing Secret).');
    }
    // Registered first, so it runs before Bolt's own verification on the same route.
    router.post(slackEventsPath, rejectFutureRequests(log));
    const receiver = new ExpressReceiver({
      signingSecret: config.signingSecret,
      signatureVerification: true,
      endpoints: slackEventsPath,
      app: router,
      // Acknowledge first, work after: Slack's 3 s budget is for the ack, not for our answer.
      processBeforeResponse: false,
      logger: boltLogger(log),
      ...answerEveryRequest(log),
    });
    bolt = new BoltApp({ ...common, receiver });
  }

  const inFlight = createInFlightTracker();
  const edge: SlackEdgeContext = {
    app,
    client,
    identity: new SlackIdentityResolver(app, client),
    replier: new SlackReplier(client, log),
    // Both engines answer queries off this thread (PostgreSQL over the network, PGlite on its own
    // thread), so several requests' work can wait on the database at once without holding up acks.
    // The embedded database still runs one query at a time, so fewer jobs queue on it.
    queue: new AfterAckQueue(app.database.engine === 'pglite' ? 4 : 8),
  };
  // Counted from the first middleware, which Bolt runs right after acknowledging an event.
  bolt.use((args) =>
    inFlight.track(async () => {
      const { body, next, context } = args;
      const envelope = body as { type?: string; event_id?: string };
      if (envelope.type === 'event_callback' && envelope.event_id) {
        // Slack resends an event it thinks we missed, and Bolt does not deduplicate. Already
        // acknowledged by Bolt; a copy we have seen (a retry, or a resend to another instance) stops here.
        const outcome = await handleInboundEventOnce(app.core, 'slack', `event:${envelope.event_id}`, next);
        if (outcome === 'duplicate') log.info('slack_event_duplicate', { eventId: envelope.event_id, retryNum: context.retryNum ?? null });
        return;
      }
      const envelopeId = typeof context.envelopeId === 'string' ? context.envelopeId : '';
      if (envelopeId) {
        // Over Socket Mode a command or interaction whose ack was lost with its connection comes
        // again under the same envelope id after the reconnect. It was answered once; this copy is
        // only acknowledged, so that Slack stops sending it.
        const outcome = await handleInboundEventOnce(app.core, 'slack', `envelope:${envelopeId}`, next);
        if (outcome === 'duplicate') {
          log.info('slack_envelope_duplicate', { type: envelope.type ?? null, retryNum: context.retryNum ?? null });
          await (args as { ack?: () => Promise<void> }).ack?.();
        }
        return;
      }
      await next();
    }),
  );
  registerConversationListeners(bolt, edge);
  registerInteractionListeners(bolt, edge);

  if (config.socketMode) {
    try {
      await bolt.start();
    } catch (error) {
      throw new TutorbotError(
        'tutorbot_slack_socket_failed',
        `Could not connect to Slack in Socket Mode (${slackErrorCode(error)}). Check SLACK_APP_TOKEN (xapp-…, with the connections:write scope) and that Socket Mode is on in the app's settings.`,
        { cause: error },
      );
    }
  }
  const prune = setInterval(() => {
    pruneInboundEvents(app.core, 'slack').catch((error) => log.warn('slack_prune_failed', { error: (error as Error).message }));
  }, 3600_000);
  prune.unref();
  log.info('slack_ready', { mode: config.socketMode ? 'socket' : 'http', botUserId: bot.botUserId });
  return {
    name: config.socketMode ? 'slack (socket mode)' : `slack (${slackEventsPath})`,
    async stop() {
      clearInterval(prune);
      if (config.socketMode) await bolt.stop().catch(() => {});
      await inFlight.idle();
    },
    idle: () => inFlight.idle(),
  };
}

function createInFlightTracker() {
  let active = 0;
  let waiters: (() => void)[] = [];
  return {
    async track(work: () => Promise<void>): Promise<void> {
      active += 1;
      try {
        await work();
      } finally {
        active -= 1;
        if (active === 0) {
          const done = waiters;
          waiters = [];
          for (const resolve of done) resolve();
        }
      }
    },
    idle(): Promise<void> {
      return active === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
