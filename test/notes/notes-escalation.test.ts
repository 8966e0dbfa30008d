import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { englandDefaultCalendar, type SchoolCalendar } from '../../src/calendar/index.ts';
import { escalationDeadlines } from '../../src/notes/escalation-schedule.ts';
import { notesFeature } from '../../src/notes/notes-feature.ts';
import { sweepNotes } from '../../src/notes/notes-sweep.ts';
import { engines } from '../support/test-database.ts';
import { findAction, lastNote, startNotesKit, type NotesKit } from './notes-test-kit.ts';

const calendar = englandDefaultCalendar(2026, 'Europe/London', 2);

describe('escalation deadlines, counted in school days', () => {
  const at = (instant: string, days = 2, on: SchoolCalendar = calendar) => {
    const { heads, safeguardingTeam } = escalationDeadlines(on, new Date(instant), days);
    return [heads.toISOString(), safeguardingTeam.toISOString()];
  };

  it('skips the weekend: Thursday 10:00 is due Monday 10:00, then Wednesday', () => {
    expect(at('2026-11-26T10:00:00Z')).toEqual(['2026-11-30T10:00:00.000Z', '2026-12-02T10:00:00.000Z']);
  });

  it('skips the weekend from a Friday afternoon', () => {
    expect(at('2026-11-27T15:30:00Z')).toEqual(['2026-12-01T15:30:00.000Z', '2026-12-03T15:30:00.000Z']);
  });

  it('counts a concern logged at the weekend from the start of Monday', () => {
    expect(at('2026-11-28T12:00:00Z')).toEqual(['2026-12-02T08:00:00.000Z', '2026-12-04T08:00:00.000Z']);
  });

  it('skips the October half term, keeping the local time across the clock change', () => {
    // Friday 23 Oct 2026, 14:00 BST; half term 26–30 Oct; clocks go back on 25 Oct.
    expect(at('2026-10-23T13:00:00Z')).toEqual(['2026-11-03T14:00:00.000Z', '2026-11-05T14:00:00.000Z']);
    // Wednesday before half term: the first deadline falls before it, the second after it.
    expect(at('2026-10-21T08:00:00Z')).toEqual(['2026-10-23T08:00:00.000Z', '2026-11-03T09:00:00.000Z']);
  });

  it('skips the February half term', () => {
    expect(at('2027-02-11T11:00:00Z')).toEqual(['2027-02-22T11:00:00.000Z', '2027-02-24T11:00:00.000Z']);
  });

  it('skips INSET days and follows the school setting for how many days', () => {
    const withInset: SchoolCalendar = { ...calendar, closures: [...calendar.closures, { date: '2026-11-30', kind: 'inset', label: 'INSET' }] };
    expect(at('2026-11-26T10:00:00Z', 2, withInset)[0]).toBe('2026-12-01T10:00:00.000Z');
    expect(at('2026-11-26T10:00:00Z', 3)[0]).toBe('2026-12-01T10:00:00.000Z');
  });
});

