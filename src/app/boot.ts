import type { Config } from '../config.ts';
import type { CoreContext } from '../core-context.ts';
import { createNoteSealer } from '../crypto/note-sealer.ts';
import { loadEncryptionKey } from '../crypto/load-encryption-key.ts';
import { openDatabase, type Database } from '../db/open-database.ts';
import { embeddedMaintenanceQueue, maintainEmbeddedDatabase } from '../db/maintain-embedded-database.ts';
import { runMigrations } from '../db/run-migrations.ts';
import { createDeliveryService, type DeliveryService } from '../delivery/delivery-service.ts';
import type { Messenger } from '../delivery/messenger.ts';
import { deliveryQueue } from '../delivery/outbox.ts';
import { noJobQueue, type JobQueue } from '../jobs/job-queue.ts';
import { startJobRunner, type JobRunner } from '../jobs/pg-boss-queue.ts';
import type { Feature, FeatureRegistry } from '../feature.ts';
import { createLogger, type Logger } from '../logger.ts';
import { Tutorbot } from '../tutorbot.ts';
import { createFeatureRegistry } from './feature-registry.ts';
import { features } from './features.ts';

/**
 * The composition root: configuration → database (migrated) → core → jobs → deliveries.
 * Every entry point (the CLI, the server, the tests' harness) assembles tutorbot here.
 */
export interface App {
  config: Config;
  database: Database;
  core: CoreContext;
  bot: Tutorbot;
  /** Every part of every feature, registered once (src/app/feature-registry.ts). */
  features: FeatureRegistry;
  deliveries: DeliveryService;
  /** Resolves when pg-boss's workers and schedules run (at once without jobs); rejects if they cannot start. */
  jobsStarted: Promise<void>;
  messengers: Messenger[];
  close(): Promise<void>;
}

export interface BootOptions {
  /** Start pg-boss workers and schedules (the server), or only the ability to send jobs. */
  jobs: 'work' | 'send' | 'none';
  messengers?: Messenger[];
  logger?: Logger;
  now?: () => Date;
  features?: Feature[];
  /** An already open database (tests). */
  database?: Database;
}

export async function boot(config: Config, options: BootOptions): Promise<App> {
  const log = options.logger ?? createLogger(config.logLevel);
  const database = options.database ?? (await openDatabase(config.database));
  try {
    const migrations = await runMigrations(database);
    if (migrations.applied.length > 0) log.info('migrations_applied', { count: migrations.applied.length });
    const { key } = loadEncryptionKey(config);
    const registry = createFeatureRegistry(options.features ?? features);
    // Set below once the core exists (the job handlers need it). A job sent while pg-boss is still
    // starting waits for it; without jobs, sends fail loudly (noJobQueue).
    let jobs: Promise<JobRunner> | null = null;
    let stopRecovery = () => {};
    const jobQueue = async (): Promise<JobQueue> => (jobs ? (await jobs).queue : noJobQueue);
    const core: CoreContext = {
      db: database.db,
      now: options.now ?? (() => new Date()),
      log,
      sealer: createNoteSealer(key),
      queue: {
        send: async (...args) => (await jobQueue()).send(...args),
        sendMany: async (...args) => (await jobQueue()).sendMany(...args),
        cancel: async (...args) => (await jobQueue()).cancel(...args),
      },
    };
    const messengers = options.messengers ?? [];
    const deliveries = createDeliveryService(core, { messengers, kinds: registry.deliveryKinds });
    if (options.jobs !== 'none') {
      const handlers: Record<string, (data: Record<string, unknown>) => Promise<void>> = {
        [deliveryQueue]: async (data) => void (await deliveries.deliver(Number(data.deliveryId))),
        'delivery-sweep': async () => void (await deliveries.sweep({ includeUnreachable: false })),
        // Hourly, the unreachable are asked about again: a platform may have learnt them on a path
        // that releases nothing (Slack found them by email once their account was made), and an
        // older version parked other platforms' messages as unreachable from a console chat.
        'delivery-recheck': async () => void (await deliveries.sweep({ includeUnreachable: true })),
      };
      for (const [name, handler] of registry.jobs) handlers[name] = (data) => handler(core, data);
      const schedules = [{ queue: 'delivery-sweep', cron: '* * * * *' }, { queue: 'delivery-recheck', cron: '17 * * * *' }, ...registry.schedules];
      if (database.embedded) {
        // PGlite has no autovacuum: without this, rows that jobs and deliveries update all day are
        // never reclaimed and the planner never learns how big the tables are. Nightly, out of hours.
        handlers[embeddedMaintenanceQueue] = async () => void (await maintainEmbeddedDatabase(database, log));
        schedules.push({ queue: embeddedMaintenanceQueue, cron: '40 2 * * *' });
      }
      // pg-boss starts (workers, schedules) while the caller carries on; whoever must not go on
      // without jobs awaits app.jobsStarted.
      // Deliveries each claim their own row, so a worker may send twenty at once; the other queues
      // (sweeps, escalations, reminders) run one job at a time.
      jobs = startJobRunner(database, { handlers, schedules, work: options.jobs === 'work', log, batchSizes: { [deliveryQueue]: 20 } });
      jobs.catch(() => {});
      if (options.jobs === 'work') stopRecovery = recoverStaleClaimsEvery(5_000, deliveries, log);
    }
    const bot = new Tutorbot(core, registry);
    return {
      config,
      database,
      core,
      bot,
      features: registry,
      deliveries,
      jobsStarted: jobs ? jobs.then(() => {}) : Promise.resolve(),
      messengers,
      async close() {
        stopRecovery();
        await jobs?.then((runner) => runner.stop()).catch((error) => log.warn('job_runner_stop_failed', { error: (error as Error).message }));
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/**
 * Every few seconds, each worker process takes over the claims of workers that died mid-send
 * (a claim is renewed while its worker lives; see DeliveryService.recoverStaleClaims), so a
 * crashed worker's messages go out within a minute instead of waiting for the minute's sweep.
 */
function recoverStaleClaimsEvery(intervalMs: number, deliveries: DeliveryService, log: Logger): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deliveries
      .recoverStaleClaims()
      .catch((error) => log.warn('delivery_recovery_failed', { error: (error as Error).message }))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
