import { randomBytes } from 'node:crypto';
import { mountSlackEdge, type SlackEdge } from '../../adapters/slack/mount-slack.ts';
import { coreActionId } from '../../adapters/slack/render-block-kit.ts';
import { SlackMessenger } from '../../adapters/slack/slack-messenger.ts';
import { startHttpServer, type RunningServer } from '../../adapters/server/http-server.ts';
import { parseConfig } from '../../src/config.ts';
import type { Feature } from '../../src/feature.ts';
import type { DemoSchoolOptions } from '../../src/demo/demo-school.ts';
import { createFeatureRegistry } from '../../src/app/feature-registry.ts';
import { features as defaultFeatures } from '../../src/app/features.ts';
import type { Logger } from '../../src/logger.ts';
import type { Roster } from '../../src/roster/roster.ts';
import { Tutorbot } from '../../src/tutorbot.ts';
import { FakeSlackApi, fakeBotUserId, slackSignature, type FakeSlackUser } from './fake-slack-api.ts';
import { type EnvelopeType, FakeSlackSocketMode } from './fake-slack-socket-mode.ts';
import type { PlatformHarness, RenderedReply } from './platform-harness.ts';
import { startTestApp, type TestApp } from './test-app.ts';
import type { Engine } from './test-database.ts';

/**
 * tutorbot's real HTTP server with the Slack edge mounted, on a fresh test database, talking to a
 * fake Slack Web API. Requests are signed and shaped exactly as Slack sends them; what people
 * would see is read back from the calls the fake received. With `transport: 'socket'` the edge
 * runs in Socket Mode instead: the same commands, events and interactions arrive as envelopes
 * over a fake Socket Mode connection, and what they were acknowledged with stands in for the
 * HTTP response.
 */
export interface SlackHarnessOptions {
  engine: Engine;
  /** Extra core features for this test only (added after the real ones, so they win on a clash). */
  features?: Feature[];
  demo?: DemoSchoolOptions;
  roster?: Roster;
  /** Spacing of deliveries per channel; Slack's 1 s would only slow the tests down. */
  perChannelIntervalMs?: number;
  /** How Slack reaches the edge: signed HTTP requests (the default) or Socket Mode. */
  transport?: 'http' | 'socket';
  /** Where the app logs (silent unless given). */
  logger?: Logger;
}

/** Socket Mode's reconnect pause is its ping timeout (5 s by default); a test need not wait that long. */
const socketPingTimeoutMs = 1000;

export const homeTeamId = 'T0NORTHBROOK';
export const staffRoomChannel = 'C0STAFFROOM';

interface Sent {
  status: number;
  text: string;
  json: unknown;
}

interface SeenButton {
  rawActionId: string;
  actionId: string;
  value: string;
  label: string;
  blockId: string | undefined;
  channelId: string;
  ephemeral: boolean;
}

export class SlackHarness implements PlatformHarness {
  readonly name = 'slack' as const;
  readonly fake = new FakeSlackApi();
  readonly signingSecret = randomBytes(16).toString('hex');
  readonly transport: 'http' | 'socket';
  /** Slack's Socket Mode endpoint, when transport is 'socket'. */
  readonly socket: FakeSlackSocketMode | null;
  app!: TestApp;
  server!: RunningServer;
  edge!: SlackEdge;
  messenger!: SlackMessenger;
  readonly #options: SlackHarnessOptions;
  /** Which user and conversation each response_url / trigger_id we handed out belongs to. */
  readonly #handedOut = new Map<string, { userId: string; channelId: string }>();
  #ids = 0;

  constructor(options: SlackHarnessOptions) {
    this.#options = options;
    this.transport = options.transport ?? 'http';
    this.socket = this.transport === 'socket' ? new FakeSlackSocketMode(this.fake) : null;
  }

