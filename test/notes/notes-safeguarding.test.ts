import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/staff/actor.ts';
import { englandDefaultCalendar } from '../../src/calendar/index.ts';
import { nextResendSlot } from '../../src/notes/escalation-schedule.ts';
import { notesFeature } from '../../src/notes/notes-feature.ts';
import type { Reply } from '../../src/reply.ts';
import { engines } from '../support/test-database.ts';
import { actionIds, consoleChannel, findAction, lastNote, startNotesKit, type NotesKit } from './notes-test-kit.ts';

const calendar = englandDefaultCalendar(2026, 'Europe/London', 2);
const day = { start: '08:00', end: '17:00' };

describe('safeguarding re-send slots: every 30 minutes of the school day', () => {
  const next = (instant: string) => nextResendSlot(calendar, new Date(instant), day).toISOString();

  it('is 30 minutes later within the school day', () => {
    expect(next('2026-11-23T10:00:00Z')).toBe('2026-11-23T10:30:00.000Z');
  });
  it('waits for the start of the day before school', () => {
    expect(next('2026-11-23T06:00:00Z')).toBe('2026-11-23T08:00:00.000Z');
  });
  it('moves to the next school day at the end of the day, over weekends and half terms', () => {
    expect(next('2026-11-23T16:45:00Z')).toBe('2026-11-24T08:00:00.000Z');
    expect(next('2026-11-27T16:45:00Z')).toBe('2026-11-30T08:00:00.000Z');
    expect(next('2026-11-28T11:00:00Z')).toBe('2026-11-30T08:00:00.000Z');
    expect(next('2026-10-23T15:45:00Z')).toBe('2026-11-02T08:00:00.000Z'); // Fri 16:45 BST before half term
  });
});

