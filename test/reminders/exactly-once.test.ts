import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, type App } from '../../src/app/boot.ts';
import { createFeatureRegistry } from '../../src/app/feature-registry.ts';
import { atLocalTime } from '../../src/calendar/index.ts';
import { parseConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { createDeliveryService } from '../../src/delivery/delivery-service.ts';
import { silentLogger } from '../../src/logger.ts';
import { remindersFeature } from '../../src/reminders/reminders-feature.ts';
import { sweepReminders } from '../../src/reminders/sweep-reminders.ts';
import { engines } from '../support/test-database.ts';
import { startReminderKit, zone, type ReminderKit } from './reminder-kit.ts';

/** Monday 23 Nov 2026, after the 08:00 digest time: every tutor is due a weekly digest. */
const digestMorning = atLocalTime('2026-11-23', '08:20', zone);

async function digestKeys(app: App): Promise<string[]> {
  const rows = await app.core.db.selectFrom('delivery').select('idempotency_key').where('kind', '=', 'reminder-digest').execute();
  return rows.map((row) => row.idempotency_key);
}

describe.skipIf(!process.env.TEST_DATABASE_URL)(
  'two workers on one PostgreSQL database (skipped when TEST_DATABASE_URL is unset: embedded PGlite serves one process only)',
  () => {
    let kit: ReminderKit;
    let second: App;

    beforeAll(async () => {
      kit = await startReminderKit('postgres', digestMorning.toISOString());
      // A second instance: its own process state, pool and delivery service, the same database.
      const database = await openDatabase({ kind: 'postgres', url: kit.app.testDatabase.url! }, { poolSize: 5 });
      second = await boot(parseConfig({ TUTORBOT_DEV: '1', DATABASE_URL: 'memory://', TUTORBOT_LOG_LEVEL: 'error' }), {
        jobs: 'none',
        database,
        messengers: [kit.messenger],
        logger: silentLogger,
        now: kit.app.clock.now,
      });
    });
    afterAll(async () => {
      await second?.close();
      await kit?.app.close();
    });

    it('plans and sends each digest once, however the sweeps and deliveries interleave', async () => {
      for (let round = 0; round < 3; round += 1) {
        await Promise.all([sweepReminders(kit.app.core), sweepReminders(second.core), sweepReminders(kit.app.core), sweepReminders(second.core)]);
        await Promise.all([kit.app.deliveries.sweep(), second.deliveries.sweep(), kit.app.deliveries.sweep(), second.deliveries.sweep()]);
        kit.app.clock.advance(15 * 60_000);
      }
      const keys = await digestKeys(kit.app);
      expect(keys.length).toBeGreaterThan(5);
      expect(new Set(keys).size).toBe(keys.length);
      const sent = kit.messenger.sent.map((message) => message.deliveryId);
      expect(sent.length).toBe(keys.length);
      expect(new Set(sent).size).toBe(sent.length);
      const staff = kit.messenger.sent.map((message) => message.staffId);
      expect(new Set(staff).size).toBe(staff.length);
    });

    it('never duplicates even when the plan ledger is lost: the idempotency keys hold', async () => {
      const before = (await digestKeys(kit.app)).length;
      await kit.app.core.db.deleteFrom('reminder_run').execute();
      const results = await Promise.all([sweepReminders(kit.app.core), sweepReminders(second.core)]);
      expect(results.reduce((sum, result) => sum + result.enqueued, 0)).toBe(0);
      await Promise.all([kit.app.deliveries.sweep(), second.deliveries.sweep()]);
      expect((await digestKeys(kit.app)).length).toBe(before);
      expect(kit.messenger.sent.length).toBe(before);
    });
  },
);

describe.each(engines)('a crash between sending and recording, on %s', (engine) => {
  let kit: ReminderKit;

  beforeAll(async () => {
    kit = await startReminderKit(engine, digestMorning.toISOString());
  });
  afterAll(async () => {
    await kit?.app.close();
  });

  it('is sent once when the worker restarts: the platform is asked whether it arrived', async () => {
    await sweepReminders(kit.app.core);
    const [first] = await kit.app.core.db.selectFrom('delivery').select('id').where('kind', '=', 'reminder-digest').orderBy('id').limit(1).execute();
    kit.messenger.crashAfterSend = true;
    // The worker sends, then dies before it can record the send: the row stays 'sending'.
    void kit.app.deliveries.deliver(Number(first.id));
    await expect.poll(() => kit.messenger.sent.length).toBe(1);
    const claimed = await kit.app.core.db.selectFrom('delivery').select('status').where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(claimed.status).toBe('sending');

    // A new process (a fresh delivery service) starts ten minutes later and sweeps.
    kit.app.clock.advance(10 * 60_000);
    const restarted = createDeliveryService(kit.app.core, {
      messengers: [kit.messenger],
      kinds: createFeatureRegistry([remindersFeature]).deliveryKinds,
    });
    await restarted.sweep();
    const recovered = await kit.app.core.db.selectFrom('delivery').select(['status', 'sent_at']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(recovered.status).toBe('sent');
    expect(kit.messenger.sent.filter((message) => message.deliveryId === Number(first.id))).toHaveLength(1);
    // And a further sweep (the reminder sweep too) sends nothing again.
    await sweepReminders(kit.app.core);
    await restarted.sweep();
    const ids = kit.messenger.sent.map((message) => message.deliveryId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
