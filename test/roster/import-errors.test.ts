import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importRoster } from '../../src/roster/import-roster.ts';
import { engines } from '../support/test-database.ts';
import { appendRow, expectRejected, fixtureCopy, fixtures, setCell, type Edits, useRosterDatabase } from './roster-test-kit.ts';

const school = 'Northbrook Academy';
const grace = 'grace.okafor@northbrook.example';

describe.each(engines)('a roster with mistakes is refused with a message that says where and how to fix it (%s)', (engine) => {
  // An earlier import, so that "nothing written" also means "nothing changed or deactivated".
  const database = useRosterDatabase(engine, (db) => importRoster(db, path.join(fixtures, 'simple'), { schoolName: school }));

  const simple = async (edits: Edits, options = {}) => {
    const folder = await fixtureCopy('simple', edits);
    return expectRejected(database.db, () => importRoster(database.db, folder, { schoolName: school, ...options }));
  };
  const oneRoster = async (edits: Edits) => {
    const folder = await fixtureCopy('oneroster', edits);
    return expectRejected(database.db, () => importRoster(database.db, folder));
  };

  describe('in the simple CSV pair', () => {
    it('names a missing required column and lists the columns found', async () => {
      const message = await simple({ 'pupils.csv': (content) => content.replace(',year,', ',yeer,') });
      expect(message).toContain(
        'pupils.csv row 1: the header has no "year" column (found "mis_id", "upn", "given_name", "family_name", "preferred_name", "date_of_birth", "yeer", "form"',
      );
    });

    it('names a missing file', async () => {
      expect(await simple({ 'pupils.csv': null })).toContain('has no pupils.csv; a roster needs staff.csv');
    });

    it('refuses an empty file and a file with only a header', async () => {
      expect(await simple({ 'staff.csv': '' })).toContain(
        'staff.csv is empty; its first row must be the header (email,name), followed by one row per member of staff.',
      );
      expect(await simple({ 'pupils.csv': 'mis_id,given_name,family_name,year,tutor_email\r\n\r\n' })).toContain('pupils.csv has a header but no rows');
    });

    it('refuses a year group that is not a number from 7 to 13', async () => {
      expect(await simple({ 'pupils.csv': setCell('A1003', 'year', 'Year Nine') })).toBe(
        'pupils.csv row 4, column "year": "Year Nine" is not a year group; write a number from 7 to 13. Nothing was imported.',
      );
    });

    it('refuses a date that is not a date', async () => {
      expect(await simple({ 'pupils.csv': setCell('A1002', 'date_of_birth', '31/02/2012') })).toContain(
        'pupils.csv row 3, column "date_of_birth": "31/02/2012" is not a date; write it as YYYY-MM-DD (e.g. 2012-09-14) or DD/MM/YYYY.',
      );
    });

    it('refuses a flag that is not yes or no', async () => {
      expect(await simple({ 'pupils.csv': setCell('A1004', 'sen', 'maybe') })).toContain(
        'pupils.csv row 5, column "sen": "maybe" is not yes or no; write Y or N',
      );
    });

    it('refuses an email address that is not one', async () => {
      expect(await simple({ 'staff.csv': setCell('daniel.reid@northbrook.example', 'email', 'daniel.reid') })).toContain(
        'staff.csv row 3, column "email": "daniel.reid" is not an email address',
      );
    });

    it('names both rows of a pupil id used twice', async () => {
      const message = await simple({ 'pupils.csv': appendRow(`A1001,,Ama,Mensah,,,8,8C,Cygnus,N,N,${grace}`) });
      expect(message).toContain('pupils.csv rows 2 and 8, column "mis_id": "A1001" appears twice; each pupil needs their own id');
    });

    it('names both rows of a staff email used twice', async () => {
      const message = await simple({ 'staff.csv': appendRow(`${grace.toUpperCase()},Ms G. Okafor,tutor,`) });
      expect(message).toContain(`staff.csv rows 2 and 7, column "email": "${grace}" appears twice`);
    });

    it('refuses a pupil whose tutor is not in staff.csv', async () => {
      expect(await simple({ 'pupils.csv': setCell('A1001', 'tutor_email', 'r.moreno@northbrook.example') })).toContain(
        'pupils.csv row 2, column "tutor_email": the tutor "r.moreno@northbrook.example" is not in staff.csv; add them to staff.csv or correct the email.',
      );
    });

    it('refuses names longer than 200 characters', async () => {
      expect(await simple({ 'pupils.csv': setCell('A1001', 'family_name', 'x'.repeat(250)) })).toContain(
        'pupils.csv row 2, column "family_name" is 250 characters long; it can be at most 200 characters.',
      );
    });

    it('refuses roles and scopes it does not know', async () => {
      const message = await simple({ 'staff.csv': setCell(grace, 'roles', 'tutor; headteacher') });
      expect(message).toContain('staff.csv row 2, column "roles": "headteacher" is not a role; use tutor, head_of_house');
      expect(await simple({ 'staff.csv': setCell(grace, 'scope', 'Aurora') })).toContain('staff.csv row 2, column "scope": "Aurora" is not a scope');
    });

    it('refuses a broken CSV file', async () => {
      expect(await simple({ 'pupils.csv': (content) => content.replace('A1002,', '"A1002,') })).toContain('pupils.csv row 3: this is not valid CSV');
    });

    it('refuses a UPN that belongs to a pupil who is not in the file', async () => {
      const message = await simple({
        'pupils.csv': (content) => setCell('A1003', 'upn', 'A137001000002')(content.replace(/^A1002,.*\n/m, '')),
      });
      expect(message).toContain('pupils.csv row 3, column "upn": the UPN "A137001000002" belongs to another pupil (id "A1002") who is not in this roster');
    });

    it('reports all the problems of a file together', async () => {
      const message = await simple({
        'pupils.csv': (content) =>
          setCell('A1004', 'eal', 'sometimes')(setCell('A1001', 'year', '14')(setCell('A1002', 'date_of_birth', '2012-13-01')(content))),
      });
      expect(message).toMatch(/^The roster was not imported \(nothing was changed\); fix these 3 problems and import again:\n- /);
      expect(message).toContain('- pupils.csv row 2, column "year": "14" is not a year group');
      expect(message).toContain('- pupils.csv row 3, column "date_of_birth"');
      expect(message).toContain('- pupils.csv row 5, column "eal"');
    });
  });

  describe('in a OneRoster export', () => {
    it('refuses an enrollment of a user or class that is not in the export', async () => {
      const message = await oneRoster({
        'enrollments.csv': appendRow('e-20,active,,hr-9a,org-1,s-99,student,false,,\ne-21,active,,hr-7z,org-1,s-1,student,false,,'),
      });
      expect(message).toContain('enrollments.csv row 15, column "userSourcedId": user "s-99" is not in users.csv');
      expect(message).toContain('enrollments.csv row 16, column "classSourcedId": class "hr-7z" is not in classes.csv');
    });

    it('refuses a pupil in two tutor groups, naming both enrollments', async () => {
      const message = await oneRoster({ 'enrollments.csv': appendRow('e-20,active,,hr-9b,org-1,s-1,student,false,,') });
      expect(message).toContain('enrollments.csv rows 3 and 15, column "classSourcedId": pupil "s-1" is in two tutor groups ("9A" and "9B")');
    });

    it('names a missing file, and respects a manifest that says a file is absent', async () => {
      expect(await oneRoster({ 'enrollments.csv': null })).toContain(
        'has no enrollments.csv; a OneRoster export needs orgs.csv, users.csv, classes.csv, enrollments.csv.',
      );
      expect(await oneRoster({ 'manifest.csv': (content) => content.replace('file.users,bulk', 'file.users,absent') })).toContain(
        'has no users.csv (manifest.csv says it is absent)',
      );
      expect(await oneRoster({ 'manifest.csv': (content) => content.replace('file.users,bulk', 'file.users,delta') })).toContain(
        'export a bulk OneRoster file set',
      );
    });

    it('refuses grades that are not year groups and users listed twice', async () => {
      const message = await oneRoster({
        'users.csv': (content) => setCell('s-4', 'grades', 'KG')(content.replace(/^(s-2,.*)$/m, '$1\n$1')),
      });
      expect(message).toContain('users.csv row 11, column "grades": "KG" is not a year group; use the OneRoster grade codes 07 to 13');
      expect(message).toContain('users.csv rows 8 and 9, column "sourcedId": "s-2" appears twice');
    });

    it('refuses an email that already belongs to another member of staff', async () => {
      await importRoster(database.db, path.join(fixtures, 'oneroster'));
      const message = await oneRoster({ 'users.csv': setCell('t-1', 'email', 'marcus.bello@northbrook.example') });
      expect(message).toContain(
        'users.csv row 2, column "email": "marcus.bello@northbrook.example" is already the email of another member of staff in tutorbot',
      );
    });

    it('refuses a zip that is not a zip', async () => {
      const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'tutorbot-notzip-')), 'roster.zip');
      await fs.writeFile(file, 'sourcedId,name\norg-1,Northbrook\n');
      const message = await expectRejected(database.db, () => importRoster(database.db, file));
      expect(message).toContain(`${file} is not a readable zip file`);
    });
  });

  it('refuses a folder that holds no roster', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'tutorbot-empty-'));
    await fs.writeFile(path.join(folder, 'notes.txt'), 'hello');
    const message = await expectRejected(database.db, () => importRoster(database.db, folder));
    expect(message).toContain(
      'holds neither a OneRoster export (orgs.csv, users.csv, classes.csv, enrollments.csv) nor staff.csv and pupils.csv (found notes.txt)',
    );
  });
});
