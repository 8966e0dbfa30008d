import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatPupilAudit } from '../../adapters/cli/commands/audit-command.ts';
import { isTutorbotError } from '../../src/errors.ts';
import { openNoteText } from '../../src/notes/note-store.ts';
import { applyRoster } from '../../src/roster/apply-roster.ts';
import { engines } from '../support/test-database.ts';
import { otherSchoolRoster } from './notes-roster.ts';
import { consoleChannel, findAction, lastNote, noteRows, slackChannel, startNotesKit, type NotesKit } from './notes-test-kit.ts';

describe.each(engines)('notes as records, on %s', (engine) => {
  let kit: NotesKit;
  let otherSchoolId: number;

  beforeAll(async () => {
    kit = await startNotesKit(engine);
    otherSchoolId = (await applyRoster(kit.app.core.db, otherSchoolRoster(), { full: true, now: kit.app.clock.now() })).schoolIds[0];
  });
  afterAll(async () => kit?.close());
  beforeEach(() => kit.messenger.clear());

  const pupilId = async (givenName: string) =>
    (await kit.app.core.db.selectFrom('pupil').select('id').where('given_name', '=', givenName).executeTakeFirstOrThrow()).id;
  const reads = async () => kit.app.core.db.selectFrom('audit_log').selectAll().where('action', '=', 'note_read').orderBy('id').execute();

  it('keeps note text encrypted at rest: no table holds it in clear', async () => {
    const { who, app } = kit;
    const canary = 'CANARY-7731 Amelia cried about her nan';
    await kit.say(who.staff, `concern Amelia Jones: ${canary}`);
    await kit.deliver();
    await kit.press(who.tutor, findAction(await kit.press(who.tutor, findAction(kit.inbox(who.tutor)[0].reply, 'note_followup')), 'note_followup_quick'));
    await kit.say(who.staff, 'concern Amelia: CANARY-7731 held while a pupil is chosen'); // a pending note
    const tables = await sql<{ table_schema: string; table_name: string }>`
      SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`.execute(app.core.db);
    expect(tables.rows.length).toBeGreaterThan(10);
    for (const { table_schema, table_name } of tables.rows) {
      const rows = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.id(table_schema, table_name)} t`.execute(app.core.db);
      for (const { row } of rows.rows) expect(row, `${table_schema}.${table_name}`).not.toContain('CANARY-7731');
    }
    const note = (await noteRows(app)).find((row) => row.kind === 'concern' && openNoteText(app.core.sealer, row) === canary)!;
    expect(note.body).toMatch(/^v1:/);
    // A ciphertext copied onto another row does not open there.
    try {
      openNoteText(app.core.sealer, { id: note.id + 1, body: note.body });
      expect.unreachable();
    } catch (error) {
      expect(isTutorbotError(error, 'tutorbot_note_unreadable')).toBe(true);
    }
  });

  it('writes an audit row for every read of a note text: delivered, listed and shown', async () => {
    const { who, app } = kit;
    const before = (await reads()).length;
    await kit.say(who.staff, 'concern Kofi Mensah: shouting in the canteen');
    await kit.deliver();
    const note = await lastNote(app);
    let rows = (await reads()).slice(before);
    expect(rows).toEqual([
      expect.objectContaining({ actor_staff_id: who.tutor.staffId, pupil_id: note.pupil_id, subject: `note:${note.id}`, channel: 'delivery' }),
    ]);

    await kit.say(who.headOfYear9, 'notes Kofi Mensah');
    rows = (await reads()).slice(before + 1);
    expect(rows).toEqual([expect.objectContaining({ actor_staff_id: who.headOfYear9.staffId, subject: `note:${note.id}`, channel: 'console' })]);

    await kit.press(who.tutor, { id: 'note_show', label: 'Show', value: `note:${note.id}` }, slackChannel);
    rows = (await reads()).slice(before + 2);
    expect(rows).toEqual([expect.objectContaining({ actor_staff_id: who.tutor.staffId, channel: 'slack' })]);

    // Counts and refusals are not reads.
    await kit.say(who.admin, 'notes Kofi Mensah');
    await kit.say(who.otherTutor, 'notes Kofi Mensah');
    expect((await reads()).length).toBe(before + 3);
  });

  it('lists concerns, praise and follow-ups newest first; corrections are follow-ups, the original unchanged', async () => {
    const { who, app } = kit;
    app.clock.advance(60_000);
    await kit.say(who.tutor, 'praise Sam Patel: great effort in science');
    app.clock.advance(60_000);
    const receipt = await kit.say(who.tutor, 'concern Sam Patel: late twice this week');
    const original = await lastNote(app);
    app.clock.advance(60_000);
    const offer = await kit.press(who.tutor, findAction(receipt, 'note_followup'), slackChannel);
    const form = offer.blocks.find((block) => block.type === 'form');
    if (form?.type !== 'form') throw new Error('expected a form');
    await app.bot.submitForm(who.tutor, form.form.id, { text: 'Correction: late three times, not twice.' }, form.form.state, slackChannel);
    const view = await kit.say(who.tutor, 'history Sam Patel');
    const order = ['Correction: late three times', 'late twice this week', 'great effort in science'].map((text) => view.text.indexOf(text));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(view.text).toContain(`Follow-up to #${original.id}`);
    expect(openNoteText(app.core.sealer, (await noteRows(app)).find((row) => row.id === original.id)!)).toBe('late twice this week');
    // The tutor logged it about their own tutee: nobody else needed it, and it is not escalated.
    expect(receipt.text).toContain('It is yours to follow up');
    expect(original).toMatchObject({ acknowledged_by: who.tutor.staffId, next_escalation_at: null });
  });

  it('prints the audit log for a pupil for the DSL, by name or UPN, without note text', async () => {
    const out = await formatPupilAudit(kit.app.core.db, { pupil: 'Kofi Mensah', school: 'Larchfield School' });
    expect(out).toContain('Audit log for Kofi Mensah (UPN L000000000006, form 9A), Larchfield School');
    expect(out).toMatch(/note_logged\s+console\s+note:\d+/);
    expect(out).toMatch(/Ms Grace Okafor <grace\.okafor@larchfield\.example>\s+note_read\s+delivery/);
    expect(out).toMatch(/Dr Ruth Oyelaran <ruth\.oyelaran@larchfield\.example>\s+note_read\s+console/);
    expect(out).not.toContain('shouting');
    expect(await formatPupilAudit(kit.app.core.db, { pupil: 'l000000000006', school: '900001' })).toBe(out);
    await expect(formatPupilAudit(kit.app.core.db, { pupil: 'Amelia', school: 'Larchfield School' })).rejects.toThrow(/Several pupils match "Amelia"/);
  });

  describe('bad input gets a clear answer and saves nothing twice', () => {
    it('empty text: the form opens instead, and an empty form is sent back', async () => {
      const { who, app } = kit;
      const before = (await noteRows(app)).length;
      const reply = await kit.say(who.staff, 'concern Amelia Jones:   ');
      expect(reply.blocks.some((block) => block.type === 'form')).toBe(true);
      const outcome = await app.bot.submitForm(
        who.staff,
        'concern',
        { pupil: `#pupil:${await pupilId('Kofi')}`, category: 'other', urgency: 'routine', safeguarding: 'no', text: ' \n ' },
        undefined,
        slackChannel,
      );
      expect(outcome).toEqual({ ok: false, errors: { text: 'The concern is empty: write what happened.' } });
      expect((await noteRows(app)).length).toBe(before);
    });

    it('text over 4,000 characters is refused with its length; 4,000 exactly is kept whole', async () => {
      const { who, app } = kit;
      const before = (await noteRows(app)).length;
      const held = async () => (await app.core.db.selectFrom('pending_note').selectAll().execute()).length;
      const heldBefore = await held();
      const tooLong = await kit.say(who.staff, `concern Amelia: ${'x'.repeat(4001)}`);
      expect(tooLong.text).toBe('The concern is 4,001 characters; the limit is 4,000. Shorten it, or add the rest as a follow-up. Nothing was saved.');
      expect(await held()).toBe(heldBefore);
      const formTooLong = await app.bot.submitForm(
        who.staff,
        'praise',
        { pupil: `#pupil:${await pupilId('Kofi')}`, category: 'academic', text: 'é'.repeat(4001) },
        undefined,
        slackChannel,
      );
      expect(formTooLong.ok).toBe(false);
      expect((await noteRows(app)).length).toBe(before);
      const exact = 'é'.repeat(3999) + '!';
      await kit.say(who.staff, `praise Kofi Mensah: ${exact}`);
      expect(openNoteText(app.core.sealer, await lastNote(app))).toBe(exact);
    });

    it('an unknown pupil: nothing saved, and a suggestion when there is a close name', async () => {
      const { who, app } = kit;
      const before = (await noteRows(app)).length;
      expect((await kit.say(who.staff, 'concern Xavier Nobody: fell asleep')).text).toContain('No pupil called "Xavier Nobody" in your school');
      expect((await kit.say(who.staff, 'concern Kofi Mensha: fell asleep')).text).toContain('Concern logged'); // a typo still finds him
      expect((await noteRows(app)).length).toBe(before + 1);
    });

    it('a pupil of another school cannot be named, picked or referenced', async () => {
      const { who, app } = kit;
      const before = (await noteRows(app)).length;
      const other = (await app.core.db.selectFrom('pupil').select('id').where('school_id', '=', otherSchoolId).executeTakeFirstOrThrow()).id;
      expect((await kit.say(who.staff, 'concern Xanthe Quillfeather: seen crying')).text).toContain('No pupil called "Xanthe Quillfeather" in your school');
      const form = await app.bot.submitForm(
        who.staff,
        'concern',
        { pupil: `#pupil:${other}`, category: 'other', urgency: 'routine', safeguarding: 'no', text: 'seen crying' },
        undefined,
        slackChannel,
      );
      expect(form).toEqual({ ok: false, errors: { pupil: 'That pupil is not on the roll of your school.' } });
      const question = await kit.say(who.staff, 'concern Amelia: seen crying at the gate');
      const forged = {
        ...findAction(question, 'note_pick_pupil'),
        value: findAction(question, 'note_pick_pupil').value.replace(/#pupil:\d+/, `#pupil:${other}`),
      };
      expect((await kit.press(who.staff, forged)).text).toBe('That pupil is not on the roll of your school. Nothing was saved.');
      expect((await kit.press(who.staff, { id: 'notes_pick_pupil', label: '', value: `#pupil:${other}` })).text).toBe(
        'That pupil is not on the roll of your school.',
      );
      expect((await noteRows(app)).length).toBe(before);
      // Nor can their notes be acknowledged or shown from here.
      const otherTutor = (await app.core.db.selectFrom('staff').select('id').where('school_id', '=', otherSchoolId).executeTakeFirstOrThrow()).id;
      const theirs = await app.core.db
        .insertInto('note')
        .values({
          school_id: otherSchoolId,
          pupil_id: other,
          author_staff_id: otherTutor,
          kind: 'concern',
          safeguarding: false,
          body: 'v1:AAAA',
          source: 'text',
          channel: 'console',
          created_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect((await kit.press(who.dsl, { id: 'note_ack', label: '', value: `note:${theirs.id}` })).text).toBe(
        'That note is not available to you. Nothing was changed.',
      );
      expect((await kit.press(who.dsl, { id: 'note_show', label: '', value: `note:${theirs.id}` })).text).toBe('That note is not available to you.');
    });

    it('forged or stale button values are refused', async () => {
      const { who } = kit;
      expect((await kit.press(who.tutor, { id: 'note_ack', label: '', value: 'note:abc' })).text).toContain('not valid');
      expect((await kit.press(who.tutor, { id: 'note_pick_pupil', label: '', value: "'; DROP TABLE note; --" })).text).toContain('not valid');
      expect((await kit.press(who.tutor, { id: 'note_followup_quick', label: '', value: 'note:1|99' })).text).toContain('not valid');
    });

    it('a bad category or urgency in a form is named, field by field', async () => {
      const { who, app } = kit;
      const outcome = await app.bot.submitForm(
        who.staff,
        'concern',
        { pupil: `#pupil:${await pupilId('Kofi')}`, category: 'gossip', urgency: 'soonish', safeguarding: 'maybe', text: 'x' },
        undefined,
        slackChannel,
      );
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(Object.keys(outcome.errors).sort()).toEqual(['category', 'safeguarding', 'urgency']);
      expect(outcome.errors.category).toContain('academic, attendance, behaviour, wellbeing, friendship, family, other');
    });

    it('hostile text is stored exactly as given and shown safely', async () => {
      const { who, app } = kit;
      const hostile = '<!channel> *bold* <script>alert(1)</script> [link](http://evil.example) \u0007bell\u0000nul \u202Eesrever\nsecond line';
      const outcome = await app.bot.submitForm(
        who.staff,
        'concern',
        { pupil: `#pupil:${await pupilId('Amelia')}`, category: 'behaviour', urgency: 'routine', safeguarding: 'no', text: hostile },
        undefined,
        slackChannel,
      );
      expect(outcome.ok && outcome.reply.text).not.toContain('script');
      const note = await lastNote(app);
      expect(openNoteText(app.core.sealer, note)).toBe(hostile);
      await kit.deliver();
      const shown = kit.messenger.sent.map((message) => message.reply).find((reply) => reply.text.includes('alert(1)'))!;
      const textBlock = shown.blocks.find((block) => block.type === 'text' && block.text.includes('alert(1)'));
      expect(textBlock).toEqual({
        type: 'text',
        text: '<!channel> *bold* <script>alert(1)</script> [link](http://evil.example) \uFFFDbell\uFFFDnul \uFFFDesrever\nsecond line',
      });
      expect(shown.text).not.toMatch(/[\u0000\u0007\u202E]/);
      expect(consoleChannel.platform).toBe('console');
    });
  });
});
