import { describe, expect, test } from 'vitest';
import type { Reply } from '../../src/reply.ts';
import { applyRoster } from '../../src/roster/apply-roster.ts';
import { direct, email, fixtureRoster, useFixture } from '../caseload/caseload-fixture.ts';
import { engines } from '../support/test-database.ts';

/** `assign <pupil> to <staff>: <reason>` — history kept, needs shown, bad requests refused. */
describe.each(engines)('assigning a tutor on %s', (engine) => {
  const fixture = useFixture(engine, { withFigures: false });

  const { ask } = fixture;
  const press = async (who: string, reply: Reply, label: string) => {
    const action = reply.blocks.flatMap((block) => (block.type === 'actions' ? block.actions : [])).find((candidate) => candidate.label === label);
    if (!action) throw new Error(`no ${label} button in ${reply.text}`);
    return fixture.app.bot.handleAction(await fixture.app.actor(email(who)), action.id, action.value, direct);
  };
  const history = async (pupil: string) =>
    fixture.app.core.db
      .selectFrom('tutor_assignment')
      .select(['staff_id', 'valid_from', 'valid_to', 'reason', 'created_by'])
      .where('pupil_id', '=', fixture.pupil[pupil])
      .orderBy('id')
      .execute();

  test('a head of year assigns a pupil of their year: the old row ends, a new one starts with the reason, and it is audited', async () => {
    const reply = await ask('hughes', 'assign Sam Patel to Mr Ben Baker: moved to 9B for options');
    expect(reply.text).toContain("Done: Mr Ben Baker is now Sam Patel's tutor.");
    expect(reply.text).toContain('Before: Ms Alice Archer');
    const rows = await history('p2');
    expect(rows.map((row) => [row.staff_id, row.valid_to === null, row.reason])).toEqual([
      [fixture.staff.archer, false, 'roster import'],
      [fixture.staff['ben.baker'], true, 'moved to 9B for options'],
    ]);
    expect(rows[1].created_by).toBe(fixture.staff.hughes);
    expect(new Date(rows[0].valid_to!).getTime()).toBe(new Date(rows[1].valid_from).getTime());
    const audit = await fixture.app.core.db.selectFrom('audit_log').select(['action', 'actor_staff_id']).where('pupil_id', '=', fixture.pupil.p2).execute();
    expect(audit).toEqual([{ action: 'tutor_assigned', actor_staff_id: fixture.staff.hughes }]);
    const delivery = await fixture.app.core.db.selectFrom('delivery').select(['staff_id', 'kind']).where('kind', '=', 'tutees-received').execute();
    expect(delivery).toEqual([{ staff_id: fixture.staff['ben.baker'], kind: 'tutees-received' }]);
  });

  test('assigning the same tutor again changes nothing and says so', async () => {
    const reply = await ask('hughes', 'assign Sam Patel to Ben Baker: again');
    expect(reply.text).toBe("Mr Ben Baker is already Sam Patel's tutor; nothing to change.");
    expect(await history('p2')).toHaveLength(2);
  });

  test('a pupil with SEN or EAL needs is shown with them before anything changes; Confirm assigns once', async () => {
    const preview = await ask('hughes', 'assign Zoë Ní Bhriain to Mr Dev Dhillon: smaller group');
    expect(preview.text).toContain('Needs: EAL');
    expect(preview.text).toContain('please consider them');
    expect(await history('p3')).toHaveLength(1);
    const done = await press('hughes', preview, 'Confirm');
    expect(done.text).toContain("Done: Mr Dev Dhillon is now Zoë Ní Bhriain's tutor.");
    expect(done.text).toContain('Needs: EAL');
    const again = await press('hughes', preview, 'Confirm');
    expect(again.text).toBe("Mr Dev Dhillon is already Zoë Ní Bhriain's tutor; nothing to change.");
    expect(await history('p3')).toHaveLength(2);
  });

  test('Cancel on the needs preview changes nothing', async () => {
    const preview = await ask('hughes', 'assign Amelia Jones to Mr Dev Dhillon: smaller group');
    expect((await press('hughes', preview, 'Cancel')).text).toBe('Cancelled; the tutor was not changed.');
    expect(await history('p1')).toHaveLength(1);
  });

  test('a Confirm pressed after someone else changed the tutor does not overwrite their change', async () => {
    const preview = await ask('hughes', 'assign Amelia Jones to Mr Dev Dhillon: smaller group');
    await press('kerr', await ask('kerr', 'assign Amelia Jones to Mr Ben Baker: office decision'), 'Confirm');
    const late = await press('hughes', preview, 'Confirm');
    expect(late.text).toContain("Amelia Jones's tutor changed a moment ago");
    const rows = await history('p1');
    expect(rows.map((row) => row.staff_id)).toEqual([fixture.staff.archer, fixture.staff['ben.baker']]);
  });

  test('the reason is required and kept short; nothing changes without it', async () => {
    expect((await ask('hughes', 'assign Amelia James to Ms Archer')).text).toMatch(/^Say why after a colon/);
    expect((await ask('hughes', `assign Amelia James to Ms Archer: ${'x'.repeat(301)}`)).text).toContain('under 300 characters');
    expect(await history('p4')).toHaveLength(1);
  });

  test("a pupil outside the lead's scope, a non-staff name and an unknown pupil are refused clearly", async () => {
    expect((await ask('hughes', 'assign Oliver Smith to Ms Archer: x')).text).toMatch(
      /^Oliver Smith \(Year 10, form 10A, Beacon\) is outside the pupils you lead/,
    );
    expect((await ask('hughes', 'assign Amelia James to Isla Brown: x')).text).toBe(
      'No member of staff called "Isla Brown" in your school. Check the spelling, or try their surname alone.',
    );
    expect((await ask('hughes', 'assign Nobody Atall to Ms Archer: x')).text).toMatch(/^No pupil called "Nobody Atall"/);
    expect(await history('p7')).toHaveLength(1);
    expect(await history('p4')).toHaveLength(1);
  });

  test('tutors, DSLs and other staff may not assign', async () => {
    for (const who of ['archer', 'jones', 'moss', 'north']) {
      expect((await ask(who, 'assign Amelia James to Ms Archer: x')).text, who).toMatch(/^Only admins and heads of house or year can assign tutors/);
    }
    expect(await history('p4')).toHaveLength(1);
  });

  test('an admin gives an unassigned pupil a tutor, and the unassigned list empties', async () => {
    expect((await ask('kerr', 'assign Noah Green to dhillon@hollins.example: joined mid-year')).text).toContain(
      "Done: Mr Dev Dhillon is now Noah Green's tutor.",
    );
    expect((await ask('kerr', 'unassigned')).text).toBe('Every pupil in the whole school has an active tutor.');
  });

  test('a name matching several staff asks which one, keeping the pupil and the reason', async () => {
    const reply = await ask('kerr', 'assign Amelia James to Baker: balance groups');
    const choices = reply.blocks.find((block) => block.type === 'choices');
    if (choices?.type !== 'choices') throw new Error(reply.text);
    const beth = choices.options.find((option) => option.label === 'Ms Beth Baker')!;
    const done = await fixture.app.bot.handleAction(await fixture.app.actor(email('kerr')), beth.action.id, beth.action.value, direct);
    expect(done.text).toContain("Done: Ms Beth Baker is now Amelia James's tutor.");
    expect((await history('p4')).at(-1)?.reason).toBe('balance groups');
  });

  test('assigning to a member of staff who has left is refused', async () => {
    await applyRoster(fixture.app.core.db, fixtureRoster({ withoutStaff: ['cole'] }), { full: true, now: fixture.app.clock.now() });
    const reply = await ask('kerr', 'assign Isla Brown to Mrs Cole: back');
    expect(reply.text).toBe('Mrs Cara Cole is no longer active staff (they are not in the current roster), so they cannot be a tutor. Nothing was changed.');
  });
});
