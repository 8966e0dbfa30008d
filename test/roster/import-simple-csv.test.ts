import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRosterSummary, importRoster } from '../../src/roster/import-roster.ts';
import { engines } from '../support/test-database.ts';
import { assignmentsOf, expectRejected, fixtureCopy, fixtures, pupilBySource, useRosterDatabase } from './roster-test-kit.ts';

const simple = path.join(fixtures, 'simple');

describe.each(engines)('importing the simple staff.csv and pupils.csv pair (%s)', (engine) => {
  const database = useRosterDatabase(engine);

  it('imports staff with their roles and scope, and pupils with their tutors', async () => {
    const summary = await importRoster(database.db, simple, { schoolName: 'Northbrook Academy' });
    expect(summary).toMatchObject({
      format: 'simple-csv',
      staff: { added: 5, changed: 0, deactivated: 0, unchanged: 0 },
      pupils: { added: 6, changed: 0, deactivated: 0, unchanged: 0 },
      assignments: { started: 5, ended: 0, changed: 0 },
    });
    expect(formatRosterSummary(summary)).toBe(
      'Imported Northbrook Academy: pupils 6 added, 0 changed, 0 deactivated, 0 unchanged; staff 5 added, 0 changed, 0 deactivated, 0 unchanged; tutor changes 0 (assignments 5 started, 0 ended).',
    );
    const db = database.db;
    expect(await db.selectFrom('school').select(['name', 'urn']).execute()).toEqual([{ name: 'Northbrook Academy', urn: null }]);
    const staff = await db.selectFrom('staff').select(['email', 'display_name', 'name_key', 'roles', 'year_scope', 'house_scope']).orderBy('id').execute();
    expect(staff).toEqual([
      {
        email: 'grace.okafor@northbrook.example',
        display_name: 'Ms Grace Okafor',
        name_key: 'ms grace okafor',
        roles: ['tutor', 'head_of_year'],
        year_scope: [9],
        house_scope: [],
      },
      {
        email: 'daniel.reid@northbrook.example',
        display_name: 'Mr Daniel Reid',
        name_key: 'mr daniel reid',
        roles: ['tutor'],
        year_scope: [],
        house_scope: [],
      },
      {
        email: 'siobhan.nibhriain@northbrook.example',
        display_name: 'Ms Siobhán Ní Bhriain',
        name_key: 'ms siobhan ni bhriain',
        roles: ['tutor', 'head_of_house'],
        year_scope: [],
        house_scope: ['Aurora'],
      },
      {
        email: 'helen.achterberg@northbrook.example',
        display_name: 'Mrs Helen Achterberg',
        name_key: 'mrs helen achterberg',
        roles: ['dsl'],
        year_scope: [],
        house_scope: [],
      },
      {
        email: 'marcus.bello@northbrook.example',
        display_name: 'Mr Marcus Bello',
        name_key: 'mr marcus bello',
        roles: ['deputy_dsl'],
        year_scope: [10, 11],
        house_scope: [],
      },
    ]);
    expect(await pupilBySource(db, 'A1001')).toMatchObject({
      given_name: 'Zoë',
      family_name: 'Ní Bhriain',
      name_key: 'zoe ni bhriain',
      date_of_birth: '2012-03-14',
      year_group: 9,
      sen: false,
      eal: true,
    });
    expect(await pupilBySource(db, 'A1002')).toMatchObject({
      preferred_name: 'Pepe',
      preferred_key: 'pepe martinez lopez',
      date_of_birth: '2012-07-21',
      year_group: 9,
      sen: true,
      eal: false,
    });
    expect(await pupilBySource(db, 'A1004')).toMatchObject({ upn: null, sen: true, eal: false, house: 'Cygnus' });
    // Emails are matched without case.
    expect((await assignmentsOf(db, 'A1005')).map((row) => row.email)).toEqual(['siobhan.nibhriain@northbrook.example']);
    expect(await assignmentsOf(db, 'A1006')).toEqual([]);
  });

  it("imports into the database's only school when no school is named", async () => {
    await database.db.insertInto('school').values({ name: 'Hollins Park School', urn: '137002' }).execute();
    const summary = await importRoster(database.db, simple);
    expect(summary.schoolNames).toEqual(['Hollins Park School']);
    expect(await database.db.selectFrom('school').select('name').execute()).toEqual([{ name: 'Hollins Park School' }]);
  });

  it('takes the school from school.csv when there is one', async () => {
    const folder = await fixtureCopy('simple', { 'school.csv': 'name,urn\nNorthbrook Academy,137001\n' });
    await importRoster(database.db, folder);
    expect(await database.db.selectFrom('school').select(['name', 'urn']).execute()).toEqual([{ name: 'Northbrook Academy', urn: '137001' }]);
  });

  it('asks which school when the database has none and the files do not say', async () => {
    const message = await expectRejected(database.db, () => importRoster(database.db, simple));
    expect(message).toContain('does not say which school it is for; import with --school "Your School Name"');
  });

  it('accepts a BOM, CRLF line ends, quoted commas, spreadsheet header spellings and blank trailing lines', async () => {
    const pupils =
      '\ufeffMIS ID,UPN, Given Name ,Surname,Preferred name,DOB,Year,Form,House,SEN,EAL,Tutor email\r\n' +
      'A1001,A137001000001,Zoë,"Ní Bhriain, the younger",,14/03/2012,Y9,9A,"Hawthorn, North",n,Y,grace.okafor@northbrook.example\r\n' +
      'A1002,,"José","Martínez-López",,2012-07-21,09,9B,Beacon,TRUE,false,daniel.reid@northbrook.example\r\n' +
      '\r\n,,,,,,,,,,,\r\n\r\n';
    const folder = await fixtureCopy('simple', { 'pupils.csv': pupils, 'staff.csv': (content) => `\ufeff${content.replaceAll('\n', '\r\n')}\r\n\r\n` });
    const summary = await importRoster(database.db, folder, { schoolName: 'Northbrook Academy' });
    expect(summary.pupils.added).toBe(2);
    expect(await pupilBySource(database.db, 'A1001')).toMatchObject({
      family_name: 'Ní Bhriain, the younger',
      house: 'Hawthorn, North',
      date_of_birth: '2012-03-14',
      year_group: 9,
      eal: true,
    });
    expect(await pupilBySource(database.db, 'A1002')).toMatchObject({ year_group: 9, sen: true });
  });

  it('keeps formula-looking cells as plain text and strips control characters', async () => {
    const folder = await fixtureCopy('simple', {
      'pupils.csv': (content) =>
        content
          .replace('A1003,A137001000003,Amelia,Jones,Millie', 'A1003,A137001000003,Ame\u0007lia\u202e,Jones,"=cmd|\' /C calc\'!A0"')
          .replace('A1004,,Kwame,Mensah', 'A1004,,"Kwame\tKofi",Mensah'),
    });
    await importRoster(database.db, folder, { schoolName: 'Northbrook Academy' });
    expect(await pupilBySource(database.db, 'A1003')).toMatchObject({ given_name: 'Amelia', preferred_name: "=cmd|' /C calc'!A0" });
    expect(await pupilBySource(database.db, 'A1004')).toMatchObject({ given_name: 'Kwame Kofi' });
  });

  it('accepts the two files given as paths, whatever they are called', async () => {
    const folder = await fixtureCopy('simple');
    const { rename } = await import('node:fs/promises');
    await rename(path.join(folder, 'staff.csv'), path.join(folder, 'Staff export 2026.csv'));
    await rename(path.join(folder, 'pupils.csv'), path.join(folder, 'Pupil list.csv'));
    const summary = await importRoster(database.db, [path.join(folder, 'Staff export 2026.csv'), path.join(folder, 'Pupil list.csv')], {
      schoolName: 'Northbrook Academy',
    });
    expect(summary.pupils.added).toBe(6);
  });
});
