import type { Kysely } from 'kysely';
import type { Actor, Channel } from './actor.ts';
import type { DB } from './db/schema.ts';
import type { Logger } from './logger.ts';
import type { Block, Reply } from './reply.ts';
import type { Intent } from './grammar/parse-command.ts';
import type { NoteSealer } from './crypto/note-sealer.ts';
import type { JobQueue } from './jobs/job-queue.ts';
import type { DeliveryRenderer } from './delivery/delivery-renderer.ts';

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
  channel: Channel;
}

export type CommandHandler<K extends Intent['kind'] = Intent['kind']> = (
  request: Request,
  intent: Extract<Intent, { kind: K }>,
) => Promise<Reply>;

/** A button press: `value` is what the core put on the button, returned unchanged by the adapter. */
export type ActionHandler = (request: Request, value: string) => Promise<Reply>;

export type FormValues = Record<string, string | string[] | undefined>;

/** A submitted form either succeeds with a reply or names the fields to correct. */
export type FormOutcome = { ok: true; reply: Reply } | { ok: false; errors: Record<string, string> };

export interface FormHandler {
  open(request: Request, prefill: { pupilId?: number; pupilQuery?: string; text?: string }): Promise<Reply>;
  submit(request: Request, values: FormValues, state: string | undefined): Promise<FormOutcome>;
}

/** A feature plugs its commands, buttons and forms into the core through one of these. */
export interface Feature {
  name: string;
  commands?: { [K in Intent['kind']]?: CommandHandler<K> };
  actions?: Record<string, ActionHandler>;
  forms?: Record<string, FormHandler>;
  /** Renders outbound messages of these kinds at send time (see delivery/). */
  deliveries?: Record<string, DeliveryRenderer>;
  /** Durable job handlers, by queue name. */
  jobs?: Record<string, JobHandler>;
  /** Sections of the viewer's home (Slack App Home, Teams welcome card), in feature order. */
  home?: (request: Request) => Promise<Block[]>;
  /** Recurring jobs: cron in the school's time zone is handled by the job itself. */
  schedules?: { queue: string; cron: string }[];
}

export type JobHandler = (core: CoreContext, data: Record<string, unknown>) => Promise<void>;