describe.each(engines)('escalating unacknowledged concerns, on %s', (engine) => {
  let kit: NotesKit;
  const escalate = (noteId: number) => notesFeature.jobs!['note-escalate'](kit.app.core, { noteId, schoolId: kit.app.schoolId });
  const jobs = async (noteId: number) =>
    (
      await sql<{
        state: string;
        start_after: Date;
        data: { noteId: number };
      }>`SELECT state, start_after, data FROM pgboss.job WHERE name = 'note-escalate' ORDER BY created_on`.execute(kit.app.core.db)
    ).rows.filter((job) => Number(job.data.noteId) === noteId);

  beforeAll(async () => {
    kit = await startNotesKit(engine, { jobs: 'send' });
  });
  afterAll(async () => kit?.close());
  beforeEach(() => kit.messenger.clear());

  it('climbs to the heads of house and year after two school days, then to the safeguarding team, once each', async () => {
    const { who, app } = kit;
    app.clock.set('2026-11-26T10:00:00Z'); // Thursday
    await kit.say(who.staff, 'concern Amelia Jones: seems withdrawn since the holiday');
    await kit.deliver();
    const note = await lastNote(app);
    expect(note.next_escalation_at?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    // A durable job waits for the deadline.
    const [job] = await jobs(note.id);
    expect(new Date(job.start_after).toISOString()).toBe('2026-11-30T10:00:00.000Z');

    app.clock.set('2026-11-30T09:59:00Z');
    await escalate(note.id);
    await kit.deliver();
    expect(kit.messenger.sent.filter((message) => message.staffId !== who.tutor.staffId)).toHaveLength(0);

    app.clock.set('2026-11-30T10:01:00Z');
    await escalate(note.id);
    await escalate(note.id);
    await sweepNotes(app.core);
    await kit.deliver();
    for (const head of [who.headOfAurora, who.headOfYear9]) {
      expect(kit.inbox(head)).toHaveLength(1);
      expect(kit.inbox(head)[0].reply.text).toContain('Not yet acknowledged: concern about Amelia Jones');
      expect(kit.inbox(head)[0].reply.text).toContain('Escalated to you as head of house/year');
      expect(kit.inbox(head)[0].reply.text).toContain('seems withdrawn');
    }
    expect(kit.inbox(who.dsl)).toHaveLength(0);
    expect((await lastNote(app)).next_escalation_at?.toISOString()).toBe('2026-12-02T10:00:00.000Z');

    kit.messenger.clear();
    app.clock.set('2026-12-02T10:00:00Z');
    await escalate(note.id);
    await escalate(note.id);
    await kit.deliver();
    expect(kit.inbox(who.dsl)).toHaveLength(1);
    expect(kit.inbox(who.deputyDsl)).toHaveLength(1);
    expect(kit.inbox(who.dsl)[0].reply.text).toContain('Escalated to you as the safeguarding team');
    expect(kit.messenger.sent).toHaveLength(2);
    expect(await lastNote(app)).toMatchObject({ escalation_level: 2, next_escalation_at: null });

    // A head of house it was escalated to may now acknowledge it; the reporter hears once.
    const acknowledged = await kit.press(who.headOfAurora, findAction(await kit.say(who.headOfAurora, 'notes Amelia Jones'), 'note_ack'));
    expect(acknowledged.text).toContain('Acknowledged');
  });

  it('does nothing at the deadline when the concern was acknowledged, and cancels its job', async () => {
    const { who, app } = kit;
    app.clock.set('2026-11-26T11:00:00Z');
    await kit.say(who.staff, 'concern Kofi Mensah: no homework for a fortnight');
    await kit.deliver();
    const note = await lastNote(app);
    await kit.press(who.tutor, findAction(kit.inbox(who.tutor)[0].reply, 'note_ack'));
    expect((await jobs(note.id)).map((job) => job.state)).toEqual(['cancelled']);
    kit.messenger.clear();
    app.clock.set('2026-12-10T12:00:00Z');
    await escalate(note.id);
    await sweepNotes(app.core);
    await kit.deliver();
    expect(kit.messenger.sent.filter((message) => message.reply.text.includes('Not yet acknowledged'))).toHaveLength(0);
    expect((await lastNote(app)).escalation_level).toBe(0);
  });

  it('waits over the half term before escalating', async () => {
    const { who, app } = kit;
    app.clock.set('2026-10-23T13:00:00Z'); // Friday before half term, 14:00 BST
    await kit.say(who.staff, 'concern Sam Patel: talked about not wanting to come back after half term');
    const note = await lastNote(app);
    expect(note.next_escalation_at?.toISOString()).toBe('2026-11-03T14:00:00.000Z');
    kit.messenger.clear();
    app.clock.set('2026-11-02T14:00:00Z'); // Monday after half term: one school day gone
    await escalate(note.id);
    await kit.deliver();
    expect(kit.inbox(who.headOfBeacon)).toHaveLength(0);
    app.clock.set('2026-11-03T14:00:00Z');
    await escalate(note.id);
    await kit.deliver();
    expect(kit.inbox(who.headOfBeacon)).toHaveLength(1);
    expect(kit.inbox(who.headOfYear9)).toHaveLength(1);
  });

  it('never escalates praise', async () => {
    const { who, app } = kit;
    app.clock.set('2026-11-26T12:00:00Z');
    await kit.say(who.staff, 'praise Amelia Jones: brilliant in the school play');
    const note = await lastNote(app);
    expect(note.next_escalation_at).toBeNull();
    app.clock.set('2026-12-20T12:00:00Z');
    expect(await import('../../src/notes/escalate-note.ts').then((module) => module.escalateNote(app.core, app.schoolId, note.id))).toBe('not-applicable');
  });
});
