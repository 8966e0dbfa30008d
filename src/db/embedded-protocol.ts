import type { EmbeddedMemory } from '../config.ts';
import type { EmbeddedTemplate } from './embedded-template-path.ts';

/**
 * The messages between the server's thread and the thread that owns the embedded database
 * (embedded-database-thread.ts). Every request carries an id and gets exactly one reply; queries
 * inside a transaction carry the transaction's id. Errors cross as plain objects, because
 * structured cloning keeps an Error's message but drops PostgreSQL's fields (code, detail,
 * constraint) that callers and logs rely on.
 */

export interface EmbeddedOpenOptions {
  /** null: in memory. */
  dataDir: string | null;
  /** A migrated empty database to start a new one from (embedded-template.ts). */
  template: EmbeddedTemplate | null;
  /** 'small': compile the WebAssembly with V8's baseline compiler only (see EmbeddedMemory). */
  memory?: EmbeddedMemory;
}

export type EmbeddedRequest =
  | { id: number; op: 'query'; tx: number | null; sql: string; params: unknown[] }
  | { id: number; op: 'exec'; tx: number | null; sql: string }
  | { id: number; op: 'begin'; tx: number }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; channel: string }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

export interface QueryOutcome {
  rows: Record<string, unknown>[];
  affectedRows?: number;
}

export type EmbeddedMessage =
  | { kind: 'opened'; createdFrom: 'template' | 'initdb' | 'existing' }
  | { kind: 'failed-to-open'; error: SerializedError }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: SerializedError }
  | { kind: 'notification'; channel: string; payload: string };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, string | number | boolean>;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: SerializedError['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  return Object.assign(error, serialized.fields);
}
