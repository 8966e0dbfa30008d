import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { StaffRole } from '../../src/staff/staff-tables.ts';
import type { Block, Reply } from '../../src/reply.ts';
import type { Roster, RosterPupil, RosterStaff } from '../../src/roster/roster.ts';
import { createTestClock, startTestApp, type TestApp } from '../support/test-app.ts';
import type { Engine } from '../support/test-database.ts';

/**
 * A small school built by hand, so that every caseload figure has a known right answer.
 * The clock stands on Wednesday 3 February 2027: the first half of the spring term 2026-27 in the
 * England default calendar (spring term 4 Jan – 25 Mar, half term 15–19 Feb), so the autumn term
 * has ended and its meeting is overdue for anyone not met in it (policy: 3 a year, 1 a term).
 */
export const fixtureNow = '2027-02-03T10:00:00Z';
export const domain = 'hollins.example';

const staffSpec: [string, string, StaffRole[], number[], string[]][] = [
  ['archer', 'Ms Alice Archer', ['tutor'], [], []],
  ['ben.baker', 'Mr Ben Baker', ['tutor'], [], []],
  ['cole', 'Mrs Cara Cole', ['tutor'], [], []],
  ['beth.baker', 'Ms Beth Baker', ['tutor'], [], []],
  ['dhillon', 'Mr Dev Dhillon', ['tutor'], [], []],
  ['hughes', 'Ms Hana Hughes', ['head_of_year'], [9], []],
  ['osei', 'Mr Omar Osei', ['head_of_year'], [10], []],
  ['irwin', 'Mr Ian Irwin', ['head_of_house'], [], ['aurora']],
  ['jones', 'Mrs Jo Jones', ['dsl'], [], []],
  ['kerr', 'Mr Ken Kerr', ['admin'], [], []],
  ['lee', 'Ms Lia Lee', ['pastoral_lead'], [], []],
  ['moss', 'Mr Max Moss', [], [], []],
  ['north', 'Ms Nia North', ['senco'], [], []],
];

export const email = (key: string) => `${key}@${domain}`;

// [key, given, family, year, form, house, sen, eal, tutor key]
const pupilSpec: [string, string, string, number, string, string, boolean, boolean, string | null][] = [
  ['p1', 'Amelia', 'Jones', 9, '9A', 'Aurora', true, false, 'archer'],
  ['p2', 'Sam', 'Patel', 9, '9A', 'Beacon', false, false, 'archer'],
  ['p3', 'Zoë', 'Ní Bhriain', 9, '9A', 'Aurora', false, true, 'archer'],
  ['p4', 'Amelia', 'James', 9, '9B', 'Beacon', false, false, 'ben.baker'],
  ['p5', 'José', 'Martínez-López', 9, '9B', 'Aurora', false, false, 'ben.baker'],
  ['p6', 'Sam', 'Patel-Hughes', 10, '10A', 'Aurora', false, false, 'cole'],
  ['p7', 'Oliver', 'Smith', 10, '10A', 'Beacon', true, true, 'cole'],
  ['p8', 'Isla', 'Brown', 10, '10B', 'Cygnus', false, false, 'beth.baker'],
  ['p9', 'Noah', 'Green', 9, '9B', 'Cygnus', false, false, null],
];

export function fixtureRoster(options: { withoutStaff?: string[] } = {}): Roster {
  const staff: RosterStaff[] = staffSpec
    .filter(([key]) => !options.withoutStaff?.includes(key))
    .map(([key, displayName, roles, yearScope, houseScope]) => ({ sourceId: `s-${key}`, email: email(key), displayName, roles, yearScope, houseScope }));
  const pupils: RosterPupil[] = pupilSpec.map(([key, givenName, familyName, yearGroup, form, house, sen, eal, tutor]) => ({
    sourceId: key,
    upn: null,
    givenName,
    familyName,
    preferredName: null,
    dateOfBirth: null,
    yearGroup,
    form,
    house,
    sen,
    eal,
    tutorEmail: tutor && !options.withoutStaff?.includes(tutor) ? email(tutor) : null,
  }));
  return { schools: [{ name: 'Hollins Test School', urn: '999001', timeZone: 'Europe/London', staff, pupils }] };
}

export interface Fixture {
  app: TestApp;
  pupil: Record<string, number>;
  staff: Record<string, number>;
}

export async function startFixture(engine: Engine, options: { withFigures?: boolean } = {}): Promise<Fixture> {
  const app = await startTestApp(engine, { roster: fixtureRoster(), clock: createTestClock(fixtureNow) });
  const pupils = await app.core.db.selectFrom('pupil').select(['id', 'source_id']).where('school_id', '=', app.schoolId).execute();
  const staff = await app.core.db.selectFrom('staff').select(['id', 'email']).where('school_id', '=', app.schoolId).execute();
  const fixture: Fixture = {
    app,
    pupil: Object.fromEntries(pupils.map((row) => [row.source_id, row.id])),
    staff: Object.fromEntries(staff.map((row) => [row.email.split('@')[0], row.id])),
  };
  if (options.withFigures !== false) await seedFigures(fixture);
  return fixture;
}

async function meeting(fixture: Fixture, pupil: string, heldOn: string, academicYear: string, term: string) {
  await sql`
    INSERT INTO meeting (school_id, pupil_id, staff_id, held_on, academic_year, term, notes, source)
    VALUES (${fixture.app.schoolId}, ${fixture.pupil[pupil]}, ${fixture.staff.archer}, ${heldOn}::date, ${academicYear}, ${term}, 'v1:sealed', 'text')`.execute(
    fixture.app.core.db,
  );
}

