import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { renderTuteesReceived } from '../../src/assignment/tutees-received-message.ts';
import { findActorById } from '../../src/staff/actor.ts';
import type { Reply } from '../../src/reply.ts';
import { direct, email, rowsByFirst, startFixture, tableOf, type Fixture } from '../caseload/caseload-fixture.ts';
import { engines } from '../support/test-database.ts';

/**
 * `handover <staff> to <staff>`: a preview listing who moves (stored server-side), Confirm moves
 * exactly those pupils once with history kept, a tutee changed meanwhile is skipped and reported,
 * and the new tutor is sent the list with open concerns and targets.
 */
describe.each(engines)('handover on %s', (engine) => {
  // Each test starts from the same school: a handover changes many assignments.
  let fixture: Fixture | undefined;
  beforeEach(async () => {
    fixture = await startFixture(engine);
  });
  afterEach(async () => {
    await fixture?.app.close();
    fixture = undefined;
  });

  const start = async () => fixture!;
  const ask = async (f: Fixture, who: string, text: string) => f.app.bot.handleText(await f.app.actor(email(who)), text, direct);
  const press = async (f: Fixture, who: string, reply: Reply, label: string) => {
    const action = reply.blocks.flatMap((block) => (block.type === 'actions' ? block.actions : [])).find((candidate) => candidate.label === label);
    if (!action) throw new Error(`no ${label} button in ${reply.text}`);
    return f.app.bot.handleAction(await f.app.actor(email(who)), action.id, action.value, direct);
  };
  const currentTutees = async (f: Fixture, staff: string) =>
    (
      await f.app.core.db
        .selectFrom('tutor_assignment')
        .innerJoin('pupil', 'pupil.id', 'tutor_assignment.pupil_id')
        .select('pupil.source_id')
        .where('staff_id', '=', f.staff[staff])
        .where('valid_to', 'is', null)
        .orderBy('pupil.source_id')
        .execute()
    ).map((row) => row.source_id);
  const assignmentRows = async (f: Fixture) =>
    Number(
      (
        await f.app.core.db
          .selectFrom('tutor_assignment')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('the preview lists who moves and changes nothing; Confirm moves them with history; a second Confirm moves nobody', async () => {
    const f = await start();
    const preview = await ask(f, 'hughes', 'handover Ms Archer to Mr Dhillon');
    expect(preview.privacy).toBe('pupil');
    expect(preview.text).toContain('Handover: Ms Alice Archer → Mr Dev Dhillon');
    expect(tableOf(preview, 'Pupil').rows).toEqual([
      ['Amelia Jones', '9', '9A', 'Aurora', 'SEN'],
      ['Zoë Ní Bhriain', '9', '9A', 'Aurora', 'EAL'],
      ['Sam Patel', '9', '9A', 'Beacon', ''],
    ]);
    expect(preview.blocks.find((block) => block.type === 'actions')).toMatchObject({
      actions: [
        { id: 'handover_confirm', label: 'Confirm', style: 'primary' },
        { id: 'handover_cancel', label: 'Cancel' },
      ],
    });
    expect(await currentTutees(f, 'archer')).toEqual(['p1', 'p2', 'p3']);
    const rowsBefore = await assignmentRows(f);

    const confirmed = await press(f, 'hughes', preview, 'Confirm');
    expect(confirmed.text).toContain('Handover confirmed: 3 pupils moved from Ms Alice Archer to Mr Dev Dhillon.');
    expect(await currentTutees(f, 'archer')).toEqual([]);
    expect(await currentTutees(f, 'dhillon')).toEqual(['p1', 'p2', 'p3']);
    // History: each pupil's Archer row ended, a Dhillon row started; nothing deleted.
    expect(await assignmentRows(f)).toBe(rowsBefore + 3);
    const history = await f.app.core.db
      .selectFrom('tutor_assignment')
      .select(['staff_id', 'valid_to', 'reason', 'created_by'])
      .where('pupil_id', '=', f.pupil.p1)
      .orderBy('id')
      .execute();
    expect(history.map((row) => [row.staff_id, row.valid_to === null])).toEqual([
      [f.staff.archer, false],
      [f.staff.dhillon, true],
    ]);
    expect(history[1]).toMatchObject({ reason: 'handover from Ms Alice Archer to Mr Dev Dhillon', created_by: f.staff.hughes });

    const twice = await press(f, 'hughes', preview, 'Confirm');
    expect(twice.text).toBe('This handover was already confirmed: 3 pupils moved to Mr Dev Dhillon. Nothing more was changed.');
    expect(await assignmentRows(f)).toBe(rowsBefore + 3);
    const audit = await f.app.core.db.selectFrom('audit_log').select('pupil_id').where('action', '=', 'tutor_handover').execute();
    expect(audit).toHaveLength(3);
  });

  test("the new tutor is sent the list once, with each pupil's open concerns and targets", async () => {
    const f = await start();
    const preview = await ask(f, 'kerr', 'handover Ms Archer to Mr Dhillon');
    await press(f, 'kerr', preview, 'Confirm');
    await press(f, 'kerr', preview, 'Confirm');
    const deliveries = await f.app.core.db
      .selectFrom('delivery')
      .select(['id', 'staff_id', 'kind', 'subject', 'school_id', 'attempts'])
      .where('kind', '=', 'tutees-received')
      .execute();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].staff_id).toBe(f.staff.dhillon);
    // Ids only in the queue: no names, no text.
    expect(JSON.stringify(deliveries[0].subject)).not.toMatch(/[A-Z][a-z]+ [A-Z]/);
    const recipient = (await findActorById(f.app.core.db, f.staff.dhillon))!;
    const message = await renderTuteesReceived(
      f.app.core,
      {
        id: deliveries[0].id,
        schoolId: deliveries[0].school_id,
        staffId: deliveries[0].staff_id,
        kind: deliveries[0].kind,
        subject: deliveries[0].subject as Record<string, unknown>,
        attempts: 0,
      },
      recipient,
    );
    expect(message?.privacy).toBe('pupil');
    expect(message?.text).toContain('You have 3 new tutees');
    expect(message?.text).toContain('From Ms Alice Archer, assigned by Mr Ken Kerr.');
    const rows = rowsByFirst(tableOf(message!, 'Pupil'));
    // Amelia: one open concern (the acknowledged one and the follow-up do not count); targets 2 open, 1 overdue.
    expect(rows['Amelia Jones']).toMatchObject({ Needs: 'SEN', 'Open concerns': '1', 'Open targets': '2', 'Targets overdue': '1' });
    // Sam: an open concern from last term; a target due today is open but not overdue.
    expect(rows['Sam Patel']).toMatchObject({ 'Open concerns': '1', 'Open targets': '1', 'Targets overdue': '0' });
    // Zoë: her safeguarding concern is never counted in a tutor's message.
    expect(rows['Zoë Ní Bhriain']).toMatchObject({ Needs: 'EAL', 'Open concerns': '0', 'Open targets': '0' });
  });

  test('a tutee who changed tutor between preview and Confirm is skipped and reported', async () => {
    const f = await start();
    const preview = await ask(f, 'hughes', 'handover Ms Archer to Mr Dhillon');
    await ask(f, 'kerr', 'assign Sam Patel to Mr Ben Baker: options');
    const confirmed = await press(f, 'hughes', preview, 'Confirm');
    expect(confirmed.text).toContain('Handover confirmed: 2 pupils moved');
    expect(tableOf(confirmed, 'Skipped').rows).toEqual([['Sam Patel', 'now tutored by Mr Ben Baker (changed since the preview)']]);
    expect(await currentTutees(f, 'dhillon')).toEqual(['p1', 'p3']);
    expect(await currentTutees(f, 'ben.baker')).toEqual(['p2', 'p4', 'p5']);
  });

  test('Cancel moves nobody, and a Confirm after Cancel says it was cancelled', async () => {
    const f = await start();
    const preview = await ask(f, 'hughes', 'handover Mr Ben Baker to Mr Dhillon');
    expect((await press(f, 'hughes', preview, 'Cancel')).text).toBe('Handover cancelled; nobody was moved.');
    expect((await press(f, 'hughes', preview, 'Confirm')).text).toMatch(/^This handover was cancelled; nobody was moved/);
    expect(await currentTutees(f, 'ben.baker')).toEqual(['p4', 'p5']);
  });

  test('only the person who prepared the handover may confirm it; a preview a day old is not used', async () => {
    const f = await start();
    const preview = await ask(f, 'hughes', 'handover Mr Ben Baker to Mr Dhillon');
    expect((await press(f, 'kerr', preview, 'Confirm')).text).toBe('Only the person who prepared this handover can confirm or cancel it.');
    f.app.clock.advance(25 * 60 * 60 * 1000);
    expect((await press(f, 'hughes', preview, 'Confirm')).text).toMatch(/^This preview is more than a day old/);
    expect(await currentTutees(f, 'ben.baker')).toEqual(['p4', 'p5']);
  });

  test('a head of house moves only the tutees in their house, and is told about the others', async () => {
    const f = await start();
    const preview = await ask(f, 'irwin', 'handover Ms Archer to Mr Dhillon');
    expect(tableOf(preview, 'Pupil').rows.map((row) => row[0])).toEqual(['Amelia Jones', 'Zoë Ní Bhriain']);
    expect(preview.text).toContain("1 more of Ms Alice Archer's tutees are outside the pupils you lead");
    await press(f, 'irwin', preview, 'Confirm');
    expect(await currentTutees(f, 'archer')).toEqual(['p2']);
  });

  test('bad handovers are refused clearly: to themselves, to a leaver, nobody to move, out of scope, not a lead', async () => {
    const f = await start();
    expect((await ask(f, 'hughes', 'handover Ms Archer to Alice Archer')).text).toMatch(/is on both sides of the handover/);
    expect((await ask(f, 'hughes', 'handover Ms Archer to Mr Nobody Here')).text).toMatch(/^No member of staff called "Mr Nobody Here"/);
    expect((await ask(f, 'hughes', 'handover Mr Dhillon to Ms Archer')).text).toBe('Mr Dev Dhillon has no current tutees, so there is nothing to hand over.');
    expect((await ask(f, 'hughes', 'handover Mrs Cole to Mr Dhillon')).text).toMatch(/^All 2 of Mrs Cara Cole's tutees are outside the pupils you lead/);
    expect((await ask(f, 'archer', 'handover Ms Archer to Mr Dhillon')).text).toMatch(/^Only admins and heads of house or year/);
    expect(await f.app.core.db.selectFrom('handover_request').selectAll().execute()).toEqual([]);
    await f.app.core.db.updateTable('staff').set({ active: false }).where('id', '=', f.staff.dhillon).execute();
    expect((await ask(f, 'hughes', 'handover Ms Archer to Mr Dhillon')).text).toBe(
      'Mr Dev Dhillon is no longer active staff, so they cannot take on tutees. Nothing was changed.',
    );
  });
});
