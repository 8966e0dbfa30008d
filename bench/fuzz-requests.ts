/**
 * Fuzzed requests against the real server (`npm run bench -- --fuzz`, `--fuzz=N` for N Slack and
 * N/3 Teams requests, `--seed=S` to repeat a run). The real HTTP server with the Slack edge, then
 * with the Teams edge, each on embedded PGlite with the test school, over loopback against the
 * fakes of the platforms' APIs (test/support), receives thousands of correctly signed requests
 * whose shapes and text fast-check generates from one printed seed: slash commands, events,
 * interactivity payloads; Teams messages, card actions and conversation updates with a valid
 * Bot Framework token from the fake OpenID metadata.
 *
 * It counts what a robustness check cares about, per platform:
 *   - 5xx: any HTTP 5xx answer;
 *   - unanswered: a slash command, direct message, mention or Teams message that got no answer
 *     (ack body, response_url post, chat.postMessage/postEphemeral, modal, Teams reply) within 3 s;
 *   - leaks: a pupil's full name or a note's text in a channel-visible post (Slack: chat.postMessage
 *     to a C… channel, or an in_channel response_url post from one; Teams: a message into a channel
 *     conversation), or stack-trace / internal error text in a response body or any post;
 *   - sorry: answers saying "something went wrong on my side" (a failure the edge caught);
 * and the HTTP time per request. Requests are sent one at a time, each after the previous one's
 * work has finished, so a problem is pinned to the request that caused it (printed with its seed).
 *
 * Run alone: npx node bench/fuzz-requests.ts [--fuzz=N] [--seed=S]
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { MsalAppCredentials } from 'botframework-connector';
import fc from 'fast-check';
import { features } from '../src/app/features.ts';
import { createLogger, type Logger } from '../src/logger.ts';
import { formCallbackId } from '../adapters/slack/render-modal.ts';
import { fakeBotUserId, slackSignature, type FakeSlackUser } from '../test/support/fake-slack-api.ts';
import { FakeOpenIdMetadata } from '../test/support/fake-openid-metadata.ts';
import { homeTeamId, SlackHarness, staffRoomChannel } from '../test/support/slack-harness.ts';
import { botId, createTeamsHarness, type TeamsHarness } from '../test/support/teams-harness.ts';
import { summarize } from './stats.ts';

const answerWithinMs = 3_000;
const teamsAppId = '00000000-0000-4000-8000-0000000f0220';

export interface FuzzOptions {
  slack?: number;
  teams?: number;
  seed?: number;
}

/** One problem, with enough of the request to reproduce it by hand. */
interface Finding {
  kind: '5xx' | 'unanswered' | 'leak' | 'internal text' | 'sorry' | 'slow' | 'bench error';
  index: number;
  detail: string;
  request: string;
}

interface Tally {
  tried: number;
  expectingAnswer: number;
  fivexx: number;
  unanswered: number;
  leaks: number;
  internal: number;
  sorry: number;
  latencies: number[];
  answerLatencies: number[];
  findings: Finding[];
  /** The app's warn and error lines (events and codes only; the app never logs payload text). */
  logLines: string[];
  logged: number;
  benchErrors: number;
}

function newTally(): Tally {
  return {
    tried: 0,
    expectingAnswer: 0,
    fivexx: 0,
    unanswered: 0,
    leaks: 0,
    internal: 0,
    sorry: 0,
    latencies: [],
    answerLatencies: [],
    findings: [],
    logLines: [],
    logged: 0,
    benchErrors: 0,
  };
}

function note(tally: Tally, finding: Finding): void {
  if (tally.findings.filter((seen) => seen.kind === finding.kind).length >= 5) return;
  const logged = tally.logLines.join(' ');
  tally.findings.push(logged ? { ...finding, detail: `${finding.detail}; logged ${logged}` } : finding);
}

/** Keeps the app's warn and error lines of the request being tried, so a finding says what the app saw. */
function collectingLogger(tally: () => Tally): Logger {
  const keep = (line: string) => {
    const { time: _time, level: _level, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const current = tally();
    current.logged += 1;
    if (current.logLines.length < 4) current.logLines.push(JSON.stringify(rest));
  };
  return createLogger('warn', keep);
}

function benchError(tally: Tally, index: number, error: unknown): void {
  tally.benchErrors += 1;
  if (tally.benchErrors <= 3) tally.findings.push({ kind: 'bench error', index, detail: String((error as Error)?.stack ?? error).slice(0, 400), request: '' });
}

// ---- hostile text ----

const objectWords = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', 'length'];
const objectWord = fc.constantFrom(...objectWords);
const injections = fc.constantFrom(
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U00000001>',
  '<#C0STAFFROOM|staffroom>',
  '<https://evil.example|click here>',
  '[click](https://evil.example)',
  '![x](https://evil.example/x.png)',
  '*bold* _it_ ~strike~ `code` ```block```',
  '<at>tutorbot</at>',
  '<script>alert(1)</script>',
  '&lt;&amp;&gt;',
  ['$', '{process.env}'].join(''), // a template placeholder, as text
  '{{7*7}}',
  "'; DROP TABLE pupil; --",
  '\u202Eevil\u202C',
  '\uFEFF\u200B\u200D',
  'Z\u0351\u0337\u0334a\u0338\u0352l\u0335g\u0336o',
  '\uD83D\uDE00\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67',
  '\uD800',
  '\u0000\u0001\u0007\u001B[31m',
  '\r\n\r\n',
);
const controlText = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((code) => String.fromCharCode(code)), maxLength: 20 });

