import { ImportProblems } from './import-problems.ts';
import { readCsv, type CsvRow } from './read-csv.ts';
import { parseYearGroup, readDate, readEmail, readRoles, readScope, readText, shorten } from './roster-cells.ts';
import { openRosterFiles, type RosterFiles } from './roster-files.ts';
import type { Roster, RosterPupil, RosterSchool, RosterStaff } from './roster.ts';
import { validateRoster } from './validate-roster.ts';

/**
 * OneRoster 1.1 CSV (bulk), as MIS vendors and sync services export it: a folder or .zip with
 * orgs.csv, users.csv, classes.csv and enrollments.csv (academicSessions.csv and manifest.csv are
 * optional; a manifest `file.x = absent` is respected, delta files are refused).
 *
 * - Schools: orgs with type=school; `identifier` is the URN.
 * - Tutor groups: classes with classType=homeroom; the form is the class title (or classCode).
 *   The homeroom's teacher enrollment (primary=true first) is the tutor; its students the tutees.
 * - Pupils: users with role=student; sourcedId is their id, UPN from metadata.upn or identifier,
 *   preferredFirstName (OneRoster 1.2) as preferred name, year group from the user's grades
 *   ("07".."13", "7", "Year 7") or else the homeroom's, house from a metadata.house column on
 *   users or classes, date of birth from demographics.csv birthDate when present.
 * - Staff: every other user except guardians, parents and relatives, when they have an email.
 *   Homeroom teachers get the tutor role. Two optional users.csv columns give other roles:
 *   metadata.tutorbot.roles ("head_of_year; dsl", same spellings as staff.csv) and
 *   metadata.tutorbot.scope ("year 9; house Aurora").
 * - Users with enabledUser=false, and rows with status=tobedeleted, are treated as absent.
 */

export interface ParseOneRosterOptions {
  /** Collect problems here instead of throwing them; the returned roster may then be incomplete. */
  problems?: ImportProblems;
}

const required = ['orgs.csv', 'users.csv', 'classes.csv', 'enrollments.csv'] as const;
const notPeopleWeImport = new Set(['guardian', 'parent', 'relative']);

interface User {
  row: number;
  absent: boolean;
  student: boolean;
  schools: number[];
  email: string | null;
  homeroom: { classId: string; row: number } | null;
  pupil: RosterPupil | null;
  staff: RosterStaff | null;
}

interface Homeroom {
  school: number;
  form: string;
  year: number | null;
  house: string | null;
  teachers: { userId: string; primary: boolean; row: number }[];
}

export async function parseOneRoster(location: string | RosterFiles, options: ParseOneRosterOptions = {}): Promise<Roster> {
  const files = typeof location === 'string' ? await openRosterFiles(location) : location;
  const problems = options.problems ?? new ImportProblems();
  try {
    const roster = await read(files, problems);
    if (!options.problems) problems.throwIfAny();
    return roster;
  } finally {
    if (files !== location) await files.close();
  }
}

async function read(files: RosterFiles, problems: ImportProblems): Promise<Roster> {
  const manifest = await readManifest(files, problems);
  if (!manifest) return { schools: [] };
  const schoolOf = new Map<string, number>();
  const schools: RosterSchool[] = [];
  const knownOrgs = new Set<string>();
  const orgSpec = { required: ['sourcedId', 'name', 'type'], optional: ['status', 'identifier'], rowsHint: 'one row per school' };
  await readCsv(files, 'orgs.csv', orgSpec, problems, (row) => {
    knownOrgs.add(row.get('sourcedId'));
    if (row.get('type').toLowerCase() !== 'school' || deleted(row)) return;
    const name = readText(row, 'name', problems, { required: 'write the school name' });
    if (!name) return;
    schoolOf.set(row.get('sourcedId'), schools.length);
    schools.push({ name, urn: readText(row, 'identifier', problems, { max: 20 }), timeZone: null, staff: [], pupils: [] });
  });
  if (knownOrgs.size > 0 && schools.length === 0) {
    problems.add('orgs.csv has no row with type "school"; tutorbot imports schools, so export at least one org of type school.');
  }

  const users = await readUsers(files, schoolOf, knownOrgs, problems);
  const { homerooms, classes } = await readClasses(files, schoolOf, problems);
  await readEnrollments(files, users, homerooms, classes, problems);
  if (files.has('demographics.csv') && manifest.get('file.demographics') !== 'absent') await readBirthDates(files, users, problems);
  assemble(schools, users, homerooms, problems);
  validateRoster({ schools }, problems);
  return { schools };
}

