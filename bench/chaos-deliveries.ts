/**
 * The chaos run (`npm run bench -- --chaos`): durable deliveries on PostgreSQL while workers die.
 * A national-style batch (600 messages to the demo school's staff) is sent by three worker
 * processes (bench/chaos-worker.ts, the server's delivery side) through one fake Slack Web API
 * in this process. The fake is the judge: it answers 429 + Retry-After above a workspace-wide
 * limit (10 chat.postMessage a second, twice the pace the messenger keeps), 429 to a share of
 * posts for one stretch and 5xx to a share of every call for another, and records each accepted
 * post with its delivery id (message metadata) and time; it answers a post 0.1 to 0.7 s after taking it. Meanwhile workers are killed with
 * SIGKILL at random moments (once two at a time) and replaced.
 *
 * Prints delivered, lost, duplicated, dead-lettered (and how many by rate limits), the worst
 * recovery (for each claim a killed worker held: from the kill to the delivery being recorded
 * sent), the busiest second against the limit, the 429s and 5xx answered, and the wall time.
 * Target: 0 lost, 0 duplicated, 0 dead-lettered by rate limits, recovery <= 60 s.
 *
 * Repeat a run: CHAOS_SEED=<the printed seed>. The workers' log (and each orphaned claim's story) goes to the printed log file.
 * PostgreSQL: a scratch database tutorbot_chaos on the bench's server, dropped and re-created.
 * Run alone: npx node bench/chaos-deliveries.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { boot, type App } from '../src/app/boot.ts';
import { features } from '../src/app/features.ts';
import { parseConfig } from '../src/config.ts';
import { seedDemoSchoolIfEmpty } from '../src/demo/seed-demo-school.ts';
import { kickDeliveries } from '../src/delivery/outbox.ts';
import { insertDelivery } from '../src/delivery/outbox.ts';
import { silentLogger } from '../src/logger.ts';
import { FakeSlackApi } from '../test/support/fake-slack-api.ts';
import { chaosFeature, chaosKind } from './chaos-worker.ts';

const batchSize = 600;
const workerCount = 3;
const platformLimitPerSecond = 10;
const timeoutMs = 6 * 60_000;
const databaseName = 'tutorbot_chaos';
const teamId = 'T0NORTHBROOK';
// Seconds from the batch's enqueueing: the platform's bad stretches.
const rateLimitStretch = { from: 20, to: 40, share: 0.3, retryAfter: 2 };
const serverErrorStretch = { from: 45, to: 90, share: 0.2 };

/** A small seeded generator (mulberry32), so a run can be repeated from its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Post {
  deliveryId: number;
  at: number;
}

/**
 * Slack's Web API as the judge: in front of the loopback FakeSlackApi (users, DM channels,
 * message history with metadata), it refuses what the real Slack would refuse under load.
 */
class ChaosPlatform {
  readonly fake = new FakeSlackApi();
  readonly posts: Post[] = [];
  readonly answered = { limit429: 0, stretch429: 0, serverErrors: 0 };
  busiestSecond = 0;
  startedAt = 0;
  readonly #window: number[] = [];
  readonly #server = http.createServer((req, res) => void this.#handle(req, res));
  readonly #random: () => number;
  #origin = '';

  constructor(random: () => number) {
    this.#random = random;
  }

  get apiUrl(): string {
    return `${this.#origin}/api/`;
  }

