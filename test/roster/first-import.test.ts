import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { applyRoster, type ApplyRosterResult } from '../../src/roster/apply-roster.ts';
import { parseSimpleCsv } from '../../src/roster/parse-simple-csv.ts';
import type { Roster, RosterPupil, RosterSchool } from '../../src/roster/roster.ts';
import { engines } from '../support/test-database.ts';
import { assignmentsOf, countRows, fixtures, pupilBySource, useRosterDatabase } from './roster-test-kit.ts';

/**
 * A school's first import takes a path of its own (plain inserts of pupils and assignments in one
 * statement, arrays built while the previous school is written): it must leave exactly what the
 * upsert would have, and every later import must behave as after any other.
 */

const september = new Date('2026-09-01T07:00:00Z');
const october = new Date('2026-10-05T07:00:00Z');

async function simpleRoster(name = 'Northbrook Academy', urn: string | null = null): Promise<Roster> {
  return parseSimpleCsv(path.join(fixtures, 'simple'), { school: { name, urn } });
}

function pupil(sourceId: string, givenName: string, familyName: string, extra: Partial<RosterPupil> = {}): RosterPupil {
  return {
    sourceId,
    upn: null,
    givenName,
    familyName,
    preferredName: null,
    dateOfBirth: null,
    yearGroup: 8,
    form: '8A',
    house: null,
    sen: false,
    eal: false,
    tutorEmail: 'tutor@oakfield.example',
    ...extra,
  };
}

function oakfield(pupils: RosterPupil[]): RosterSchool {
  return {
    name: 'Oakfield School',
    urn: '200001',
    timeZone: null,
    staff: [{ sourceId: null, email: 'tutor@oakfield.example', displayName: 'Ms Ada Tutor', roles: ['tutor'], yearScope: [], houseScope: [] }],
    pupils,
  };
}

