import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/**
 * Kysely over embedded PGlite, as kysely-pglite does it (PGlite is PostgreSQL, so Kysely's
 * PostgreSQL adapter and compiler apply), with one difference that matters for a server:
 * kysely-pglite's driver hands every caller the same PGlite session, so a transaction opened with
 * BEGIN would silently absorb queries from unrelated requests (and from pg-boss) running at the
 * same time. Here each Kysely transaction runs inside PGlite's own `transaction()`, which holds
 * PGlite's transaction mutex: every other query, ours or pg-boss's, waits until it ends.
 * (kysely-pglite itself is not imported: its entry point also loads its code generator, half a
 * second of start-up, and kysely 0.29 removed an export it needs.)
 */
export function createPgliteDialect(pglite: PGlite): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new TransactionSafePgliteDriver(pglite),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => new PostgresIntrospector(db),
  };
}

type Runner = Pick<Transaction, 'query' | 'exec'>;

class PgliteConnection implements DatabaseConnection {
  readonly pglite: PGlite;
  runner: Runner;
  finishTransaction: ((outcome: 'commit' | 'rollback') => Promise<void>) | null = null;

  constructor(pglite: PGlite) {
    this.pglite = pglite;
    this.runner = pglite;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.runner.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const numAffectedRows = result.affectedRows === undefined ? undefined : BigInt(result.affectedRows);
    return { rows: result.rows, numAffectedRows };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not support streaming queries.');
  }
}

class TransactionSafePgliteDriver implements Driver {
  readonly pglite: PGlite;

  constructor(pglite: PGlite) {
    this.pglite = pglite;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PgliteConnection(this.pglite);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as PgliteConnection;
    await new Promise<void>((started, failedToStart) => {
      let settle!: (outcome: 'commit' | 'rollback') => void;
      const outcome = new Promise<'commit' | 'rollback'>((resolve) => (settle = resolve));
      const finished = this.pglite
        .transaction(async (tx) => {
          conn.runner = tx;
          started();
          if ((await outcome) === 'rollback') await tx.rollback();
        })
        .finally(() => {
          conn.runner = this.pglite;
        });
      finished.catch(failedToStart);
      conn.finishTransaction = async (result) => {
        settle(result);
        await finished;
      };
    });
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as PgliteConnection;
    const finish = conn.finishTransaction;
    conn.finishTransaction = null;
    await finish?.('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as PgliteConnection;
    const finish = conn.finishTransaction;
    conn.finishTransaction = null;
    await finish?.('rollback');
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
