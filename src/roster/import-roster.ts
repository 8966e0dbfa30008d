import cliProgress from 'cli-progress';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { applyRoster, type ApplyRosterResult } from './apply-roster.ts';
import { ImportProblems } from './import-problems.ts';
import { parseOneRoster } from './parse-oneroster.ts';
import { parseSimpleCsv } from './parse-simple-csv.ts';
import { shorten } from './roster-cells.ts';
import { openRosterFiles, type RosterFiles } from './roster-files.ts';
import type { Roster } from './roster.ts';

export { formatRosterSummary } from './format-roster-summary.ts';

/**
 * `tutorbot import PATH`: reads a OneRoster 1.1 export (folder or .zip) or the simple
 * staff.csv + pupils.csv pair (see parse-oneroster.ts and parse-simple-csv.ts), checks all of it,
 * and writes it in one transaction. Any problem anywhere means nothing is written.
 *
 * Which school the simple pair is for: `schoolName` (--school) when given (created if new), else
 * the school named in its school.csv, else the database's only school. For OneRoster, which names
 * its schools in orgs.csv, `schoolName` (a name or URN) imports just that school of a trust export.
 */

export interface ImportRosterOptions {
  /** Deactivate staff and pupils missing from the files (default true). */
  full?: boolean;
  schoolName?: string;
  /** A progress bar on stderr, when stderr is a terminal. */
  progress?: boolean;
  now?: Date;
}

export type ImportRosterSummary = ApplyRosterResult & { format: 'oneroster' | 'simple-csv'; schoolNames: string[] };

const oneRosterFiles = ['manifest.csv', 'orgs.csv', 'users.csv', 'classes.csv', 'enrollments.csv'];

export async function importRoster(db: Kysely<DB>, path: string | string[], options: ImportRosterOptions = {}): Promise<ImportRosterSummary> {
  const files = await openRosterFiles(path);
  let roster: Roster;
  let format: ImportRosterSummary['format'];
  try {
    const problems = new ImportProblems();
    if (oneRosterFiles.some((name) => files.has(name))) {
      format = 'oneroster';
      roster = await parseOneRoster(files, { problems });
      if (options.schoolName) roster = onlySchool(roster, options.schoolName, problems);
    } else if (files.has('staff.csv') || files.has('pupils.csv')) {
      format = 'simple-csv';
      const school = options.schoolName
        ? { name: options.schoolName, urn: null }
        : files.has('school.csv')
          ? undefined
          : await onlySchoolInDatabase(db, files, problems);
      // Without a school (already a problem) the files are still read, to report their problems too.
      roster = await parseSimpleCsv(files, { school: school === null ? { name: '?', urn: null } : school, problems, checkTutors: options.full ?? true });
    } else {
      const found = files.names.length > 0 ? files.names.slice(0, 10).join(', ') : 'no files';
      problems.add(
        `${files.label} holds neither a OneRoster export (orgs.csv, users.csv, classes.csv, enrollments.csv) nor staff.csv and pupils.csv (found ${found}); export the roster from your MIS in one of those forms.`,
      );
      roster = { schools: [] };
      format = 'simple-csv';
    }
    problems.throwIfAny();
  } finally {
    await files.close();
  }
  const bar = options.progress && process.stderr.isTTY ? progressBar() : null;
  try {
    const result = await applyRoster(db, roster, {
      full: options.full ?? true,
      now: options.now,
      onProgress: bar ? (done, total) => (done === 0 ? bar.start(total, 0) : bar.update(done)) : undefined,
    });
    return { ...result, format, schoolNames: roster.schools.map((school) => school.name) };
  } finally {
    bar?.stop();
  }
}

function progressBar(): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    { stream: process.stderr, format: 'Importing pupils [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
}

async function onlySchoolInDatabase(db: Kysely<DB>, files: RosterFiles, problems: ImportProblems): Promise<{ name: string; urn: string | null } | null> {
  const schools = await db.selectFrom('school').select(['name', 'urn']).orderBy('name').limit(6).execute();
  if (schools.length === 1) return schools[0];
  const names = schools
    .slice(0, 5)
    .map((school) => `"${school.name}"`)
    .join(', ');
  problems.add(
    schools.length === 0
      ? `${files.label} does not say which school it is for; import with --school "Your School Name" (or add school.csv with columns name,urn).`
      : `${files.label} does not say which school it is for and tutorbot has several (${names}); import with --school "Name" (or add school.csv with columns name,urn).`,
  );
  return null;
}

function onlySchool(roster: Roster, wanted: string, problems: ImportProblems): Roster {
  const schools = roster.schools.filter((school) => school.name === wanted || school.urn === wanted);
  if (schools.length === 0 && roster.schools.length > 0) {
    const names = roster.schools
      .slice(0, 5)
      .map((school) => `"${shorten(school.name)}"`)
      .join(', ');
    problems.add(
      `orgs.csv has no school named or with URN "${shorten(wanted)}" (it has ${names}); give one of those, or leave out --school to import them all.`,
    );
  }
  return { schools };
}
