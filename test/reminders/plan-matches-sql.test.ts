import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSchoolDay } from '../../src/calendar/index.ts';
import { shiftDate } from '../../src/meetings/local-days.ts';
import { meetingTimes } from '../../src/meetings/meeting-times.ts';
import { sweepReminders } from '../../src/reminders/sweep-reminders.ts';
import { loadSchoolTimes } from '../../src/schools/load-school-times.ts';
import { updateSchoolSettings } from '../../src/schools/school-settings.ts';
import { engines } from '../support/test-database.ts';
import { loadReminderFacts } from './load-reminder-facts.ts';
import { direct, email, startReminderKit, type ReminderKit } from './reminder-kit.ts';
import { planReminders } from './reminder-rules-oracle.ts';

/**
 * The set-based sweep (the one planner in production) against the rules' plain statement, the
 * test oracle (reminder-rules-oracle.ts): on a school with meetings, targets, snoozes and a
 * year-group policy they must agree on every school day.
 */
describe.each(engines)('the sweep SQL and the rules oracle agree, on %s', (engine) => {
  let kit: ReminderKit;

  beforeAll(async () => {
    kit = await startReminderKit(engine, '2026-11-24T11:00:00Z');
    const db = kit.app.core.db;
    const okafor = await kit.app.actor(email('grace.okafor'));
    const tutees = await db.selectFrom('tutor_assignment').select('pupil_id').where('staff_id', '=', okafor.staffId).where('valid_to', 'is', null).execute();
    // Ms Okafor meets half her tutees, setting targets due in December for two of them.
    for (const [index, { pupil_id }] of tutees.entries()) {
      if (index % 2) continue;
      const values: Record<string, string> = { pupil: `#pupil:${pupil_id}`, notes: 'Check-in', held_on: '2026-11-20' };
      if (index < 4) Object.assign(values, { target1: 'Homework on time', target1_review: '2026-12-09' });
      expect((await kit.app.bot.submitForm(okafor, 'meeting', values, undefined, direct)).ok).toBe(true);
    }
    // A Year 12 pupil met by the head of sixth form.
    const head = await kit.app.actor(email('catherine.ashdown'));
    const sixth = await db
      .selectFrom('pupil')
      .select('id')
      .where('school_id', '=', kit.app.schoolId)
      .where('year_group', '=', 12)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(
      (await kit.app.bot.submitForm(head, 'meeting', { pupil: `#pupil:${sixth.id}`, notes: 'Options', held_on: '2026-10-01' }, undefined, direct)).ok,
    ).toBe(true);
    const reid = await kit.staffId('daniel.reid');
    await db
      .insertInto('reminder_snooze')
      .values([
        { school_id: kit.app.schoolId, staff_id: reid, kind: 'digest', period: '2026-W48', snoozed_on: '2026-11-23', until_on: '2026-11-30' },
        { school_id: kit.app.schoolId, staff_id: reid, kind: 'nudge', period: '2026-27:autumn', snoozed_on: '2026-12-04', until_on: '2026-12-11' },
      ])
      .execute();
  });
  afterAll(async () => {
    await kit?.app.close();
  });

  async function compare(dates: string[]) {
    const core = kit.app.core;
    const times = await loadSchoolTimes(core.db, kit.app.schoolId, core.now(), meetingTimes);
    const facts = await loadReminderFacts(core.db, kit.app.schoolId);
    let compared = 0;
    for (const date of dates) {
      if (!isSchoolDay(times.calendar, date)) continue;
      const pure = planReminders(times.calendar, times.settings, date, facts)
        .map((reminder) => `${reminder.key} ${reminder.pupils}/${reminder.targets}`)
        .sort();
      const swept = (await sweepReminders(core, { dryRun: true, date })).reminders
        .map((reminder) => `${reminder.key} ${reminder.pupils}/${reminder.targets}`)
        .sort();
      expect(swept, date).toEqual(pure);
      compared += pure.length;
    }
    return compared;
  }

  const autumn: string[] = [];
  for (let day = '2026-11-02'; day <= '2027-01-08'; day = shiftDate(day, 1)) autumn.push(day);

  it('on every school day from November to the first week of spring', async () => {
    expect(await compare(autumn)).toBeGreaterThan(100);
  });

  it('with a policy for some year groups and two meetings a term', async () => {
    await updateSchoolSettings(kit.app.core.db, kit.app.schoolId, { meetingYearGroups: [9, 12], meetingsPerYear: 6 });
    expect(await compare(autumn.filter((_, index) => index % 3 === 0))).toBeGreaterThan(20);
  });
});
