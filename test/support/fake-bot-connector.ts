import http from 'node:http';

/**
 * A loopback stand-in for the Bot Connector service Teams bots talk to at `serviceUrl`. It answers
 * the calls tutorbot makes the way the real service does and records each one, so tests assert on
 * what Teams would have received: messages posted (in turn, `…/activities/{replyToId}`, or
 * proactively, `…/activities`), cards updated in place (PUT), member look-ups, 1:1 chats created.
 * It can be told to fail (429 with Retry-After, 403 for a user who blocked the bot…).
 */
export interface FakeTeamsUser {
  id: string;
  aadObjectId: string;
  name: string;
  givenName: string;
  surname: string;
  email: string;
  userPrincipalName: string;
  tenantId: string;
  /** false: the app is not installed for them, so the bot cannot open a 1:1 chat (403). */
  canChat?: boolean;
}

export interface RecordedCall {
  method: string;
  path: string;
  conversationId: string | null;
  /** For POST …/activities/{id}: the activity replied to; for PUT: the activity replaced. */
  activityId: string | null;
  body: Record<string, unknown> | null;
  authorization: string | null;
  status: number;
  /** The id the fake gave a posted activity. */
  createdId: string | null;
}

interface Failure {
  method?: string;
  pathIncludes?: string;
  status: number;
  retryAfter?: string;
  remaining: number;
  code: string;
}

export class FakeBotConnector {
  readonly calls: RecordedCall[] = [];
  readonly #users = new Map<string, FakeTeamsUser>();
  readonly #failures: Failure[] = [];
  #server: http.Server | null = null;
  #url = '';
  #nextId = 1_732_350_000_000;

  get url(): string {
    if (!this.#url) throw new Error('the fake Bot Connector is not started');
    return this.#url;
  }

  addUser(user: FakeTeamsUser): void {
    this.#users.set(user.id, user);
  }

  user(id: string): FakeTeamsUser | undefined {
    return this.#users.get(id);
  }

  /** The 1:1 chat id Teams uses for this user and the bot (stable, like the real one). */
  static personalConversationId(userId: string): string {
    return `a:1${Buffer.from(userId).toString('base64url')}`;
  }

  /** The next `count` matching calls answer `status` (with an error body, and Retry-After if given). */
  failNext(match: { method?: string; pathIncludes?: string }, status: number, options: { retryAfter?: string; count?: number; code?: string } = {}): void {
    this.#failures.push({ ...match, status, retryAfter: options.retryAfter, remaining: options.count ?? 1, code: options.code ?? defaultCode(status) });
  }

  /** Messages posted or replaced, in order. */
  activities(filter: { conversationId?: string; method?: 'POST' | 'PUT'; proactive?: boolean } = {}): RecordedCall[] {
    return this.calls.filter(
      (call) =>
        call.status < 300 &&
        /\/activities(\/|$)/.test(call.path) &&
        (filter.method ? call.method === filter.method : call.method === 'POST' || call.method === 'PUT') &&
        (filter.conversationId === undefined || call.conversationId === filter.conversationId) &&
        (filter.proactive === undefined || (call.method === 'POST' && (call.activityId === null) === filter.proactive)),
    );
  }

  async start(): Promise<void> {
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()));
    const address = this.#server.address();
    this.#url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  }

  async close(): Promise<void> {
    if (!this.#server) return;
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
    this.#server.closeAllConnections();
    this.#server = null;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | null = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = null;
    }
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const call: RecordedCall = {
      method,
      path,
      conversationId: segments[0] === 'v3' && segments[1] === 'conversations' && segments[2] ? segments[2] : null,
      activityId: segments[3] === 'activities' && segments[4] ? segments[4] : null,
      body,
      authorization: (req.headers.authorization as string | undefined) ?? null,
      status: 200,
      createdId: null,
    };
    this.calls.push(call);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };

    const failure = this.#failures.find(
      (entry) =>
        entry.remaining > 0 && (!entry.method || entry.method === method) && (!entry.pathIncludes || decodeURIComponent(path).includes(entry.pathIncludes)),
    );
    if (failure) {
      failure.remaining -= 1;
      answer(
        failure.status,
        { error: { code: failure.code, message: `fake failure ${failure.status}` } },
        failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
      );
      return;
    }

    // GET v3/conversations/{conversationId or teamId}/members/{userId}
    if (method === 'GET' && segments.length === 5 && segments[3] === 'members') {
      const user = this.#users.get(segments[4]);
      if (!user) return answer(404, { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found.' } });
      const { canChat: _canChat, ...member } = user;
      return answer(200, member);
    }
    // POST v3/conversations: open a 1:1 chat, only if the app is installed for the user.
    if (method === 'POST' && segments.length === 2 && segments[1] === 'conversations') {
      const members = (body?.members as { id?: string }[] | undefined) ?? [];
      const user = members.length === 1 && members[0].id ? this.#users.get(members[0].id) : undefined;
      if (!user) return answer(400, { error: { code: 'BadArgument', message: 'Unknown member.' } });
      if (user.canChat === false) return answer(403, { error: { code: 'Forbidden', message: 'The bot is not installed for this user.' } });
      return answer(201, { id: FakeBotConnector.personalConversationId(user.id) });
    }
    // POST v3/conversations/{id}/activities[/{replyToId}]
    if (method === 'POST' && segments[3] === 'activities' && segments.length <= 5) {
      const id = String(this.#nextId++);
      call.createdId = id;
      return answer(200, { id });
    }
    // PUT v3/conversations/{id}/activities/{activityId}
    if (method === 'PUT' && segments[3] === 'activities' && segments.length === 5) {
      return answer(200, { id: segments[4] });
    }
    answer(404, { error: { code: 'NotFound', message: `fake Bot Connector does not serve ${method} ${path}` } });
  }
}

function defaultCode(status: number): string {
  return status === 429 ? 'TooManyRequests' : status === 403 ? 'Forbidden' : status === 404 ? 'ConversationNotFound' : 'ServiceError';
}
