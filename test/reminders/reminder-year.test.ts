import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSchoolDay, localDateOf } from '../../src/calendar/index.ts';
import { shiftDate } from '../../src/meetings/local-days.ts';
import { meetingTimes } from '../../src/meetings/meeting-times.ts';
import { loadSchoolTimes } from '../../src/schools/load-school-times.ts';
import { engines } from '../support/test-database.ts';
import { direct, email, startReminderKit, zone, type ReminderKit } from './reminder-kit.ts';

/**
 * A whole school year, 1 Sep 2026 to 1 Sep 2027, on the built-in England calendar (autumn
 * 1 Sep–18 Dec with half term 26–30 Oct; spring 4 Jan–25 Mar, half term 15–19 Feb; summer
 * 12 Apr–22 Jul, half term 31 May–4 Jun; bank holidays including Monday 3 May). The sweep runs
 * before and after the send time every weekday, and at noon at weekends; on Monday 21 Sep the
 * server is down all day. Mr Reid never logs a meeting; Ms Okafor meets all her tutees on 2 Nov.
 */
const expectedReid = [
  ['2026-09-01', 'term-start'],
  ['2026-09-07', 'digest'],
  ['2026-09-14', 'digest'],
  ['2026-09-22', 'digest'], // Monday's sweep never ran: Tuesday catches up
  ['2026-09-28', 'digest'],
  ['2026-10-05', 'digest'],
  ['2026-10-12', 'digest'],
  ['2026-10-19', 'digest'],
  // 26 Oct: half term, no digest
  ['2026-11-02', 'digest'],
  ['2026-11-09', 'digest'],
  ['2026-11-16', 'digest'],
  ['2026-11-23', 'digest'],
  ['2026-11-30', 'digest'],
  ['2026-12-04', 'nudge'], // two school weeks before Friday 18 Dec
  ['2026-12-07', 'digest'],
  ['2026-12-14', 'digest'],
  ['2027-01-04', 'term-start'], // no digest in the week a term starts
  ['2027-01-11', 'digest'],
  ['2027-01-18', 'digest'],
  ['2027-01-25', 'digest'],
  ['2027-02-01', 'digest'],
  ['2027-02-08', 'digest'],
  ['2027-02-22', 'digest'],
  ['2027-03-01', 'digest'],
  ['2027-03-08', 'digest'],
  ['2027-03-11', 'nudge'],
  ['2027-03-15', 'digest'],
  ['2027-03-22', 'digest'],
  ['2027-04-12', 'term-start'],
  ['2027-04-19', 'digest'],
  ['2027-04-26', 'digest'],
  ['2027-05-04', 'digest'], // Monday 3 May is a bank holiday: Tuesday
  ['2027-05-10', 'digest'],
  ['2027-05-17', 'digest'],
  ['2027-05-24', 'digest'],
  ['2027-06-07', 'digest'],
  ['2027-06-14', 'digest'],
  ['2027-06-21', 'digest'],
  ['2027-06-28', 'digest'],
  ['2027-07-05', 'digest'],
  ['2027-07-08', 'nudge'],
  ['2027-07-12', 'digest'],
  ['2027-07-19', 'digest'],
  ['2027-09-01', 'term-start'], // the next school year
];

