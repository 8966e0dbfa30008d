import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for Slack's Web API on loopback: it answers the methods tutorbot calls the way
 * Slack does (form-encoded requests, JSON answers, `ok: false` + error code, 429 + Retry-After),
 * keeps the users, DM channels and messages it was told about, and records every call so tests
 * can see exactly what Slack would have received. It also receives response_url posts and file
 * uploads. Nothing here knows tutorbot.
 */
export interface FakeSlackUser {
  id: string;
  teamId: string;
  email: string | null;
  name: string;
  deleted?: boolean;
  isBot?: boolean;
}

export interface FakeSlackCall {
  method: string;
  args: Record<string, unknown>;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Set for chat.postEphemeral: only this user sees it. */
  ephemeralTo?: string;
}

export interface FakeResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

export type FakeFailure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

export const fakeBotUserId = 'UTUTORBOT';
export const fakeBotId = 'BTUTORBOT';

export class FakeSlackApi {
  readonly calls: FakeSlackCall[] = [];
  readonly messages: FakeSlackMessage[] = [];
  readonly responseUrlPosts: FakeResponseUrlPost[] = [];
  readonly users = new Map<string, FakeSlackUser>();
  /** Answers apps.connections.open (set by a FakeSlackSocketMode); without it Socket Mode is off for this app. */
  connectionsOpen: (() => Record<string, unknown>) | null = null;
  readonly #failures = new Map<string, FakeFailure[]>();
  readonly #holds = new Map<string, Promise<void>[]>();
  readonly #responseWaiters = new Map<string, () => void>();
  readonly #server: http.Server;
  #origin = '';
  #ts = 1_700_000_000;
  #ids = 0;

  constructor() {
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#origin = `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The Web API base URL, for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.#origin}/api/`;
  }

  /** A fresh response_url (Slack gives one per slash command or interaction). */
  newResponseUrl(): string {
    return `${this.#origin}/respond/${++this.#ids}`;
  }

  /** Resolves when something is posted to this response_url (by its id, the last path segment). */
  responseArrived(id: string): Promise<void> {
    if (this.responseUrlPosts.some((post) => post.id === id)) return Promise.resolve();
    return new Promise((resolve) => this.#responseWaiters.set(id, resolve));
  }

  addUser(user: Omit<FakeSlackUser, 'id' | 'name'> & { id?: string; name?: string }): FakeSlackUser {
    const id = user.id ?? `U${String(++this.#ids).padStart(8, '0')}`;
    const entry: FakeSlackUser = { name: user.email?.split('@')[0] ?? id, ...user, id };
    this.users.set(id, entry);
    return entry;
  }

  userByEmail(email: string): FakeSlackUser | undefined {
    return [...this.users.values()].find((user) => user.email === email);
  }

  /** Slack's DM channel between the bot and a user. */
  dmChannelFor(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  /**
   * The next call of `method` is answered only when the returned function is called: a slow
   * Slack, for what happens while a send is in flight.
   */
  holdNext(method: string): () => void {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#holds.set(method, [...(this.#holds.get(method) ?? []), held]);
    return release;
  }

  /** The next calls of `method` fail like this (in order), e.g. 429 with Retry-After. */
  failNext(method: string, ...failures: FakeFailure[]): void {
    this.#failures.set(method, [...(this.#failures.get(method) ?? []), ...failures]);
  }

  callsOf(method: string): FakeSlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.#origin);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith('/respond/')) {
      const body = parseBody(raw, req.headers['content-type']);
      const id = url.pathname.slice('/respond/'.length);
      this.calls.push({ method: 'response_url', args: { id, ...body } });
      const failure = this.#takeFailure('response_url');
      if (failure && 'status' in failure) return send(failure.status, { ok: false });
      this.responseUrlPosts.push({ id, body });
      this.#responseWaiters.get(id)?.();
      this.#responseWaiters.delete(id);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (url.pathname.startsWith('/upload/')) {
      this.calls.push({ method: 'file_upload', args: { id: url.pathname.slice('/upload/'.length), content: raw } });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK - 1');
      return;
    }
    if (!url.pathname.startsWith('/api/')) return send(404, { ok: false, error: 'not_found' });
    const method = url.pathname.slice('/api/'.length);
    const args = parseBody(raw, req.headers['content-type']);
    this.calls.push({ method, args });
    if (method === 'apps.connections.open') {
      // Socket Mode's one Web API call, made with the app-level token; Slack refuses a bot token here.
      if (!/^Bearer xapp-/.test(String(req.headers.authorization ?? ''))) return send(200, { ok: false, error: 'not_allowed_token_type' });
      const failure = this.#takeFailure(method);
      if (failure && 'error' in failure) return send(200, { ok: false, error: failure.error });
      if (failure) return send(failure.status, { ok: false, error: 'service_unavailable' });
      return send(200, this.connectionsOpen?.() ?? { ok: false, error: 'socket_mode_not_enabled' });
    }
    if (!/^Bearer xoxb-/.test(String(req.headers.authorization ?? '')) && !String(args.token ?? '').startsWith('xoxb-')) {
      return send(200, { ok: false, error: 'not_authed' });
    }
    const held = this.#holds.get(method)?.shift();
    if (held) await held;
    const failure = this.#takeFailure(method);
    if (failure) {
      if ('error' in failure) return send(200, { ok: false, error: failure.error });
      if (failure.status === 429) return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
      return send(failure.status, { ok: false, error: 'service_unavailable' });
    }
    send(200, this.#answer(method, args));
  }

  #takeFailure(method: string): FakeFailure | undefined {
    const queue = this.#failures.get(method);
    return queue?.shift();
  }