function hostileText(pupilNames: string[], staffNames: string[]): fc.Arbitrary<string> {
  const pupil = fc.constantFrom(...pupilNames);
  const staff = fc.constantFrom(...staffNames);
  const words = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 2, arbitrary: injections },
    { weight: 2, arbitrary: objectWord },
    { weight: 1, arbitrary: controlText },
    { weight: 2, arbitrary: pupil },
  );
  const sentence = fc.array(words, { maxLength: 4 }).map((parts) => parts.join(' '));
  const huge = fc
    .tuple(fc.oneof(injections, objectWord, fc.string({ minLength: 1, maxLength: 8 })), fc.integer({ min: 500, max: 6_000 }))
    .map(([piece, times]) => piece.repeat(times).slice(0, 40_000));
  const verb = fc.constantFrom('concern', 'praise', 'success', 'safeguarding', 'meeting');
  return fc.oneof(
    { weight: 3, arbitrary: sentence },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'help', '?', 'commands', 'tutees', 'my tutees', 'unassigned', 'caseload', 'contacts') },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('who tutors ', 'who is ', 'tutor ', 'notes ', 'history ', 'targets '), fc.oneof(pupil, sentence, objectWord))
        .map(([a, b]) => `${a}${b}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(verb, fc.oneof(pupil, objectWord, sentence), fc.constantFrom(': ', ' - ', ':', ''), sentence)
        .map(([v, p, s, t]) => `${v} ${p}${s}${t}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('caseload ', 'caseload year ', 'caseload house ', 'help ', 'contacts '), fc.oneof(sentence, objectWord, fc.nat(99).map(String)))
        .map(([a, b]) => `${a}${b}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.oneof(pupil, objectWord, sentence), fc.oneof(staff, objectWord, sentence), sentence)
        .map(([p, s, r]) => `assign ${p} to ${s}: ${r}`),
    },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(staff, objectWord), fc.oneof(staff, objectWord)).map(([a, b]) => `handover ${a} to ${b}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/tutor ', '<@UTUTORBOT> ', '<at>tutorbot</at> '), sentence).map(([a, b]) => `${a}${b}`) },
  );
}

/** Any JSON, with object-key words among the keys, for the fields that should have been objects or strings. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }),
  fc.dictionary(fc.oneof(objectWord, fc.string({ maxLength: 8 })), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
  objectWord,
);

/** Sometimes replaces or removes some of an object's fields with odd values. */
function perturb<T extends Record<string, unknown>>(base: fc.Arbitrary<T>, keys: string[], chance = 0.3): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(base, fc.array(fc.tuple(fc.constantFrom(...keys), oddValue), { maxLength: 3 }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([value, edits, roll]) => {
      if (roll >= chance) return value;
      const out: Record<string, unknown> = { ...value };
      for (const [key, odd] of edits) {
        if (odd === undefined) delete out[key];
        else out[key] = odd;
      }
      return out;
    });
}

// ---- what counts as internal text or a leak ----

const internalPatterns = [
  /\n\s+at \S/,
  /\bat (?:async )?[\w$.<>]+ \((?:file:|node:|\/)/,
  /node:internal/,
  /node_modules/,
  /\/work\//,
  /\.ts:\d+:\d+/,
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|AggregateError)\b/,
  /Cannot read propert/,
  /is not a function/,
  /\bECONN(?:REFUSED|RESET)\b/,
  /\bduplicate key value\b|\bviolates .* constraint\b|\bsyntax error at or near\b/,
  /\btutorbot_[a-z_]+\b/,
];

function internalTextIn(text: string, requestText: string): string | null {
  for (const pattern of internalPatterns) {
    const found = pattern.exec(text);
    if (found && !requestText.includes(found[0])) return found[0];
  }
  return null;
}

// The product's own fixed examples (help, the channel greeting) name the demo school's Amelia Jones.
const exampleCommand = /who tutors Amelia Jones/g;

/** Pupils' full names, less those a member of staff also has (the demo school has a Lucía Wood of each): a staff name in a channel is no leak. */
function pupilNamesOnly(pupils: string[], staffNames: string[]): string[] {
  const staff = new Set(staffNames.map((name) => name.replace(/^(Mr|Mrs|Ms|Miss|Dr|Mx)\s+/, '').toLowerCase()));
  return pupils.filter((name) => !staff.has(name.toLowerCase()));
}

function sensitiveIn(text: string, names: string[], secrets: string[]): string | null {
  const lower = text.replace(exampleCommand, 'who tutors <example>').toLowerCase();
  for (const secret of secrets) if (text.includes(secret)) return `note text ${secret}`;
  for (const name of names) if (lower.includes(name.toLowerCase())) return `pupil ${name}`;
  return null;
}

/** What a person would read in a post: ids, button values and form metadata are not shown, so not scanned. */
function shownText(value: unknown): string {
  const hidden = new Set(['callback_id', 'private_metadata', 'action_id', 'block_id', 'value', 'metadata', 'id', 'trigger_id', 'url']);
  return JSON.stringify(value, (key, field) => (hidden.has(key) ? undefined : field)) ?? '';
}