describe.each(engines)('a school year of reminders, on %s', (engine) => {
  let kit: ReminderKit;
  let reid: number;
  let okafor: number;
  let hughes: number;

  beforeAll(async () => {
    kit = await startReminderKit(engine);
    reid = await kit.staffId('daniel.reid');
    okafor = await kit.staffId('grace.okafor');
    hughes = await kit.staffId('tom.hughes');
    const okaforActor = await kit.app.actor(email('grace.okafor'));
    const tutees = await kit.app.core.db
      .selectFrom('tutor_assignment')
      .select('pupil_id')
      .where('staff_id', '=', okafor)
      .where('valid_to', 'is', null)
      .execute();

    for (let day = '2026-09-01'; day <= '2027-09-03'; day = shiftDate(day, 1)) {
      const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
      if (weekday === 0 || weekday === 6) {
        expect((await kit.sweepAt(day, '12:00')).enqueued).toBe(0);
        continue;
      }
      if (day === '2026-09-21') continue;
      expect((await kit.sweepAt(day, '07:45')).enqueued).toBe(0);
      await kit.sweepAt(day, '08:20');
      if (day === '2026-11-02') {
        await kit.sweepAt(day, '12:00');
        for (const { pupil_id } of tutees) {
          const outcome = await kit.app.bot.submitForm(
            okaforActor,
            'meeting',
            { pupil: `#pupil:${pupil_id}`, notes: 'Autumn check-in', held_on: day },
            undefined,
            direct,
          );
          expect(outcome.ok).toBe(true);
        }
      }
      if (day === '2026-12-18') expect((await kit.sweepAt(day, '17:30')).enqueued).toBe(0);
    }
  }, 600_000);

  afterAll(async () => {
    await kit?.app.close();
  });

  it('reminds a tutor who never logs a meeting on exactly these school days', async () => {
    const received = await kit.received(reid);
    expect(received.map(({ day, kind }) => [day, kind])).toEqual(expectedReid);
  });

  it('stops reminding a tutor once every tutee has had their meeting this term', async () => {
    const autumn = (await kit.received(okafor)).filter(({ day, kind }) => day < '2026-12-19' && kind !== 'missed');
    // The same as Mr Reid's up to and including Monday 2 Nov (sent at 08:20, before the meetings
    // at noon), then nothing: no digests, no two-weeks-left nudge.
    expect(autumn.map(({ day, kind }) => [day, kind])).toEqual(expectedReid.filter(([day]) => day <= '2026-11-02'));
  });

  it("sends the head of year the list of who was missed last term, by tutor, on the next term's first school day", async () => {
    const missed = (await kit.received(okafor)).filter(({ kind }) => kind === 'missed');
    expect(missed.map(({ day, key }) => [day, key.split(':').slice(-2).join(':')])).toEqual([
      ['2027-01-04', '2026-27:autumn'],
      ['2027-04-12', '2026-27:spring'],
      ['2027-09-01', '2026-27:summer'],
    ]);
    // Autumn: Ms Okafor met her own tutees, so only Mr Reid's 9B (21 pupils) are listed.
    expect(missed[0].text).toMatch(/21 pupils in your care had no tutor meeting in the autumn term/);
    expect(missed[0].text).toMatch(/Mr Daniel Reid\s+21/);
    expect(missed[0].text).not.toMatch(/Ms Grace Okafor/);
    expect(missed[1].text).toMatch(/Ms Grace Okafor/);
  });

  it('sends heads of house their house list after each term too', async () => {
    const days = (await kit.received(hughes)).map(({ day, kind }) => [day, kind]);
    expect(days).toEqual([
      ['2027-01-04', 'missed'],
      ['2027-04-12', 'missed'],
      ['2027-09-01', 'missed'],
    ]);
  });

  it('never sends at a weekend, in a holiday or outside school hours, and never the same reminder twice', async () => {
    const times = await loadSchoolTimes(kit.app.core.db, kit.app.schoolId, new Date('2027-01-10T12:00:00Z'), meetingTimes);
    const later = await loadSchoolTimes(kit.app.core.db, kit.app.schoolId, new Date('2027-09-02T12:00:00Z'), meetingTimes);
    expect(kit.messenger.sent.length).toBeGreaterThan(300);
    for (const message of kit.messenger.sent) {
      const day = localDateOf(message.at, zone);
      const calendar = day >= '2027-08-01' ? later.calendar : times.calendar;
      expect(isSchoolDay(calendar, day), day).toBe(true);
      const clock = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false }).format(message.at);
      expect(clock >= '08:00' && clock < '17:00', `${day} ${clock}`).toBe(true);
    }
    const ids = kit.messenger.sent.map((message) => message.deliveryId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
