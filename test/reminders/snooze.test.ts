import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/test-database.ts';
import { direct, email, startReminderKit, type ReminderKit } from './reminder-kit.ts';

/**
 * Snoozing from the reminder's own button. Autumn 2026: digests on Mondays, the two-weeks-left
 * nudge on Friday 4 Dec, the term ends Friday 18 Dec.
 */
describe.each(engines)('snoozing a reminder for a week, on %s', (engine) => {
  let kit: ReminderKit;
  let reid: number;

  beforeAll(async () => {
    kit = await startReminderKit(engine, '2026-11-23T07:00:00Z');
    reid = await kit.staffId('daniel.reid');
  });
  afterAll(async () => {
    await kit?.app.close();
  });

  const snoozeButton = (text: string) => {
    const message = kit.messenger.to(reid).find((sent) => sent.reply.text === text)!;
    for (const block of message.reply.blocks) {
      if (block.type === 'actions') {
        const button = block.actions.find((action) => action.id === 'reminder_snooze');
        if (button) return button;
      }
    }
    throw new Error('no snooze button');
  };

  it('skips the next weekly digest, then digests resume', async () => {
    await kit.sweepAt('2026-11-23', '08:20');
    const [digest] = await kit.received(reid);
    expect(digest).toMatchObject({ day: '2026-11-23', kind: 'digest' });
    const button = snoozeButton(digest.text);
    expect(button.label).toBe('Snooze for a week');

    const answer = await kit.app.bot.handleAction(await kit.app.actor(email('daniel.reid')), button.id, button.value, direct);
    expect(answer.text).toBe('Snoozed: no weekly digest until after Mon 30 Nov 2026.');

    await kit.sweepAt('2026-11-30', '08:20');
    const others = kit.messenger.sent.filter((sent) => sent.staffId !== reid && sent.at.toISOString().startsWith('2026-11-30'));
    expect(others.length).toBeGreaterThan(0);
    expect((await kit.received(reid)).map(({ day }) => day)).toEqual(['2026-11-23']);
  });

  it('brings a snoozed one-off reminder back a week later, once', async () => {
    await kit.sweepAt('2026-12-04', '08:20');
    const nudge = (await kit.received(reid)).find(({ kind }) => kind === 'nudge')!;
    expect(nudge.day).toBe('2026-12-04');
    const button = snoozeButton(nudge.text);
    const answer = await kit.app.bot.handleAction(await kit.app.actor(email('daniel.reid')), button.id, button.value, direct);
    expect(answer.text).toBe('Snoozed for a week: I will remind you again on Fri 11 Dec 2026 if any tutee still needs a meeting this term.');

    for (const day of ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-14']) {
      await kit.sweepAt(day, '08:20');
      await kit.sweepAt(day, '13:00');
    }
    const received = (await kit.received(reid)).map(({ day, kind, key }) => [day, kind, key.split(':').slice(3).join(':')]);
    expect(received).toEqual([
      ['2026-11-23', 'digest', 'digest:2026-W48'],
      ['2026-12-04', 'nudge', 'nudge:2026-27:autumn'],
      ['2026-12-07', 'digest', 'digest:2026-W50'],
      ['2026-12-11', 'nudge', 'nudge:2026-27:autumn:snoozed-2026-12-11'],
      ['2026-12-14', 'digest', 'digest:2026-W51'],
    ]);
  });

  it("refuses to snooze someone else's reminder, or a made-up one", async () => {
    const okafor = await kit.app.actor(email('grace.okafor'));
    const daniel = await kit.app.actor(email('daniel.reid'));
    // Ms Okafor has digests of her own, but none for this week.
    expect((await kit.app.bot.handleAction(okafor, 'reminder_snooze', 'digest|2030-W01', direct)).text).toBe(
      'That reminder was not sent to you, so there is nothing to snooze.',
    );
    expect((await kit.app.bot.handleAction(daniel, 'reminder_snooze', 'missed|2026-27:autumn', direct)).text).toBe(
      'That button is out of date; nothing was snoozed.',
    );
    expect((await kit.app.bot.handleAction(daniel, 'reminder_snooze', "digest|'; DROP TABLE delivery; --", direct)).text).toBe(
      'That button is out of date; nothing was snoozed.',
    );
    const snoozes = await kit.app.core.db.selectFrom('reminder_snooze').select(['staff_id', 'kind']).execute();
    expect(snoozes.every((row) => row.staff_id === daniel.staffId)).toBe(true);
  });
});
