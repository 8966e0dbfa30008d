import { atLocalTime, localDateOf } from '../../src/calendar/index.ts';
import { sweepReminders, type SweepResult } from '../../src/reminders/sweep-reminders.ts';
import { createTestClock, startTestApp, type TestApp } from '../support/test-app.ts';
import type { Engine } from '../support/test-database.ts';
import { RecordingMessenger } from '../support/recording-messenger.ts';

/**
 * A demo school with a recording messenger and a clock the test moves through the school year.
 * Sweeps are run by hand, as the 15-minute pg-boss schedule would run them; deliveries are sent
 * by the real delivery service.
 */
export const zone = 'Europe/London';
export const direct = { platform: 'console', conversation: 'direct' } as const;
export const email = (name: string) => `${name}@northbrook.example`;

export interface ReminderKit {
  app: TestApp;
  messenger: RecordingMessenger;
  /** Moves the clock to a local time on a date, runs the reminder sweep, then sends what is queued. */
  sweepAt(date: string, time: string): Promise<SweepResult>;
  staffId(name: string): Promise<number>;
  /** What a person received: local date, reminder kind and idempotency key, in order. */
  received(staffId: number): Promise<{ day: string; kind: string; key: string; text: string }[]>;
}

export async function startReminderKit(engine: Engine, start = '2026-08-31T12:00:00Z'): Promise<ReminderKit> {
  const clock = createTestClock(start);
  const messenger = new RecordingMessenger(clock.now);
  const app = await startTestApp(engine, { clock, messengers: [messenger] });
  return {
    app,
    messenger,
    async sweepAt(date, time) {
      clock.set(atLocalTime(date, time, zone));
      const result = await sweepReminders(app.core);
      await app.deliveries.sweep({ limit: 5000 });
      return result;
    },
    async staffId(name) {
      return (await app.actor(email(name))).staffId;
    },
    async received(staffId) {
      const rows = await app.core.db.selectFrom('delivery').select(['id', 'kind', 'idempotency_key']).where('staff_id', '=', staffId).execute();
      const byId = new Map(rows.map((row) => [Number(row.id), row]));
      return messenger
        .to(staffId)
        .filter((message) => byId.get(message.deliveryId)?.kind.startsWith('reminder-'))
        .map((message) => ({
          day: localDateOf(message.at, zone),
          kind: byId.get(message.deliveryId)!.kind.replace(/^reminder-/, ''),
          key: byId.get(message.deliveryId)!.idempotency_key,
          text: message.reply.text,
        }));
    },
  };
}
