import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocalTime } from '../../src/calendar/index.ts';
import { sweepReminders } from '../../src/reminders/sweep-reminders.ts';
import { createTestClock, startTestApp, type TestApp } from '../support/test-app.ts';
import { engines } from '../support/test-database.ts';

/**
 * A reminder sweep queues its deliveries and then kicks a pg-boss job for each, in a few bulk
 * inserts rather than one send per delivery (a national Monday morning queues 138,600 digests).
 */
const digestMorning = atLocalTime('2026-11-23', '08:20', 'Europe/London');

describe.each(engines)('kicking the jobs for a reminder sweep (%s)', (engine) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(engine, { clock: createTestClock(digestMorning), jobs: 'send' });
  }, 120_000);
  afterAll(async () => app?.close());

  const jobs = async () =>
    (
      await sql<{ delivery_id: number; singleton_key: string; state: string }>`
      SELECT (data->>'deliveryId')::int AS delivery_id, singleton_key, state FROM pgboss.job WHERE name = 'delivery' ORDER BY 1`.execute(app.core.db)
    ).rows;

  it('queues one delivery job per planned reminder, keyed by its delivery', async () => {
    const result = await sweepReminders(app.core);
    expect(result.enqueued).toBeGreaterThan(0);
    const queued = await app.core.db.selectFrom('delivery').select('id').where('kind', 'like', 'reminder-%').orderBy('id').execute();
    expect(queued).toHaveLength(result.enqueued);
    expect(await jobs()).toEqual(queued.map(({ id }) => ({ delivery_id: Number(id), singleton_key: `delivery:${id}:0`, state: 'created' })));
  });

  it('kicks nothing more when the same morning is swept again', async () => {
    const before = await jobs();
    const again = await sweepReminders(app.core);
    expect(again.enqueued).toBe(0);
    expect(await jobs()).toEqual(before);
  });
});
