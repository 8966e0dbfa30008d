/**
 * Slack ack latency: the real HTTP server with the Slack edge, on embedded PGlite with the demo
 * school (about 1,000 pupils), answering signed `/tutor who tutors …` slash commands over
 * loopback at 200 requests/s for 10 s, evenly paced (paced-load.ts, in a worker thread so the load
 * generator does not share the server's event loop). Slack allows 3,000 ms for the ack; the target
 * is p99 <= 50 ms. Then the same rate in one-second bursts (autocannon), for comparison.
 * While the load runs, a probe measures how long the answer itself takes to reach response_url.
 *
 * Run alone: npx node bench/slack-ack.ts
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { boot } from '../src/app/boot.ts';
import { startHttpServer } from '../adapters/server/http-server.ts';
import { mountSlack } from '../adapters/slack/mount-slack.ts';
import { parseConfig } from '../src/config.ts';
import { benchEmbeddedMemory } from './embedded-memory.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { seedDemoSchoolIfEmpty } from '../src/demo/seed-demo-school.ts';
import { silentLogger } from '../src/logger.ts';
import { FakeSlackApi, slackSignature } from '../test/support/fake-slack-api.ts';
import { pacedLoad } from './paced-load.ts';
import { summarize } from './stats.ts';

const rate = 200;
const durationSeconds = 10;
const teamId = 'T0NORTHBROOK';

export async function benchSlackAck(): Promise<Record<string, number | string>> {
  const fake = new FakeSlackApi();
  await fake.start();
  const signingSecret = randomBytes(16).toString('hex');
  const config = parseConfig({
    TUTORBOT_DEV: '1',
    DATABASE_URL: 'memory://',
    TUTORBOT_LOG_LEVEL: 'error',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: fake.apiUrl,
  });
  progress('starting');
  const database = await openDatabase({ kind: 'pglite', dataDir: null, memory: benchEmbeddedMemory });
  const app = await boot(config, { jobs: 'none', database, logger: silentLogger });
  try {
    progress('booted; loading the demo school');
    await seedDemoSchoolIfEmpty(app.core.db);
    progress('demo school loaded');
    const staff = await app.core.db.selectFrom('staff').select('email').where('active', '=', true).orderBy('id').limit(40).execute();
    const users = staff.map(({ email }) => fake.addUser({ email, teamId }));
    const pupils = await app.core.db.selectFrom('pupil').select(['given_name', 'family_name']).orderBy(sql`random()`).limit(400).execute();
    const server = await startHttpServer(app, [mountSlack], { port: 0, host: '127.0.0.1' });
    progress(`serving ${server.url} with ${users.length} staff and ${pupils.length} pupil names`);
    try {
      // Slack signs each request with its own timestamp; five minutes of validity covers the run.
      const timestamp = Math.floor(Date.now() / 1000);
      const signed = (userIndex: number, text: string, responseUrl = fake.newResponseUrl()) => {
        const user = users[userIndex % users.length];
        const body = new URLSearchParams({
          token: 'x',
          team_id: teamId,
          team_domain: 'northbrook',
          channel_id: 'C0STAFFROOM',
          channel_name: 'staffroom',
          user_id: user.id,
          user_name: user.name,
          command: '/tutor',
          text,
          api_app_id: 'A0TUTORBOT',
          is_enterprise_install: 'false',
          response_url: responseUrl,
          trigger_id: `${userIndex}.${randomBytes(6).toString('hex')}`,
        }).toString();
        return {
          method: 'POST' as const,
          path: '/slack/events',
          body,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-slack-request-timestamp': String(timestamp),
            'x-slack-signature': slackSignature(signingSecret, timestamp, body),
          },
        };
      };
      const requests = pupils.map((pupil, index) => {
        const name =
          index % 3 === 0
            ? `${pupil.given_name} ${pupil.family_name}`.toLowerCase()
            : index % 3 === 1
              ? pupil.family_name
              : `${pupil.given_name} ${pupil.family_name}`;
        return signed(index, `who tutors ${name}`);
      });
      // Warm up: every asker is looked up once (users.info) and the query plans are cached.
      for (let index = 0; index < users.length; index += 1) {
        const request = requests[index];
        await fetch(`${server.url}${request.path}`, { method: 'POST', headers: request.headers, body: request.body });
      }
      await waitFor(() => fake.responseUrlPosts.length >= users.length, 30_000);
      progress(`warmed up (${fake.responseUrlPosts.length} replies); loading at ${rate}/s for ${durationSeconds} s`);

      const probe = startReplyProbe(
        server.url,
        fake,
        (text, url) => signed(Math.floor(Math.random() * users.length), text, url),
        pupils.map((pupil) => `who tutors ${pupil.given_name} ${pupil.family_name}`),
      );
      const repliesBefore = fake.responseUrlPosts.length;
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      // Slack's traffic: one request every 5 ms, each timed from when it was due (paced-load.ts).
      const paced = await pacedLoad({ url: server.url, rate, durationSeconds, requests });
      loopDelay.disable();
      progress(
        `paced load done: ${paced.completed} of ${paced.sent}; event loop delay p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms, max ${Math.round(loopDelay.max / 1e6)} ms`,
      );
      const probeLatencies = await probe.stop();
      await waitFor(() => fake.responseUrlPosts.length - repliesBefore - probeLatencies.length >= paced.completed, 60_000).catch(() => {});
      const replies = summarize(probeLatencies);
      const repliesReceived = fake.responseUrlPosts.length - repliesBefore - probeLatencies.length;

      // For comparison, the harsher pattern autocannon's rate mode makes: each second's 200
      // requests sent at its start, on 20 connections.
      const burst = await autocannon({
        url: server.url,
        connections: 20,
        overallRate: rate,
        duration: durationSeconds,
        requests,
        workers: 1,
        ignoreCoordinatedOmission: true,
      });
      // Let the burst's answers drain before the server closes.
      await waitFor(() => fake.responseUrlPosts.length - repliesBefore - probeLatencies.length >= paced.completed + burst.requests.total, 60_000).catch(
        () => {},
      );
      return {
        'slack ack p50 ms': paced.p50,
        'slack ack p99 ms': paced.p99,
        'slack ack max ms': paced.max,
        'slack ack requests/s': paced.requestsPerSecond,
        'slack ack requests': paced.sent,
        'slack ack failed': paced.failed,
        'slack reply (response_url) p50 ms': replies.p50,
        'slack reply (response_url) p99 ms': replies.p99,
        'slack replies received': repliesReceived,
        'slack ack in 1-second bursts (autocannon) p50 ms': burst.latency.p50,
        'slack ack in 1-second bursts (autocannon) p99 ms': burst.latency.p99,
        'slack ack in 1-second bursts (autocannon) non-2xx': burst.non2xx + burst.errors + burst.timeouts,
      };
    } finally {
      await server.close();
    }
  } finally {
    await app.close();
    await fake.close();
  }
}

/** Sends a command every 100 ms and times how long the answer takes to reach its response_url. */
function startReplyProbe(
  serverUrl: string,
  fake: FakeSlackApi,
  signed: (text: string, responseUrl: string) => { path: string; headers: Record<string, string>; body: string },
  texts: string[],
) {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let index = 0;
  const timer = setInterval(() => {
    const url = fake.newResponseUrl();
    const id = url.slice(url.lastIndexOf('/') + 1);
    const request = signed(texts[index++ % texts.length], url);
    const started = performance.now();
    pending.push(
      fetch(`${serverUrl}${request.path}`, { method: 'POST', headers: request.headers, body: request.body })
        .then((response) => response.arrayBuffer())
        .then(() => Promise.race([fake.responseArrived(id), timeout(10_000)]))
        .then(() => void latencies.push(performance.now() - started))
        .catch(() => {}),
    );
  }, 100);
  return {
    async stop(): Promise<number[]> {
      clearInterval(timer);
      await Promise.all(pending);
      return latencies;
    },
  };
}

function progress(message: string): void {
  if (process.env.BENCH_VERBOSE) process.stderr.write(`slack-ack: ${message}\n`);
}

function timeout(ms: number): Promise<never> {
  return new Promise((_resolve, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref());
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await benchSlackAck();
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name}: ${value}\n`);
}