function summarizeRequest(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

async function until(condition: () => boolean, deadline: number): Promise<boolean> {
  while (!condition()) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

// ---- Slack ----

type SlackCase =
  | { kind: 'command'; user: number; channel: string; team: 'home' | 'other'; text: string; odd: Record<string, unknown> | null }
  | { kind: 'event'; user: number; event: Record<string, unknown>; envelope: Record<string, unknown> | null; expectsAnswer: 'dm' | 'mention' | null }
  | { kind: 'url_verification'; challenge: unknown }
  | { kind: 'interaction'; user: number; payload: Record<string, unknown> };

async function fuzzSlack(count: number, seed: number, progress: (line: string) => void): Promise<Tally> {
  const tally = newTally();
  const harness = new SlackHarness({ engine: 'pglite', logger: collectingLogger(() => tally) });
  await harness.start();
  try {
    const fake = harness.fake;
    const db = harness.app.core.db;
    const pupils = await db.selectFrom('pupil').select(['given_name', 'family_name']).execute();
    const pupilNames = pupils.map((pupil) => `${pupil.given_name} ${pupil.family_name}`);
    const staff = await db.selectFrom('staff').select(['email', 'display_name']).where('active', '=', true).orderBy('id').execute();
    const users: FakeSlackUser[] = staff.slice(0, 30).map((member) => harness.user(member.email));
    // Someone in the workspace who is not on the staff, and a Slack account with no email at all.
    users.push(harness.user('visitor@elsewhere.example'), fake.addUser({ email: null, teamId: homeTeamId }));
    const staffNames = staff.map((member) => member.display_name);
    const times = timestampCalls(fake.calls);

    // Notes whose text must never reach a channel: logged privately before the fuzz starts.
    const secrets: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const secret = `FUZZSECRET${index}${randomBytes(4).toString('hex')}`;
      secrets.push(secret);
      await harness.slashCommand(staff[index].email, `concern ${pupilNames[index]}: ${secret} happened`, { channelId: fake.dmChannelFor(users[index].id) });
    }

    const actionIds = [...new Set(features.flatMap((feature) => Object.keys(feature.actions ?? {})))];
    const formIds = [...new Set(features.flatMap((feature) => Object.keys(feature.forms ?? {})))];
    const text = hostileText(pupilNames, staffNames);
    const userIndex = fc.nat(users.length - 1);
    const channel = fc.oneof(
      fc.constant(staffRoomChannel),
      fc.constant('C0OTHERCHAN'),
      fc.constant('G0PRIVATE1'),
      fc.constant('D'),
      fc.constant(''),
      fc.string({ maxLength: 12 }),
    );
    const command = fc.record({
      kind: fc.constant('command' as const),
      user: userIndex,
      channel,
      team: fc.constantFrom('home' as const, 'home' as const, 'home' as const, 'other' as const),
      text,
      odd: fc.option(
        fc.dictionary(
          fc.constantFrom('team_id', 'user_id', 'command', 'channel_id', 'enterprise_id', 'is_enterprise_install', 'trigger_id', '__proto__', 'constructor'),
          fc.oneof(objectWord, fc.string({ maxLength: 12 })),
          { maxKeys: 2 },
        ),
        { freq: 8 },
      ),
    });
    const userMessage = fc.record({ type: fc.constant('message'), channel_type: fc.constant('im'), text, subtype: fc.constant(undefined) });
    const event = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('dm' as const), text }) },
      {
        weight: 3,
        arbitrary: fc.record({ kind: fc.constant('mention' as const), text, channel: fc.constantFrom(staffRoomChannel, 'C0OTHERCHAN', 'G0PRIVATE1') }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('home' as const), tab: fc.oneof(fc.constantFrom('home', 'messages', '__proto__'), oddValue) }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('odd' as const),
          event: perturb(userMessage, ['type', 'channel_type', 'text', 'subtype', 'user', 'channel', 'bot_id', 'team', 'user_team'], 1),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('other' as const),
          type: fc.oneof(
            fc.constantFrom(
              'reaction_added',
              'member_joined_channel',
              'app_uninstalled',
              'tokens_revoked',
              'team_join',
              'user_change',
              'message',
              'app_mention',
            ),
            objectWord,
            fc.string({ maxLength: 10 }),
          ),
          extra: fc.dictionary(fc.oneof(objectWord, fc.string({ maxLength: 8 })), oddValue, { maxKeys: 4 }),
        }),
      },
    );
    const envelopeOdd = fc.option(
      fc.dictionary(
        fc.constantFrom('team_id', 'authorizations', 'event_id', 'api_app_id', 'enterprise_id', 'context_team_id', 'is_enterprise_install', 'event_time'),
        oddValue,
        { minKeys: 1, maxKeys: 3 },
      ),
      { freq: 6 },
    );
    const slackEvent = fc.tuple(userIndex, event, envelopeOdd).map(([user, chosen, envelope]): SlackCase => {
      const id = users[user].id;
      const dm = fake.dmChannelFor(id);
      const ts = `${(Date.now() / 1000).toFixed(6)}`;
      switch (chosen.kind) {
        case 'dm':
          return {
            kind: 'event',
            user,
            envelope,
            expectsAnswer: envelope ? null : 'dm',
            event: { type: 'message', channel: dm, channel_type: 'im', text: chosen.text, ts, client_msg_id: `m${ts}` },
          };
        case 'mention':
          return {
            kind: 'event',
            user,
            envelope,
            expectsAnswer: envelope ? null : 'mention',
            event: { type: 'app_mention', channel: chosen.channel, text: `<@${fakeBotUserId}> ${chosen.text}`, ts },
          };
        case 'home':
          return { kind: 'event', user, envelope, expectsAnswer: null, event: { type: 'app_home_opened', tab: chosen.tab, channel: dm } };
        case 'odd':
          return { kind: 'event', user, envelope, expectsAnswer: null, event: { channel: dm, ts, ...chosen.event } };
        default:
          return { kind: 'event', user, envelope, expectsAnswer: null, event: { ...chosen.extra, type: chosen.type } };
      }
    });
    const callbackId = fc.oneof(fc.constantFrom('log_concern', 'log_as_concern', formCallbackId, '', 'toString'), objectWord, fc.string({ maxLength: 12 }));
    const actionId = fc.oneof(
      fc.constantFrom(...actionIds).map((id) => `${id}::0`),
      fc.constantFrom(...actionIds),
      fc.constant('tutorbot:open_form::0'),
      objectWord,
      objectWord.map((word) => `${word}::${word}`),
      fc.string({ maxLength: 20 }),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      objectWord,
      fc.nat().map(String),
      fc.json({ maxDepth: 2 }),
      fc.constantFrom(...formIds).map((id) => JSON.stringify({ f: id })),
    );
    const channelField = fc.oneof(fc.constantFrom(staffRoomChannel, 'C0OTHERCHAN', 'D0DIRECT'), oddValue);
    const interaction = fc
      .tuple(
        userIndex,
        fc.oneof(
          // An interaction of a type Bolt does not know waits 2.5 s for its empty ack (answer-every-request.ts): rare, to keep the run short.
          {
            weight: 40,
            arbitrary: fc.oneof(
              fc.record({
                type: fc.constant('block_actions'),
                action: fc.record({
                  action_id: actionId,
                  value,
                  type: fc.constantFrom('button', 'button', 'static_select', 'overflow'),
                  block_id: fc.oneof(fc.constantFrom('actions-0', 'choices-0'), fc.string({ maxLength: 8 })),
                }),
                channel: channelField,
                inHome: fc.boolean(),
                withResponseUrl: fc.boolean(),
              }),
              fc.record({
                type: fc.constant('view_submission'),
                callbackId,
                formId: fc.oneof(fc.constantFrom(...formIds), objectWord, fc.string({ maxLength: 10 })),
                metadata: fc.option(fc.string({ maxLength: 40 })),
                values: fc.dictionary(
                  fc.oneof(objectWord, fc.string({ maxLength: 8 })),
                  fc.dictionary(fc.oneof(objectWord, fc.string({ maxLength: 8 })), oddValue, { maxKeys: 2 }),
                  { maxKeys: 4 },
                ),
                conversation: fc.constantFrom('shared', 'direct', '__proto__'),
              }),
              fc.record({ type: fc.constant('view_closed'), callbackId }),
              fc.record({ type: fc.constantFrom('shortcut', 'message_action'), callbackId, text, channel: channelField, withResponseUrl: fc.boolean() }),
              fc.record({ type: fc.constant('block_suggestion'), actionId, value: text }),
            ),
          },
          { weight: 1, arbitrary: fc.record({ type: fc.oneof(objectWord, fc.string({ maxLength: 10 })), callbackId }) },
        ),
        fc.option(
          fc.dictionary(
            fc.constantFrom('user', 'team', 'view', 'actions', 'container', 'channel', 'message', 'trigger_id', 'response_url', 'state'),
            oddValue,
            { minKeys: 1, maxKeys: 2 },
          ),
          { freq: 6 },
        ),
      )
      .map(([user, chosen, odd]): SlackCase => {
        const slackUser = users[user];
        const base: Record<string, unknown> = {
          user: harness.interactionUser(slackUser),
          api_app_id: 'A0TUTORBOT',
          token: 'deprecated-verification-token',
          team: { id: slackUser.teamId, domain: 'northbrook' },
          enterprise: null,
          is_enterprise_install: false,
          trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
        };
        let payload: Record<string, unknown>;
        if (chosen.type === 'block_actions' && 'action' in chosen) {
          const channelId = typeof chosen.channel === 'string' ? chosen.channel : fake.dmChannelFor(slackUser.id);
          payload = {
            ...base,
            type: 'block_actions',
            container: chosen.inHome
              ? { type: 'view', view_id: 'V0HOME' }
              : { type: 'message', message_ts: '1700000000.000100', channel_id: channelId, is_ephemeral: false },
            ...(chosen.inHome
              ? { view: { id: 'V0HOME', type: 'home' } }
              : { channel: chosen.channel, message: { type: 'message', ts: '1700000000.000100', text: '' } }),
            ...(chosen.withResponseUrl ? { response_url: harness.newResponseUrl(slackUser, channelId) } : {}),
            actions: [{ ...chosen.action, action_ts: `${Date.now() / 1000}` }],
            state: { values: {} },
          };
        } else if (chosen.type === 'view_submission' && 'formId' in chosen) {
          payload = {
            ...base,
            type: 'view_submission',
            view: {
              id: 'V0MODAL',
              type: 'modal',
              callback_id: chosen.callbackId,
              private_metadata: chosen.metadata ?? JSON.stringify({ f: chosen.formId, c: chosen.conversation }),
              state: { values: chosen.values },
              blocks: Object.keys(chosen.values).map((key) => ({ type: 'input', block_id: key })),
            },
            response_urls: [],
          };
        } else if ((chosen.type === 'shortcut' || chosen.type === 'message_action') && 'text' in chosen) {
          payload = {
            ...base,
            type: chosen.type,
            callback_id: chosen.callbackId,
            ...(chosen.type === 'message_action'
              ? {
                  channel: chosen.channel,
                  message: { type: 'message', text: chosen.text, ts: '1700000000.000200', user: slackUser.id },
                  ...(chosen.withResponseUrl
                    ? { response_url: harness.newResponseUrl(slackUser, typeof chosen.channel === 'string' ? chosen.channel : '') }
                    : {}),
                }
              : {}),
          };
        } else if (chosen.type === 'block_suggestion' && 'actionId' in chosen) {
          payload = {
            ...base,
            type: 'block_suggestion',
            action_id: chosen.actionId,
            block_id: chosen.actionId,
            value: chosen.value,
            container: { type: 'view', view_id: 'V0MODAL' },
            view: { id: 'V0MODAL', type: 'modal', state: { values: {} } },
          };
        } else {
          payload = {
            ...base,
            type: chosen.type,
            callback_id: 'callbackId' in chosen ? chosen.callbackId : '',
            view: { id: 'V0MODAL', callback_id: 'callbackId' in chosen ? chosen.callbackId : '' },
          };
        }
        if (odd)
          for (const [key, field] of Object.entries(odd))
            if (field === undefined) delete payload[key];
            else payload[key] = field;
        return { kind: 'interaction', user, payload };
      });
    const cases = fc.sample(
      fc.oneof(
        { weight: 10, arbitrary: command as fc.Arbitrary<SlackCase> },
        { weight: 7, arbitrary: slackEvent },
        { weight: 6, arbitrary: interaction },
        { weight: 1, arbitrary: oddValue.map((challenge): SlackCase => ({ kind: 'url_verification', challenge })) },
      ),
      { seed, numRuns: count },
    );

    progress(`slack: ${users.length} users, ${pupilNames.length} pupils, ${cases.length} requests (seed ${seed})`);
    for (const [index, item] of cases.entries()) {
      // A request the bench itself cannot build or read (an object with no toString) is counted, not fatal.
      await slackCase(harness, users, item, index, tally, times, { names: pupilNamesOnly(pupilNames, staffNames), secrets }).catch((error) =>
        benchError(tally, index, error),
      );
      if ((index + 1) % 500 === 0) progress(`slack: ${index + 1} of ${cases.length}`);
    }
    // A channel post made late (a delivery, a retried send) counts too: one last pass over everything.
    await harness.edge.idle();
  } finally {
    await harness.close();
  }
  return tally;
}

