import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { describeCalendar, localDateOf, parseCalendarFile } from '../../../src/calendar/index.ts';
import { saveSchoolCalendar } from '../../../src/calendar/save-school-calendar.ts';
import type { CoreContext } from '../../../src/core-context.ts';
import { TutorbotError } from '../../../src/errors.ts';
import { findSchool } from '../../../src/schools/find-school.ts';
import { loadSchoolTimes } from '../../../src/schools/load-school-times.ts';
import { withApp } from '../cli-app.ts';

/**
 * `tutorbot calendar import FILE [--school …]` and `tutorbot calendar show [--school …]`: the
 * school's terms, half terms and closures (the format is documented in
 * src/calendar/parse-calendar-file.ts). Until a school imports its own, the built-in England
 * default applies and `show` says so.
 */
const maxFileBytes = 1024 * 1024;

/** Reads a small text file an admin named, with a message that says what to do when it cannot be read. */
export async function readAdminFile(path: string, what: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new TutorbotError('tutorbot_user_file', `${path} is not a file; give the path of the ${what}.`);
    if (info.size > maxFileBytes) throw new TutorbotError('tutorbot_user_file', `${path} is ${Math.round(info.size / 1024)} KB; a ${what} is at most 1 MB.`);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof TutorbotError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new TutorbotError('tutorbot_user_file', `Cannot read ${path}: ${reason}.`, { cause: error });
  }
}

export async function importCalendar(core: CoreContext, path: string, options: { school?: string }): Promise<string> {
  const content = await readAdminFile(path, 'calendar file (.csv or .ics)');
  const school = await findSchool(core.db, options.school);
  const calendar = parseCalendarFile(path, content, school.timeZone);
  await saveSchoolCalendar(core.db, school.id, calendar, 'cli');
  const today = localDateOf(core.now(), school.timeZone);
  return [
    `Imported ${calendar.terms.length} term${calendar.terms.length === 1 ? '' : 's'} and ${calendar.closures.length} closure${calendar.closures.length === 1 ? '' : 's'} for ${school.name}.`,
    '',
    describeCalendar(calendar, today),
  ].join('\n');
}

export async function showCalendar(core: CoreContext, options: { school?: string }): Promise<string> {
  const school = await findSchool(core.db, options.school);
  const now = core.now();
  // Only the calendar is shown: a bad stored setting is for `tutorbot settings show` to report.
  const { timeZone, calendar } = await loadSchoolTimes(core.db, school.id, now, { invalidSettings: 'use-defaults' });
  const today = localDateOf(now, timeZone);
  return `${school.name}\n\n${describeCalendar(calendar, today)}`;
}

export function registerCalendarCommand(program: Command): void {
  const calendar = program.command('calendar').description('the school calendar: terms, half terms, INSET days and bank holidays');
  calendar
    .command('import')
    .description('set the school calendar from a CSV (kind,name,start,end) or iCalendar (.ics) file')
    .argument('<file>', 'a .csv or .ics file')
    .option('--school <name>', 'the school (name, URN or id); optional when there is only one')
    .action(async (file: string, options: { school?: string }) =>
      withApp({ jobs: 'none' }, async (app) => {
        process.stdout.write(`${await importCalendar(app.core, file, options)}\n`);
      }),
    );
  calendar
    .command('show')
    .description('print the calendar in use (says when it is the built-in England default)')
    .option('--school <name>', 'the school (name, URN or id); optional when there is only one')
    .action(async (options: { school?: string }) =>
      withApp({ jobs: 'none' }, async (app) => {
        process.stdout.write(`${await showCalendar(app.core, options)}\n`);
      }),
    );
}
