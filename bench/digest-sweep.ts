/**
 * The weekly digest at national scale (docs/product-rules.md): 3,300 schools × 1,000 pupils, ~200,000 tutors on
 * PostgreSQL (bench/national-dataset.ts), with a year's meetings and targets added by set-based
 * SQL when the tables are empty (bench/caseload.ts adds the same kind of rows; whichever runs
 * first writes them). On Monday 1 Feb 2027 (spring term, week 5) every school's digest is due.
 *
 * Measures:
 * - plan: the sweep's set-based SQL for every school at once, as a dry run (select) and for real
 *   (insert into the delivery outbox + the plan ledger, one transaction). Target <= 10 s.
 * - a second sweep the same morning (what the 15-minute schedule does all day): near zero.
 * - delivery throughput through the real delivery service (claim, render at send time, send,
 *   record) against a loopback fake chat platform that enforces a rate limit with 429 +
 *   Retry-After: once with a generous limit (the pipeline's own capacity) and once at a
 *   tenant-like 50 messages/s, counting 429s and the busiest second the platform saw.
 *   The messenger paces itself to the platform's published limit; the platform is the judge.
 */
import { Worker } from 'node:worker_threads';
import { sql, type Kysely } from 'kysely';
import { boot, type App } from '../src/app/boot.ts';
import { parseConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/open-database.ts';
import type { DB } from '../src/db/schema.ts';
import { DeliveryFailure, type Messenger } from '../src/delivery/messenger.ts';
import { silentLogger } from '../src/logger.ts';
import { sweepReminders } from '../src/reminders/sweep-reminders.ts';
import type { Reply } from '../src/reply.ts';
import { ensureNationalActivity } from './national-activity.ts';

const digestMorning = new Date('2027-02-01T08:20:00Z');
const period = '2027-W05';

/** Leaves the shared dataset as it was found: no digest deliveries or plan ledger rows for the week. */
async function clearDigests(db: Kysely<DB>): Promise<void> {
  await sql`DELETE FROM pgboss.job WHERE name = 'delivery' AND state = 'created'`.execute(db);
  await sql`DELETE FROM delivery WHERE kind = 'reminder-digest' AND idempotency_key LIKE ${`%:digest:${period}`}`.execute(db);
  await sql`DELETE FROM reminder_run WHERE kind = 'digest' AND period = ${period}`.execute(db);
}

interface PlatformStats {
  accepted: number;
  rejected: number;
  /** The most messages accepted in any sliding one-second window. */
  busiestSecond: number;
}

interface FakePlatform {
  url: string;
  stats(): Promise<PlatformStats>;
  close(): Promise<void>;
}

// The platform runs on its own thread, as a remote service would: its clock and event loop are not
// held up by the sender's work, so what it counts per second is what arrived per second.
const platformSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:http');
const limit = workerData.limitPerSecond;
const window = [];
const stats = { accepted: 0, rejected: 0, busiestSecond: 0 };
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const now = performance.now();
    while (window.length > 0 && window[0] <= now - 1000) window.shift();
    if (window.length >= limit) {
      stats.rejected += 1;
      response.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"ok":false,"error":"ratelimited"}');
      return;
    }
    window.push(now);
    stats.accepted += 1;
    stats.busiestSecond = Math.max(stats.busiestSecond, window.length);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, ts: body.deliveryId + '.0001' }));
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'stats') parentPort.postMessage({ stats });
  if (message === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
`;

/** A chat platform's message endpoint on loopback: accepts up to `limitPerSecond`, answers 429 + Retry-After above it. */
async function startFakePlatform(limitPerSecond: number): Promise<FakePlatform> {
  const worker = new Worker(platformSource, { eval: true, workerData: { limitPerSecond } });
  const next = <T>(key: string) =>
    new Promise<T>((resolve) => {
      const listener = (message: Record<string, unknown>) => {
        if (key in message) {
          worker.off('message', listener);
          resolve(message[key] as T);
        }
      };
      worker.on('message', listener);
    });
  const port = await next<number>('port');
  return {
    url: `http://127.0.0.1:${port}/chat.postMessage`,
    async stats() {
      const reply = next<PlatformStats>('stats');
      worker.postMessage('stats');
      return reply;
    },
    async close() {
      const closed = next<boolean>('closed');
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}

/**
 * Posts to the fake platform, keeping itself under the platform's published rate (as a real
 * adapter must): at most 80% of the limit in any sliding second, so scheduling jitter (this
 * machine has 2 cores and is shared) does not push the platform's count over. The platform judges.
 */
class LoopbackMessenger implements Messenger {
  readonly platform = 'slack' as const;
  readonly url: string;
  readonly budget: number;
  readonly #recent: number[] = [];

  constructor(url: string, perSecond: number) {
    this.url = url;
    this.budget = Math.max(1, Math.floor(perSecond * 0.8));
  }

  async resolveAddress(_db: unknown, contact: { staffId: number }) {
    return { channel: `D${contact.staffId}` };
  }

  async #slot(): Promise<void> {
    for (;;) {
      const now = performance.now();
      while (this.#recent.length > 0 && this.#recent[0] <= now - 1000) this.#recent.shift();
      if (this.#recent.length < this.budget) {
        this.#recent.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.#recent[0] + 1000 - now + 1));
    }
  }

  async send(address: Record<string, unknown>, message: Reply, meta: { deliveryId: number }) {
    await this.#slot();
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: address.channel, text: message.text, deliveryId: meta.deliveryId }),
    });
    if (response.status === 429) {
      await response.body?.cancel();
      throw new DeliveryFailure('rate limited', { retryable: true, retryAfterSeconds: Number(response.headers.get('retry-after') ?? 1) });
    }
    const body = (await response.json()) as { ts: string };
    return { ref: { channel: address.channel, ts: body.ts } };
  }
}