  async start(): Promise<void> {
    await this.fake.start();
    await this.socket?.start();
    const env: Record<string, string> = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: this.fake.apiUrl };
    if (this.socket) env.SLACK_APP_TOKEN = 'xapp-1-A0TUTORBOT-1-test';
    else env.SLACK_SIGNING_SECRET = this.signingSecret;
    const slackConfig = parseConfig({ TUTORBOT_DEV: '1', DATABASE_URL: 'memory://', ...env }).slack;
    if (!slackConfig) throw new Error('slack config missing');
    this.messenger = new SlackMessenger(slackConfig, { perChannelIntervalMs: this.#options.perChannelIntervalMs ?? 20 });
    const testApp = await startTestApp(this.#options.engine, {
      env,
      messengers: [this.messenger],
      demo: this.#options.demo,
      roster: this.#options.roster,
      logger: this.#options.logger,
    });
    this.app = this.#options.features
      ? { ...testApp, bot: new Tutorbot(testApp.core, createFeatureRegistry([...defaultFeatures, ...this.#options.features])) }
      : testApp;
    // Everyone on the staff is in the workspace, as in a real school.
    const staff = await this.app.core.db.selectFrom('staff').select('email').where('active', '=', true).execute();
    for (const { email } of staff) this.fake.addUser({ email, teamId: homeTeamId });
    const edgeOptions = this.socket ? { socketPingTimeoutMs, socketConnectRetryMinMs: 50 } : {};
    this.server = await startHttpServer(this.app, [async (app, router) => (this.edge = await mountSlackEdge(app, router, edgeOptions))], {
      port: 0,
      host: '127.0.0.1',
    });
  }

  async close(): Promise<void> {
    await this.server?.close();
    await this.app?.close();
    await this.socket?.close();
    await this.fake.close();
  }

  /**
   * One request from Slack, by the harness's transport: over HTTP the signed body; over Socket
   * Mode the same content as an envelope's payload, answered by its ack.
   */
  async #deliver(type: EnvelopeType, payload: Record<string, unknown>, http: { body: string; contentType: string; headers?: Record<string, string> }) {
    if (!this.socket) return this.post(http.body, http.contentType, { headers: http.headers });
    const ack = await this.socket.push(type, payload).acked;
    await new Promise((resolve) => setImmediate(resolve));
    await this.edge.idle();
    const json = ack.payload && Object.keys(ack.payload).length > 0 ? ack.payload : null;
    return { status: 200, text: json ? JSON.stringify(json) : '', json };
  }

  /** The Slack user for this email (created in the fake workspace if new). */
  user(email: string, teamId = homeTeamId): FakeSlackUser {
    const existing = [...this.fake.users.values()].find((user) => user.email === email && user.teamId === teamId);
    return existing ?? this.fake.addUser({ email, teamId });
  }

  // --- raw requests, signed as Slack signs them ---

  async post(
    body: string,
    contentType: string,
    options: { timestamp?: number; signature?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Sent> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), ...options.headers };
    const signature = options.signature === undefined ? slackSignature(this.signingSecret, timestamp, body) : options.signature;
    if (signature !== null) headers['x-slack-signature'] = signature;
    const response = await fetch(`${this.server.url}/slack/events`, { method: 'POST', headers, body });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    // Bolt acknowledges before our listeners finish: wait for them, not for a guess of time.
    await new Promise((resolve) => setImmediate(resolve));
    await this.edge.idle();
    return { status: response.status, text, json };
  }

  slashCommandBody(user: FakeSlackUser, text: string, options: { channelId?: string; command?: string } = {}) {
    const channelId = options.channelId ?? staffRoomChannel;
    const responseUrl = this.fake.newResponseUrl();
    const triggerId = `${++this.#ids}.1234567890.${randomBytes(8).toString('hex')}`;
    this.#handedOut.set(responseUrl, { userId: user.id, channelId });
    this.#handedOut.set(triggerId, { userId: user.id, channelId });
    const form = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: user.teamId,
      team_domain: 'northbrook',
      channel_id: channelId,
      channel_name: channelId.startsWith('D') ? 'directmessage' : 'staffroom',
      user_id: user.id,
      user_name: user.name,
      command: options.command ?? '/tutor',
      text,
      api_app_id: 'A0TUTORBOT',
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    });
    return { body: form.toString(), responseUrl, triggerId };
  }

