import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeatureRegistry } from '../../src/app/feature-registry.ts';
import { atLocalTime } from '../../src/calendar/index.ts';
import { createDeliveryService } from '../../src/delivery/delivery-service.ts';
import { DeliveryFailure } from '../../src/delivery/messenger.ts';
import { enqueueDelivery } from '../../src/delivery/outbox.ts';
import { sweepReminders } from '../../src/reminders/sweep-reminders.ts';
import { textReply, type Reply } from '../../src/reply.ts';
import { createTestClock, startTestApp, type TestApp } from '../support/test-app.ts';
import { engines } from '../support/test-database.ts';
import { RecordingMessenger } from '../support/recording-messenger.ts';

/** A platform that is having a bad hour: every send is refused with "come back in an hour". */
class BusyMessenger extends RecordingMessenger {
  override async send(_address: Record<string, unknown>, _reply: Reply, _meta: { deliveryId: number }): Promise<never> {
    throw new DeliveryFailure('rate limited', { retryable: true, retryAfterSeconds: 3600 });
  }
}

const zone = 'Europe/London';
const monday = '2026-11-23';

describe.each(engines)('a reminder that fails and is retried (%s)', (engine) => {
  let app: TestApp;
  let reminders: number[];
  beforeAll(async () => {
    const clock = createTestClock(atLocalTime(monday, '08:20', zone));
    app = await startTestApp(engine, { clock, messengers: [new BusyMessenger(clock.now)] });
    await sweepReminders(app.core);
    reminders = (await app.core.db.selectFrom('delivery').select('id').where('kind', 'like', 'reminder-%').orderBy('id').execute()).map((row) =>
      Number(row.id),
    );
  }, 120_000);
  afterAll(async () => app?.close());

  const notBefore = async (id: number) =>
    (await app.core.db.selectFrom('delivery').select('not_before').where('id', '=', id).executeTakeFirstOrThrow()).not_before;

  it('comes back when the platform asked, while that is still in the school day', async () => {
    app.clock.set(atLocalTime(monday, '10:00', zone));
    expect(await app.deliveries.deliver(reminders[0])).toBe('retry');
    expect(await notBefore(reminders[0])).toEqual(atLocalTime(monday, '11:00', zone));
  });

  it('waits for the next school day rather than reaching a tutor in the evening', async () => {
    app.clock.set(atLocalTime(monday, '16:30', zone));
    expect(await app.deliveries.deliver(reminders[1])).toBe('retry');
    expect(await notBefore(reminders[1])).toEqual(atLocalTime('2026-11-24', '08:00', zone));
  });

  it('skips the weekend: a Friday afternoon failure comes back on Monday morning', async () => {
    app.clock.set(atLocalTime('2026-11-27', '16:30', zone));
    expect(await app.deliveries.deliver(reminders[2])).toBe('retry');
    expect(await notBefore(reminders[2])).toEqual(atLocalTime('2026-11-30', '08:00', zone));
  });

  it("is the reminders' own rule: a kind that registers none comes back when the platform asked, even in the evening", async () => {
    app.clock.set(atLocalTime(monday, '16:30', zone));
    const service = createDeliveryService(app.core, {
      messengers: [new BusyMessenger(app.clock.now)],
      kinds: createFeatureRegistry([{ name: 'probe', deliveries: { probe: { render: async () => textReply('Someone is waiting for this.') } } }]).deliveryKinds,
    });
    const { staff_id } = await app.core.db.selectFrom('delivery').select('staff_id').where('id', '=', reminders[3]).executeTakeFirstOrThrow();
    const { id } = await enqueueDelivery(app.core, { schoolId: app.schoolId, staffId: staff_id, kind: 'probe', subject: {}, idempotencyKey: 'probe:evening' });
    expect(await service.deliver(id!)).toBe('retry');
    expect(await notBefore(id!)).toEqual(atLocalTime(monday, '17:30', zone));
  });
});
