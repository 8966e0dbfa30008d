import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCalendar, showCalendar } from '../../adapters/cli/commands/calendar-command.ts';
import { listFailedDeliveries, retryFailedDeliveries } from '../../adapters/cli/commands/deliveries-command.ts';
import { dryRunReminders } from '../../adapters/cli/commands/remind-command.ts';
import { setSetting, showSettings } from '../../adapters/cli/commands/settings-command.ts';
import { DeliveryFailure, type Messenger } from '../../src/delivery/messenger.ts';
import { enqueueDelivery } from '../../src/delivery/outbox.ts';
import { loadSchoolSettings } from '../../src/schools/load-school-times.ts';
import { createTestClock, startTestApp, type TestApp } from '../support/test-app.ts';
import { engines } from '../support/test-database.ts';

/** A platform that can be switched to refuse every message (e.g. the bot was removed). */
class SwitchableMessenger implements Messenger {
  readonly platform = 'console' as const;
  failing = true;
  readonly sent: number[] = [];
  async resolveAddress(_db: unknown, contact: { staffId: number }) {
    return { staffId: contact.staffId };
  }
  async send(_address: Record<string, unknown>, _message: unknown, meta: { deliveryId: number }) {
    if (this.failing) throw new DeliveryFailure('platform said: channel_not_found', { retryable: false });
    this.sent.push(meta.deliveryId);
    return { ref: {} };
  }
}

describe.each(engines)('the admin commands for meetings and reminders, on %s', (engine) => {
  let app: TestApp;
  let dir: string;
  const messenger = new SwitchableMessenger();

  beforeAll(async () => {
    app = await startTestApp(engine, { clock: createTestClock('2026-11-25T10:00:00Z'), messengers: [messenger] });
    dir = await mkdtemp(join(tmpdir(), 'tutorbot-admin-'));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the built-in calendar and says so, then imports a school calendar and explains bad files', async () => {
    expect(await showCalendar(app.core, {})).toContain("This is the built-in England default calendar (usual English term dates), not your school's own.");
    const file = join(dir, 'terms.csv');
    await writeFile(file, 'kind,name,start,end\nterm,autumn 2026,2026-09-03,2026-12-17\nhalf_term,,2026-10-26,2026-10-30\ninset,INSET day,2026-11-27,\n');
    const output = await importCalendar(app.core, file, {});
    expect(output).toContain('Imported 1 term and 1 closure for Northbrook Academy (demo).');
    expect(await showCalendar(app.core, {})).not.toContain('built-in England default');
    await expect(importCalendar(app.core, join(dir, 'missing.csv'), {})).rejects.toThrow(/Cannot read .*missing.csv: there is no such file./);
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'kind,name,start,end\nterm,autumn 2026,2026-09-03,\n');
    await expect(importCalendar(app.core, bad, {})).rejects.toThrow(/bad.csv row 2/);
    // The imported INSET day is not a school day for reminders either: Friday 27 Nov is quiet.
    expect(await dryRunReminders(app.core, { date: '2026-11-27' })).toMatch(/^No reminders would be sent on 2026-11-27/);
  });

  it('changes the meeting policy with validation, and the plan follows it', async () => {
    expect(await showSettings(app.core, {})).toMatch(/meetingsPerYear\s+3 \(default\)/);
    expect(await setSetting(app.core, 'meeting-year-groups', '10-11', {})).toBe('Northbrook Academy (demo): meetingYearGroups is now 10,11 (was all).');
    await expect(setSetting(app.core, 'meetingsPerYear', 'lots', {})).rejects.toThrow('meetingsPerYear must be a whole number; "lots" is not.');
    await expect(setSetting(app.core, 'meetingsPerYear', '40', {})).rejects.toThrow(/from 1 to 12/);
    await expect(setSetting(app.core, 'digestTime', '8am', {})).rejects.toThrow(/HH:MM/);
    expect((await loadSchoolSettings(app.core.db, app.schoolId)).meetingsPerYear).toBe(3);
    const plan = await dryRunReminders(app.core, { date: '2026-11-30' });
    // Only tutors of Years 10 and 11 are reminded now; Ms Okafor tutors 7A and 9A.
    expect(plan).toMatch(/weekly digest\s+2026-W49/);
    expect(plan).not.toContain('grace.okafor');
    await setSetting(app.core, 'meetingYearGroups', 'all', {});
    expect(await dryRunReminders(app.core, { date: '2026-11-30' })).toMatch(
      /weekly digest\s+2026-W49\s+Ms Grace Okafor <grace.okafor@northbrook.example>\s+42\s+0\s+would send/,
    );
  });

  it('lists dead-lettered deliveries and requeues them', async () => {
    const staff = await app.actor('daniel.reid@northbrook.example');
    const { id } = await enqueueDelivery(app.core, {
      schoolId: app.schoolId,
      staffId: staff.staffId,
      kind: 'reminder-digest',
      subject: { kind: 'digest', period: '2026-W48', academicYear: '2026-27', term: 'autumn' },
      idempotencyKey: `reminder:${app.schoolId}:${staff.staffId}:digest:2026-W48`,
    });
    expect(await app.deliveries.deliver(id!)).toBe('failed');
    const listing = await listFailedDeliveries(app);
    expect(listing).toMatch(
      new RegExp(`${id}\\s+reminder-digest\\s+Mr Daniel Reid <daniel.reid@northbrook.example>\\s+1\\s+platform said: channel_not_found\\s+2026-11-25 10:00`),
    );
    await expect(retryFailedDeliveries(app, ['abc'])).rejects.toThrow('"abc" is not a delivery id');
    await expect(retryFailedDeliveries(app, ['999999'])).rejects.toThrow('Not in the dead-letter list: 999999');
    messenger.failing = false;
    expect(await retryFailedDeliveries(app, [String(id)])).toBe('Queued 1 delivery again; the running server sends them.');
    expect(await app.deliveries.deliver(id!)).toBe('sent');
    expect(messenger.sent).toEqual([id]);
    expect(await listFailedDeliveries(app)).toBe('No failed deliveries: nothing is in the dead-letter list.');
  });
});
