import { Worker } from 'node:worker_threads';
import { TutorbotError } from '../errors.ts';
import { deserializeError, type EmbeddedMessage, type EmbeddedOpenOptions, type EmbeddedRequest, type QueryOutcome } from './embedded-protocol.ts';

/**
 * The embedded PostgreSQL (PGlite), run on a thread of its own (embedded-database-thread.ts) and
 * used from here through messages. It offers what the Kysely dialect, the migrations and pg-boss
 * need of PGlite — query, exec, transaction, listen, close — with PGlite's meaning: one session,
 * and a transaction holds it until it ends, so other queries wait rather than join it.
 */

export interface EmbeddedRunner {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<QueryOutcome[]>;
}

type RequestBody = EmbeddedRequest extends infer Request ? (Request extends EmbeddedRequest ? Omit<Request, 'id'> : never) : never;

export class EmbeddedDatabase implements EmbeddedRunner {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  #nextId = 1;
  #nextTransaction = 1;
  #closed = false;
  #failure: Error | null = null;
  /** How the database came to be: made from the template, made from scratch, or opened as it was. */
  readonly createdFrom: 'template' | 'initdb' | 'existing';

  private constructor(worker: Worker, createdFrom: EmbeddedDatabase['createdFrom']) {
    this.#worker = worker;
    this.createdFrom = createdFrom;
    worker.on('message', (message: EmbeddedMessage) => this.#receive(message));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the embedded database's thread stopped (exit code ${code})`)));
    // Like an in-process database, an idle one does not keep the process alive.
    worker.unref();
  }

  static async open(options: EmbeddedOpenOptions): Promise<EmbeddedDatabase> {
    const worker = new Worker(new URL('./embedded-database-thread.ts', import.meta.url), { workerData: options });
    const listeners: { message?: (message: EmbeddedMessage) => void; error?: (error: Error) => void; exit?: (code: number) => void } = {};
    const createdFrom = await new Promise<EmbeddedDatabase['createdFrom']>((resolve, reject) => {
      listeners.message = (message) => {
        if (message.kind === 'opened') resolve(message.createdFrom);
        else if (message.kind === 'failed-to-open') reject(deserializeError(message.error));
      };
      listeners.error = reject;
      listeners.exit = (code) => reject(new Error(`the embedded database's thread stopped while opening (exit code ${code})`));
      worker.on('message', listeners.message).on('error', listeners.error).on('exit', listeners.exit);
    })
      .catch(async (error: unknown) => {
        await worker.terminate();
        throw error;
      })
      .finally(() => {
        worker.off('message', listeners.message!).off('error', listeners.error!).off('exit', listeners.exit!);
      });
    return new EmbeddedDatabase(worker, createdFrom);
  }

  get closed(): boolean {
    return this.#closed;
  }

  query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<{ rows: R[]; affectedRows?: number }> {
    return this.#request({ op: 'query', tx: null, sql, params }) as Promise<{ rows: R[]; affectedRows?: number }>;
  }

  exec(sql: string): Promise<QueryOutcome[]> {
    return this.#request({ op: 'exec', tx: null, sql }) as Promise<QueryOutcome[]>;
  }

  /** Runs work in one transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: EmbeddedRunner) => Promise<T>): Promise<T> {
    const handle = await this.begin();
    let result: T;
    try {
      result = await work(handle);
    } catch (error) {
      await handle.rollback().catch(() => {});
      throw error;
    }
    await handle.commit();
    return result;
  }

  /** A transaction whose end the caller decides (the Kysely driver's begin/commit/rollback). */
  async begin(): Promise<EmbeddedRunner & { commit(): Promise<void>; rollback(): Promise<void> }> {
    const tx = this.#nextTransaction++;
    await this.#request({ op: 'begin', tx });
    return {
      query: <R>(sql: string, params: unknown[] = []) => this.#request({ op: 'query', tx, sql, params }) as Promise<{ rows: R[]; affectedRows?: number }>,
      exec: (sql: string) => this.#request({ op: 'exec', tx, sql }) as Promise<QueryOutcome[]>,
      commit: async () => void (await this.#request({ op: 'commit', tx })),
      rollback: async () => void (await this.#request({ op: 'rollback', tx })),
    };
  }

  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    let callbacks = this.#listeners.get(channel);
    if (!callbacks) {
      callbacks = new Set();
      this.#listeners.set(channel, callbacks);
      await this.#request({ op: 'listen', channel });
    }
    callbacks.add(callback);
    return async () => {
      callbacks.delete(callback);
      if (callbacks.size > 0 || this.#listeners.get(channel) !== callbacks) return;
      this.#listeners.delete(channel);
      if (!this.#closed) await this.#request({ op: 'unlisten', channel });
    };
  }

  /** The whole database as a gzipped tarball (PGlite's dumpDataDir), for a template. */
  async dump(): Promise<Uint8Array> {
    return (await this.#request({ op: 'dump' })) as Uint8Array;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#request({ op: 'close' });
    this.#closed = true;
    await this.#worker.terminate();
  }

  #request(body: RequestBody): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#unavailable(this.#failure));
    if (this.#closed) return Promise.reject(new TutorbotError('tutorbot_database_closed', 'The embedded database is closed.'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      // While an answer is owed the thread keeps the process alive, as in-process work would.
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...body, id });
    });
  }

  #receive(message: EmbeddedMessage): void {
    if (message.kind === 'notification') {
      for (const callback of this.#listeners.get(message.channel) ?? []) callback(message.payload);
      return;
    }
    if (message.kind !== 'reply') return;
    const waiting = this.#pending.get(message.id);
    if (!waiting) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(deserializeError(message.error));
  }

  #fail(error: Error): void {
    if (this.#closed || this.#failure) return;
    this.#failure = error;
    for (const { reject } of this.#pending.values()) reject(this.#unavailable(error));
    this.#pending.clear();
  }

  #unavailable(cause: Error): TutorbotError {
    return new TutorbotError('tutorbot_database_failed', `The embedded database stopped working (${cause.message}); restart tutorbot.`, { cause });
  }
}