/** Records when each call reached the fake, so an answer's time is known after the fact. */
function timestampCalls(calls: { length: number; push(...items: never[]): number }): number[] {
  // Calls made before (auth.test at start-up) keep their places, untimed.
  const times: number[] = new Array(calls.length).fill(0);
  const push = calls.push.bind(calls);
  calls.push = (...items: never[]) => {
    for (const _ of items) times.push(performance.now());
    return push(...items);
  };
  return times;
}

async function slackCase(
  harness: SlackHarness,
  users: FakeSlackUser[],
  item: SlackCase,
  index: number,
  tally: Tally,
  times: number[],
  sensitive: { names: string[]; secrets: string[] },
): Promise<void> {
  const fake = harness.fake;
  let body: string;
  let contentType: string;
  let requestText = '';
  let answered: ((call: { method: string; args: Record<string, unknown> }) => boolean) | null = null;
  let channelOf: (responseId: string) => string = () => '';
  if (item.kind === 'command') {
    const user = users[item.user];
    const channelId = item.channel === 'D' ? fake.dmChannelFor(user.id) : item.channel;
    const request = harness.slashCommandBody(user, item.text, { channelId });
    const form = new URLSearchParams(request.body);
    if (item.team === 'other') form.set('team_id', 'T0ELSEWHERE');
    for (const [key, value] of Object.entries(item.odd ?? {})) form.set(key, String(value));
    body = form.toString();
    contentType = 'application/x-www-form-urlencoded';
    requestText = item.text;
    const responseId = request.responseUrl.slice(request.responseUrl.lastIndexOf('/') + 1);
    channelOf = (id) => (id === responseId ? channelId : '');
    // A command with a field Slack would never send (a team id of "__proto__") is not a person asking; only its status counts.
    if (!item.odd || Object.keys(item.odd).length === 0) {
      answered = (call) =>
        (call.method === 'response_url' && call.args.id === responseId) ||
        (call.method === 'chat.postEphemeral' && call.args.user === user.id) ||
        (call.method === 'chat.postMessage' && (call.args.channel === user.id || call.args.channel === fake.dmChannelFor(user.id))) ||
        (call.method === 'views.open' && call.args.trigger_id === request.triggerId);
    }
  } else if (item.kind === 'event') {
    const user = users[item.user];
    const envelope = JSON.parse(harness.eventBody(user, item.event)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(item.envelope ?? {}))
      if (value === undefined) delete envelope[key];
      else envelope[key] = value;
    body = JSON.stringify(envelope);
    contentType = 'application/json';
    requestText = JSON.stringify(item.event);
    const channelId = typeof item.event.channel === 'string' ? item.event.channel : '';
    if (item.expectsAnswer === 'dm')
      answered = (call) => call.method === 'chat.postMessage' && (call.args.channel === channelId || call.args.channel === user.id);
    else if (item.expectsAnswer === 'mention')
      answered = (call) =>
        (call.method === 'chat.postEphemeral' && call.args.user === user.id) ||
        (call.method === 'chat.postMessage' && (call.args.channel === user.id || call.args.channel === fake.dmChannelFor(user.id)));
  } else if (item.kind === 'url_verification') {
    body = JSON.stringify({ token: 'deprecated-verification-token', challenge: item.challenge, type: 'url_verification' });
    contentType = 'application/json';
    requestText = body;
  } else {
    body = new URLSearchParams({ payload: JSON.stringify(item.payload) }).toString();
    contentType = 'application/x-www-form-urlencoded';
    requestText = JSON.stringify(item.payload);
  }
  const summary = `${item.kind} from ${users[item.kind === 'url_verification' ? 0 : item.user].email ?? 'a user with no email'}: ${summarizeRequest(item.kind === 'command' ? `${item.text} ${JSON.stringify({ channel: item.channel, team: item.team, odd: item.odd })}` : requestText)}`;
  const mark = fake.calls.length;
  const started = performance.now();
  tally.tried += 1;
  tally.logLines = [];
  let status = 0;
  let responseText = '';
  try {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${harness.server.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(harness.signingSecret, timestamp, body),
      },
      body,
    });
    status = response.status;
    responseText = await response.text();
  } catch (error) {
    responseText = String(error);
  }
  const took = performance.now() - started;
  tally.latencies.push(took);
  if (took > 1_000) note(tally, { kind: 'slow', index, detail: `HTTP ${status} after ${Math.round(took)} ms`, request: summary });
  if (status >= 500 || status === 0) {
    tally.fivexx += 1;
    note(tally, { kind: '5xx', index, detail: `HTTP ${status} ${responseText.slice(0, 200)}`, request: summary });
  }
  const internal = internalTextIn(responseText, requestText);
  if (internal) {
    tally.internal += 1;
    note(tally, { kind: 'internal text', index, detail: `response body: ${internal}`, request: summary });
  }
  await new Promise((resolve) => setImmediate(resolve));
  await harness.edge.idle();
  if (answered) {
    tally.expectingAnswer += 1;
    const check = answered;
    const ackAnswered = responseText.trim() !== '' && status < 300;
    const found = () => fake.calls.slice(mark).some(check);
    const ok = ackAnswered || (await until(found, started + answerWithinMs));
    if (ok) {
      const at = ackAnswered ? performance.now() : times[mark + fake.calls.slice(mark).findIndex(check)];
      tally.answerLatencies.push(at - started);
    } else {
      tally.unanswered += 1;
      note(tally, {
        kind: 'unanswered',
        index,
        detail: `HTTP ${status}, calls: ${
          fake.calls
            .slice(mark)
            .map((call) => call.method)
            .join(', ') || 'none'
        }`,
        request: summary,
      });
    }
  }
  for (const call of fake.calls.slice(mark)) {
    const shown = shownText(call.args);
    const internalPost = internalTextIn(shown, requestText);
    if (internalPost) {
      tally.internal += 1;
      note(tally, { kind: 'internal text', index, detail: `${call.method}: ${internalPost}`, request: summary });
    }
    if (/something went wrong on my side/.test(shown)) {
      tally.sorry += 1;
      note(tally, { kind: 'sorry', index, detail: call.method, request: summary });
    }
    const channelVisible =
      (call.method === 'chat.postMessage' && /^C/.test(String(call.args.channel ?? ''))) ||
      (call.method === 'response_url' && call.args.response_type === 'in_channel' && /^C/.test(channelOf(String(call.args.id))));
    if (!channelVisible) continue;
    const leaked = sensitiveIn(shown, sensitive.names, sensitive.secrets);
    if (leaked) {
      tally.leaks += 1;
      note(tally, {
        kind: 'leak',
        index,
        detail: `${call.method} to ${String(call.args.channel ?? channelOf(String(call.args.id)))}: ${leaked}`,
        request: summary,
      });
    }
  }
}