/** The manifest's `file.x` modes, or null when a required file is missing or not a bulk export. */
async function readManifest(files: RosterFiles, problems: ImportProblems): Promise<Map<string, string> | null> {
  const modes = new Map<string, string>();
  if (files.has('manifest.csv')) {
    const spec = { required: ['propertyName', 'value'], rowsHint: 'one row per property' };
    await readCsv(files, 'manifest.csv', spec, problems, (row) => modes.set(row.get('propertyName').toLowerCase(), row.get('value').toLowerCase()));
  }
  let ok = true;
  for (const file of required) {
    const mode = modes.get(`file.${file.replace('.csv', '').toLowerCase()}`);
    if (mode === 'delta') {
      problems.add(`manifest.csv says ${file} is a delta (changes only); export a bulk OneRoster file set so that tutorbot sees the whole roll.`);
      ok = false;
    } else if (mode === 'absent' || !files.has(file)) {
      problems.add(
        `${files.label} has no ${file}${mode === 'absent' ? ' (manifest.csv says it is absent)' : ''}; a OneRoster export needs ${required.join(', ')}.`,
      );
      ok = false;
    }
  }
  return ok ? modes : null;
}

function deleted(row: CsvRow): boolean {
  return row.get('status').toLowerCase() === 'tobedeleted';
}

function readGrades(row: CsvRow, problems: ImportProblems): number | null {
  const grades = row.get('grades');
  if (!grades) return null;
  for (const grade of grades.split(',')) {
    const year = parseYearGroup(grade);
    if (year !== null) return year;
  }
  problems.add(`${row.at('grades')}: "${shorten(grades)}" is not a year group; use the OneRoster grade codes 07 to 13 (Year 7 to Year 13).`);
  return null;
}

