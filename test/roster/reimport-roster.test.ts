import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRoster } from '../../src/roster/apply-roster.ts';
import { formatRosterSummary, importRoster } from '../../src/roster/import-roster.ts';
import { parseSimpleCsv } from '../../src/roster/parse-simple-csv.ts';
import { engines } from '../support/test-database.ts';
import { assignmentsOf, countRows, fixtureCopy, fixtures, pupilBySource, setCell, useRosterDatabase } from './roster-test-kit.ts';

const september = new Date('2026-09-01T07:00:00Z');
const october = new Date('2026-10-05T07:00:00Z');
const school = 'Northbrook Academy';

describe.each(engines)('importing a roster again (%s)', (engine) => {
  const database = useRosterDatabase(engine, (db) => importRoster(db, path.join(fixtures, 'simple'), { schoolName: school, now: september }));

  const updatedAts = async () =>
    (await database.db.selectFrom('pupil').select('updated_at').orderBy('id').execute())
      .map((row) => row.updated_at.toISOString())
      .concat((await database.db.selectFrom('staff').select('updated_at').orderBy('id').execute()).map((row) => row.updated_at.toISOString()));

  it('changes nothing when the roster is the same', async () => {
    const before = { rows: await countRows(database.db), updated: await updatedAts() };
    const summary = await importRoster(database.db, path.join(fixtures, 'simple'), { schoolName: school, now: october });
    expect(summary).toMatchObject({
      staff: { added: 0, changed: 0, deactivated: 0, unchanged: 5 },
      pupils: { added: 0, changed: 0, deactivated: 0, unchanged: 6 },
      assignments: { started: 0, ended: 0, changed: 0 },
      deactivatedTutorsWithTutees: [],
    });
    expect(formatRosterSummary(summary)).toBe('Imported Northbrook Academy: no changes (6 pupils, 5 staff).');
    expect({ rows: await countRows(database.db), updated: await updatedAts() }).toEqual(before);
  });

  it('ends the old assignment and starts a new one when a tutor changes', async () => {
    const folder = await fixtureCopy('simple', { 'pupils.csv': setCell('A1001', 'tutor_email', 'daniel.reid@northbrook.example') });
    const summary = await importRoster(database.db, folder, { schoolName: school, now: october });
    expect(summary).toMatchObject({ pupils: { changed: 0, unchanged: 6 }, assignments: { started: 1, ended: 1, changed: 1 } });
    expect(await assignmentsOf(database.db, 'A1001')).toEqual([
      { email: 'grace.okafor@northbrook.example', valid_from: september, valid_to: october, reason: 'roster import' },
      { email: 'daniel.reid@northbrook.example', valid_from: october, valid_to: null, reason: 'roster import' },
    ]);
  });

  it('updates a changed pupil in place', async () => {
    const folder = await fixtureCopy('simple', { 'pupils.csv': setCell('A1003', 'house', 'Meridian') });
    const summary = await importRoster(database.db, folder, { schoolName: school, now: october });
    expect(summary.pupils).toEqual({ added: 0, changed: 1, deactivated: 0, unchanged: 5 });
    expect(await pupilBySource(database.db, 'A1003')).toMatchObject({ house: 'Meridian', updated_at: october, created_at: september });
  });

  it('makes a pupil missing from a full import inactive and ends their assignment', async () => {
    const folder = await fixtureCopy('simple', { 'pupils.csv': (content) => content.replace(/^A1002,.*\n/m, '') });
    const summary = await importRoster(database.db, folder, { schoolName: school, now: october });
    expect(summary).toMatchObject({ pupils: { deactivated: 1, unchanged: 5 }, assignments: { started: 0, ended: 1, changed: 0 } });
    expect(await pupilBySource(database.db, 'A1002')).toMatchObject({ active: false });
    expect(await assignmentsOf(database.db, 'A1002')).toEqual([
      { email: 'daniel.reid@northbrook.example', valid_from: september, valid_to: october, reason: 'roster import' },
    ]);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'channel']).execute();
    expect(audit).toEqual([{ action: 'tutor assignment ended: left the roll', channel: 'roster import' }]);

    // Back on roll: active again, with a new assignment (the ended one stays in the history).
    await importRoster(database.db, path.join(fixtures, 'simple'), { schoolName: school, now: new Date('2026-11-02T08:00:00Z') });
    expect(await pupilBySource(database.db, 'A1002')).toMatchObject({ active: true });
    expect((await assignmentsOf(database.db, 'A1002')).map((row) => row.valid_to === null)).toEqual([false, true]);
  });

  it('leaves pupils missing from a partial import alone', async () => {
    const folder = await fixtureCopy('simple', { 'pupils.csv': (content) => content.replace(/^A1002,.*\n/m, '') });
    const summary = await importRoster(database.db, folder, { schoolName: school, now: october, full: false });
    expect(summary.pupils).toEqual({ added: 0, changed: 0, deactivated: 0, unchanged: 5 });
    expect(await pupilBySource(database.db, 'A1002')).toMatchObject({ active: true });
  });

  it('deactivates a departed tutor but leaves their tutees assigned, and reports them', async () => {
    const folder = await fixtureCopy('simple', {
      'staff.csv': (content) => content.replace(/^daniel\.reid.*\n/m, ''),
      'pupils.csv': setCell('A1002', 'tutor_email', ''),
    });
    const summary = await importRoster(database.db, folder, { schoolName: school, now: october });
    expect(summary.staff).toEqual({ added: 0, changed: 0, deactivated: 1, unchanged: 4 });
    expect(summary.deactivatedTutorsWithTutees).toEqual([
      { schoolId: summary.schoolIds[0], staffId: expect.any(Number), email: 'daniel.reid@northbrook.example', displayName: 'Mr Daniel Reid', tutees: 1 },
    ]);
    expect(formatRosterSummary(summary)).toContain('- Mr Daniel Reid (daniel.reid@northbrook.example): 1 tutee');
    expect((await assignmentsOf(database.db, 'A1002'))[0]).toMatchObject({ email: 'daniel.reid@northbrook.example', valid_to: null });
  });

  it('lets a partial import name a tutor who is already on the staff', async () => {
    const folder = await fixtureCopy('simple', {
      'staff.csv': (content) => content.replace(/^daniel\.reid.*\n/m, ''),
      'pupils.csv': setCell('A1001', 'tutor_email', 'daniel.reid@northbrook.example'),
    });
    const summary = await importRoster(database.db, folder, { schoolName: school, now: october, full: false });
    expect(summary).toMatchObject({ staff: { deactivated: 0, unchanged: 4 }, assignments: { changed: 1 } });
  });

  it('moves a school first imported by name to OneRoster without duplicating anyone', async () => {
    const grace = await database.db.selectFrom('staff').select(['id']).where('email', '=', 'grace.okafor@northbrook.example').executeTakeFirstOrThrow();
    const zoe = await pupilBySource(database.db, 'A1001');
    const summary = await importRoster(database.db, path.join(fixtures, 'oneroster'), { now: october });
    expect(summary.staff).toEqual({ added: 0, changed: 4, deactivated: 1, unchanged: 0 });
    // Pupils are matched by UPN when their id is new: the same child keeps their record and history.
    expect(summary.pupils).toEqual({ added: 3, changed: 3, deactivated: 3, unchanged: 0 });
    expect(await pupilBySource(database.db, 's-1')).toMatchObject({ id: zoe.id, given_name: 'Zoë', active: true });
    expect(await assignmentsOf(database.db, 's-1')).toHaveLength(1);
    expect(await database.db.selectFrom('school').select(['name', 'urn']).execute()).toEqual([{ name: school, urn: '137001' }]);
    expect(await database.db.selectFrom('staff').select(['id', 'source_id']).where('email', '=', 'grace.okafor@northbrook.example').execute()).toEqual([
      { id: grace.id, source_id: 't-1' },
    ]);
  });

  it('writes the same roster passed in a transaction the caller opened', async () => {
    const roster = await parseSimpleCsv(path.join(fixtures, 'simple'), { school: { name: school, urn: null } });
    roster.schools[0].pupils[0].house = 'Meridian';
    const summary = await database.db.transaction().execute((trx) => applyRoster(trx, roster, { full: true, now: october }));
    expect(summary.pupils.changed).toBe(1);
  });

  it('moves a UPN from one pupil to another in one import', async () => {
    const folder = await fixtureCopy('simple', {
      'pupils.csv': (content) => setCell('A1002', 'upn', 'A137001000001')(setCell('A1001', 'upn', 'A137001000002')(content)),
    });
    const summary = await importRoster(database.db, folder, { schoolName: school, now: october });
    expect(summary.pupils.changed).toBe(2);
    expect((await pupilBySource(database.db, 'A1002')).upn).toBe('A137001000001');
  });
});
