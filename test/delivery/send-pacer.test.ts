import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveSendSlot } from '../../src/delivery/send-pacer.ts';
import { smallRoster } from '../support/small-roster.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { engines } from '../support/test-database.ts';

describe.each(engines)('send pacing shared through the database, on %s', (engine) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(engine, { roster: smallRoster() });
  });
  afterAll(async () => app?.close());

  it('gives concurrent senders distinct slots one interval apart, starting now', async () => {
    const pace = { perSecond: 4, scope: 'workspace-a' };
    const start = app.clock.now().getTime();
    const slots = await Promise.all(Array.from({ length: 8 }, () => reserveSendSlot(app.core, 'slack', pace, 10_000)));
    const times = slots.map((slot) => (slot.kind === 'reserved' ? slot.at.getTime() - start : Number.NaN)).sort((a, b) => a - b);
    expect(times).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750]);
  });

  it('reserves nothing beyond the longest wait, and says when the next slot is free', async () => {
    const pace = { perSecond: 2, scope: 'workspace-b' };
    const start = app.clock.now().getTime();
    const first = await reserveSendSlot(app.core, 'slack', pace, 600);
    const second = await reserveSendSlot(app.core, 'slack', pace, 600);
    const third = await reserveSendSlot(app.core, 'slack', pace, 600);
    expect(first).toEqual({ kind: 'reserved', at: new Date(start) });
    expect(second).toEqual({ kind: 'reserved', at: new Date(start + 500) });
    expect(third).toEqual({ kind: 'full', nextFree: new Date(start + 1000) });
    // The refusal took no slot: once the clock reaches it, the next free slot is the one promised.
    app.clock.advance(1000);
    expect(await reserveSendSlot(app.core, 'slack', pace, 600)).toEqual({ kind: 'reserved', at: new Date(start + 1000) });
  });

  it('lets a crashed worker’s message jump the queue: it goes now and everyone after it moves on by one interval', async () => {
    const pace = { perSecond: 2, scope: 'workspace-e' };
    const start = app.clock.now().getTime();
    await reserveSendSlot(app.core, 'slack', pace, 600);
    await reserveSendSlot(app.core, 'slack', pace, 600);
    expect(await reserveSendSlot(app.core, 'slack', pace, 600)).toEqual({ kind: 'full', nextFree: new Date(start + 1000) });
    expect(await reserveSendSlot(app.core, 'slack', pace, 600, { jumpQueue: true })).toEqual({ kind: 'reserved', at: new Date(start) });
    expect(await reserveSendSlot(app.core, 'slack', pace, 600)).toEqual({ kind: 'full', nextFree: new Date(start + 1500) });
  });

  it('keeps scopes and platforms apart, and starts again from now after a quiet spell', async () => {
    const pace = { perSecond: 1, scope: 'tenant-c' };
    const start = app.clock.now().getTime();
    expect(await reserveSendSlot(app.core, 'teams', pace, 0)).toEqual({ kind: 'reserved', at: new Date(start) });
    expect(await reserveSendSlot(app.core, 'slack', pace, 0)).toEqual({ kind: 'reserved', at: new Date(start) });
    expect(await reserveSendSlot(app.core, 'teams', { ...pace, scope: 'tenant-d' }, 0)).toEqual({ kind: 'reserved', at: new Date(start) });
    app.clock.advance(60_000);
    expect(await reserveSendSlot(app.core, 'teams', pace, 0)).toEqual({ kind: 'reserved', at: new Date(start + 60_000) });
  });
});
