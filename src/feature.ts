import type { ActionHandler, CommandHandler, CoreContext, FormHandler, Request } from './core-context.ts';
import type { DeliveryKind } from './delivery/delivery-kind.ts';
import type { Intent } from './grammar/parse-command.ts';
import type { Block } from './reply.ts';

/**
 * A feature plugs its commands, buttons, forms, home section, delivery kinds, jobs and schedules
 * into the core through one of these; src/app/feature-registry.ts registers every part in one place.
 */
export interface Feature {
  name: string;
  commands?: { [K in Intent['kind']]?: CommandHandler<K> };
  actions?: Record<string, ActionHandler>;
  forms?: Record<string, FormHandler>;
  /** Outbound messages of these kinds: each kind's renderer (at send time) and retry rule (see delivery/). */
  deliveries?: Record<string, DeliveryKind>;
  /** Durable job handlers, by queue name. */
  jobs?: Record<string, JobHandler>;
  /** Sections of the viewer's home (Slack App Home, Teams welcome card), in feature order. */
  home?: HomeSection;
  /** Recurring jobs: cron in the school's time zone is handled by the job itself. */
  schedules?: Schedule[];
}

export type JobHandler = (core: CoreContext, data: Record<string, unknown>) => Promise<void>;

export type HomeSection = (request: Request) => Promise<Block[]>;

export interface Schedule {
  queue: string;
  cron: string;
}

/**
 * Every part of every feature, looked up by id. Built once at start-up (createFeatureRegistry);
 * the Tutorbot dispatches through it, the delivery service renders through it and the job
 * runner runs its jobs and schedules.
 */
export interface FeatureRegistry {
  readonly features: readonly Feature[];
  readonly commands: ReadonlyMap<Intent['kind'], CommandHandler>;
  readonly actions: ReadonlyMap<string, ActionHandler>;
  readonly forms: ReadonlyMap<string, FormHandler>;
  /** In feature order. */
  readonly homeSections: readonly HomeSection[];
  readonly deliveryKinds: ReadonlyMap<string, DeliveryKind>;
  readonly jobs: ReadonlyMap<string, JobHandler>;
  readonly schedules: readonly Schedule[];
}