  #nextTs(): string {
    this.#ts += 1;
    return `${this.#ts}.000100`;
  }

  #answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://northbrook.slack.example/',
          team: 'Northbrook',
          user: 'tutorbot',
          team_id: 'T0NORTHBROOK',
          user_id: fakeBotUserId,
          bot_id: fakeBotId,
          is_enterprise_install: false,
        };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: slackUser(user) };
      }
      case 'users.lookupByEmail': {
        const user = this.userByEmail(String(args.email));
        if (!user || user.deleted) return { ok: false, error: 'users_not_found' };
        return { ok: true, user: slackUser(user) };
      }
      case 'conversations.open': {
        const userId = String(args.users ?? '').split(',')[0];
        if (!this.users.has(userId)) return { ok: false, error: 'user_not_found' };
        if (this.users.get(userId)?.deleted) return { ok: false, error: 'account_inactive' };
        return { ok: true, channel: { id: this.dmChannelFor(userId) } };
      }
      case 'chat.postMessage': {
        let channel = String(args.channel ?? '');
        if (channel.startsWith('U')) channel = this.dmChannelFor(channel);
        const message: FakeSlackMessage = {
          channel,
          ts: this.#nextTs(),
          text: String(args.text ?? ''),
          blocks: (args.blocks as Record<string, unknown>[]) ?? [],
          ...(args.metadata ? { metadata: args.metadata as FakeSlackMessage['metadata'] } : {}),
        };
        this.messages.push(message);
        return { ok: true, channel, ts: message.ts, message: { type: 'message', text: message.text, bot_id: fakeBotId, ts: message.ts } };
      }
      case 'chat.postEphemeral': {
        const message: FakeSlackMessage = {
          channel: String(args.channel),
          ts: this.#nextTs(),
          text: String(args.text ?? ''),
          blocks: (args.blocks as Record<string, unknown>[]) ?? [],
          ephemeralTo: String(args.user),
        };
        this.messages.push(message);
        return { ok: true, message_ts: message.ts };
      }
      case 'chat.update': {
        const found = this.messages.find((message) => message.channel === args.channel && message.ts === args.ts);
        if (!found) return { ok: false, error: 'message_not_found' };
        found.text = String(args.text ?? '');
        found.blocks = (args.blocks as Record<string, unknown>[]) ?? [];
        return { ok: true, channel: found.channel, ts: found.ts, text: found.text };
      }
      case 'conversations.history': {
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const messages = this.messages
          .filter((message) => message.channel === args.channel && !message.ephemeralTo)
          .reverse()
          .slice(0, Number(args.limit ?? 100))
          .map((message) => ({
            type: 'message',
            ts: message.ts,
            text: message.text,
            bot_id: fakeBotId,
            ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
          }));
        return { ok: true, messages, has_more: false };
      }
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        return { ok: true, view: { id: `V${++this.#ids}`, ...(args.view as Record<string, unknown>) } };
      case 'files.getUploadURLExternal': {
        const id = `F${++this.#ids}`;
        return { ok: true, upload_url: `${this.#origin}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = (args.files as { id: string; title?: string }[]) ?? [];
        return { ok: true, files: files.map((file) => ({ id: file.id, title: file.title ?? '', name: file.title ?? '' })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function slackUser(user: FakeSlackUser) {
  return {
    id: user.id,
    team_id: user.teamId,
    name: user.name,
    deleted: user.deleted ?? false,
    is_bot: user.isBot ?? false,
    is_email_confirmed: true,
    profile: { real_name: user.name, display_name: user.name, ...(user.email ? { email: user.email } : {}) },
  };
}

/** Slack's SDK sends form-encoded bodies whose object fields are JSON; response_url posts are JSON. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return out;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"), hex. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}