describe.each(engines)("a school's first import (%s)", (engine) => {
  const database = useRosterDatabase(engine);

  const updatedAts = async () =>
    (await database.db.selectFrom('pupil').select('updated_at').orderBy('id').execute()).map((row) => row.updated_at.toISOString());

  it('adds every pupil and starts one current assignment for each pupil with a tutor', async () => {
    const summary = await applyRoster(database.db, await simpleRoster(), { full: true, now: september });
    expect(summary).toMatchObject({
      pupils: { added: 6, changed: 0, deactivated: 0, unchanged: 0 },
      assignments: { started: 5, ended: 0, changed: 0 },
    });
    expect(await countRows(database.db)).toEqual({ school: 1, staff: 5, pupil: 6, tutor_assignment: 5, audit_log: 0 });
    expect(await assignmentsOf(database.db, 'A1002')).toEqual([
      { email: 'daniel.reid@northbrook.example', valid_from: september, valid_to: null, reason: 'roster import' },
    ]);
    expect(await assignmentsOf(database.db, 'A1006')).toEqual([]);
    expect(await pupilBySource(database.db, 'A1003')).toMatchObject({
      given_name: 'Amelia',
      preferred_name: 'Millie',
      name_key: 'amelia jones',
      preferred_key: 'millie jones',
      upn: 'A137001000003',
      date_of_birth: '2012-11-02',
      year_group: 9,
      active: true,
      created_at: september,
      updated_at: september,
    });
  });

  it('leaves the name search indexes merged, so a search straight after an import reads no pending list', async () => {
    const pendingPages = async () =>
      (
        await sql<{ pages: number }>`
        SELECT coalesce(sum(gin_clean_pending_list(i.indexrelid)), 0)::int AS pages
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
        WHERE a.amname = 'gin' AND i.indrelid = 'pupil'::regclass`.execute(database.db)
      ).rows[0].pages;
    // Rows written without the import (as a bulk insert by hand would) do wait in the pending list.
    await database.db.insertInto('school').values({ name: 'Elsewhere' }).execute();
    await sql`INSERT INTO pupil (school_id, source_id, given_name, family_name, name_key)
      SELECT (SELECT id FROM school WHERE name = 'Elsewhere'), 'x' || n, 'Given', 'Family' || n, 'given family' || n FROM generate_series(1, 500) AS n`.execute(
      database.db,
    );
    expect(await pendingPages()).toBeGreaterThan(0);
    await applyRoster(database.db, await simpleRoster(), { full: false, now: september });
    expect(await pendingPages()).toBe(0);
  });

  it('writes the same rows in several batches, reporting progress after each', async () => {
    const progress: [number, number][] = [];
    const summary = await applyRoster(database.db, await simpleRoster(), {
      full: true,
      now: september,
      batchSize: 4,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(progress).toEqual([
      [0, 6],
      [4, 6],
      [6, 6],
    ]);
    expect(summary).toMatchObject({ pupils: { added: 6 }, assignments: { started: 5 } });
    expect(await countRows(database.db)).toMatchObject({ pupil: 6, tutor_assignment: 5 });
  });

  it('is taken by a school that has staff but no pupils yet, and the next import of the same roster changes nothing', async () => {
    const staffOnly = await simpleRoster();
    staffOnly.schools[0].pupils = [];
    await applyRoster(database.db, staffOnly, { full: true, now: september });

    const first = await applyRoster(database.db, await simpleRoster(), { full: true, now: september });
    expect(first).toMatchObject({ pupils: { added: 6, unchanged: 0 }, assignments: { started: 5 }, staff: { unchanged: 5 } });
    const before = { rows: await countRows(database.db), updated: await updatedAts() };

    const again = await applyRoster(database.db, await simpleRoster(), { full: true, now: october });
    expect(again).toMatchObject({ pupils: { added: 0, changed: 0, deactivated: 0, unchanged: 6 }, assignments: { started: 0, ended: 0, changed: 0 } });
    expect({ rows: await countRows(database.db), updated: await updatedAts() }).toEqual(before);
  });

  it('keeps history on the import after it: a changed tutor ends the first assignment and starts another', async () => {
    await applyRoster(database.db, await simpleRoster(), { full: true, now: september });
    const changed = await simpleRoster();
    changed.schools[0].pupils.find((row) => row.sourceId === 'A1001')!.tutorEmail = 'daniel.reid@northbrook.example';
    const summary = await applyRoster(database.db, changed, { full: true, now: october });
    expect(summary.assignments).toEqual({ started: 1, ended: 1, changed: 1 });
    expect(await assignmentsOf(database.db, 'A1001')).toEqual([
      { email: 'grace.okafor@northbrook.example', valid_from: september, valid_to: october, reason: 'roster import' },
      { email: 'daniel.reid@northbrook.example', valid_from: october, valid_to: null, reason: 'roster import' },
    ]);
  });

  it.runIf(engine === 'postgres')('makes a second import of the same school wait for the first, then change nothing', async () => {
    const staffOnly = await simpleRoster();
    staffOnly.schools[0].pupils = [];
    await applyRoster(database.db, staffOnly, { full: true, now: september });
    let second: Promise<ApplyRosterResult> | undefined;
    const first = await database.db.transaction().execute(async (trx) => {
      const summary = await applyRoster(trx, await simpleRoster(), { full: true, now: september });
      // Started on another connection while the first import's pupils are not yet committed.
      second = applyRoster(database.db, await simpleRoster(), { full: true, now: september });
      await new Promise((resolve) => setTimeout(resolve, 300));
      return summary;
    });
    expect(first.pupils).toEqual({ added: 6, changed: 0, deactivated: 0, unchanged: 0 });
    expect((await second!).pupils).toEqual({ added: 0, changed: 0, deactivated: 0, unchanged: 6 });
    expect(await countRows(database.db)).toMatchObject({ pupil: 6, tutor_assignment: 5 });
  });

  it('stores quotes, backslashes, commas, braces and the word NULL in names exactly as written', async () => {
    const awkward = [
      pupil('q-1', 'NULL', 'O"Neill \\ Smith'),
      pupil('q-2', '{Ann}', 'Lee, Jr', { preferredName: ' "Annie" ', house: 'NULL', form: 'a\\"b' }),
      pupil('q-3', 'Zoë', "D'Arcy", { tutorEmail: null }),
    ];
    await applyRoster(database.db, { schools: [oakfield(awkward)] }, { full: true, now: september });
    const stored = async () =>
      database.db.selectFrom('pupil').select(['source_id', 'given_name', 'family_name', 'preferred_name', 'house', 'form']).orderBy('source_id').execute();
    const expected = awkward.map((row) => ({
      source_id: row.sourceId,
      given_name: row.givenName,
      family_name: row.familyName,
      preferred_name: row.preferredName,
      house: row.house,
      form: row.form,
    }));
    expect(await stored()).toEqual(expected);

    // The upsert of a later import reads the same arrays: unchanged rows stay unchanged.
    const summary = await applyRoster(database.db, { schools: [oakfield(awkward)] }, { full: true, now: october });
    expect(summary.pupils).toEqual({ added: 0, changed: 0, deactivated: 0, unchanged: 3 });
    expect(await stored()).toEqual(expected);
  });

  it('writes nothing when the database refuses a pupil while the next school is being prepared', async () => {
    const roster = await simpleRoster('Northbrook Academy', '137001');
    roster.schools.unshift(oakfield([pupil('o-1', 'Ada', 'Byron'), pupil('o-2', 'Alan', 'Turing', { yearGroup: 99 })]));
    await expect(applyRoster(database.db, roster, { full: true, now: september })).rejects.toThrow(/year_group/);
    expect(await countRows(database.db)).toEqual({ school: 0, staff: 0, pupil: 0, tutor_assignment: 0, audit_log: 0 });
    // The database is usable afterwards: the same roster without the mistake goes in whole.
    roster.schools[0].pupils[1].yearGroup = 9;
    expect((await applyRoster(database.db, roster, { full: true, now: september })).pupils.added).toBe(8);
  });
});
