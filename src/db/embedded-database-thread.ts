import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { serializeError, type EmbeddedMessage, type EmbeddedOpenOptions, type EmbeddedRequest } from './embedded-protocol.ts';

/**
 * The embedded database's own thread. PGlite is PostgreSQL compiled to WebAssembly and runs each
 * query synchronously on the thread that owns it; on the server's thread that would hold up every
 * HTTP request (a Slack ack included) behind whatever query was running. Here it runs beside the
 * server and answers requests posted by embedded-database.ts.
 */

const port = parentPort!;
yieldToTheServerThread();
const options = workerData as EmbeddedOpenOptions;
if (options.memory === 'small') keepToBaselineCode();
const post = (message: EmbeddedMessage) => port.postMessage(message);

const pglite = await open().catch((error: unknown) => {
  post({ kind: 'failed-to-open', error: serializeError(error) });
  return null;
});

if (pglite) {
  const transactions = new Map<number, { tx: Transaction; finish: (outcome: 'commit' | 'rollback') => Promise<void> }>();
  const unlisten = new Map<string, () => Promise<void>>();

  const runnerFor = (tx: number | null) => {
    if (tx === null) return pglite;
    const open = transactions.get(tx);
    if (!open) throw new Error(`No open transaction ${tx} on the embedded database.`);
    return open.tx;
  };

  const handlers: { [Op in EmbeddedRequest['op']]: (request: Extract<EmbeddedRequest, { op: Op }>) => Promise<unknown> } = {
    async query({ tx, sql, params }) {
      const result = await runnerFor(tx).query(sql, params);
      return { rows: result.rows, affectedRows: result.affectedRows };
    },
    async exec({ tx, sql }) {
      const results = await runnerFor(tx).exec(sql);
      return results.map((result) => ({ rows: result.rows, affectedRows: result.affectedRows }));
    },
    begin: ({ tx }) => begin(tx),
    commit: ({ tx }) => finish(tx, 'commit'),
    rollback: ({ tx }) => finish(tx, 'rollback'),
    async listen({ channel }) {
      if (unlisten.has(channel)) return null;
      unlisten.set(channel, await pglite.listen(channel, (payload) => post({ kind: 'notification', channel, payload })));
      return null;
    },
    async unlisten({ channel }) {
      await unlisten.get(channel)?.();
      unlisten.delete(channel);
      return null;
    },
    async dump() {
      const blob = await pglite.dumpDataDir('gzip');
      return new Uint8Array(await blob.arrayBuffer());
    },
    async close() {
      if (!pglite.closed) await pglite.close();
      return null;
    },
  };

  /** Opens a PGlite transaction and keeps it open, holding PGlite's lock, until commit or rollback arrives. */
  function begin(id: number): Promise<null> {
    return new Promise((started, failedToStart) => {
      let settle!: (outcome: 'commit' | 'rollback') => void;
      const outcome = new Promise<'commit' | 'rollback'>((resolve) => (settle = resolve));
      const finished = pglite!
        .transaction(async (tx) => {
          transactions.set(id, { tx, finish: async (result) => (settle(result), await finished) });
          started(null);
          if ((await outcome) === 'rollback') await tx.rollback();
        })
        .finally(() => transactions.delete(id));
      finished.catch(failedToStart);
    });
  }

  async function finish(id: number, outcome: 'commit' | 'rollback'): Promise<null> {
    const open = transactions.get(id);
    if (!open) throw new Error(`No open transaction ${id} on the embedded database.`);
    await open.finish(outcome);
    return null;
  }

  port.on('message', (request: EmbeddedRequest) => {
    (handlers[request.op] as (request: EmbeddedRequest) => Promise<unknown>)(request).then(
      (value) => post({ kind: 'reply', id: request.id, ok: true, value }),
      (error: unknown) => post({ kind: 'reply', id: request.id, ok: false, error: serializeError(error) }),
    );
  });
}

async function open(): Promise<PGlite> {
  const extensions = { pg_trgm, unaccent, btree_gin };
  const { dataDir, template } = options;
  const isNew = dataDir === null || !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  // Only into an empty folder (ours, made just now): a half-written one from a failed start is not
  // mistaken for a database, and nothing of anyone else's is overwritten.
  if (isNew && template && (dataDir === null || fs.readdirSync(dataDir).length === 0)) {
    try {
      const pglite = dataDir === null ? await fromTarball(template.tarball) : await fromDirectory(template.directory, dataDir);
      if (pglite) {
        post({ kind: 'opened', createdFrom: 'template' });
        return pglite;
      }
    } catch {
      // A template from another PGlite build, or damaged: start from scratch instead.
      if (dataDir) for (const entry of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    }
  }
  const pglite = await PGlite.create({ dataDir: dataDir ?? undefined, extensions });
  post({ kind: 'opened', createdFrom: isNew ? 'initdb' : 'existing' });
  return pglite;

  async function fromTarball(tarball: string): Promise<PGlite | null> {
    if (!fs.existsSync(tarball)) return null;
    return PGlite.create({ extensions, loadDataDir: new Blob([fs.readFileSync(tarball)]) });
  }

  async function fromDirectory(directory: string, target: string): Promise<PGlite | null> {
    if (!fs.existsSync(path.join(directory, 'PG_VERSION'))) return null;
    // A plain file copy (tens of milliseconds) instead of unpacking through PGlite's file system.
    fs.cpSync(directory, target, { recursive: true, filter: (source) => path.basename(source) !== 'postmaster.pid' });
    return PGlite.create({ dataDir: target, extensions });
  }
}

/**
 * Lowers this thread's CPU priority (Linux: a thread's id works as a process id for
 * setpriority). When the machine is busy, the server's thread then gets the CPU first: an HTTP
 * request is acknowledged promptly and the database answers a moment later, which is the order
 * Slack and Teams need (an ack within 3 s; the answer may follow).
 */
function yieldToTheServerThread(): void {
  try {
    const threadId = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) os.setPriority(threadId, 10);
  } catch {
    // Not Linux, or not permitted: the thread keeps the normal priority.
  }
}

/**
 * Compiles PGlite's WebAssembly with V8's baseline compiler (Liftoff) only. V8 otherwise
 * re-compiles hot functions with its optimising compiler, and one of them, PostgreSQL's
 * generated parser, takes about 600 MB and several seconds of a core to optimise: the difference
 * between a process that fits a 512 MB machine and one that needs 1 GB. Flags are per process, so
 * this holds for every embedded database the process opens; it must run before the first compile.
 */
function keepToBaselineCode(): void {
  v8.setFlagsFromString('--no-wasm-tier-up');
  v8.setFlagsFromString('--no-wasm-dynamic-tiering');
}
