import { ImportProblems } from './import-problems.ts';
import { readCsv } from './read-csv.ts';
import { maxNameLength, readDate, readEmail, readFlag, readRoles, readScope, readText, readYearGroup } from './roster-cells.ts';
import { openRosterFiles, type RosterFiles } from './roster-files.ts';
import type { Roster, RosterPupil, RosterStaff } from './roster.ts';
import { validateRoster } from './validate-roster.ts';

/**
 * The simple CSV pair, for schools that export from their MIS with a report rather than
 * OneRoster. A folder (or the paths) holding:
 *
 * staff.csv   email,name,roles,scope            (optional: staff_id, the MIS id)
 *   roles: any of tutor, head_of_house, head_of_year, pastoral_lead, dsl, deputy_dsl, senco,
 *          admin, separated by ";" or "|"; people's spellings work too ("Head of House", "DSL").
 *          Whoever is named as a pupil's tutor is given the tutor role.
 *   scope: what a head of year or house looks after: "year 9; house Aurora", "years 10-11".
 * pupils.csv  mis_id,upn,given_name,family_name,preferred_name,date_of_birth,year,form,house,sen,eal,tutor_email
 *   required: mis_id, given_name, family_name, year, tutor_email; the rest may be left out.
 *   sen, eal: Y/N, yes/no, true/false or 1/0 (blank = no). date_of_birth: YYYY-MM-DD or DD/MM/YYYY.
 *   tutor_email: must be in staff.csv (blank = leave the pupil's current tutor as it is).
 * school.csv  name,urn (optional; one row) names the school. Without it, the school is the one
 *   given by `tutorbot import --school NAME`, or the database's only school.
 *
 * Header names are matched without case, and common MIS spellings are accepted (surname,
 * forename, dob, reg group…).
 */

export interface ParseSimpleCsvOptions {
  /** The school the files belong to; when given, school.csv is not read. */
  school?: { name: string; urn: string | null };
  /** Collect problems here instead of throwing them; the returned roster may then be incomplete. */
  problems?: ImportProblems;
  /**
   * Whether every tutor_email must be in staff.csv (default true). A partial import may name
   * tutors who are already in the database; applyRoster checks those against it.
   */
  checkTutors?: boolean;
}

const staffSpec = {
  required: ['email', 'name'],
  optional: ['roles', 'scope', 'staff_id'],
  aliases: { display_name: 'name', full_name: 'name', role: 'roles', email_address: 'email', work_email: 'email', source_id: 'staff_id' },
  rowsHint: 'one row per member of staff',
};

const pupilSpec = {
  required: ['mis_id', 'given_name', 'family_name', 'year', 'tutor_email'],
  optional: ['upn', 'preferred_name', 'date_of_birth', 'form', 'house', 'sen', 'eal'],
  aliases: {
    id: 'mis_id',
    pupil_id: 'mis_id',
    admission_number: 'mis_id',
    adno: 'mis_id',
    source_id: 'mis_id',
    forename: 'given_name',
    first_name: 'given_name',
    legal_forename: 'given_name',
    surname: 'family_name',
    last_name: 'family_name',
    legal_surname: 'family_name',
    preferred_forename: 'preferred_name',
    known_as: 'preferred_name',
    dob: 'date_of_birth',
    birth_date: 'date_of_birth',
    year_group: 'year',
    nc_year: 'year',
    reg_group: 'form',
    registration_group: 'form',
    tutor_group: 'form',
    tutor: 'tutor_email',
    form_tutor_email: 'tutor_email',
  },
  rowsHint: 'one row per pupil on roll',
};

export async function parseSimpleCsv(location: string | string[] | RosterFiles, options: ParseSimpleCsvOptions = {}): Promise<Roster> {
  const files = typeof location === 'object' && !Array.isArray(location) ? location : await openRosterFiles(location);
  const problems = options.problems ?? new ImportProblems();
  try {
    const roster = await read(files, options.school, problems, options.checkTutors ?? true);
    if (!options.problems) problems.throwIfAny();
    return roster;
  } finally {
    if (files !== location) await files.close();
  }
}