async function deliverThrough(app: App, ids: number[], workers: number): Promise<{ seconds: number; sent: number }> {
  let next = 0;
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        if ((await app.deliveries.deliver(id)) === 'sent') sent += 1;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, sent };
}

export async function benchDigestSweep(databaseUrl: string): Promise<Record<string, number | string>> {
  const log = (line: string) => console.log(`  ${line}`);
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl }, { poolSize: 12 });
  const messengers: Messenger[] = [];
  // 'send': the sweep kicks each new delivery as a pg-boss job, as in production (no workers run here).
  const app = await boot(parseConfig({ TUTORBOT_DEV: '1', DATABASE_URL: 'memory://' }), {
    jobs: 'send',
    database,
    logger: silentLogger,
    now: () => digestMorning,
    messengers,
  });
  const figures: Record<string, number | string> = {};
  try {
    await ensureNationalActivity(app.core.db, log);
    await clearDigests(app.core.db);
    const counts = await sql<{ schools: number; tutors: number; pupils: number }>`
      SELECT (SELECT count(*) FROM school)::int AS schools,
             (SELECT count(DISTINCT staff_id) FROM tutor_assignment WHERE valid_to IS NULL)::int AS tutors,
             (SELECT count(*) FROM pupil WHERE active)::int AS pupils`.execute(app.core.db);
    Object.assign(figures, { schools: counts.rows[0].schools, tutors: counts.rows[0].tutors, pupils: counts.rows[0].pupils });

    const dry = await sweepReminders(app.core, { dryRun: true, date: '2027-02-01' });
    figures['digest plan, dry run (select every digest) ms'] = dry.planMs;
    figures['digests planned'] = dry.reminders.filter((reminder) => reminder.kind === 'digest').length;

    const real = await sweepReminders(app.core);
    figures['digest plan, written to the outbox ms'] = real.planMs;
    figures['digest deliveries enqueued'] = real.enqueued;
    figures['kicking their pg-boss delivery jobs ms'] = real.kickMs;
    const again = await sweepReminders(app.core);
    figures['second sweep the same morning ms'] = again.planMs;
    figures['second sweep enqueued'] = again.enqueued;

    const pending = await app.core.db
      .selectFrom('delivery')
      .select('id')
      .where('kind', '=', 'reminder-digest')
      .where('status', '=', 'pending')
      .orderBy('id')
      .limit(4000)
      .execute();
    const ids = pending.map((row) => Number(row.id));

    // The pipeline's own capacity: a platform limit far above what one process can send.
    const open = await startFakePlatform(100_000);
    messengers.splice(0, messengers.length, new LoopbackMessenger(open.url, 100_000));
    const capacity = await deliverThrough(app, ids.slice(0, 2000), 8);
    await open.close();
    figures['delivery pipeline capacity msg/s (claim, render, send, record; 8 workers)'] = Math.round(capacity.sent / capacity.seconds);

    // A tenant-like limit: 50 messages/s.
    const limited = await startFakePlatform(50);
    messengers.splice(0, messengers.length, new LoopbackMessenger(limited.url, 50));
    const paced = await deliverThrough(app, ids.slice(2000, 2000 + 1000), 8);
    const seen = await limited.stats();
    await limited.close();
    figures['at a 50 msg/s platform limit: msg/s'] = Math.round((paced.sent / paced.seconds) * 10) / 10;
    figures['at a 50 msg/s platform limit: busiest second seen by the platform'] = seen.busiestSecond;
    figures['at a 50 msg/s platform limit: 429 answers'] = seen.rejected;
    figures['national digests drained at the measured capacity, one process: minutes'] =
      Math.round((real.enqueued / (capacity.sent / capacity.seconds) / 60) * 10) / 10;
  } finally {
    await clearDigests(app.core.db).catch(() => {});
    await app.close();
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/tutorbot_bench';
  console.log(await benchDigestSweep(url));
  process.exit(0);
}