describe.each(engines)('safeguarding concerns, on %s', (engine) => {
  let kit: NotesKit;
  let safeguardingText: string;
  let concernText: string;
  const contains = (reply: Reply, text: string) => reply.text.includes(text);

  beforeAll(async () => {
    kit = await startNotesKit(engine);
    const { who, app } = kit;
    app.clock.set('2026-11-23T10:00:00Z');
    safeguardingText = 'Sam said an adult at home hurt him [SG-1]';
    concernText = 'Sam seemed tired all week [C-1]';
    await kit.say(who.otherTutor, `safeguarding Sam Patel: ${safeguardingText}`);
    await kit.say(who.otherTutor, `concern Sam Patel: ${concernText}`);
    await kit.deliver();
  });
  afterAll(async () => kit?.close());
  beforeEach(() => kit.messenger.clear());

  it('goes to the DSL and deputies only, at once, and the reporter hears it reached the safeguarding team', async () => {
    const { who, app } = kit;
    const receipt = await kit.say(who.staff, 'safeguarding Kofi Mensah: bruise on his arm, said he fell [SG-2]');
    expect(receipt.text).toContain(
      'reached the safeguarding team: Mrs Helen Achterberg (designated safeguarding lead) and Mr Marcus Bello (deputy safeguarding lead)',
    );
    expect(receipt.text).not.toContain('bruise');
    await kit.deliver();
    expect(kit.messenger.sent.map((message) => message.staffId).sort()).toEqual([who.dsl.staffId, who.deputyDsl.staffId].sort());
    expect(kit.inbox(who.dsl)[0].reply.text).toContain('bruise on his arm');
    expect(kit.inbox(who.dsl)[0].reply.text).toContain('for the safeguarding team only');
    // Everyone who ever received anything about this pupil: no tutor, head or admin got it.
    expect(
      kit.messenger.sent.some((message) => [who.tutor, who.headOfAurora, who.headOfYear9, who.admin].some((person) => person.staffId === message.staffId)),
    ).toBe(false);
    expect(await lastNote(app)).toMatchObject({ kind: 'safeguarding', safeguarding: true, escalation_level: 0, next_escalation_at: null });
  });

  it("sends the concern form's safeguarding choice to the safeguarding team only", async () => {
    const { who, app } = kit;
    const pupil = await app.core.db.selectFrom('pupil').select('id').where('given_name', '=', 'Kofi').executeTakeFirstOrThrow();
    const outcome = await app.bot.submitForm(
      who.staff,
      'concern',
      {
        pupil: `#pupil:${pupil.id}`,
        category: 'family',
        urgency: 'routine',
        safeguarding: 'yes',
        text: 'Kofi mentioned sleeping at a friend’s every night [SG-3]',
      },
      undefined,
      { platform: 'teams', conversation: 'direct' },
    );
    expect(outcome.ok && outcome.reply.text).toContain('reached the safeguarding team');
    await kit.deliver();
    expect(kit.messenger.sent.map((message) => message.staffId).sort()).toEqual([who.dsl.staffId, who.deputyDsl.staffId].sort());
    expect(await lastNote(app)).toMatchObject({ kind: 'safeguarding', category: 'family', urgency: null });
  });

  const chronologyOf = (actor: Actor) => kit.say(actor, 'notes Sam Patel');

  it('is not shown to a member of staff, who sees only the notes they logged (staff row)', async () => {
    const { who } = kit;
    const other = await chronologyOf(who.staff);
    expect(contains(other, 'SG-1') || contains(other, 'C-1') || /safeguarding concern/i.test(other.text)).toBe(false);
    // The reporter (a member of staff like any other here) sees their own concern, and only that
    // they logged a safeguarding one: its text is for the safeguarding team.
    const own = await chronologyOf(who.otherTutor);
    expect(contains(own, concernText)).toBe(true);
    expect(contains(own, 'SG-1')).toBe(false);
    expect(contains(own, 'With the safeguarding team: only they can read it.')).toBe(true);
  });

  it("is not shown to the pupil's tutor, who sees the other notes (tutor row)", async () => {
    const { who } = kit;
    const view = await chronologyOf(who.tutor);
    expect(contains(view, concernText)).toBe(true);
    expect(contains(view, 'SG-1')).toBe(false);
    expect(/safeguarding/i.test(view.text.replace('Reclassify as safeguarding', ''))).toBe(false);
    expect(actionIds(view)).not.toContain('note_reclassify');
  });

  it('is not shown to the heads of house and year, who see the other notes (head of house / year row)', async () => {
    const { who } = kit;
    for (const head of [who.headOfBeacon, who.headOfYear9]) {
      const view = await chronologyOf(head);
      expect(contains(view, concernText)).toBe(true);
      expect(contains(view, 'SG-1')).toBe(false);
      expect(/safeguarding concern/i.test(view.text)).toBe(false);
    }
  });

  it('is shown to the DSL and deputy DSL, with the reclassify button on concerns only (DSL / deputy DSL row)', async () => {
    const { who } = kit;
    for (const lead of [who.dsl, who.deputyDsl]) {
      const view = await chronologyOf(lead);
      expect(contains(view, safeguardingText)).toBe(true);
      expect(contains(view, concernText)).toBe(true);
      expect(actionIds(view).filter((id) => id === 'note_reclassify')).toHaveLength(1);
    }
  });

  it('is neither shown nor counted to an admin, who sees counts of the other notes only (admin row)', async () => {
    const { who } = kit;
    const view = await chronologyOf(who.admin);
    expect(contains(view, 'SG-1') || contains(view, 'C-1')).toBe(false);
    expect(view.text).toContain('On record: 1 concern. Admins see counts only');
  });

  it('cannot be acknowledged, shown or reclassified by anyone outside the safeguarding team', async () => {
    const { who } = kit;
    const sgNote = await kit.app.core.db.selectFrom('note').selectAll().where('kind', '=', 'safeguarding').orderBy('id').executeTakeFirstOrThrow();
    for (const outsider of [who.tutor, who.headOfBeacon, who.admin, who.otherTutor]) {
      expect((await kit.press(outsider, { id: 'note_ack', label: '', value: `note:${sgNote.id}` })).text).toContain(
        'Only the safeguarding team can acknowledge',
      );
      expect((await kit.press(outsider, { id: 'note_show', label: '', value: `note:${sgNote.id}` })).text).toBe('That note is not available to you.');
      expect((await kit.press(outsider, { id: 'note_reclassify', label: '', value: `note:${sgNote.id}` })).text).toContain(
        'Only the designated safeguarding lead',
      );
    }
    const tutorHome = await kit.app.bot.home(who.tutor, consoleChannel);
    expect(tutorHome.text).not.toMatch(/safeguarding concern/i);
    const dslHome = await kit.app.bot.home(who.dsl, consoleChannel);
    expect(dslHome.text).toMatch(/Sam Patel \(Year 9, form 9A\): safeguarding concern from Mr Daniel Reid/);
    expect(dslHome.text).not.toContain('SG-1');
  });

  it('is re-sent to the whole safeguarding team every 30 minutes of the school day until a DSL acknowledges it', async () => {
    const { who, app } = kit;
    app.clock.set('2026-11-24T16:00:00Z'); // Tuesday, an hour before the end of the school day
    await kit.say(who.headOfAurora, 'safeguarding Amelia Jones: disclosed something at lunch [SG-4]');
    await kit.deliver();
    const note = await lastNote(app);
    expect(note.next_resend_at?.toISOString()).toBe('2026-11-24T16:30:00.000Z');
    const resend = () => notesFeature.jobs!['safeguarding-resend'](app.core, { noteId: note.id, schoolId: app.schoolId });
    kit.messenger.clear();

    app.clock.set('2026-11-24T16:29:00Z');
    await resend();
    await kit.deliver();
    expect(kit.messenger.sent).toHaveLength(0);

    app.clock.set('2026-11-24T16:30:00Z');
    await resend();
    await resend();
    await kit.deliver();
    expect(kit.messenger.sent.map((message) => message.staffId).sort()).toEqual([who.dsl.staffId, who.deputyDsl.staffId].sort());
    expect(kit.inbox(who.dsl)[0].reply.text).toContain('Reminder: safeguarding concern about Amelia Jones is not yet acknowledged');
    // 17:00 is the end of the school day: the next one is at the start of Wednesday.
    expect((await lastNote(app)).next_resend_at?.toISOString()).toBe('2026-11-25T08:00:00.000Z');

    kit.messenger.clear();
    app.clock.set('2026-11-25T08:00:00Z');
    await resend();
    await kit.deliver();
    expect(kit.messenger.sent).toHaveLength(2);
    const acknowledged = await kit.press(who.deputyDsl, findAction(kit.inbox(who.deputyDsl)[0].reply, 'note_ack'));
    expect(acknowledged.text).toContain('Acknowledged');
    kit.messenger.clear();
    app.clock.set('2026-11-25T09:00:00Z');
    await resend();
    await kit.deliver();
    expect(kit.inbox(who.dsl)).toHaveLength(0);
    expect(kit.inbox(who.headOfAurora)).toHaveLength(1);
    expect(kit.inbox(who.headOfAurora)[0].reply.text).toContain('was acknowledged by the safeguarding team (Mr Marcus Bello)');
    expect(kit.inbox(who.headOfAurora)[0].reply.text).not.toContain('SG-4');
  });

  it('becomes safeguarding when a DSL reclassifies a concern: hidden from the tutor from then on, reporter told', async () => {
    const { who, app } = kit;
    app.clock.set('2026-11-26T10:00:00Z');
    await kit.say(who.staff, 'concern Amelia Jones: mentioned being scared of going home [C-2]');
    // Before it is delivered, the DSL reads it and reclassifies it.
    const view = await kit.say(who.dsl, 'notes Amelia Jones');
    const reclassify = findAction(view, 'note_reclassify', 0);
    expect(reclassify.value).toBe(`note:${(await lastNote(app)).id}`);
    const done = await kit.press(who.dsl, reclassify);
    expect(done.text).toContain('now a safeguarding concern');
    expect((await kit.press(who.dsl, reclassify)).text).toContain('already with the safeguarding team');
    await kit.deliver();
    // The tutor's queued message is dropped: the text never reaches them.
    expect(kit.messenger.sent.some((message) => message.reply.text.includes('C-2') && message.staffId !== who.deputyDsl.staffId)).toBe(false);
    expect(kit.inbox(who.deputyDsl).some((message) => message.reply.text.includes('C-2'))).toBe(true);
    expect(kit.inbox(who.staff)[0].reply.text).toContain('has been passed to the safeguarding team');
    expect((await kit.say(who.tutor, 'notes Amelia Jones')).text).not.toContain('C-2');
    expect((await kit.say(who.staff, 'notes Amelia Jones')).text).not.toContain('C-2');
    expect((await kit.say(who.deputyDsl, 'notes Amelia Jones')).text).toContain('C-2');
  });
});
