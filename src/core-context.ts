import type { Kysely } from 'kysely';
import type { Actor, RequestOrigin } from './staff/actor.ts';
import type { DB } from './db/schema.ts';
import type { Logger } from './logger.ts';
import type { Reply } from './reply.ts';
import type { Intent } from './grammar/parse-command.ts';
import type { NoteSealer } from './crypto/note-sealer.ts';
import type { JobQueue } from './jobs/job-queue.ts';

/**
 * What every use case gets: the database, the clock (tests control it), the logger and the
 * services later features add (encryption, the outbox). Nothing here knows a platform.
 */
export interface CoreContext {
  db: Kysely<DB>;
  now(): Date;
  log: Logger;
  /** Encrypts note text at rest. */
  sealer: NoteSealer;
  /** Durable jobs (pg-boss in production): deliveries, escalations, reminders. */
  queue: JobQueue;
}

export interface Request {
  core: CoreContext;
  actor: Actor;
  channel: RequestOrigin;
}

export type CommandHandler<K extends Intent['kind'] = Intent['kind']> = (request: Request, intent: Extract<Intent, { kind: K }>) => Promise<Reply>;

/** A button press: `value` is what the core put on the button, returned unchanged by the adapter. */
export type ActionHandler = (request: Request, value: string) => Promise<Reply>;

export type FormValues = Record<string, string | string[] | undefined>;

/** A submitted form either succeeds with a reply or names the fields to correct. */
export type FormOutcome = { ok: true; reply: Reply } | { ok: false; errors: Record<string, string> };

export interface FormHandler {
  open(request: Request, prefill: { pupilId?: number; pupilQuery?: string; text?: string }): Promise<Reply>;
  submit(request: Request, values: FormValues, state: string | undefined): Promise<FormOutcome>;
}
