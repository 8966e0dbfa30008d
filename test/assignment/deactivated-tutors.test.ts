import { beforeAll, describe, expect, test } from 'vitest';
import { notifyDeactivatedTutors, renderTutorLeft } from '../../src/assignment/notify-deactivated-tutors.ts';
import { findActorById } from '../../src/staff/actor.ts';
import { applyRoster } from '../../src/roster/apply-roster.ts';
import { direct, email, fixtureRoster, tableOf, useFixture } from '../caseload/caseload-fixture.ts';
import { engines } from '../support/test-database.ts';

/**
 * A roster import deactivates a tutor who still has tutees: their heads of house and year are told
 * the same day, once, with the pupils they lead — and can then hand the group over.
 */
describe.each(engines)('tutors deactivated with tutees on %s', (engine) => {
  const fixture = useFixture(engine, { withFigures: false });
  let list: { schoolId: number; staffId: number }[];
  beforeAll(async () => {
    const summary = await applyRoster(fixture.app.core.db, fixtureRoster({ withoutStaff: ['cole'] }), { full: true, now: fixture.app.clock.now() });
    list = summary.deactivatedTutorsWithTutees;
  });

  const deliveries = async () =>
    fixture.app.core.db
      .selectFrom('delivery')
      .select(['id', 'staff_id', 'kind', 'subject', 'school_id', 'idempotency_key'])
      .where('kind', '=', 'tutor-left-with-tutees')
      .orderBy('staff_id')
      .execute();

  async function render(staffKey: string) {
    const row = (await deliveries()).find((delivery) => delivery.staff_id === fixture.staff[staffKey])!;
    const recipient = (await findActorById(fixture.app.core.db, row.staff_id))!;
    return renderTutorLeft(
      fixture.app.core,
      { id: row.id, schoolId: row.school_id, staffId: row.staff_id, kind: row.kind, subject: row.subject as Record<string, unknown>, attempts: 0 },
      recipient,
    );
  }

  test("the heads of year and house of the leaver's tutees are each told once a day", async () => {
    expect(list.map((entry) => entry.staffId)).toEqual([fixture.staff.cole]);
    expect(await notifyDeactivatedTutors(fixture.app.core, list)).toBe(2);
    expect(await notifyDeactivatedTutors(fixture.app.core, list)).toBe(0);
    const rows = await deliveries();
    expect(rows.map((row) => row.staff_id)).toEqual([fixture.staff.osei, fixture.staff.irwin].sort((a, b) => a - b));
    expect(rows[0].idempotency_key).toMatch(new RegExp(`^tutor-left:${fixture.app.schoolId}:${fixture.staff.cole}:\\d+:2027-02-03$`));
  });

  test('each is shown the pupils they lead, and the handover command', async () => {
    const hoy = await render('osei');
    expect(hoy?.text).toContain('Mrs Cara Cole has left and still tutors 2 of your pupils');
    expect(tableOf(hoy!, 'Pupil').rows.map((row) => row[0])).toEqual(['Sam Patel-Hughes', 'Oliver Smith']);
    expect(hoy?.text).toContain('"handover Mrs Cara Cole to <colleague>"');
    const hoh = await render('irwin');
    expect(tableOf(hoh!, 'Pupil').rows.map((row) => row[0])).toEqual(['Sam Patel-Hughes']);
    expect(hoh?.text).toContain('1 other tutee is outside the pupils you lead');
  });

  test('the next day brings a new reminder; once handed over, the message is no longer sent', async () => {
    fixture.app.clock.advance(24 * 60 * 60 * 1000);
    expect(await notifyDeactivatedTutors(fixture.app.core, list)).toBe(2);
    const osei = await fixture.app.actor(email('osei'));
    const preview = await fixture.app.bot.handleText(osei, 'handover Mrs Cole to Mr Dhillon', direct);
    const confirm = preview.blocks.flatMap((block) => (block.type === 'actions' ? block.actions : []))[0];
    expect((await fixture.app.bot.handleAction(osei, confirm.id, confirm.value, direct)).text).toContain('2 pupils moved');
    expect(await render('osei')).toBeNull();
  });

  test('with no head of house or year for the pupils, the whole-school pastoral lead is told', async () => {
    // Ms Beth Baker (Isla Brown, Year 10, Cygnus) leaves with the head of Year 10; Cygnus has no head of house.
    const summary = await applyRoster(fixture.app.core.db, fixtureRoster({ withoutStaff: ['cole', 'beth.baker', 'osei'] }), {
      full: true,
      now: fixture.app.clock.now(),
    });
    expect(summary.deactivatedTutorsWithTutees.map((entry) => entry.staffId)).toEqual([fixture.staff['beth.baker']]);
    await notifyDeactivatedTutors(fixture.app.core, summary.deactivatedTutorsWithTutees);
    const rows = (await deliveries()).filter((row) => (row.subject as { leaverStaffId: number }).leaverStaffId === fixture.staff['beth.baker']);
    expect(rows.map((row) => row.staff_id)).toEqual([fixture.staff.lee]);
    expect(tableOf((await render('lee'))!, 'Pupil').rows.map((row) => row[0])).toEqual(['Isla Brown']);
  });
});
