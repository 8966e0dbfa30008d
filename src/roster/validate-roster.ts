import type { ImportProblems } from './import-problems.ts';
import { shorten } from './roster-cells.ts';
import type { Roster, RosterOrigin, RosterSchool } from './roster.ts';

/**
 * The checks that need the whole roster rather than one row: ids and emails used twice, and
 * pupils whose tutor is not on the staff list. They run before anything is written, because the
 * database would otherwise stop half-way on a unique index with a message no admin can act on.
 */

export interface ValidateRosterOptions {
  /**
   * Emails of active staff already in the database for a school (by roster school index) that a
   * pupil may name as tutor without being in this roster: only for partial imports, since a full
   * import deactivates everyone it does not list.
   */
  existingStaffEmails?: (schoolIndex: number) => ReadonlySet<string>;
  /** False when tutors may be staff already in the database (a partial import): applyRoster checks them then. */
  checkTutors?: boolean;
}

export function validateRoster(roster: Roster, problems: ImportProblems, options: ValidateRosterOptions = {}): void {
  roster.schools.forEach((school, index) => {
    const where = roster.schools.length > 1 ? ` (${school.name})` : '';
    duplicates(problems, where, school.staff, 'email', (staff) => staff.email, 'each member of staff needs one row; merge their roles and scope into it');
    duplicates(problems, where, school.staff, 'sourceId', (staff) => staff.sourceId, 'each member of staff needs their own id');
    duplicates(
      problems,
      where,
      school.pupils,
      'sourceId',
      (pupil) => pupil.sourceId,
      'each pupil needs their own id; if these are two pupils, give one of them its correct id',
    );
    duplicates(problems, where, school.pupils, 'upn', (pupil) => pupil.upn, 'a UPN belongs to one pupil; correct or blank one of them');
    if (options.checkTutors !== false) unknownTutors(problems, school, options.existingStaffEmails?.(index));
  });
}

interface Located {
  origin?: RosterOrigin;
}

function duplicates<T extends Located>(
  problems: ImportProblems,
  where: string,
  items: T[],
  field: keyof RosterOrigin['columns'],
  key: (item: T) => string | null,
  fix: string,
): void {
  const first = new Map<string, T>();
  for (const item of items) {
    const value = key(item);
    if (value === null) continue;
    const earlier = first.get(value);
    if (!earlier) {
      first.set(value, item);
      continue;
    }
    problems.add(`${locate(earlier, item, field, where)} "${shorten(value)}" appears twice; ${fix}.`);
  }
}

function locate(earlier: Located, later: Located, field: keyof RosterOrigin['columns'], where: string): string {
  const a = earlier.origin;
  const b = later.origin;
  if (!a || !b) return `the roster${where}: ${field === 'email' ? 'the email' : field === 'upn' ? 'the UPN' : 'the id'}`;
  const files = a.file === b.file ? `${a.file} rows ${a.row} and ${b.row}` : `${a.file} row ${a.row} and ${b.file} row ${b.row}`;
  return `${files}, column "${b.columns[field] ?? a.columns[field] ?? field}":`;
}

function unknownTutors(problems: ImportProblems, school: RosterSchool, existing: ReadonlySet<string> | undefined): void {
  const staffEmails = new Set(school.staff.map((staff) => staff.email));
  const staffFile = school.staff.find((staff) => staff.origin)?.origin?.file ?? 'the staff list';
  for (const pupil of school.pupils) {
    const email = pupil.tutorEmail;
    if (email === null || staffEmails.has(email) || existing?.has(email)) continue;
    const at = pupil.origin
      ? `${pupil.origin.file} row ${pupil.origin.row}, column "${pupil.origin.columns.tutorEmail ?? 'tutor'}"`
      : `the roster for ${school.name}, pupil "${shorten(pupil.sourceId)}"`;
    problems.add(`${at}: the tutor "${shorten(email)}" is not in ${staffFile}; add them to ${staffFile} or correct the email.`);
  }
}
