import { describe, expect, it } from 'vitest';
import { createFeatureRegistry } from '../../src/app/feature-registry.ts';
import { features } from '../../src/app/features.ts';
import type { Feature } from '../../src/feature.ts';
import { textReply } from '../../src/reply.ts';

/** The one place every part of every feature is registered (docs/architecture.md). */
describe('the feature registry', () => {
  const first: Feature = {
    name: 'first',
    commands: { help: async () => textReply('first help') },
    actions: { press: async () => textReply('first press') },
    forms: { form: { open: async () => textReply('first form'), submit: async () => ({ ok: true, reply: textReply('first') }) } },
    home: async () => [{ type: 'text', text: 'first home' }],
    deliveries: { notice: { render: async () => textReply('first notice') } },
    jobs: { 'first-job': async () => {} },
    schedules: [{ queue: 'first-job', cron: '* * * * *' }],
  };
  const second: Feature = {
    name: 'second',
    actions: { press: async () => textReply('second press') },
    home: async () => [{ type: 'text', text: 'second home' }],
    deliveries: { notice: { render: async () => textReply('second notice') } },
    jobs: { 'second-job': async () => {} },
    schedules: [{ queue: 'second-job', cron: '*/5 * * * *' }],
  };

  it('registers commands, actions, forms, home sections, delivery kinds, jobs and schedules of every feature', () => {
    const registry = createFeatureRegistry([first, second]);
    expect([...registry.commands.keys()]).toEqual(['help']);
    expect([...registry.actions.keys()]).toEqual(['press']);
    expect([...registry.forms.keys()]).toEqual(['form']);
    expect(registry.homeSections).toEqual([first.home, second.home]);
    expect([...registry.deliveryKinds.keys()]).toEqual(['notice']);
    expect([...registry.jobs.keys()]).toEqual(['first-job', 'second-job']);
    expect(registry.schedules).toEqual([...first.schedules!, ...second.schedules!]);
    expect(registry.features.map((feature) => feature.name)).toEqual(['first', 'second']);
  });

  it('lets a later feature win where two use the same id', async () => {
    const registry = createFeatureRegistry([first, second]);
    expect(registry.actions.get('press')).toBe(second.actions!.press);
    expect(registry.deliveryKinds.get('notice')).toBe(second.deliveries!.notice);
  });

  it('finds nothing for words that name an object prototype property', () => {
    const registry = createFeatureRegistry(features);
    for (const word of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(registry.actions.get(word)).toBeUndefined();
      expect(registry.forms.get(word)).toBeUndefined();
      expect(registry.deliveryKinds.get(word)).toBeUndefined();
      expect(registry.jobs.get(word)).toBeUndefined();
    }
  });

  it('registers the real features: every delivery kind a feature declares has its renderer', () => {
    const registry = createFeatureRegistry(features);
    const declared = features.flatMap((feature) => Object.keys(feature.deliveries ?? {}));
    expect(declared.length).toBeGreaterThan(3);
    expect([...registry.deliveryKinds.keys()].sort()).toEqual([...new Set(declared)].sort());
    expect(registry.schedules.map((schedule) => schedule.queue)).toEqual(
      features.flatMap((feature) => (feature.schedules ?? []).map((schedule) => schedule.queue)),
    );
  });
});
