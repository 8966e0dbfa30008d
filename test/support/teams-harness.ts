import { createHash } from 'node:crypto';
import { parseConfig, type Environment } from '../../src/config.ts';
import type { Feature } from '../../src/feature.ts';
import { createFeatureRegistry } from '../../src/app/feature-registry.ts';
import { features as defaultFeatures } from '../../src/app/features.ts';
import { Tutorbot } from '../../src/tutorbot.ts';
import { startHttpServer, type RunningServer } from '../../adapters/server/http-server.ts';
import { unescapeCardMarkdown } from '../../adapters/teams/escape-card-markdown.ts';
import { mountTeams } from '../../adapters/teams/mount-teams.ts';
import { TeamsMessenger } from '../../adapters/teams/teams-messenger.ts';
import { FakeBotConnector, type FakeTeamsUser, type RecordedCall } from './fake-bot-connector.ts';
import type { PlatformHarness, RenderedReply } from './platform-harness.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.ts';
import type { Engine } from './test-database.ts';

/**
 * Tutorbot's real HTTP server with the Teams edge mounted, in dev mode (no Bot Framework
 * authentication, as with the Emulator), talking to a fake Bot Connector on loopback. Activities
 * are posted shaped as Teams sends them; what the bot sends back is read from the fake.
 */
export const testTenantId = '6f1c2a9e-0000-4000-8000-00000000b0a7';
export const otherTenantId = '0b5e7d31-0000-4000-8000-0000000015e0';
export const botId = '28:7d2f0c1e-0000-4000-8000-00000000b07';
const teamId = '19:northbrook-staff-team@thread.tacv2';
const channelId = '19:pastoral-channel@thread.tacv2';

export interface TeamsHarnessOptions {
  app?: TestAppOptions;
  /** Extra features (a test form, say) added after the built-in ones. */
  features?: Feature[];
  /** Staff emails the fake does not know (Teams answers 404 for them). */
  unknownToTeams?: string[];
}

export interface PostResult {
  status: number;
  body: unknown;
  /** Calls the fake received while this activity was handled. */
  calls: RecordedCall[];
}

export class TeamsHarness implements PlatformHarness {
  readonly name = 'teams' as const;
  readonly engine: Engine;
  readonly connector = new FakeBotConnector();
  readonly options: TeamsHarnessOptions;
  #app: TestApp | null = null;
  #server: RunningServer | null = null;
  #activity = 0;
  readonly #installed = new Set<string>();
  readonly #users = new Map<string, FakeTeamsUser>();

  constructor(engine: Engine, options: TeamsHarnessOptions = {}) {
    this.engine = engine;
    this.options = options;
  }