// ---- Teams ----

type TeamsCase =
  | { kind: 'personal'; user: number; text: string; odd: Record<string, unknown> | null }
  | { kind: 'mention'; user: number; text: string; mention: boolean; odd: Record<string, unknown> | null }
  | { kind: 'invoke'; user: number; conversation: 'personal' | 'channel'; name: string; value: unknown; odd: Record<string, unknown> | null }
  | { kind: 'submit'; user: number; conversation: 'personal' | 'channel'; value: unknown }
  | { kind: 'conversationUpdate'; user: number; conversation: 'personal' | 'channel'; added: unknown; removed: unknown }
  | { kind: 'other'; user: number; type: string; extra: Record<string, unknown> };

async function fuzzTeams(count: number, seed: number, progress: (line: string) => void): Promise<Tally> {
  const tally = newTally();
  // No fake stands in for Microsoft Entra's token endpoint (the bot's own outgoing token), so the
  // bench hands the SDK a fixed one; incoming tokens are checked for real against the fake metadata.
  MsalAppCredentials.prototype.getToken = async () => 'fuzz-bench-outgoing-token';
  const metadata = new FakeOpenIdMetadata();
  await metadata.start();
  const harness = createTeamsHarness('pglite', {
    app: {
      logger: collectingLogger(() => tally),
      env: { MICROSOFT_APP_ID: teamsAppId, MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_OPENID_METADATA_URL: metadata.metadataUrl },
    },
  });
  await harness.start();
  try {
    const connector = harness.connector;
    const db = harness.app.core.db;
    const pupils = await db.selectFrom('pupil').select(['given_name', 'family_name']).execute();
    const pupilNames = pupils.map((pupil) => `${pupil.given_name} ${pupil.family_name}`);
    const staff = await db.selectFrom('staff').select(['email', 'display_name']).where('active', '=', true).orderBy('id').execute();
    const emails = staff.slice(0, 30).map((member) => member.email);
    harness.addTeamsUser('visitor@elsewhere.example', 'A Visitor');
    emails.push('visitor@elsewhere.example', 'nobody-teams-knows@northbrook.example');
    const staffNames = staff.map((member) => member.display_name);
    const times = timestampCalls(connector.calls);
    const token = () => `Bearer ${metadata.token(teamsAppId, connector.url)}`;

    const secrets: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const secret = `FUZZSECRET${index}${randomBytes(4).toString('hex')}`;
      secrets.push(secret);
      await harness.post(
        { ...harness.base(emails[index], 'personal'), type: 'message', id: harness.nextActivityId(), text: `concern ${pupilNames[index]}: ${secret} happened` },
        { authorization: token() },
      );
    }

    const actionIds = [...new Set(features.flatMap((feature) => Object.keys(feature.actions ?? {})))];
    const formIds = [...new Set(features.flatMap((feature) => Object.keys(feature.forms ?? {})))];
    const text = hostileText(pupilNames, staffNames);
    const user = fc.nat(emails.length - 1);
    const conversation = fc.constantFrom('personal' as const, 'channel' as const);
    const oddFields = fc.option(
      fc.dictionary(
        fc.constantFrom(
          'from',
          'conversation',
          'channelData',
          'entities',
          'recipient',
          'text',
          'textFormat',
          'locale',
          'value',
          'replyToId',
          'id',
          'attachments',
          'timestamp',
        ),
        oddValue,
        { minKeys: 1, maxKeys: 3 },
      ),
      { freq: 6 },
    );
    const data = fc.oneof(
      fc.record({
        tutorbotAction: fc.oneof(fc.constantFrom(...actionIds), objectWord, fc.string({ maxLength: 12 })),
        value: fc.oneof(fc.string({ maxLength: 30 }), objectWord, oddValue),
      }),
      fc.record({
        tutorbotForm: fc.oneof(fc.constantFrom(...formIds), objectWord, fc.string({ maxLength: 12 })),
        tutorbotState: fc.option(fc.string({ maxLength: 30 })),
      }),
      fc.dictionary(fc.oneof(objectWord, fc.string({ maxLength: 10 })), oddValue, { maxKeys: 4 }),
    );
    const invokeValue = fc.oneof(
      fc.record({
        action: fc.record({
          type: fc.constantFrom('Action.Execute', 'Action.Submit', '__proto__'),
          verb: fc.oneof(fc.constantFrom('tutorbot.action', 'tutorbot.form'), objectWord, fc.string({ maxLength: 10 })),
          data,
        }),
        trigger: fc.constant('manual'),
      }),
      fc.record({
        queryText: fc.oneof(text, objectWord),
        queryOptions: fc.record({ skip: fc.integer({ min: -5, max: 50 }), top: fc.integer({ min: -5, max: 50 }) }),
        dataset: fc.oneof(fc.constant('pupils'), objectWord, fc.string({ maxLength: 8 })),
      }),
      oddValue,
    );
    const cases = fc.sample(
      fc.oneof(
        { weight: 8, arbitrary: fc.record({ kind: fc.constant('personal' as const), user, text, odd: oddFields }) },
        {
          weight: 6,
          arbitrary: fc.record({ kind: fc.constant('mention' as const), user, text, mention: fc.constantFrom(true, true, true, false), odd: oddFields }),
        },
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('invoke' as const),
            user,
            conversation,
            name: fc.oneof(
              fc.constantFrom('adaptiveCard/action', 'adaptiveCard/action', 'application/search', 'task/fetch', 'composeExtension/query', 'signin/verifyState'),
              objectWord,
            ),
            value: invokeValue,
            odd: oddFields,
          }),
        },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('submit' as const), user, conversation, value: fc.oneof(data, oddValue) }) },
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant('conversationUpdate' as const),
            user,
            conversation,
            added: fc.oneof(
              fc.constant([{ id: botId }]),
              fc.array(fc.record({ id: fc.oneof(fc.string({ maxLength: 10 }), objectWord, oddValue) }), { maxLength: 3 }),
              oddValue,
            ),
            removed: fc.oneof(fc.constant(undefined), fc.constant([{ id: botId }]), oddValue),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant('other' as const),
            user,
            type: fc.oneof(
              fc.constantFrom('messageReaction', 'messageUpdate', 'messageDelete', 'installationUpdate', 'typing', 'event', 'endOfConversation'),
              objectWord,
              fc.string({ maxLength: 10 }),
            ),
            extra: fc.dictionary(fc.oneof(objectWord, fc.string({ maxLength: 8 })), oddValue, { maxKeys: 4 }),
          }),
        },
      ),
      { seed, numRuns: count },
    ) as TeamsCase[];

    progress(`teams: ${emails.length} users, ${cases.length} activities (seed ${seed})`);
    for (const [index, item] of cases.entries()) {
      await teamsCase(harness, emails, item, index, tally, times, token, { names: pupilNamesOnly(pupilNames, staffNames), secrets }).catch((error) =>
        benchError(tally, index, error),
      );
      if ((index + 1) % 250 === 0) progress(`teams: ${index + 1} of ${cases.length}`);
    }
  } finally {
    await harness.close();
    await metadata.close();
  }
  return tally;
}

