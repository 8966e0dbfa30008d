import {
  type CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import type { EmbeddedDatabase, EmbeddedRunner } from './embedded-database.ts';

/**
 * Kysely over embedded PGlite, as kysely-pglite does it (PGlite is PostgreSQL, so Kysely's
 * PostgreSQL adapter and compiler apply), with one difference that matters for a server:
 * kysely-pglite's driver hands every caller the same PGlite session, so a transaction opened with
 * BEGIN would silently absorb queries from unrelated requests (and from pg-boss) running at the
 * same time. Here each Kysely transaction is one of PGlite's own transactions, which holds
 * PGlite's transaction lock: every other query, ours or pg-boss's, waits until it ends.
 * (kysely-pglite itself is not imported: its entry point also loads its code generator, half a
 * second of start-up, and kysely 0.29 removed an export it needs.)
 */
export function createPgliteDialect(embedded: EmbeddedDatabase): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new TransactionSafePgliteDriver(embedded),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => new PostgresIntrospector(db),
  };
}

class PgliteConnection implements DatabaseConnection {
  runner: EmbeddedRunner;
  transaction: { commit(): Promise<void>; rollback(): Promise<void> } | null = null;

  constructor(embedded: EmbeddedDatabase) {
    this.runner = embedded;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.runner.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const numAffectedRows = result.affectedRows === undefined ? undefined : BigInt(result.affectedRows);
    return { rows: result.rows, numAffectedRows };
  }

  // biome-ignore lint/correctness/useYield: the driver interface wants a generator; PGlite has no cursor to stream from.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not support streaming queries.');
  }
}

class TransactionSafePgliteDriver implements Driver {
  readonly embedded: EmbeddedDatabase;

  constructor(embedded: EmbeddedDatabase) {
    this.embedded = embedded;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PgliteConnection(this.embedded);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as PgliteConnection;
    const transaction = await this.embedded.begin();
    conn.runner = transaction;
    conn.transaction = transaction;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection as PgliteConnection, 'commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection as PgliteConnection, 'rollback');
  }

  async #end(conn: PgliteConnection, outcome: 'commit' | 'rollback'): Promise<void> {
    const transaction = conn.transaction;
    conn.transaction = null;
    conn.runner = this.embedded;
    await transaction?.[outcome]();
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.embedded.close();
  }
}
