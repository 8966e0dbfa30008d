import type { ActionHandler, CommandHandler, FormHandler } from '../core-context.ts';
import type { DeliveryKind } from '../delivery/delivery-kind.ts';
import type { Feature, FeatureRegistry, HomeSection, JobHandler, Schedule } from '../feature.ts';
import type { Intent } from '../grammar/parse-command.ts';

/**
 * Registers every part of every feature in one place. Ids are kept in Maps, so a word someone
 * typed or a value on a button can never reach an object's prototype. Where two features use the
 * same id, the later one wins (tests add probe features after the real ones on purpose).
 */
export function createFeatureRegistry(features: readonly Feature[]): FeatureRegistry {
  const commands = new Map<Intent['kind'], CommandHandler>();
  const actions = new Map<string, ActionHandler>();
  const forms = new Map<string, FormHandler>();
  const homeSections: HomeSection[] = [];
  const deliveryKinds = new Map<string, DeliveryKind>();
  const jobs = new Map<string, JobHandler>();
  const schedules: Schedule[] = [];
  for (const feature of features) {
    for (const [kind, handler] of Object.entries(feature.commands ?? {})) commands.set(kind as Intent['kind'], handler as CommandHandler);
    for (const [id, handler] of Object.entries(feature.actions ?? {})) actions.set(id, handler);
    for (const [id, handler] of Object.entries(feature.forms ?? {})) forms.set(id, handler);
    if (feature.home) homeSections.push(feature.home);
    for (const [id, kind] of Object.entries(feature.deliveries ?? {})) deliveryKinds.set(id, kind);
    for (const [queue, handler] of Object.entries(feature.jobs ?? {})) jobs.set(queue, handler);
    schedules.push(...(feature.schedules ?? []));
  }
  return { features: [...features], commands, actions, forms, homeSections, deliveryKinds, jobs, schedules };
}