  async start(): Promise<void> {
    await this.fake.start();
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await this.fake.close();
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
    const now = performance.now();
    const second = this.startedAt ? (Date.now() - this.startedAt) / 1000 : -1;
    const refuse = (status: number, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ ok: false, error: status === 429 ? 'ratelimited' : 'service_unavailable' }));
    };
    if (second >= serverErrorStretch.from && second < serverErrorStretch.to && this.#random() < serverErrorStretch.share) {
      this.answered.serverErrors += 1;
      return refuse([500, 502, 503][Math.floor(this.#random() * 3)]);
    }
    if (method === 'chat.postMessage') {
      while (this.#window.length > 0 && this.#window[0] <= now - 1000) this.#window.shift();
      if (this.#window.length >= platformLimitPerSecond) {
        this.answered.limit429 += 1;
        return refuse(429, { 'retry-after': '1' });
      }
      if (second >= rateLimitStretch.from && second < rateLimitStretch.to && this.#random() < rateLimitStretch.share) {
        this.answered.stretch429 += 1;
        return refuse(429, { 'retry-after': String(rateLimitStretch.retryAfter) });
      }
      this.#window.push(now);
      this.busiestSecond = Math.max(this.busiestSecond, this.#window.length);
      const metadata = new URLSearchParams(raw).get('metadata');
      const deliveryId = metadata ? Number((JSON.parse(metadata) as { event_payload?: { delivery_id?: unknown } }).event_payload?.delivery_id) : Number.NaN;
      this.posts.push({ deliveryId, at: Date.now() });
      // Slack's own latency (posted, not yet answered): the window in which a killed worker has sent
      // a message but not recorded it, which only the message's metadata can tell afterwards.
      await new Promise((resolve) => setTimeout(resolve, 100 + this.#random() * 600));
    }
    // Everything else (and an accepted post) is the plain fake's to answer, as Slack would.
    const answer = await fetch(`${this.fake.apiUrl}${method}`, {
      method: 'POST',
      headers: { authorization: String(req.headers.authorization ?? ''), 'content-type': String(req.headers['content-type'] ?? '') },
      body: raw,
    });
    const retryAfter = answer.headers.get('retry-after');
    res.writeHead(answer.status, { 'content-type': 'application/json', ...(retryAfter ? { 'retry-after': retryAfter } : {}) });
    res.end(await answer.text());
  }
}

interface Worker {
  name: string;
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
}

interface Kill {
  at: number;
  victims: string[];
  /** The claims the killed workers held (found 15 s later), with each one's claim time. */
  orphans: number[];
  /** When a survivor took each orphan over (its claim renewed, or settled, by another worker). */
  takenOver: Map<number, number>;
}

async function recreateDatabase(serverUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${databaseName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

export async function benchChaosDeliveries(serverUrl: string): Promise<Record<string, number | string>> {
  const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 1_000_000));
  const random = seeded(seed);
  const platform = new ChaosPlatform(seeded(seed + 1));
  await platform.start();
  const databaseUrl = await recreateDatabase(serverUrl);
  const logFile = path.join(os.tmpdir(), `tutorbot-chaos-${seed}.log`);
  const log = fs.createWriteStream(logFile);
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TUTORBOT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TUTORBOT_LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: 'xoxb-chaos',
    SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
    SLACK_API_URL: platform.apiUrl,
  };
  let app: App | null = null;
  const workers = new Map<string, Worker>();
  let spawned = 0;
  try {
    // The bench's own process migrates, seeds and enqueues; it never sends.
    app = await boot(parseConfig(env), { jobs: 'send', logger: silentLogger, features: [...features, chaosFeature] });
    const { db } = app.core;
    const { schoolId } = await seedDemoSchoolIfEmpty(db);
    const staff = await db.selectFrom('staff').select(['id', 'email']).where('school_id', '=', schoolId).orderBy('id').execute();
    for (const member of staff) platform.fake.addUser({ email: member.email, teamId });

    const worker = (): Worker => {
      spawned += 1;
      const name = `worker-${spawned}`;
      const child = spawn(process.execPath, [fileURLToPath(new URL('./chaos-worker.ts', import.meta.url))], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stderr?.on('data', (chunk: Buffer) => log.write(chunk.toString('utf8').replace(/^(?=.)/gm, `${name} `)));
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => chunk.toString('utf8').includes('ready') && resolve());
        child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it was ready; see ${logFile}`)));
      });
      ready.catch(() => {});
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const entry = { name, child, ready, exited };
      workers.set(name, entry);
      return entry;
    };
    await Promise.all(Array.from({ length: workerCount }, () => worker().ready));

    // The batch: one transaction's worth of rows, then their kicks, as a feature's sweep does.
    const ids = await db.transaction().execute(async (trx) => {
      const out: (number | null)[] = [];
      for (let n = 0; n < batchSize; n += 1) {
        const member = staff[n % staff.length];
        out.push(
          await insertDelivery(trx, new Date(), { schoolId, staffId: member.id, kind: chaosKind, subject: { n: n + 1 }, idempotencyKey: `chaos:${seed}:${n}` }),
        );
      }
      return out;
    });
    platform.startedAt = Date.now();
    await kickDeliveries(app.core, ids);

    // Kills at random moments, at least 25 s apart (a killed worker's claims are told from the
    // survivors' by not being renewed within 15 s), the third one taking two workers at once.
    const kills: Kill[] = [];
    const killPlan = [10, 38, 66, 94].map((base) => (base + random() * 10) * 1000);
    const pendingChecks: Promise<void>[] = [];
    const killNow = async (howMany: number) => {
      const victims = [...workers.values()].sort(() => random() - 0.5).slice(0, howMany);
      const kill: Kill = { at: Date.now(), victims: victims.map((victim) => victim.name), orphans: [], takenOver: new Map() };
      kills.push(kill);
      for (const victim of victims) victim.child.kill('SIGKILL');
      await Promise.all(victims.map((victim) => victim.exited));
      for (const victim of victims) workers.delete(victim.name);
      const held = await db.selectFrom('delivery').select(['id', 'updated_at']).where('status', '=', 'sending').execute();
      // A replacement starts as a supervisor would restart a crashed process.
      for (const _ of victims) worker();
      pendingChecks.push(
        (async () => {
          await new Promise((resolve) => setTimeout(resolve, 15_000));
          if (held.length === 0) return;
          const now = await db
            .selectFrom('delivery')
            .select(['id', 'status', 'updated_at'])
            .where(
              'id',
              'in',
              held.map((row) => row.id),
            )
            .execute();
          const before = new Map(held.map((row) => [row.id, new Date(row.updated_at).getTime()]));
          kill.orphans = now.filter((row) => row.status === 'sending' && new Date(row.updated_at).getTime() === before.get(row.id)).map((row) => row.id);
          // Until each orphan's row moves (a survivor's claim or its outcome): the takeover.
          while (kill.orphans.some((id) => !kill.takenOver.has(id)) && Date.now() - kill.at < timeoutMs) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            const waiting = kill.orphans.filter((id) => !kill.takenOver.has(id));
            for (const row of await db.selectFrom('delivery').select(['id', 'status', 'updated_at']).where('id', 'in', waiting).execute()) {
              if (row.status !== 'sending' || new Date(row.updated_at).getTime() !== before.get(row.id)) kill.takenOver.set(row.id, Date.now());
            }
          }
        })(),
      );
    };

    let done = false;
    let nextKill = 0;
    let statuses: Record<string, number> = {};
    while (!done && Date.now() - platform.startedAt < timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const elapsed = Date.now() - platform.startedAt;
      if (nextKill < killPlan.length && elapsed >= killPlan[nextKill]) {
        await killNow(nextKill === 2 ? 2 : 1);
        nextKill += 1;
      }
      const rows = await db
        .selectFrom('delivery')
        .select(['status', sql<number>`count(*)::int`.as('count')])
        .groupBy('status')
        .execute();
      statuses = Object.fromEntries(rows.map((row) => [row.status, row.count]));
      done = (statuses.pending ?? 0) + (statuses.sending ?? 0) + (statuses.unreachable ?? 0) === 0 && nextKill === killPlan.length;
    }
    const wallSeconds = Math.round((Date.now() - platform.startedAt) / 1000);
    await Promise.all(pendingChecks);

    const enqueued = ids.filter((id): id is number => id !== null);
    const postsPerDelivery = new Map<number, number>();
    for (const post of platform.posts) postsPerDelivery.set(post.deliveryId, (postsPerDelivery.get(post.deliveryId) ?? 0) + 1);
    const lost = enqueued.filter((id) => !postsPerDelivery.has(id));
    const duplicated = [...postsPerDelivery].filter(([, count]) => count > 1).map(([id]) => id);
    const rows = await db.selectFrom('delivery').select(['id', 'status', 'sent_at', 'last_error']).where('kind', '=', chaosKind).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    const failed = rows.filter((row) => row.status === 'failed');
    const failedByRateLimit = failed.filter((row) => /rate limit|ratelimited|429/i.test(row.last_error ?? ''));
    const firstPost = new Map<number, number>();
    for (const post of platform.posts) if (!firstPost.has(post.deliveryId)) firstPost.set(post.deliveryId, post.at);
    let worstRecoveryMs = 0;
    let worstTakeoverMs = 0;
    let orphans = 0;
    let postedBeforeKill = 0;
    let unrecovered = 0;
    for (const kill of kills) {
      for (const id of kill.orphans) {
        orphans += 1;
        if ((firstPost.get(id) ?? Number.POSITIVE_INFINITY) < kill.at) postedBeforeKill += 1;
        const sentAt = byId.get(id)?.sent_at;
        if (!sentAt) {
          unrecovered += 1;
          continue;
        }
        worstTakeoverMs = Math.max(worstTakeoverMs, (kill.takenOver.get(id) ?? Number.POSITIVE_INFINITY) - kill.at);
        const recoveryMs = new Date(sentAt).getTime() - kill.at;
        worstRecoveryMs = Math.max(worstRecoveryMs, recoveryMs);
        const posts = platform.posts.filter((post) => post.deliveryId === id).map((post) => `${post.at - kill.at} ms`);
        log.write(
          `bench orphan ${id} of the kill at ${kill.at - platform.startedAt} ms: taken over ${(kill.takenOver.get(id) ?? Number.NaN) - kill.at} ms, recorded sent ${recoveryMs} ms after it; posted ${posts.join(', ') || 'never'} after it\n`,
        );
      }
    }
    const seconds = (ms: number) => Math.round(ms / 100) / 10;
    // What any message of the batch waits for its turn at 5 posts a second: the yardstick for a recovered one.
    const sentAfter = rows.flatMap((row) => (row.sent_at ? [new Date(row.sent_at).getTime() - platform.startedAt] : [])).sort((a, b) => a - b);
    const problem = (list: number[]) => (list.length > 0 ? `${list.length} (delivery ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''})` : 0);
    return {
      seed,
      'workers (started in all)': `${workerCount} (${spawned})`,
      kills: kills.map((kill) => `${Math.round((kill.at - platform.startedAt) / 1000)} s: ${kill.victims.join(' + ')}`).join('; '),
      enqueued: enqueued.length,
      'delivered (distinct delivery ids posted)': postsPerDelivery.size,
      lost: problem(lost),
      duplicated: problem(duplicated),
      'dead-lettered': failed.length,
      'dead-lettered by rate limits': failedByRateLimit.length,
      'still not sent at the end':
        Object.entries(statuses)
          .filter(([status]) => status !== 'sent')
          .map(([status, count]) => `${status} ${count}`)
          .join(', ') || 0,
      'claims held by killed workers (of them posted before the kill)': `${orphans} (${postedBeforeKill})`,
      'worst recovery s (kill to a survivor taking the claim over)': unrecovered > 0 ? `${unrecovered} never recovered` : seconds(worstTakeoverMs),
      'worst kill to recorded sent s (takeover, then its turn in the paced batch)': unrecovered > 0 ? `${unrecovered} never sent` : seconds(worstRecoveryMs),
      'batch enqueue to recorded sent s (median, slowest)': `${seconds(sentAfter[Math.floor(sentAfter.length / 2)] ?? 0)}, ${seconds(sentAfter.at(-1) ?? 0)}`,
      'busiest second of posts': `${platform.busiestSecond} (platform limit ${platformLimitPerSecond}/s)`,
      '429 answered (over the limit, in the 429 stretch)': `${platform.answered.limit429 + platform.answered.stretch429} (${platform.answered.limit429}, ${platform.answered.stretch429})`,
      '5xx answered': platform.answered.serverErrors,
      'wall time s': wallSeconds,
      "workers' log": logFile,
    };
  } finally {
    for (const entry of workers.values()) entry.child.kill('SIGKILL');
    await Promise.all([...workers.values()].map((entry) => entry.exited));
    await app?.close();
    await platform.close();
    log.end();
  }
}

if (import.meta.main) {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  for (const [name, value] of Object.entries(await benchChaosDeliveries(serverUrl))) console.log(`  ${name}: ${value}`);
  process.exit(0);
}