async function readUsers(files: RosterFiles, schoolOf: Map<string, number>, knownOrgs: Set<string>, problems: ImportProblems) {
  const users = new Map<string, User>();
  const spec = {
    required: ['sourcedId', 'role', 'givenName', 'familyName'],
    optional: [
      'status',
      'enabledUser',
      'orgSourcedIds',
      'email',
      'identifier',
      'grades',
      'preferredFirstName',
      'metadata.upn',
      'metadata.house',
      'metadata.tutorbot.roles',
      'metadata.tutorbot.scope',
    ],
    rowsHint: 'one row per pupil and member of staff',
  };
  await readCsv(files, 'users.csv', spec, problems, (row) => {
    const id = readText(row, 'sourcedId', problems, { required: 'every user needs their sourcedId' });
    if (id === null) return;
    const earlier = users.get(id);
    if (earlier)
      return void problems.add(
        `users.csv rows ${earlier.row} and ${row.row}, column "sourcedId": "${shorten(id)}" appears twice; each user needs their own sourcedId.`,
      );
    const role = row.get('role').toLowerCase();
    const absent = deleted(row) || row.get('enabledUser').toLowerCase() === 'false' || notPeopleWeImport.has(role);
    const user: User = { row: row.row, absent, student: role === 'student', schools: [], email: null, homeroom: null, pupil: null, staff: null };
    users.set(id, user);
    if (absent) return;
    for (const org of row
      .get('orgSourcedIds')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      if (!knownOrgs.has(org))
        problems.add(`${row.at('orgSourcedIds')}: org "${shorten(org)}" is not in orgs.csv; export orgs.csv with the same sync as users.csv.`);
      const school = schoolOf.get(org);
      if (school !== undefined) user.schools.push(school);
    }
    const givenName = readText(row, 'givenName', problems, { required: "write the user's given name" });
    const familyName = readText(row, 'familyName', problems, { required: "write the user's family name" });
    if (user.student) {
      user.pupil = {
        sourceId: id,
        upn: readText(row, row.get('metadata.upn') ? 'metadata.upn' : 'identifier', problems, { max: 20 }),
        givenName: givenName ?? '',
        familyName: familyName ?? '',
        preferredName: readText(row, 'preferredFirstName', problems),
        dateOfBirth: null,
        yearGroup: readGrades(row, problems),
        form: null,
        house: readText(row, 'metadata.house', problems, { max: 100 }),
        sen: false,
        eal: false,
        tutorEmail: null,
        origin: { file: 'users.csv', row: row.row, columns: { sourceId: 'sourcedId', upn: row.get('metadata.upn') ? 'metadata.upn' : 'identifier' } },
      };
      return;
    }
    user.email = readEmail(row, 'email', problems);
    const roles = readRoles(row, 'metadata.tutorbot.roles', problems);
    const scope = readScope(row, 'metadata.tutorbot.scope', problems);
    if (user.email && givenName && familyName) {
      user.staff = {
        sourceId: id,
        email: user.email,
        displayName: `${givenName} ${familyName}`,
        roles,
        yearScope: scope.years,
        houseScope: scope.houses,
        origin: { file: 'users.csv', row: row.row, columns: { sourceId: 'sourcedId', email: 'email' } },
      };
    }
  });
  return users;
}

async function readClasses(files: RosterFiles, schoolOf: Map<string, number>, problems: ImportProblems) {
  const homerooms = new Map<string, Homeroom>();
  const classes = new Set<string>();
  const spec = {
    required: ['sourcedId', 'classType', 'schoolSourcedId'],
    optional: ['status', 'title', 'classCode', 'grades', 'metadata.house'],
    rowsHint: 'one row per class, including the homeroom (tutor group) classes',
  };
  await readCsv(files, 'classes.csv', spec, problems, (row) => {
    const id = row.get('sourcedId');
    classes.add(id);
    if (row.get('classType').toLowerCase() !== 'homeroom' || deleted(row)) return;
    const school = schoolOf.get(row.get('schoolSourcedId'));
    if (school === undefined) {
      return void problems.add(
        `${row.at('schoolSourcedId')}: "${shorten(row.get('schoolSourcedId'))}" is not a school in orgs.csv; export orgs.csv and classes.csv from the same sync.`,
      );
    }
    const form = readText(row, row.get('title') ? 'title' : 'classCode', problems, { max: 50, required: 'give the tutor group a title such as 9A' });
    homerooms.set(id, {
      school,
      form: form ?? '',
      year: readGrades(row, problems),
      house: readText(row, 'metadata.house', problems, { max: 100 }),
      teachers: [],
    });
  });
  return { homerooms, classes };
}

