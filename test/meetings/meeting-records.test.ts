import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/staff/actor.ts';
import type { FormSpec, Reply } from '../../src/reply.ts';
import { startTestApp, createTestClock, type TestApp } from '../support/test-app.ts';
import { engines } from '../support/test-database.ts';

const direct = { platform: 'console', conversation: 'direct' } as const;
const at = (name: string) => `${name}@northbrook.example`;

function formOf(reply: Reply): FormSpec {
  const block = reply.blocks.find((candidate) => candidate.type === 'form');
  if (!block || block.type !== 'form') throw new Error(`no form in: ${reply.text}`);
  return block.form;
}

/** Monday 23 Nov 2026, 10:00: the autumn term, after half term. */
describe.each(engines)('logging meetings with targets, on %s', (engine) => {
  let app: TestApp;
  let okafor: Actor;
  let amelia: number;
  let sam: number;

  beforeAll(async () => {
    app = await startTestApp(engine, { clock: createTestClock('2026-11-23T10:00:00Z') });
    okafor = await app.actor(at('grace.okafor'));
    const pupils = await app.core.db.selectFrom('pupil').select(['id', 'given_name', 'family_name']).where('form', '=', '9A').execute();
    amelia = pupils.find((pupil) => pupil.given_name === 'Amelia' && pupil.family_name === 'Jones')!.id;
    sam = pupils.find((pupil) => pupil.given_name === 'Sam' && pupil.family_name === 'Patel')!.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("opens the form with the school's checklist, questions, target ideas and support contacts", async () => {
    const form = formOf(await app.bot.handleText(okafor, 'meeting Amelia Jones', direct));
    const field = (id: string) => form.fields.find((candidate) => candidate.id === id);
    expect(field('pupil')?.initial).toBe(`#pupil:${amelia}`);
    expect(field('held_on')?.initial).toBe('2026-11-23');
    expect(field('covered')?.options?.map((option) => option.label)).toContain('Attendance and punctuality');
    expect(field('notes')?.hint).toMatch(/^Questions to try: What has gone well since we last met\?/);
    expect(field('ideas')?.options?.length).toBeGreaterThan(5);
    // Six school weeks after today, past the Christmas holiday.
    expect(field('target1_review')?.initial).toBe('2027-01-18');
    expect(field('contacts')?.options?.map((option) => option.label)).toContain('SENCo: Dr Ruth Oyelaran');
  });

  it('logs a meeting with targets, covered items and contacts given, sealed at rest', async () => {
    const opened = formOf(await app.bot.handleText(okafor, 'meeting Amelia Jones', direct));
    const outcome = await app.bot.submitForm(
      okafor,
      'meeting',
      {
        pupil: `#pupil:${amelia}`,
        held_on: '2026-11-20',
        place: 'Library',
        covered: ['Attendance and punctuality'],
        notes: 'Talked about friendships at lunch; feeling more settled.',
        target1: 'Join the chess club',
        target1_review: '2026-12-10',
        target2: '',
        ideas: ['Read for twenty minutes each evening'],
        contacts: ['SENCo: Dr Ruth Oyelaran'],
      },
      opened.state,
      direct,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.reply.text).toContain('Meeting with Amelia Jones logged');
    expect(outcome.reply.text).toContain('Counts for: autumn term 2026-27');
    expect(outcome.reply.text).toContain('Join the chess club (review by Thu 10 Dec 2026)');
    // A picked idea is reviewed six school weeks after the meeting (20 Nov), past Christmas.
    expect(outcome.reply.text).toContain('Read for twenty minutes each evening (review by Fri 15 Jan 2027)');
    expect(outcome.reply.channelSafe?.text).not.toContain('Amelia');

    const meeting = await app.core.db.selectFrom('meeting').selectAll().where('pupil_id', '=', amelia).executeTakeFirstOrThrow();
    expect(meeting.notes.startsWith('v1:')).toBe(true);
    expect(meeting.notes).not.toContain('friendships');
    expect(meeting.covered).toEqual(['Attendance and punctuality']);
    expect(meeting.contacts_given).toEqual(['SENCo: Dr Ruth Oyelaran']);
    const targets = await app.core.db
      .selectFrom('target')
      .select(['text', sql<string>`review_on::text`.as('review_on'), 'status'])
      .where('pupil_id', '=', amelia)
      .orderBy('id')
      .execute();
    expect(targets.map((target) => [target.review_on, target.status])).toEqual([
      ['2026-12-10', 'open'],
      ['2027-01-15', 'open'],
    ]);
    expect(targets.every((target) => target.text.startsWith('v1:') && !target.text.includes('chess'))).toBe(true);

    // The same form submitted again (a double click) logs nothing more.
    const again = await app.bot.submitForm(
      okafor,
      'meeting',
      { pupil: `#pupil:${amelia}`, notes: 'Talked about friendships at lunch; feeling more settled.' },
      opened.state,
      direct,
    );
    expect(again.ok && again.reply.text).toBe('That meeting is already logged (it was sent twice); nothing was added.');
    expect(await app.core.db.selectFrom('meeting').select('id').where('pupil_id', '=', amelia).execute()).toHaveLength(1);
  });

  it('names the fields to correct: a future date, too many targets, a review date before the meeting', async () => {
    const submit = (values: Record<string, string | string[]>) =>
      app.bot.submitForm(okafor, 'meeting', { pupil: `#pupil:${sam}`, notes: 'Check-in', ...values }, undefined, direct);
    const future = await submit({ held_on: '2026-11-24' });
    expect(future).toEqual({ ok: false, errors: { held_on: 'A meeting cannot be logged before it happens: choose today or an earlier day.' } });
    const tooMany = await submit({ target1: 'One', target2: 'Two', target3: 'Three', ideas: ['Join a club or activity this half term'] });
    expect(tooMany.ok).toBe(false);
    expect(!tooMany.ok && tooMany.errors.ideas).toMatch(/Three targets at most: you have 4/);
    const backwards = await submit({ held_on: '2026-11-20', target1: 'Homework', target1_review: '2026-11-19' });
    expect(!backwards.ok && backwards.errors.target1_review).toBe('The review date must come after the meeting.');
    const empty = await submit({ notes: '   ' });
    expect(!empty.ok && empty.errors.notes).toBe('Write a few words about the meeting.');
    expect(await app.core.db.selectFrom('meeting').select('id').where('pupil_id', '=', sam).execute()).toHaveLength(0);
  });

  it('reviews open targets in the next meeting: met closes one, carried over keeps it open for six more school weeks (past half term)', async () => {
    app.clock.set('2027-01-11T10:00:00Z');
    const form = formOf(await app.bot.handleText(okafor, 'meeting Amelia Jones', direct));
    const reviews = form.fields.filter((field) => field.id.startsWith('review_'));
    expect(reviews.map((field) => field.label)).toEqual([
      'Review: Join the chess club (review by Thu 10 Dec 2026)',
      'Review: Read for twenty minutes each evening (review by Fri 15 Jan 2027)',
    ]);
    const outcome = await app.bot.submitForm(
      okafor,
      'meeting',
      { pupil: `#pupil:${amelia}`, notes: 'Spring check-in', [reviews[0].id]: 'met', [reviews[1].id]: 'carried_over' },
      form.state,
      direct,
    );
    expect(outcome.ok).toBe(true);
    const targets = await app.core.db
      .selectFrom('target')
      .select(['status', sql<string>`review_on::text`.as('review_on'), sql<string | null>`closed_on::text`.as('closed_on')])
      .where('pupil_id', '=', amelia)
      .orderBy('id')
      .execute();
    expect(targets).toEqual([
      { status: 'met', review_on: '2026-12-10', closed_on: '2027-01-11' },
      { status: 'open', review_on: '2027-03-01', closed_on: null },
    ]);
    const meetings = await app.core.db.selectFrom('meeting').select(['academic_year', 'term']).where('pupil_id', '=', amelia).orderBy('id').execute();
    expect(meetings).toEqual([
      { academic_year: '2026-27', term: 'autumn' },
      { academic_year: '2026-27', term: 'spring' },
    ]);
  });

  it('lists targets open first, with review dates and outcomes, and audits each text read', async () => {
    const before = await app.core.db.selectFrom('audit_log').select('id').where('action', '=', 'target_read').execute();
    const answer = await app.bot.handleText(okafor, 'targets Amelia Jones', direct);
    expect(answer.text).toContain('Targets for Amelia Jones (9A)');
    const lines = answer.text.split('\n');
    const read = lines.findIndex((line) => line.startsWith('Read for twenty minutes'));
    const chess = lines.findIndex((line) => line.startsWith('Join the chess club'));
    expect(read).toBeGreaterThan(0);
    expect(chess).toBeGreaterThan(read);
    expect(lines[read]).toMatch(/Mon 1 Mar 2027\s+open \(carried over\)/);
    expect(lines[chess]).toMatch(/met \(Mon 11 Jan 2027\)/);
    const after = await app.core.db.selectFrom('audit_log').select(['subject', 'actor_staff_id']).where('action', '=', 'target_read').execute();
    expect(after.length - before.length).toBe(2);
    // Meeting notes are read only on request, and each read is audited.
    const notes = await app.bot.handleAction(okafor, 'meeting_notes_show', `#pupil:${amelia}`, direct);
    expect(notes.text).toContain('Talked about friendships at lunch');
    const reads = await app.core.db.selectFrom('audit_log').select('subject').where('action', '=', 'meeting_read').execute();
    expect(reads).toHaveLength(2);
  });

  it("refuses targets and meeting notes to staff who may not read the pupil's notes", async () => {
    const reid = await app.actor(at('daniel.reid'));
    expect((await app.bot.handleText(reid, 'targets Amelia Jones', direct)).text).toMatch(
      /Only Amelia Jones's tutor, their head of house or year, or the safeguarding team can see/,
    );
    expect((await app.bot.handleAction(reid, 'meeting_notes_show', `#pupil:${amelia}`, direct)).text).not.toContain('friendships');
    const hughes = await app.actor(at('tom.hughes'));
    expect((await app.bot.handleText(hughes, 'targets Amelia Jones', direct)).text).toContain('Join the chess club');
  });

  it('lists my tutees with who still needs a meeting this term first', async () => {
    const answer = await app.bot.handleText(okafor, 'my tutees', direct);
    expect(answer.text).toContain('Your tutees, spring term 2026-27');
    // Ms Okafor tutors 7A and 9A in the demo school.
    expect(answer.text).toMatch(/Met this term: .* 1\/42/);
    const table = answer.text.split('\n');
    const ameliaRow = table.findIndex((line) => line.startsWith('Amelia Jones'));
    const samRow = table.findIndex((line) => line.startsWith('Sam Patel '));
    expect(table[ameliaRow]).toMatch(/9A\s+met\s+Mon 11 Jan/);
    expect(table[samRow]).toMatch(/9A\s+not yet\s+never/);
    expect(samRow).toBeLessThan(ameliaRow);
    const home = await app.bot.home(okafor, direct);
    expect(home.text).toContain('Tutor meetings, spring term 2026-27');
    expect(home.text).toContain('41 of 42 tutees still need a meeting this term');
  });

  it('logs a quick text meeting, and keeps the notes through a choice between pupils', async () => {
    const answer = await app.bot.handleText(okafor, 'meeting Sam: quick catch-up about homework', direct);
    const choices = answer.blocks.find((block) => block.type === 'choices');
    if (!choices || choices.type !== 'choices') throw new Error(`expected a choice: ${answer.text}`);
    const option = choices.options.find((candidate) => candidate.label === 'Sam Patel')!;
    const logged = await app.bot.handleAction(okafor, option.action.id, option.action.value, direct);
    expect(logged.text).toContain('Meeting with Sam Patel logged');
    // Pressed twice: still one meeting.
    await app.bot.handleAction(okafor, option.action.id, option.action.value, direct);
    const rows = await app.core.db.selectFrom('meeting').select(['source', 'notes', 'id']).where('pupil_id', '=', sam).execute();
    expect(rows).toHaveLength(1);
    const notes = await app.bot.handleAction(okafor, 'meeting_notes_show', `#pupil:${sam}`, direct);
    expect(notes.text).toContain('quick catch-up about homework');
  });
});