async function read(files: RosterFiles, given: ParseSimpleCsvOptions['school'], problems: ImportProblems, checkTutors: boolean): Promise<Roster> {
  for (const name of ['staff.csv', 'pupils.csv']) {
    if (!files.has(name)) {
      problems.add(
        `${files.label} has no ${name}; a roster needs staff.csv (${staffSpec.required.join(',')},roles,scope) and pupils.csv (${pupilSpec.required.join(',')},…), or the OneRoster files.`,
      );
    }
  }
  const school = given ?? (await readSchool(files, problems));
  const staff = files.has('staff.csv') ? await readStaff(files, problems) : [];
  const pupils = files.has('pupils.csv') ? await readPupils(files, problems) : [];
  const tutors = new Set(pupils.map((pupil) => pupil.tutorEmail));
  for (const member of staff) {
    if (tutors.has(member.email) && !member.roles.includes('tutor')) member.roles.push('tutor');
  }
  const roster: Roster = { schools: school ? [{ name: school.name, urn: school.urn, timeZone: null, staff, pupils }] : [] };
  // Without staff.csv (already a problem) every tutor would be unknown: one message is enough.
  if (school) validateRoster(roster, problems, { checkTutors: checkTutors && files.has('staff.csv') });
  return roster;
}

async function readSchool(files: RosterFiles, problems: ImportProblems): Promise<{ name: string; urn: string | null } | null> {
  if (!files.has('school.csv')) {
    problems.add(`${files.label} does not say which school it is for; add school.csv (columns name,urn) or name the school when importing (--school "Name").`);
    return null;
  }
  let school: { name: string; urn: string | null } | null = null;
  const spec = { required: ['name'], optional: ['urn'], aliases: { school_name: 'name', school: 'name' }, rowsHint: 'one row with the school name' };
  await readCsv(files, 'school.csv', spec, problems, (row) => {
    if (school) return void problems.add(`school.csv row ${row.row}: school.csv names one school; import each school's files separately.`);
    const name = readText(row, 'name', problems, { required: 'write the school name' });
    const urn = readText(row, 'urn', problems, { max: 20 });
    if (name) school = { name, urn };
  });
  return school;
}

async function readStaff(files: RosterFiles, problems: ImportProblems): Promise<RosterStaff[]> {
  const staff: RosterStaff[] = [];
  await readCsv(files, 'staff.csv', staffSpec, problems, (row) => {
    const email = readEmail(row, 'email', problems, 'every member of staff needs the email they use in Slack or Teams');
    const displayName = readText(row, 'name', problems, { required: 'write their name as pupils know it, e.g. Ms Okafor or Adaeze Okafor' });
    const roles = readRoles(row, 'roles', problems);
    const scope = readScope(row, 'scope', problems);
    const sourceId = readText(row, 'staff_id', problems, { max: maxNameLength });
    if (!email || !displayName) return;
    staff.push({
      sourceId,
      email,
      displayName,
      roles,
      yearScope: scope.years,
      houseScope: scope.houses,
      origin: { file: 'staff.csv', row: row.row, columns: { email: 'email', sourceId: 'staff_id' } },
    });
  });
  return staff;
}

async function readPupils(files: RosterFiles, problems: ImportProblems): Promise<RosterPupil[]> {
  const pupils: RosterPupil[] = [];
  await readCsv(files, 'pupils.csv', pupilSpec, problems, (row) => {
    const sourceId = readText(row, 'mis_id', problems, { required: "write the pupil's id from your MIS, which stays the same from year to year" });
    const givenName = readText(row, 'given_name', problems, { required: "write the pupil's given (first) name" });
    const familyName = readText(row, 'family_name', problems, { required: "write the pupil's family name (surname)" });
    const pupil: RosterPupil = {
      sourceId: sourceId ?? '',
      upn: readText(row, 'upn', problems, { max: 20 }),
      givenName: givenName ?? '',
      familyName: familyName ?? '',
      preferredName: readText(row, 'preferred_name', problems),
      dateOfBirth: readDate(row, 'date_of_birth', problems),
      yearGroup: readYearGroup(row, 'year', problems),
      form: readText(row, 'form', problems, { max: 50 }),
      house: readText(row, 'house', problems, { max: 100 }),
      sen: readFlag(row, 'sen', problems),
      eal: readFlag(row, 'eal', problems),
      tutorEmail: readEmail(row, 'tutor_email', problems),
      origin: { file: 'pupils.csv', row: row.row, columns: { sourceId: 'mis_id', upn: 'upn', tutorEmail: 'tutor_email' } },
    };
    if (sourceId && givenName && familyName) pupils.push(pupil);
  });
  return pupils;
}