async function readEnrollments(files: RosterFiles, users: Map<string, User>, homerooms: Map<string, Homeroom>, classes: Set<string>, problems: ImportProblems) {
  const spec = {
    required: ['classSourcedId', 'userSourcedId', 'role'],
    optional: ['status', 'primary'],
    rowsHint: 'one row per user in each class',
    allowNoRows: true,
  };
  await readCsv(files, 'enrollments.csv', spec, problems, (row) => {
    if (deleted(row)) return;
    const classId = row.get('classSourcedId');
    const userId = row.get('userSourcedId');
    const user = users.get(userId);
    if (!classes.has(classId))
      return void problems.add(
        `${row.at('classSourcedId')}: class "${shorten(classId)}" is not in classes.csv; export classes.csv and enrollments.csv from the same sync.`,
      );
    if (!user)
      return void problems.add(
        `${row.at('userSourcedId')}: user "${shorten(userId)}" is not in users.csv; export users.csv and enrollments.csv from the same sync.`,
      );
    const homeroom = homerooms.get(classId);
    if (!homeroom || user.absent) return;
    const role = row.get('role').toLowerCase();
    if (role === 'teacher') homeroom.teachers.push({ userId, primary: row.get('primary').toLowerCase() === 'true', row: row.row });
    if (role !== 'student' || !user.student) return;
    if (user.homeroom && user.homeroom.classId !== classId) {
      const other = homerooms.get(user.homeroom.classId)?.form;
      return void problems.add(
        `enrollments.csv rows ${user.homeroom.row} and ${row.row}, column "classSourcedId": pupil "${shorten(userId)}" is in two tutor groups ("${other}" and "${homeroom.form}"); a pupil has one tutor group, so remove one enrollment.`,
      );
    }
    user.homeroom ??= { classId, row: row.row };
  });
}

async function readBirthDates(files: RosterFiles, users: Map<string, User>, problems: ImportProblems) {
  const spec = { required: ['sourcedId'], optional: ['birthDate'], rowsHint: 'one row per user', allowNoRows: true };
  await readCsv(files, 'demographics.csv', spec, problems, (row) => {
    const pupil = users.get(row.get('sourcedId'))?.pupil;
    if (pupil) pupil.dateOfBirth = readDate(row, 'birthDate', problems);
  });
}

function assemble(schools: RosterSchool[], users: Map<string, User>, homerooms: Map<string, Homeroom>, problems: ImportProblems): void {
  // One copy per school: a teacher who tutors in one school of a trust is not a tutor in the others.
  const staffIn = schools.map(() => new Map<User, RosterStaff>());
  const member = (school: number, user: User): RosterStaff => {
    let staff = staffIn[school].get(user);
    if (!staff) staffIn[school].set(user, (staff = { ...user.staff!, roles: [...user.staff!.roles] }));
    return staff;
  };
  for (const user of users.values()) {
    if (user.staff) for (const school of user.schools) member(school, user);
  }
  const tutorOf = new Map<Homeroom, string>();
  for (const homeroom of homerooms.values()) {
    const teachers = homeroom.teachers.toSorted((a, b) => Number(b.primary) - Number(a.primary));
    for (const teacher of teachers) {
      const user = users.get(teacher.userId)!;
      if (user.student) continue;
      if (!user.staff) {
        // An invalid email or a missing name was reported when users.csv was read.
        if (!user.email)
          problems.add(`users.csv row ${user.row}, column "email": the tutor of "${homeroom.form}" has no email; add the email they use in Slack or Teams.`);
        continue;
      }
      const staff = member(homeroom.school, user);
      if (!staff.roles.includes('tutor')) staff.roles.push('tutor');
      if (!tutorOf.has(homeroom)) tutorOf.set(homeroom, staff.email);
    }
  }
  for (const user of users.values()) {
    const pupil = user.pupil;
    if (!pupil) continue;
    const homeroom = user.homeroom ? homerooms.get(user.homeroom.classId)! : null;
    const school = homeroom?.school ?? user.schools[0];
    if (school === undefined) {
      problems.add(
        `users.csv row ${user.row}, column "orgSourcedIds": pupil "${shorten(pupil.sourceId)}" is in no school of orgs.csv and no homeroom class; list their school's sourcedId.`,
      );
      continue;
    }
    if (homeroom) {
      pupil.form = homeroom.form;
      pupil.yearGroup ??= homeroom.year;
      pupil.house ??= homeroom.house;
      pupil.tutorEmail = tutorOf.get(homeroom) ?? null;
    }
    schools[school].pupils.push(pupil);
  }
  for (const [index, school] of schools.entries()) school.staff = [...staffIn[index].values()];
}