  get app(): TestApp {
    if (!this.#app) throw new Error('the Teams harness is not started');
    return this.#app;
  }

  get url(): string {
    if (!this.#server) throw new Error('the Teams harness is not started');
    return this.#server.url;
  }

  async start(): Promise<void> {
    await this.connector.start();
    const env: Environment = { ...this.options.app?.env };
    const config = parseConfig({ TUTORBOT_DEV: '1', DATABASE_URL: 'memory://', ...env });
    if (!config.teams) throw new Error('Teams is not configured in the test environment');
    const messenger = new TeamsMessenger(config.teams);
    const app = await startTestApp(this.engine, { ...this.options.app, messengers: [messenger, ...(this.options.app?.messengers ?? [])] });
    this.#app = this.options.features ? { ...app, bot: new Tutorbot(app.core, createFeatureRegistry([...defaultFeatures, ...this.options.features])) } : app;
    const staff = await app.core.db.selectFrom('staff').select(['email', 'display_name']).where('school_id', '=', app.schoolId).execute();
    for (const member of staff) {
      if (this.options.unknownToTeams?.includes(member.email)) continue;
      this.addTeamsUser(member.email, member.display_name);
    }
    this.#server = await startHttpServer(this.#app, [mountTeams], { port: 0, host: '127.0.0.1' });
  }

  async close(): Promise<void> {
    await this.#server?.close();
    await this.#app?.close();
    await this.connector.close();
  }

  /** A Teams account the fake knows (staff or not), in the test tenant unless told otherwise. */
  addTeamsUser(email: string, displayName: string, options: { tenantId?: string; canChat?: boolean } = {}): FakeTeamsUser {
    const hash = createHash('sha256').update(email).digest('hex');
    const [givenName = '', ...rest] = displayName.replace(/^(Mr|Mrs|Ms|Miss|Dr|Mx)\s+/, '').split(' ');
    const user: FakeTeamsUser = {
      id: `29:1${hash.slice(0, 40)}`,
      aadObjectId: `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`,
      name: displayName,
      givenName,
      surname: rest.join(' '),
      email,
      userPrincipalName: email,
      tenantId: options.tenantId ?? testTenantId,
      canChat: options.canChat,
    };
    this.#users.set(email, user);
    this.connector.addUser(user);
    return user;
  }

  userFor(email: string): FakeTeamsUser {
    const user = this.#users.get(email);
    if (user) return user;
    // Someone Teams does not know: ids exist, but member look-ups answer 404.
    const hash = createHash('sha256').update(email).digest('hex');
    return {
      id: `29:1${hash.slice(0, 40)}`,
      aadObjectId: hash.slice(0, 36),
      name: email,
      givenName: '',
      surname: '',
      email,
      userPrincipalName: email,
      tenantId: testTenantId,
    };
  }

  personalConversationId(email: string): string {
    return FakeBotConnector.personalConversationId(this.userFor(email).id);
  }

  nextActivityId(): string {
    this.#activity += 1;
    return String(1_732_000_000_000 + this.#activity);
  }

  /** POSTs an activity to /api/messages as Teams would, and collects what the fake received meanwhile. */
  async post(activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<PostResult> {
    const before = this.connector.calls.length;
    const response = await fetch(`${this.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, calls: this.connector.calls.slice(before) };
  }

  base(email: string, conversation: 'personal' | 'channel', options: { tenantId?: string; rootId?: string } = {}): Record<string, unknown> {
    const user = this.userFor(email);
    const tenantId = options.tenantId ?? user.tenantId;
    const common = {
      timestamp: new Date().toISOString(),
      serviceUrl: this.connector.url,
      channelId: 'msteams',
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: botId, name: 'tutorbot' },
      locale: 'en-GB',
    };
    if (conversation === 'personal') {
      return {
        ...common,
        conversation: { conversationType: 'personal', tenantId, id: FakeBotConnector.personalConversationId(user.id) },
        channelData: { tenant: { id: tenantId } },
      };
    }
    return {
      ...common,
      conversation: { isGroup: true, conversationType: 'channel', tenantId, id: `${channelId};messageid=${options.rootId ?? '1732000000000'}` },
      channelData: {
        teamsChannelId: channelId,
        teamsTeamId: teamId,
        channel: { id: channelId },
        team: { id: teamId },
        tenant: { id: tenantId },
      },
    };
  }

  /** The user adds the app in personal scope: Teams sends conversationUpdate with the bot in membersAdded. */
  async install(email: string, options: { tenantId?: string } = {}): Promise<PostResult> {
    this.#installed.add(email);
    return this.post({ ...this.base(email, 'personal', options), type: 'conversationUpdate', id: `f:${this.nextActivityId()}`, membersAdded: [{ id: botId }] });
  }

  /** The user removes the app: conversationUpdate with the bot in membersRemoved. */
  async uninstall(email: string): Promise<PostResult> {
    this.#installed.delete(email);
    return this.post({ ...this.base(email, 'personal'), type: 'conversationUpdate', id: `f:${this.nextActivityId()}`, membersRemoved: [{ id: botId }] });
  }

  async personalMessage(email: string, text: string, options: { tenantId?: string; id?: string } = {}): Promise<PostResult> {
    return this.post({
      ...this.base(email, 'personal', options),
      type: 'message',
      id: options.id ?? this.nextActivityId(),
      textFormat: 'plain',
      text,
      entities: [{ type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' }],
    });
  }

  async channelMessage(email: string, text: string, options: { tenantId?: string; mention?: boolean; id?: string } = {}): Promise<PostResult> {
    const id = options.id ?? this.nextActivityId();
    const mention = options.mention !== false;
    return this.post({
      ...this.base(email, 'channel', { ...options, rootId: id }),
      type: 'message',
      id,
      textFormat: 'plain',
      text: mention ? `<at>tutorbot</at> ${text}` : text,
      entities: [
        ...(mention ? [{ type: 'mention', text: '<at>tutorbot</at>', mentioned: { id: botId, name: 'tutorbot' } }] : []),
        { type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' },
      ],
    });
  }

  /** Action.Execute on a card: an `adaptiveCard/action` invoke; the answer is in the HTTP response. */
  async execute(
    email: string,
    data: Record<string, unknown>,
    options: { replyToId?: string; conversation?: 'personal' | 'channel'; verb?: string; id?: string } = {},
  ): Promise<PostResult> {
    const verb = options.verb ?? (typeof data.tutorbotForm === 'string' ? 'tutorbot.form' : 'tutorbot.action');
    const base = this.base(email, options.conversation ?? 'personal');
    return this.post({
      ...base,
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: options.id ?? `f:${this.nextActivityId()}`,
      replyToId: options.replyToId,
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      channelData: { ...(base.channelData as object), source: { name: 'message' }, legacy: { replyToId: options.replyToId } },
    });
  }

  /** Action.Submit on a card: a message with no text and the data plus inputs as `value`. */
  async submit(
    email: string,
    value: Record<string, unknown>,
    options: { replyToId?: string; conversation?: 'personal' | 'channel'; id?: string } = {},
  ): Promise<PostResult> {
    const base = this.base(email, options.conversation ?? 'personal');
    return this.post({
      ...base,
      type: 'message',
      id: options.id ?? this.nextActivityId(),
      replyToId: options.replyToId,
      value,
      channelData: { ...(base.channelData as object), source: { name: 'message' }, legacy: { replyToId: options.replyToId } },
    });
  }

  /** The type-ahead query Teams sends while someone types in a pupil picker. */
  async search(email: string, queryText: string, dataset = 'pupils'): Promise<PostResult> {
    return this.post({
      ...this.base(email, 'personal'),
      type: 'invoke',
      name: 'application/search',
      id: `f:${this.nextActivityId()}`,
      value: { queryText, queryOptions: { skip: 0, top: 15 }, dataset },
    });
  }

  // ---- PlatformHarness ----

  async say(email: string, text: string, where: 'direct' | 'channel' = 'direct'): Promise<RenderedReply[]> {
    // Like a real tenant, anyone may have a Teams account; whether they are staff is tutorbot's question.
    if (!this.#users.has(email) && !this.options.unknownToTeams?.includes(email)) this.addTeamsUser(email, email.split('@')[0]);
    if (where === 'direct' && !this.#installed.has(email)) await this.install(email);
    const result = where === 'direct' ? await this.personalMessage(email, text) : await this.channelMessage(email, text);
    if (result.status !== 200) throw new Error(`Teams edge answered ${result.status}: ${JSON.stringify(result.body)}`);
    return result.calls.filter((call) => call.method === 'POST' && call.status < 300 && call.createdId).map((call) => this.render(call, email));
  }

  async press(email: string, button: { actionId: string; value: string }): Promise<RenderedReply[]> {
    const card = this.#findCardWith(button);
    const conversation = card && card.conversationId !== this.personalConversationId(email) ? 'channel' : 'personal';
    const result = await this.execute(
      email,
      { tutorbotAction: button.actionId, value: button.value },
      { replyToId: card?.createdId ?? undefined, conversation },
    );
    if (result.status !== 200) throw new Error(`Teams edge answered ${result.status}: ${JSON.stringify(result.body)}`);
    const replies: RenderedReply[] = [];
    const answer = result.body as { type?: string; value?: unknown } | null;
    const visibleTo = conversation === 'personal' ? 'dm' : 'asker';
    if (answer?.type === 'application/vnd.microsoft.card.adaptive') replies.push({ ...renderCardContent(answer.value), visibleTo });
    else if (answer?.type === 'application/vnd.microsoft.activity.message' && typeof answer.value === 'string')
      replies.push({ text: answer.value, buttons: [], visibleTo });
    for (const call of result.calls) if (call.method === 'POST' && call.createdId) replies.push(this.render(call, email));
    return replies;
  }

  async directMessagesTo(email: string): Promise<RenderedReply[]> {
    await this.app.deliveries.sweep({ includeUnreachable: true });
    const conversationId = this.personalConversationId(email);
    return this.connector.activities({ conversationId, proactive: true }).map((call) => this.render(call, email));
  }

  render(call: RecordedCall, askerEmail: string): RenderedReply {
    const visibleTo = call.conversationId === this.personalConversationId(askerEmail) || call.conversationId?.startsWith('a:') ? 'dm' : 'channel';
    return { ...renderActivity(call.body ?? {}), visibleTo };
  }

  #findCardWith(button: { actionId: string; value: string }): RecordedCall | undefined {
    return [...this.connector.activities({ method: 'POST' })]
      .reverse()
      .find((call) => renderActivity(call.body ?? {}).buttons.some((candidate) => candidate.actionId === button.actionId && candidate.value === button.value));
  }
}

export function createTeamsHarness(engine: Engine = 'pglite', options: TeamsHarnessOptions = {}): TeamsHarness {
  return new TeamsHarness(engine, options);
}

/** What a person sees in a Teams message: its text (or the card's text) and its tutorbot buttons. */
export function renderActivity(activity: Record<string, unknown>): Omit<RenderedReply, 'visibleTo'> {
  const attachments = (activity.attachments as { contentType?: string; content?: unknown }[] | undefined) ?? [];
  const card = attachments.find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive');
  if (card) return renderCardContent(card.content);
  return { text: typeof activity.text === 'string' ? activity.text : '', buttons: [] };
}

/** Card markdown as Teams shows it: bold markers gone, escaped characters as themselves. */
function readMarkdown(markdown: string): string {
  return unescapeCardMarkdown(markdown.replace(/(?<!\\)\*\*/g, ''));
}

export function renderCardContent(card: unknown): Omit<RenderedReply, 'visibleTo'> {
  const lines: string[] = [];
  const buttons: RenderedReply['buttons'] = [];
  const walk = (node: unknown, line: string[] | null): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child, line);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    const out = (text: string) => (line ? line.push(text) : lines.push(text));
    switch (element.type) {
      case 'TextBlock':
        out(readMarkdown(String(element.text ?? '')));
        return;
      case 'FactSet':
        for (const fact of (element.facts as { title: string; value: string }[]) ?? []) out(`${readMarkdown(fact.title)}: ${readMarkdown(fact.value)}`);
        return;
      case 'ColumnSet': {
        // One row of a list: its columns read as one line.
        const row: string[] = [];
        walk(element.columns, row);
        lines.push(row.join(' '));
        return;
      }
      case 'Action.Execute':
      case 'Action.Submit': {
        const data = element.data as { tutorbotAction?: string; value?: string } | undefined;
        if (data?.tutorbotAction) buttons.push({ actionId: data.tutorbotAction, value: data.value ?? '', label: String(element.title ?? '') });
        return;
      }
      case 'Table': {
        for (const row of (element.rows as { cells: { items: unknown[] }[] }[]) ?? []) {
          const cells = row.cells.map((cell) => {
            const parts: string[] = [];
            walk(cell.items, parts);
            return parts.join(' ');
          });
          lines.push(cells.join(' | '));
        }
        return;
      }
      default:
        if (typeof element.type === 'string' && element.type.startsWith('Input.')) {
          out(`[${String(element.label ?? element.id)}]`);
          return;
        }
        walk(element.body, line);
        walk(element.items, line);
        walk(element.columns, line);
        walk(element.actions, line);
    }
  };
  walk(card, null);
  return { text: lines.filter((line) => line.trim()).join('\n'), buttons };
}