async function note(
  fixture: Fixture,
  pupil: string,
  kind: string,
  createdAt: string,
  options: { acknowledged?: boolean; safeguarding?: boolean; parent?: number } = {},
): Promise<number> {
  const result = await sql<{ id: number }>`
    INSERT INTO note (school_id, pupil_id, author_staff_id, kind, parent_note_id, safeguarding, body, source, created_at, acknowledged_at)
    VALUES (${fixture.app.schoolId}, ${fixture.pupil[pupil]}, ${fixture.staff.moss}, ${kind}, ${options.parent ?? null},
            ${options.safeguarding ?? kind === 'safeguarding'}, 'v1:sealed', 'text', ${createdAt}::timestamptz,
            ${options.acknowledged ? createdAt : null}::timestamptz)
    RETURNING id`.execute(fixture.app.core.db);
  return Number(result.rows[0].id);
}

async function target(fixture: Fixture, pupil: string, reviewOn: string, status = 'open') {
  await sql`
    INSERT INTO target (school_id, pupil_id, set_by, text, set_on, review_on, status, closed_on)
    VALUES (${fixture.app.schoolId}, ${fixture.pupil[pupil]}, ${fixture.staff.archer}, 'v1:sealed', '2026-10-01'::date, ${reviewOn}::date,
            ${status}, ${status === 'open' ? null : reviewOn}::date)`.execute(fixture.app.core.db);
}

/**
 * The figures (see the expected tables in caseload.test.ts):
 * meetings — p1 autumn + spring; p2 two in autumn; p4 spring; p6 autumn; p8 only last year.
 * notes — p1 an open concern and an acknowledged one this half term (+ a follow-up); p2 an open
 * concern from last term and praise this half term; p3 an open safeguarding concern; p6 a concern
 * a DSL reclassified as safeguarding (open); p4 praise before this half term.
 * targets — p1 one overdue, one due later, one met; p5 one overdue; p2 one due today (not overdue).
 */
async function seedFigures(fixture: Fixture) {
  await meeting(fixture, 'p1', '2026-10-05', '2026-27', 'autumn');
  await meeting(fixture, 'p1', '2027-01-20', '2026-27', 'spring');
  await meeting(fixture, 'p2', '2026-09-20', '2026-27', 'autumn');
  await meeting(fixture, 'p2', '2026-11-20', '2026-27', 'autumn');
  await meeting(fixture, 'p4', '2027-01-12', '2026-27', 'spring');
  await meeting(fixture, 'p6', '2026-12-01', '2026-27', 'autumn');
  await meeting(fixture, 'p8', '2026-05-01', '2025-26', 'summer');

  await note(fixture, 'p1', 'concern', '2027-01-20T09:00:00Z');
  const acknowledged = await note(fixture, 'p1', 'concern', '2027-01-21T09:00:00Z', { acknowledged: true });
  await note(fixture, 'p1', 'followup', '2027-01-22T09:00:00Z', { parent: acknowledged });
  await note(fixture, 'p2', 'concern', '2026-12-01T09:00:00Z');
  await note(fixture, 'p2', 'praise', '2027-01-25T09:00:00Z');
  await note(fixture, 'p3', 'safeguarding', '2027-01-26T09:00:00Z');
  await note(fixture, 'p6', 'concern', '2027-01-27T09:00:00Z', { safeguarding: true });
  await note(fixture, 'p4', 'praise', '2026-12-10T09:00:00Z');

  await target(fixture, 'p1', '2027-01-15');
  await target(fixture, 'p1', '2027-03-01');
  await target(fixture, 'p1', '2027-01-10', 'met');
  await target(fixture, 'p5', '2027-02-01');
  await target(fixture, 'p2', '2027-02-03');
}

export const direct = { platform: 'console', conversation: 'direct' } as const;

/** The table block of a reply whose first column header is `first`. */
export function tableOf(reply: Reply, first: string): { columns: string[]; rows: string[][] } {
  const table = reply.blocks.find((block): block is Extract<Block, { type: 'table' }> => block.type === 'table' && block.columns[0] === first);
  if (!table) throw new Error(`no table starting with "${first}" in: ${JSON.stringify(reply.blocks)}`);
  return table;
}

/** Rows keyed by their first cell, each row as { column: cell }. */
export function rowsByFirst(table: { columns: string[]; rows: string[][] }): Record<string, Record<string, string>> {
  return Object.fromEntries(table.rows.map((row) => [row[0], Object.fromEntries(table.columns.map((column, index) => [column, row[index]]))]));
}

/**
 * The fixture for a test file: started before its tests, closed after them. `fixture.ask` is
 * "this member of staff (by email key) says this" in a direct conversation.
 */
export function useFixture(engine: Engine, options: { withFigures?: boolean } = {}): Fixture & { ask(who: string, text: string): Promise<Reply> } {
  let started: Fixture | undefined;
  beforeAll(async () => {
    started = await startFixture(engine, options);
  });
  afterAll(async () => {
    await started?.app.close();
  });
  return {
    get app() {
      return started!.app;
    },
    get pupil() {
      return started!.pupil;
    },
    get staff() {
      return started!.staff;
    },
    async ask(who, text) {
      return started!.app.bot.handleText(await started!.app.actor(email(who)), text, direct);
    },
  };
}
