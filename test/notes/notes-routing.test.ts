import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../support/test-database.ts';
import { findAction, lastNote, noteRows, startNotesKit, type NotesKit } from './notes-test-kit.ts';

describe.each(engines)('routing concerns and success stories, on %s', (engine) => {
  let kit: NotesKit;

  beforeAll(async () => {
    kit = await startNotesKit(engine);
  });
  afterAll(async () => kit?.close());
  beforeEach(() => kit.messenger.clear());

  it("sends a typed concern to the pupil's tutor once, with the pupil, reporter, text and buttons", async () => {
    const { who } = kit;
    const receipt = await kit.say(who.staff, 'concern Amelia Jones: upset after lunch, says she is being left out');
    expect(receipt.privacy).toBe('pupil');
    expect(receipt.text).toContain('went to Ms Grace Okafor (tutor)');
    expect(receipt.text).not.toContain('upset after lunch');
    expect(await kit.deliver()).toBe(1);
    const [message] = kit.inbox(who.tutor);
    expect(kit.messenger.sent).toHaveLength(1);
    expect(message.reply.privacy).toBe('pupil');
    expect(message.reply.text).toContain('Amelia Jones (Year 9, form 9A), Aurora');
    expect(message.reply.text).toContain('Logged by: Jo Bloggs');
    expect(message.reply.text).toContain('Urgency: routine');
    expect(message.reply.text).toContain('upset after lunch, says she is being left out');
    expect(findAction(message.reply, 'note_ack').label).toBe('Acknowledge');
    expect(findAction(message.reply, 'note_followup').label).toBe('Add follow-up');
    // No reclassify button for a tutor: that is for the safeguarding team.
    expect(() => findAction(message.reply, 'note_reclassify')).toThrow();
    expect(await kit.deliver()).toBe(0);
  });

  it('sends an urgent concern to the tutor and the heads of house and year at the same time', async () => {
    const { who } = kit;
    const form = await kit.app.bot.submitForm(
      who.staff,
      'concern',
      {
        pupil: '#pupil:' + (await pupilId('Kofi')),
        category: 'wellbeing',
        urgency: 'urgent',
        safeguarding: 'no',
        text: 'crying in the corridor, would not say why',
      },
      undefined,
      { platform: 'slack', conversation: 'direct' },
    );
    expect(form.ok).toBe(true);
    if (!form.ok) return;
    expect(form.reply.text).toContain('Ms Grace Okafor (tutor)');
    expect(form.reply.text).toContain('Mr Tom Hughes (head of Aurora)');
    expect(form.reply.text).toContain('Dr Ruth Oyelaran (head of Year 9)');
    expect(await kit.deliver()).toBe(3);
    for (const person of [who.tutor, who.headOfAurora, who.headOfYear9]) {
      expect(kit.inbox(person)).toHaveLength(1);
      expect(kit.inbox(person)[0].reply.text).toContain('crying in the corridor');
      expect(kit.inbox(person)[0].reply.text).toContain('Category: wellbeing');
      expect(kit.inbox(person)[0].reply.text).toContain('Urgent concern');
    }
    const note = await lastNote(kit.app);
    expect(note).toMatchObject({ kind: 'concern', category: 'wellbeing', urgency: 'urgent', source: 'form' });
  });

  it('sends praise (and its alias "success") to the tutor as a success story', async () => {
    const { who } = kit;
    const receipt = await kit.say(who.otherTutor, 'success Sam Patel: won the maths challenge');
    expect(receipt.text).toContain('Your success story for Sam Patel');
    expect(receipt.text).toContain('Ms Grace Okafor (tutor)');
    await kit.deliver();
    expect(kit.inbox(who.tutor)).toHaveLength(1);
    expect(kit.inbox(who.tutor)[0].reply.text).toContain('Success story for Sam Patel from Mr Daniel Reid');
    expect((await lastNote(kit.app)).kind).toBe('praise');
  });

  it('routes a pupil with no tutor to the heads of house and year, and tells the admin without the text', async () => {
    const { who } = kit;
    const receipt = await kit.say(who.staff, "concern Siobhan O'Connor: asleep in every lesson this week");
    expect(receipt.text).toContain('Mr Tom Hughes (head of Aurora)');
    expect(receipt.text).toContain('Dr Ruth Oyelaran (head of Year 9)');
    expect(receipt.text).toContain('has no active tutor');
    await kit.deliver();
    expect(kit.inbox(who.headOfAurora)[0].reply.text).toContain('asleep in every lesson');
    expect(kit.inbox(who.headOfAurora)[0].reply.text).toContain('has no active tutor');
    expect(kit.inbox(who.headOfYear9)).toHaveLength(1);
    const [adminMessage] = kit.inbox(who.admin);
    expect(adminMessage.reply.text).toContain("Siobhán O'Connor");
    expect(adminMessage.reply.text).toContain('Please assign a tutor');
    expect(adminMessage.reply.text).not.toContain('asleep');
    expect(kit.inbox(who.tutor)).toHaveLength(0);
  });

  it('routes a pupil whose tutor is inactive to the heads of house and year, and tells the admin', async () => {
    const { who, app } = kit;
    await app.core.db.updateTable('staff').set({ active: false }).where('email', '=', 'ivan.petrov@larchfield.example').execute();
    const receipt = await kit.say(who.staff, 'concern Leo Fraser: has not been in since Monday');
    expect(receipt.text).toContain('Ms Alys Pryce (head of Beacon)');
    expect(receipt.text).toContain('Dr Ruth Oyelaran (head of Year 9)');
    await kit.deliver();
    expect(kit.inbox(who.headOfBeacon)).toHaveLength(1);
    expect(kit.inbox(who.admin)).toHaveLength(1);
    expect(kit.messenger.sent.some((message) => message.reply.text.includes('not been in since') && message.staffId === who.departingTutor.staffId)).toBe(
      false,
    );
  });

  it('tells the reporter once when the tutor acknowledges, and says so when it is pressed again', async () => {
    const { who } = kit;
    await kit.say(who.staff, 'concern Sam Patel: forgot PE kit three times');
    await kit.deliver();
    const acknowledge = findAction(kit.inbox(who.tutor)[0].reply, 'note_ack');
    const first = await kit.press(who.tutor, acknowledge);
    expect(first.text).toContain('Acknowledged');
    expect(first.text).toContain('Jo Bloggs will be told');
    const again = await kit.press(who.tutor, acknowledge);
    expect(again.text).toMatch(/already acknowledged by you/);
    await kit.deliver();
    const toReporter = kit.inbox(who.staff);
    expect(toReporter).toHaveLength(1);
    expect(toReporter[0].reply.text).toMatch(/Your concern about Sam Patel \(#\d+, logged .*\) was acknowledged by Ms Grace Okafor/);
    expect(toReporter[0].reply.text).not.toContain('PE kit');
  });

  it('refuses an Acknowledge from someone the concern was not sent to, and changes nothing', async () => {
    const { who } = kit;
    await kit.say(who.staff, 'concern Amelia James: left the lesson without asking');
    await kit.deliver();
    const acknowledge = findAction(kit.inbox(who.otherTutor)[0].reply, 'note_ack');
    for (const outsider of [who.tutor, who.admin, who.staff, who.headOfBeacon]) {
      const answer = await kit.press(outsider, acknowledge);
      expect(answer.text).toBe('Only the people this concern was sent to can acknowledge it. Nothing was changed.');
    }
    const note = await lastNote(kit.app);
    expect(note.acknowledged_at).toBeNull();
    await kit.deliver();
    expect(kit.inbox(who.staff)).toHaveLength(0);

    // It waits on the tutor's home, names only; Show opens it.
    const home = await kit.app.bot.home(who.otherTutor, { platform: 'console', conversation: 'direct' });
    expect(home.text).toContain(`Amelia James (Year 9, form 9B): concern from Jo Bloggs, Mon 23 Nov 2026, 10:00 · #${note.id}`);
    expect(home.text).not.toContain('left the lesson');
    const shown = await kit.press(who.otherTutor, findAction(home, 'note_show'));
    expect(shown.text).toContain('left the lesson without asking');
  });

  it('does not save or route the same command twice when it is repeated', async () => {
    const { who } = kit;
    const before = (await noteRows(kit.app)).length;
    const first = await kit.say(who.staff, 'concern Kofi Mensah: lost his bus pass again');
    const second = await kit.say(who.staff, 'concern Kofi Mensah: lost his bus pass again');
    expect(first.text).toContain('Concern logged');
    expect(second.text).toContain('Concern already logged');
    expect(second.text).toContain('nothing new was saved');
    expect((await noteRows(kit.app)).length).toBe(before + 1);
    await kit.deliver();
    expect(kit.inbox(who.tutor)).toHaveLength(1);
  });

  it('asks which pupil before saving anything, and saves once however often the choice is pressed', async () => {
    const { who, app } = kit;
    const before = (await noteRows(app)).length;
    const question = await kit.say(who.staff, 'concern Amelia: hiding in the toilets at break');
    expect(question.text).toContain('Which one do you mean?');
    expect(question.text).toContain('not saved until you choose');
    expect(question.text).not.toContain('hiding in the toilets');
    expect((await noteRows(app)).length).toBe(before);
    // The text waits sealed, server-side; the button carries only ids.
    const choice = findAction(question, 'note_pick_pupil', 0);
    expect(choice.value).toMatch(/^pending:\d+\|#pupil:\d+$/);
    const pending = await app.core.db.selectFrom('pending_note').selectAll().execute();
    expect(pending).toHaveLength(1);
    expect(pending[0].body.startsWith('v1:')).toBe(true);

    // Someone else pressing the same button saves nothing.
    const stranger = await kit.press(who.otherTutor, choice);
    expect(stranger.text).toContain('no longer open');

    const [first, second] = await Promise.all([kit.press(who.staff, choice), kit.press(who.staff, choice)]);
    const third = await kit.press(who.staff, choice);
    expect([first.text, second.text].filter((text) => text.includes('Concern logged'))).toHaveLength(1);
    expect(third.text).toContain('already logged');
    expect((await noteRows(app)).length).toBe(before + 1);
    expect(await app.core.db.selectFrom('pending_note').selectAll().execute()).toHaveLength(0);
    await kit.deliver();
    expect(kit.messenger.sent.filter((message) => message.reply.text.includes('hiding in the toilets'))).toHaveLength(1);
  });

  it('lets a held note expire after an hour, saying so', async () => {
    const { who, app } = kit;
    const question = await kit.say(who.staff, 'praise Amelia: helped a new pupil find her way');
    const choice = findAction(question, 'note_pick_pupil', 1);
    app.clock.advance(61 * 60_000);
    const late = await kit.press(who.staff, choice);
    expect(late.text).toContain('no longer open');
    expect((await noteRows(app)).some((note) => note.kind === 'praise' && note.author_staff_id === who.staff.staffId && note.source === 'choice')).toBe(false);
  });

  it('adds a follow-up from the console with a common-answer button, once, and that acknowledges the concern', async () => {
    const { who, app } = kit;
    await kit.say(who.headOfYear9, 'concern Amelia Jones: missed the trip deposit deadline');
    await kit.deliver();
    const offer = await kit.press(who.tutor, findAction(kit.inbox(who.tutor)[0].reply, 'note_followup'));
    // The console cannot open forms: the offer is buttons, not a form it cannot show.
    expect(offer.blocks.some((block) => block.type === 'form')).toBe(false);
    const quick = findAction(offer, 'note_followup_quick', 1);
    const saved = await kit.press(who.tutor, quick);
    expect(saved.text).toMatch(/Follow-up #\d+ added to the concern about Amelia Jones/);
    expect(saved.text).toContain('also acknowledged it');
    const again = await kit.press(who.tutor, quick);
    expect(again.text).toContain('not saved twice');
    const followUps = (await noteRows(app)).filter((note) => note.kind === 'followup');
    expect(followUps).toHaveLength(1);
    await kit.deliver();
    expect(kit.inbox(who.headOfYear9)[0].reply.text).toContain('acknowledged by Ms Grace Okafor');
  });

  it('opens a follow-up form where forms can open, and saves what is written in it', async () => {
    const { who, app } = kit;
    await kit.say(who.staff, 'concern Sam Patel: arrived without lunch');
    await kit.deliver();
    const offer = await kit.press(who.tutor, findAction(kit.inbox(who.tutor)[0].reply, 'note_followup'), { platform: 'slack', conversation: 'direct' });
    const form = offer.blocks.find((block) => block.type === 'form');
    if (form?.type !== 'form') throw new Error('expected a form');
    const empty = await app.bot.submitForm(who.tutor, form.form.id, { text: '   ' }, form.form.state, { platform: 'slack', conversation: 'direct' });
    expect(empty).toEqual({ ok: false, errors: { text: 'The follow-up is empty: write what happened.' } });
    const outcome = await app.bot.submitForm(who.tutor, form.form.id, { text: 'Spoke to dad, sorted.' }, form.form.state, {
      platform: 'slack',
      conversation: 'direct',
    });
    expect(outcome.ok && outcome.reply.text).toMatch(/Follow-up #\d+ added/);
  });

  it('asks which pupil for "notes" too, and lists the chosen pupil\'s notes', async () => {
    const { who } = kit;
    const question = await kit.say(who.dsl, 'notes Amelia');
    const james = question.blocks.flatMap((block) => (block.type === 'choices' ? block.options : [])).find((option) => option.label === 'Amelia James')!;
    const view = await kit.press(who.dsl, james.action);
    expect(view.text).toContain('Notes about Amelia James (Year 9, form 9B)');
    expect(view.text).toContain('left the lesson without asking');
  });

  // Last in this file: it leaves the school without a safeguarding team.
  it('saves a safeguarding concern when the school has no DSL, tells the reporter to go in person, and the admin without names', async () => {
    const { who, app } = kit;
    await kit.deliver();
    kit.messenger.clear();
    await app.core.db.updateTable('staff').set({ active: false }).where('id', 'in', [who.dsl.staffId, who.deputyDsl.staffId]).execute();
    const receipt = await kit.say(who.staff, 'safeguarding Amelia Jones: said she is afraid of her uncle [SG-9]');
    expect(receipt.text).toContain('Tell your DSL in person now');
    await kit.deliver();
    expect(kit.messenger.sent.map((message) => message.staffId)).toEqual([who.admin.staffId]);
    expect(kit.inbox(who.admin)[0].reply.text).toContain('nobody in tutorbot has the DSL or deputy DSL role');
    expect(kit.inbox(who.admin)[0].reply.text).not.toMatch(/Amelia|uncle|SG-9/);
    expect((await lastNote(app)).kind).toBe('safeguarding');
  });

  async function pupilId(givenName: string): Promise<number> {
    const row = await kit.app.core.db
      .selectFrom('pupil')
      .select('id')
      .where('given_name', '=', givenName)
      .where('school_id', '=', kit.app.schoolId)
      .executeTakeFirstOrThrow();
    return row.id;
  }
});