async function teamsCase(
  harness: TeamsHarness,
  emails: string[],
  item: TeamsCase,
  index: number,
  tally: Tally,
  times: number[],
  token: () => string,
  sensitive: { names: string[]; secrets: string[] },
): Promise<void> {
  const connector = harness.connector;
  const email = emails[item.user];
  const personalId = harness.personalConversationId(email);
  const id = harness.nextActivityId();
  let activity: Record<string, unknown>;
  let expectsAnswer = false;
  switch (item.kind) {
    case 'personal':
      activity = { ...harness.base(email, 'personal'), type: 'message', id, textFormat: 'plain', text: item.text };
      expectsAnswer = item.odd === null;
      break;
    case 'mention': {
      const base = harness.base(email, 'channel', { rootId: id });
      activity = {
        ...base,
        type: 'message',
        id,
        textFormat: 'plain',
        text: item.mention ? `<at>tutorbot</at> ${item.text}` : item.text,
        entities: item.mention ? [{ type: 'mention', text: '<at>tutorbot</at>', mentioned: { id: botId, name: 'tutorbot' } }] : [],
      };
      expectsAnswer = item.mention && item.odd === null;
      break;
    }
    case 'invoke': {
      const base = harness.base(email, item.conversation);
      activity = { ...base, type: 'invoke', name: item.name, id: `f:${id}`, value: item.value, replyToId: '1732000000000' };
      break;
    }
    case 'submit': {
      const base = harness.base(email, item.conversation);
      activity = { ...base, type: 'message', id, value: item.value, replyToId: '1732000000000' };
      break;
    }
    case 'conversationUpdate': {
      const base = harness.base(email, item.conversation);
      activity = { ...base, type: 'conversationUpdate', id: `f:${id}`, membersAdded: item.added, membersRemoved: item.removed };
      break;
    }
    default:
      activity = { ...item.extra, ...harness.base(email, 'personal'), type: item.type, id };
  }
  const odd = 'odd' in item ? item.odd : null;
  if (odd)
    for (const [key, value] of Object.entries(odd))
      if (value === undefined) delete activity[key];
      else activity[key] = value;
  const requestText = JSON.stringify(activity);
  const summary = `${item.kind} from ${email}: ${summarizeRequest(JSON.stringify(item, (key, value) => (key === 'kind' || key === 'user' ? undefined : value)))}`;
  const conversationId = String((activity.conversation as { id?: unknown } | undefined)?.id ?? '');
  const mark = connector.calls.length;
  const started = performance.now();
  tally.tried += 1;
  tally.logLines = [];
  let status = 0;
  let responseText = '';
  try {
    const response = await fetch(`${harness.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token() },
      body: requestText,
    });
    status = response.status;
    responseText = await response.text();
  } catch (error) {
    responseText = String(error);
  }
  const took = performance.now() - started;
  tally.latencies.push(took);
  if (took > 1_000) note(tally, { kind: 'slow', index, detail: `HTTP ${status} after ${Math.round(took)} ms`, request: summary });
  if (status >= 500 || status === 0) {
    tally.fivexx += 1;
    note(tally, { kind: '5xx', index, detail: `HTTP ${status} ${responseText.slice(0, 200)}`, request: summary });
  }
  const internal = internalTextIn(responseText, requestText);
  if (internal) {
    tally.internal += 1;
    note(tally, { kind: 'internal text', index, detail: `response body: ${internal}`, request: summary });
  }
  if (/something went wrong on my side/.test(responseText)) {
    tally.sorry += 1;
    note(tally, { kind: 'sorry', index, detail: 'invoke response', request: summary });
  }
  const posted = (call: { method: string; status: number; path: string; conversationId: string | null }) =>
    call.method === 'POST' &&
    call.status < 300 &&
    /\/activities(\/|$)/.test(call.path) &&
    (call.conversationId === conversationId || call.conversationId === personalId);
  if (expectsAnswer) {
    tally.expectingAnswer += 1;
    const found = () => connector.calls.slice(mark).some(posted);
    if (await until(found, started + answerWithinMs)) {
      tally.answerLatencies.push(times[mark + connector.calls.slice(mark).findIndex(posted)] - started);
    } else {
      tally.unanswered += 1;
      note(tally, {
        kind: 'unanswered',
        index,
        detail: `HTTP ${status}, calls: ${
          connector.calls
            .slice(mark)
            .map((call) => `${call.method} ${call.status}`)
            .join(', ') || 'none'
        }`,
        request: summary,
      });
    }
  } else {
    // A channel's private half goes out after the turn: give it a moment before looking.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  for (const call of connector.calls.slice(mark)) {
    if (!call.body) continue;
    const shown = shownText(call.body);
    const internalPost = internalTextIn(shown, requestText);
    if (internalPost) {
      tally.internal += 1;
      note(tally, { kind: 'internal text', index, detail: `${call.method} ${call.path}: ${internalPost}`, request: summary });
    }
    if (/something went wrong on my side/.test(shown)) {
      tally.sorry += 1;
      note(tally, { kind: 'sorry', index, detail: `${call.method} ${call.path}`, request: summary });
    }
    if (!call.conversationId?.startsWith('19:') || (call.method !== 'POST' && call.method !== 'PUT')) continue;
    const leaked = sensitiveIn(shown, sensitive.names, sensitive.secrets);
    if (leaked) {
      tally.leaks += 1;
      note(tally, { kind: 'leak', index, detail: `${call.method} to ${call.conversationId}: ${leaked}`, request: summary });
    }
  }
}

// ---- the section ----

export function fuzzOptionsFrom(argv: string[]): FuzzOptions {
  const size = argv.find((arg) => arg.startsWith('--fuzz='))?.slice('--fuzz='.length);
  const seed = argv.find((arg) => arg.startsWith('--seed='))?.slice('--seed='.length);
  const slack = size ? Math.max(1, Number.parseInt(size, 10) || 1_000) : 1_000;
  return { slack, teams: Math.max(1, Math.round(slack / 3)), ...(seed ? { seed: Number.parseInt(seed, 10) } : {}) };
}

export async function benchFuzzRequests(options: FuzzOptions = {}): Promise<Record<string, number | string>> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const progress = (line: string) => {
    if (process.env.BENCH_VERBOSE) process.stderr.write(`fuzz: ${line}\n`);
  };
  process.stdout.write(`  seed ${seed} (repeat with --seed=${seed})\n`);
  const slack = await fuzzSlack(options.slack ?? 1_000, seed, progress);
  const teams = await fuzzTeams(options.teams ?? 333, seed, progress);
  const figures: Record<string, number | string> = { seed };
  for (const [platform, tally] of [
    ['slack', slack],
    ['teams', teams],
  ] as const) {
    const latency = summarize(tally.latencies);
    const answers = summarize(tally.answerLatencies);
    Object.assign(figures, {
      [`${platform} requests tried`]: tally.tried,
      [`${platform} HTTP 5xx`]: tally.fivexx,
      [`${platform} expecting an answer`]: tally.expectingAnswer,
      [`${platform} unanswered within 3 s`]: tally.unanswered,
      [`${platform} leaks to a channel`]: tally.leaks,
      [`${platform} internal error text`]: tally.internal,
      [`${platform} "something went wrong" answers`]: tally.sorry,
      [`${platform} app warn/error log lines`]: tally.logged,
      [`${platform} requests the bench could not build`]: tally.benchErrors,
      [`${platform} request p50 ms`]: latency.p50,
      [`${platform} request p99 ms`]: latency.p99,
      [`${platform} answer p50 ms`]: answers.p50,
      [`${platform} answer p99 ms`]: answers.p99,
    });
    for (const finding of tally.findings) {
      figures[`${platform} ${finding.kind} #${finding.index}`] = `${finding.detail} <- ${finding.request}`;
    }
  }
  return figures;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await benchFuzzRequests(fuzzOptionsFrom(process.argv));
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name}: ${value}\n`);
  process.exit(0);
}
