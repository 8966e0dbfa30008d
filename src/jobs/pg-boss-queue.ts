import { PgBoss, fromPglite } from 'pg-boss';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import type { JobQueue } from './job-queue.ts';

/**
 * Durable jobs on pg-boss, in the same database as everything else (PostgreSQL or PGlite).
 * Its schema comes from migrations/ (0002_pgboss.sql), so pg-boss starts with migrate: false.
 */
export type QueueHandler = (data: Record<string, unknown>) => Promise<void>;

export interface JobRunnerOptions {
  handlers: Record<string, QueueHandler>;
  schedules?: { queue: string; cron: string }[];
  /** false: only send jobs (CLI commands); true: also run workers and schedules (the server). */
  work: boolean;
  log: Logger;
  pollingIntervalSeconds?: number;
  /**
   * Queues whose jobs may run side by side, with how many a worker fetches at once. Only a queue
   * whose handler is safe to run concurrently belongs here (a delivery claims its own row); every
   * other queue runs one job at a time.
   */
  batchSizes?: Record<string, number>;
}

export interface JobRunner {
  queue: JobQueue;
  stop(): Promise<void>;
}

export async function startJobRunner(database: Database, options: JobRunnerOptions): Promise<JobRunner> {
  const common = { schema: 'pgboss', migrate: false, createSchema: false, supervise: options.work, schedule: options.work } as const;
  const boss =
    database.engine === 'pglite'
      ? new PgBoss({ ...common, backend: 'pglite', db: fromPglite(database.embedded as never) })
      : new PgBoss({ ...common, db: wrapPool(database) });
  boss.on('error', (error) => options.log.error('job_runner_error', { error: (error as Error).message }));
  await boss.start();

  // The queues that exist already, in one read: start-up then creates only the missing ones.
  const queues = new Set<string>((await boss.getQueues()).map((queue) => queue.name));
  async function ensureQueue(name: string) {
    if (queues.has(name)) return;
    await boss.createQueue(name, { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 }).catch((error) => {
      if (!/already exists/i.test((error as Error).message)) throw error;
    });
    queues.add(name);
  }

  for (const name of Object.keys(options.handlers)) await ensureQueue(name);
  if (options.work) {
    await Promise.all(
      Object.entries(options.handlers).map(([name, handler]) => {
        const batchSize = options.batchSizes?.[name] ?? 1;
        // A full batch is fetched again at once (burst), so a busy queue is not held to one poll
        // interval per batch; its jobs run side by side.
        return boss.work(name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize, burstWhenBatchFull: batchSize > 1 }, async (jobs) => {
          await Promise.all(jobs.map((job) => handler((job.data ?? {}) as Record<string, unknown>)));
        });
      }),
    );
    for (const schedule of options.schedules ?? []) await ensureQueue(schedule.queue);
    await Promise.all((options.schedules ?? []).map((schedule) => boss.schedule(schedule.queue, schedule.cron, {}, { tz: 'UTC' })));
  }

  return {
    queue: {
      async send(name, data, sendOptions = {}) {
        await ensureQueue(name);
        return boss.send(name, data, { startAfter: sendOptions.startAfter, singletonKey: sendOptions.singletonKey });
      },
      async sendMany(name, jobs) {
        await ensureQueue(name);
        // pg-boss's insert writes a whole array in one statement; chunks keep each statement's
        // parameters a sensible size.
        for (let start = 0; start < jobs.length; start += 2000) {
          await boss.insert(
            name,
            jobs.slice(start, start + 2000).map(({ data, options: jobOptions = {} }) => ({
              data,
              ...(jobOptions.startAfter ? { startAfter: jobOptions.startAfter } : {}),
              ...(jobOptions.singletonKey ? { singletonKey: jobOptions.singletonKey } : {}),
            })),
          );
        }
      },
      async cancel(name, jobId) {
        await boss.cancel(name, jobId);
      },
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 5_000 });
    },
  };
}

// pg-boss runs its statements through our pool, so one pool size setting governs the process.
function wrapPool(database: Database) {
  const pool = database.pool!;
  return {
    async executeSql(text: string, values?: unknown[]) {
      // Returned as node-pg gives it: for pg-boss's multi-statement maintenance SQL that is an array
      // of results, which pg-boss unwraps itself (unwrapSQLResult); `{ rows: result.rows }` lost them.
      return (await pool.query(text, values as unknown[])) as unknown as { rows: unknown[] };
    },
  };
}
