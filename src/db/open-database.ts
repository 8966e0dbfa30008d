import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import type { DatabaseConfig, EmbeddedMemory } from '../config.ts';
import { TutorbotError } from '../errors.ts';
import { EmbeddedDatabase } from './embedded-database.ts';
import { resolveEmbeddedMemory } from './embedded-memory.ts';
import { embeddedTemplate } from './embedded-template-path.ts';
import { keepNewFilesPrivate, makeDataDirPrivate, privateDirectoryMode } from './private-data-dir.ts';
import { createPgliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

/** A raw session inside one transaction, for migrations: exec() takes several statements. */
export interface ScriptSession {
  exec(script: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Database {
  db: Kysely<DB>;
  engine: 'postgres' | 'pglite';
  /** The embedded engine (PGlite on its own thread), for pg-boss's PGlite adapter; null on PostgreSQL. */
  embedded: EmbeddedDatabase | null;
  /** The pg pool, for pg-boss on PostgreSQL; null on PGlite. */
  pool: pg.Pool | null;
  withScriptTransaction<T>(work: (session: ScriptSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// int8 (counts, bigint ids) as numbers: our bigints stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));
// dates stay 'YYYY-MM-DD' strings: a calendar date has no time zone to shift it.
pg.types.setTypeParser(1082, (value) => value);

export interface OpenOptions {
  poolSize?: number;
  /** Start a new embedded database from the migrated template when there is one (default true). */
  template?: boolean;
}

let openedEarly: { config: string; opening: Promise<Database> } | null = null;

/**
 * Starts opening the database before the rest of tutorbot has loaded (`tutorbot start` and
 * `serve` call this first thing): the embedded database is made or opened on its own thread while
 * the modules load. The first openDatabase with the same configuration takes it over, and reports
 * any failure as if it had opened it itself.
 */
export function openDatabaseEarly(config: DatabaseConfig): void {
  const opening = openDatabase(config);
  opening.catch(() => {});
  openedEarly = { config: JSON.stringify(config), opening };
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  if (openedEarly && openedEarly.config === JSON.stringify(config) && Object.keys(options).length === 0) {
    const { opening } = openedEarly;
    openedEarly = null;
    return opening;
  }
  return config.kind === 'postgres'
    ? openPostgres(config.url, options.poolSize ?? 10)
    : openPglite(config.dataDir, options.template ?? true, resolveEmbeddedMemory(config.memory ?? 'auto'));
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server ends (a restart, a failover, an administrator) is removed
  // from the pool and the next query opens a new one; without a listener pg would crash the process.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end().catch(() => {});
    throw new TutorbotError(
      'tutorbot_database_unreachable',
      `Could not connect to PostgreSQL at ${redactUrl(url)}: ${(cause as Error).message}. Check DATABASE_URL and that the server is running.`,
      { cause },
    );
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    embedded: null,
    pool,
    async withScriptTransaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          // No parameters: pg uses the simple protocol, which allows several statements.
          exec: async (script) => void (await client.query(script)),
          query: async (text, params) => (await client.query(text, params)).rows,
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
      // Kysely destroys its driver only once a query has started it: a database closed unused
      // would otherwise keep its idle connection, and the process, alive for ten seconds.
      if (!pool.ending) await pool.end();
    },
  };
}

async function openPglite(dataDir: string | null, useTemplate: boolean, memory: EmbeddedMemory): Promise<Database> {
  let releaseLock: (() => Promise<void>) | null = null;
  if (dataDir) {
    keepNewFilesPrivate();
    fs.mkdirSync(dataDir, { recursive: true, mode: privateDirectoryMode });
    // An existing directory made readable by a copy, a restore or an old version is fixed here,
    // before the database opens.
    makeDataDirPrivate(dataDir);
    releaseLock = lockDataDir(dataDir);
  }
  let embedded: EmbeddedDatabase;
  try {
    embedded = await EmbeddedDatabase.open({ dataDir, template: useTemplate ? embeddedTemplate() : null, memory });
  } catch (cause) {
    await releaseLock?.();
    throw new TutorbotError(
      'tutorbot_database_unreadable',
      `The embedded database in ${dataDir ?? 'memory'} could not be opened: ${(cause as Error).message}. ` +
        'If it was copied while running, restore a backup or move the folder aside to start afresh.',
      { cause },
    );
  }
  // Once more after opening: a new database is a copy of the template, which carries the modes
  // PGlite gave it, and PGlite writes some files at open (pg_internal.init, 0644) past the umask.
  if (dataDir) {
    try {
      makeDataDirPrivate(dataDir);
    } catch (error) {
      await embedded.close();
      await releaseLock?.();
      throw error;
    }
  }
  const db = new Kysely<DB>({ dialect: createPgliteDialect(embedded) });
  return {
    db,
    engine: 'pglite',
    embedded,
    pool: null,
    async withScriptTransaction(work) {
      return embedded.transaction((tx) =>
        work({
          exec: async (script) => void (await tx.exec(script)),
          query: async (text, params) => (await tx.query(text, params)).rows as never,
        }),
      );
    },
    async close() {
      await db.destroy();
      // Kysely destroys its driver only once a query has started it: a database closed unused
      // would otherwise keep PGlite running on its thread, with the directory unlocked under it.
      await embedded.close();
      await releaseLock?.();
    },
  };
}

/**
 * PGlite corrupts its directory if two processes open it, so the first one holds a lock file
 * (refreshed while it runs, stale after a crash) and any other fails with a clear message.
 */
function lockDataDir(dataDir: string): () => Promise<void> {
  const lockTarget = path.resolve(dataDir);
  try {
    // Taken synchronously, so the database's thread starts at once even while the rest of the
    // program is still loading (see openDatabaseEarly).
    const release = lockfile.lockSync(lockTarget, { lockfilePath: `${lockTarget}.lock`, stale: 15_000, update: 5_000, realpath: false });
    return async () => release();
  } catch (cause) {
    throw new TutorbotError(
      'tutorbot_database_locked',
      `Another tutorbot process is using the embedded database in ${lockTarget}. Stop it first ` +
        '(only one process may open an embedded database), or set DATABASE_URL to a PostgreSQL server to run several.',
      { cause },
    );
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
