import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, RequestOrigin } from '../../src/staff/actor.ts';
import { engines } from '../support/test-database.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { smallRoster, smallSchoolEmails } from '../support/small-roster.ts';
import { applyRoster } from '../../src/roster/apply-roster.ts';
import { findPupils, maxPupilQueryLength } from '../../src/pupils/find-pupils.ts';

const console: RequestOrigin = { platform: 'console', conversation: 'direct' };

describe.each(engines)('who tutors, on %s', (engine) => {
  let app: TestApp;
  let asker: Actor;

  beforeAll(async () => {
    app = await startTestApp(engine, { roster: smallRoster() });
    asker = await app.actor(smallSchoolEmails.staff);
  });
  afterAll(async () => app?.close());

  const ask = (text: string, actor: Actor = asker) => app.bot.handleText(actor, text, console);

  it('offers nothing in the type-ahead for a 5,000-character query, even one made of a real pupil’s name', async () => {
    const typed = 'Amelia Jones '.repeat(400).slice(0, 5000);
    expect(await app.bot.suggestPupils(asker, typed)).toEqual([]);
    expect(await findPupils(app.core.db, asker.schoolId, typed)).toEqual({ kind: 'none', suggestions: [] });
  });

  it('still suggests pupils for a type-ahead query at the length cap', async () => {
    const typed = `Amelia${' '.repeat(maxPupilQueryLength - 'Amelia'.length)}`;
    expect((await app.bot.suggestPupils(asker, typed)).length).toBeGreaterThan(0);
  });

  it.each([
    ['exact', 'who tutors Amelia Jones'],
    ['lower case', 'who tutors amelia jones'],
    ['surname first', 'who tutors Jones Amelia'],
    ['surname first with a comma', 'who tutors Jones, Amelia'],
    ['preferred name', 'who tutors Millie Jones'],
    ['misspelt', 'who tutors Amelia Jnes'],
    ['transposed letters', 'who tutors Aemlia Jones'],
  ])('finds Amelia Jones and her tutor by a %s name', async (_how, text) => {
    const reply = await ask(text);
    expect(reply.text).toContain('Millie (Amelia) Jones');
    expect(reply.text).toContain('Ms Grace Okafor (grace.okafor@hollybank.example)');
    expect(reply.privacy).toBe('pupil');
  });

  it('matches accents either way: Zoe Ni Bhriain finds Zoë Ní Bhriain', async () => {
    const reply = await ask('who tutors Zoe Ni Bhriain');
    expect(reply.text).toContain('Zoë Ní Bhriain');
    expect(reply.text).toContain('Form: 9A');
  });

  it('matches names with apostrophes and hyphens written without them', async () => {
    expect((await ask('who tutors siobhan oconnor')).text).toContain("Siobhán O'Connor");
    expect((await ask('who tutors Jose Martinez Lopez')).text).toContain('José Martínez-López');
  });

  it('asks which pupil is meant when a first name alone matches several', async () => {
    const reply = await ask('who tutors Amelia');
    const choices = reply.blocks.find((block) => block.type === 'choices');
    expect(choices?.type === 'choices' && choices.options.map((option) => option.label)).toEqual(
      expect.arrayContaining(['Amelia James', 'Millie (Amelia) Jones']),
    );
    expect(choices?.type === 'choices' && choices.options).toHaveLength(2);
  });

  it('gives the card when one of the offered pupils is chosen', async () => {
    const reply = await ask('who tutors Amelia');
    const choices = reply.blocks.find((block) => block.type === 'choices');
    if (choices?.type !== 'choices') throw new Error('expected choices');
    const james = choices.options.find((option) => option.label === 'Amelia James')!;
    const card = await app.bot.handleAction(asker, james.action.id, james.action.value, console);
    expect(card.text).toContain('Mr Daniel Reid');
  });

  it('prefers the pupil whose whole name matches over one whose name only contains it', async () => {
    const reply = await ask('who tutors Sam Patel');
    expect(reply.text).toContain('Form: 9A');
    expect(reply.blocks.some((block) => block.type === 'choices')).toBe(false);
  });

  it('says so, with the closest suggestions, when nobody matches', async () => {
    const reply = await ask('who tutors Amelie Jonas-Smith');
    expect(reply.text).toMatch(/No pupil called "Amelie Jonas-Smith"/);
    const unknown = await ask('who tutors Xavier Quill');
    expect(unknown.text).toMatch(/No pupil called "Xavier Quill" in your school/);
    expect(unknown.text).not.toContain('Okafor');
  });

  it('says when a pupil has no tutor', async () => {
    const reply = await ask("who tutors Siobhan O'Connor");
    expect(reply.text).toContain('No tutor assigned');
  });

  it('shows SEN and EAL flags to the tutor but not to other staff', async () => {
    const tutor = await app.actor(smallSchoolEmails.okafor);
    expect((await ask('who tutors Amelia Jones', tutor)).text).toContain('Needs: SEN');
    expect((await ask('who tutors Amelia Jones')).text).not.toContain('SEN');
  });

  it('offers a channel-safe version with only the name, form and tutor', async () => {
    const reply = await ask('who tutors Zoe Ni Bhriain');
    expect(reply.channelSafe?.text).toBe('Zoë Ní Bhriain (9A): tutor Ms Grace Okafor');
  });

  it('never finds a pupil of another school', async () => {
    await applyRoster(app.core.db, smallRoster('Other School'), { full: true });
    const otherSchool = await app.core.db.selectFrom('school').select('id').where('name', '=', 'Other School').executeTakeFirstOrThrow();
    await app.core.db
      .insertInto('pupil')
      .values({
        school_id: otherSchool.id,
        source_id: 'x1',
        given_name: 'Quentin',
        family_name: 'Elsewhere',
        name_key: 'quentin elsewhere',
        upn: null,
        preferred_name: null,
        date_of_birth: null,
        year_group: 9,
        form: '9Z',
        house: null,
        preferred_key: null,
      })
      .execute();
    expect((await ask('who tutors Quentin Elsewhere')).text).toMatch(/No pupil called/);
  });

  it('answers hostile and oversized input without failing', async () => {
    expect((await ask(`who tutors ${'a'.repeat(500)}`)).text).toMatch(/too long to be a name/);
    expect((await ask("who tutors '; DROP TABLE pupil; --")).text).toMatch(/No pupil called/);
    expect((await ask('who tutors %_%')).text).toMatch(/No pupil called|Which pupil/);
  });
});