  async slashCommand(email: string, text: string, options: { teamId?: string; channelId?: string } = {}) {
    const user = this.user(email, options.teamId);
    const request = this.slashCommandBody(user, text, options);
    // Over Socket Mode a command's payload is its form fields as a JSON object.
    const payload = Object.fromEntries(new URLSearchParams(request.body));
    const sent = await this.#deliver('slash_commands', payload, { body: request.body, contentType: 'application/x-www-form-urlencoded' });
    return { ...sent, ...request, user };
  }

  eventBody(user: FakeSlackUser, event: Record<string, unknown>, eventId = `Ev${++this.#ids}${randomBytes(4).toString('hex').toUpperCase()}`): string {
    return JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: user.teamId,
      context_team_id: user.teamId,
      context_enterprise_id: null,
      api_app_id: 'A0TUTORBOT',
      event: { user: user.id, team: user.teamId, event_ts: `${Date.now() / 1000}`, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: user.teamId, user_id: fakeBotUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(6).toString('hex')}`,
    });
  }

  directMessageEvent(user: FakeSlackUser, text: string): Record<string, unknown> {
    const ts = `${(Date.now() / 1000).toFixed(6)}`;
    return { type: 'message', channel: this.fake.dmChannelFor(user.id), channel_type: 'im', text, ts, client_msg_id: randomBytes(8).toString('hex') };
  }

  async directMessage(email: string, text: string, options: { teamId?: string; eventId?: string; retryNum?: number } = {}) {
    const user = this.user(email, options.teamId);
    const body = this.eventBody(user, this.directMessageEvent(user, text), options.eventId);
    const headers = options.retryNum ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' } : undefined;
    return { ...(await this.#deliver('events_api', JSON.parse(body), { body, contentType: 'application/json', headers })), user, body };
  }

  interactionUser(user: FakeSlackUser) {
    return { id: user.id, username: user.name, name: user.name, team_id: user.teamId };
  }

  /** Interactivity arrives as a form POST with one field, payload, holding JSON. */
  async interaction(payload: Record<string, unknown>): Promise<Sent> {
    return this.#deliver('interactive', payload, {
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
  }

  newTrigger(user: FakeSlackUser, channelId: string): string {
    const triggerId = `${++this.#ids}.1234567890.${randomBytes(8).toString('hex')}`;
    this.#handedOut.set(triggerId, { userId: user.id, channelId });
    return triggerId;
  }

  newResponseUrl(user: FakeSlackUser, channelId: string): string {
    const url = this.fake.newResponseUrl();
    this.#handedOut.set(url, { userId: user.id, channelId });
    return url;
  }

  /** The last modal opened for this user, as Slack holds it. */
  lastModal(email: string): Record<string, unknown> | null {
    const user = this.user(email);
    const opened = this.fake.callsOf('views.open').filter((call) => this.#handedOut.get(String(call.args.trigger_id))?.userId === user.id);
    return (opened.at(-1)?.args.view as Record<string, unknown>) ?? null;
  }

  async submitModal(email: string, view: Record<string, unknown>, values: Record<string, string | string[]>): Promise<Sent> {
    const user = this.user(email);
    const blocks = (view.blocks as { block_id: string; element: { type: string; action_id: string } }[]) ?? [];
    const state: Record<string, Record<string, unknown>> = {};
    for (const block of blocks) {
      const { type, action_id: actionId } = block.element;
      const value = values[block.block_id];
      let entry: Record<string, unknown>;
      if (type === 'plain_text_input') entry = { type, value: value ?? null };
      else if (type === 'datepicker') entry = { type, selected_date: value ?? null };
      else if (type.startsWith('multi_'))
        entry = { type, selected_options: (Array.isArray(value) ? value : []).map((v) => ({ value: v, text: { type: 'plain_text', text: v } })) };
      else entry = { type, selected_option: value ? { value, text: { type: 'plain_text', text: String(value) } } : null };
      state[block.block_id] = { [actionId]: entry };
    }
    return this.interaction({
      type: 'view_submission',
      team: { id: user.teamId, domain: 'northbrook' },
      user: this.interactionUser(user),
      api_app_id: 'A0TUTORBOT',
      token: 'deprecated-verification-token',
      trigger_id: this.newTrigger(user, ''),
      view: { id: 'V0MODAL', team_id: user.teamId, app_id: 'A0TUTORBOT', bot_id: 'BTUTORBOT', hash: '1.abc', ...view, state: { values: state } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  async suggest(email: string, view: Record<string, unknown>, actionId: string, typed: string): Promise<{ text: { text: string }; value: string }[]> {
    const user = this.user(email);
    const sent = await this.interaction({
      type: 'block_suggestion',
      user: this.interactionUser(user),
      container: { type: 'view', view_id: 'V0MODAL' },
      api_app_id: 'A0TUTORBOT',
      token: 'deprecated-verification-token',
      action_id: actionId,
      block_id: actionId,
      value: typed,
      team: { id: user.teamId, domain: 'northbrook' },
      enterprise: null,
      is_enterprise_install: false,
      view: { id: 'V0MODAL', type: 'modal', ...view, state: { values: {} } },
    });
    return (sent.json as { options?: { text: { text: string }; value: string }[] })?.options ?? [];
  }

  // --- what people saw ---

  /** Replies this user received from fake-API call `from` on (response_url posts, DMs, ephemerals, modals). */
  repliesTo(user: FakeSlackUser, from: number): RenderedReply[] {
    const out: RenderedReply[] = [];
    for (const call of this.fake.calls.slice(from)) {
      const args = call.args;
      if (call.method === 'response_url') {
        const owner = [...this.#handedOut.entries()].find(([url]) => url.endsWith(`/respond/${args.id}`))?.[1];
        if (owner?.userId !== user.id) continue;
        const visibleTo = args.response_type === 'in_channel' ? (owner.channelId.startsWith('D') ? 'dm' : 'channel') : 'asker';
        out.push(rendered(args, visibleTo));
      } else if (call.method === 'chat.postMessage' && (args.channel === this.fake.dmChannelFor(user.id) || args.channel === user.id)) {
        out.push(rendered(args, 'dm'));
      } else if (call.method === 'chat.postEphemeral' && args.user === user.id) {
        out.push(rendered(args, 'asker'));
      } else if (call.method === 'views.open' && this.#handedOut.get(String(args.trigger_id))?.userId === user.id) {
        const view = args.view as { title?: { text: string }; blocks?: { label?: { text: string } }[] };
        const labels = (view.blocks ?? []).map((block) => block.label?.text).filter(Boolean);
        out.push({ text: [view.title?.text ?? '', ...labels].join('\n'), buttons: [], visibleTo: 'asker' });
      }
    }
    return out;
  }

  async say(email: string, text: string, where: 'direct' | 'channel' = 'direct'): Promise<RenderedReply[]> {
    const user = this.user(email);
    const mark = this.fake.calls.length;
    const sent = where === 'direct' ? await this.directMessage(email, text) : await this.slashCommand(email, text);
    if (sent.status !== 200) throw new Error(`Slack request failed with HTTP ${sent.status}`);
    return this.repliesTo(user, mark);
  }

  /** Every button this user can currently see, newest first, with where it was shown. */
  #visibleButtons(user: FakeSlackUser): SeenButton[] {
    const found: SeenButton[] = [];
    for (const call of [...this.fake.calls].reverse()) {
      const args = call.args;
      let where: { channelId: string; ephemeral: boolean } | null = null;
      if (call.method === 'response_url') {
        const owner = [...this.#handedOut.entries()].find(([url]) => url.endsWith(`/respond/${args.id}`))?.[1];
        if (owner?.userId === user.id) where = { channelId: owner.channelId, ephemeral: args.response_type !== 'in_channel' };
      } else if (call.method === 'chat.postMessage' && args.channel === this.fake.dmChannelFor(user.id)) {
        where = { channelId: String(args.channel), ephemeral: false };
      } else if (call.method === 'chat.postEphemeral' && args.user === user.id) {
        where = { channelId: String(args.channel), ephemeral: true };
      }
      if (!where) continue;
      for (const button of buttonsIn(args.blocks)) found.push({ ...button, ...where });
    }
    return found;
  }

  async press(email: string, button: { actionId: string; value: string }): Promise<RenderedReply[]> {
    const user = this.user(email);
    const seen = this.#visibleButtons(user).find((entry) => entry.actionId === button.actionId && entry.value === button.value);
    const channelId = seen?.channelId ?? this.fake.dmChannelFor(user.id);
    const mark = this.fake.calls.length;
    const sent = await this.interaction({
      type: 'block_actions',
      user: this.interactionUser(user),
      api_app_id: 'A0TUTORBOT',
      token: 'deprecated-verification-token',
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: channelId, is_ephemeral: seen?.ephemeral ?? false },
      trigger_id: this.newTrigger(user, channelId),
      team: { id: user.teamId, domain: 'northbrook' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : 'staffroom' },
      message: { type: 'message', ts: '1700000000.000100', text: '', bot_id: 'BTUTORBOT' },
      state: { values: {} },
      response_url: this.newResponseUrl(user, channelId),
      actions: [
        {
          action_id: seen?.rawActionId ?? `${button.actionId}::0`,
          block_id: seen?.blockId ?? 'actions-0',
          text: { type: 'plain_text', text: seen?.label ?? 'Button', emoji: true },
          value: button.value,
          type: 'button',
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    });
    if (sent.status !== 200) throw new Error(`Slack request failed with HTTP ${sent.status}`);
    return this.repliesTo(user, mark);
  }

  async directMessagesTo(email: string): Promise<RenderedReply[]> {
    // Deliveries are durable jobs; in tests nothing runs them in the background, so send what is due.
    await this.app.deliveries.sweep({ includeUnreachable: true });
    await this.edge.idle();
    const user = this.user(email);
    return this.fake
      .callsOf('chat.postMessage')
      .filter((call) => call.args.channel === this.fake.dmChannelFor(user.id) && (call.args.metadata as { event_type?: string } | undefined)?.event_type)
      .map((call) => rendered(call.args, 'dm'));
  }
}

function buttonsIn(blocks: unknown): Omit<SeenButton, 'channelId' | 'ephemeral'>[] {
  const out: Omit<SeenButton, 'channelId' | 'ephemeral'>[] = [];
  for (const block of (blocks as { block_id?: string; accessory?: unknown; elements?: unknown[] }[]) ?? []) {
    const elements = [block.accessory, ...(block.elements ?? [])] as { type?: string; action_id?: string; value?: string; text?: { text?: string } }[];
    for (const element of elements) {
      if (element?.type !== 'button' || !element.action_id) continue;
      out.push({
        rawActionId: element.action_id,
        actionId: coreActionId(element.action_id),
        value: element.value ?? '',
        label: element.text?.text ?? '',
        blockId: block.block_id,
      });
    }
  }
  return out;
}

function rendered(args: Record<string, unknown>, visibleTo: RenderedReply['visibleTo']): RenderedReply {
  return {
    text: unescapeSlack(String(args.text ?? '')),
    buttons: buttonsIn(args.blocks).map(({ actionId, value, label }) => ({ actionId, value, label })),
    visibleTo,
  };
}

function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
