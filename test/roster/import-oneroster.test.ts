import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importRoster } from '../../src/roster/import-roster.ts';
import { defaultTimeZone } from '../../src/schools/default-time-zone.ts';
import { engines } from '../support/test-database.ts';
import { assignmentsOf, fixtureCopy, fixtures, pupilBySource, writeZip, useRosterDatabase } from './roster-test-kit.ts';

describe.each(engines)('importing a OneRoster export (%s)', (engine) => {
  const database = useRosterDatabase(engine);

  async function expectNorthbrook() {
    const db = database.db;
    const school = await db.selectFrom('school').selectAll().executeTakeFirstOrThrow();
    // OneRoster names no zone, so the column's default applies: the code's default must be the same.
    expect(school).toMatchObject({ name: 'Northbrook Academy', urn: '137001', time_zone: defaultTimeZone });

    const staff = await db
      .selectFrom('staff')
      .select(['source_id', 'email', 'display_name', 'roles', 'year_scope', 'house_scope', 'active'])
      .orderBy('source_id')
      .execute();
    expect(staff).toEqual([
      {
        source_id: 't-1',
        email: 'grace.okafor@northbrook.example',
        display_name: 'Grace Okafor',
        roles: ['tutor', 'head_of_year'],
        year_scope: [9],
        house_scope: [],
        active: true,
      },
      {
        source_id: 't-2',
        email: 'daniel.reid@northbrook.example',
        display_name: 'Daniel Reid',
        roles: ['tutor'],
        year_scope: [],
        house_scope: [],
        active: true,
      },
      {
        source_id: 't-3',
        email: 'siobhan.nibhriain@northbrook.example',
        display_name: 'Siobhán Ní Bhriain',
        roles: ['tutor', 'head_of_house'],
        year_scope: [],
        house_scope: ['Aurora'],
        active: true,
      },
      {
        source_id: 't-4',
        email: 'helen.achterberg@northbrook.example',
        display_name: 'Helen Achterberg',
        roles: ['dsl'],
        year_scope: [],
        house_scope: [],
        active: true,
      },
    ]);

    const pupils = await db
      .selectFrom('pupil')
      .select(['source_id', 'upn', 'given_name', 'family_name', 'preferred_name', 'year_group', 'form', 'house', 'name_key', 'preferred_key'])
      .orderBy('source_id')
      .execute();
    expect(pupils.map((pupil) => pupil.source_id)).toEqual(['s-1', 's-2', 's-3', 's-4', 's-5', 's-7']);
    expect(await pupilBySource(db, 's-1')).toMatchObject({ upn: 'A137001000001', year_group: 9, form: '9A', house: 'Aurora', name_key: 'zoe ni bhriain' });
    expect(await pupilBySource(db, 's-2')).toMatchObject({ preferred_name: 'Pepe', preferred_key: 'pepe martinez lopez', house: 'Beacon', form: '9B' });
    // No title: the classCode is the form; no grades: the homeroom's; no house: the homeroom's.
    expect(await pupilBySource(db, 's-5')).toMatchObject({ form: '10A', year_group: 10, house: 'Aurora' });
    expect(await pupilBySource(db, 's-7')).toMatchObject({ form: null, year_group: 11 });

    // The primary teacher of 9B is disabled, so the other teacher is the tutor.
    expect((await assignmentsOf(db, 's-2')).map((row) => row.email)).toEqual(['daniel.reid@northbrook.example']);
    expect((await assignmentsOf(db, 's-1'))[0]).toMatchObject({ email: 'grace.okafor@northbrook.example', valid_to: null, reason: 'roster import' });
    expect((await assignmentsOf(db, 's-4')).map((row) => row.email)).toEqual(['siobhan.nibhriain@northbrook.example']);
    expect(await assignmentsOf(db, 's-7')).toEqual([]);
  }

  it('imports schools, staff, tutor groups and tutors from a folder', async () => {
    const summary = await importRoster(database.db, path.join(fixtures, 'oneroster'));
    expect(summary).toMatchObject({
      format: 'oneroster',
      schoolNames: ['Northbrook Academy'],
      staff: { added: 4, changed: 0, deactivated: 0, unchanged: 0 },
      pupils: { added: 6, changed: 0, deactivated: 0, unchanged: 0 },
      assignments: { started: 5, ended: 0, changed: 0 },
    });
    await expectNorthbrook();
  });

  it('imports the same export from a .zip, even with the files inside a folder', async () => {
    const zip = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'tutorbot-zip-')), 'Northbrook OneRoster.zip');
    await writeZip(zip, path.join(fixtures, 'oneroster'), 'export-2026-09-01/');
    const summary = await importRoster(database.db, zip);
    expect(summary.pupils.added).toBe(6);
    await expectNorthbrook();
  });

  it('reads only one school of a trust export when a school is named', async () => {
    const folder = await fixtureCopy('oneroster', {
      'orgs.csv': (content) => `${content.trimEnd()}\norg-2,active,,Hollins Park School,school,137002,trust-1\n`,
    });
    const summary = await importRoster(database.db, folder, { schoolName: '137001' });
    expect(summary.schoolNames).toEqual(['Northbrook Academy']);
    expect(await database.db.selectFrom('school').select('name').execute()).toEqual([{ name: 'Northbrook Academy' }]);
  });

  it('takes dates of birth from demographics.csv when the export has one', async () => {
    const folder = await fixtureCopy('oneroster', {
      'manifest.csv': (content) => content.replace('file.demographics,absent', 'file.demographics,bulk'),
      'demographics.csv': 'sourcedId,status,dateLastModified,birthDate,sex\ns-1,active,,2012-03-14,female\ns-2,active,,2012-07-21,male\n',
    });
    await importRoster(database.db, folder);
    expect((await pupilBySource(database.db, 's-1')).date_of_birth).toBe('2012-03-14');
  });
});
