import type { Command } from 'commander';
import { isLocalDate, localDateOf } from '../../../src/calendar/index.ts';
import type { CoreContext } from '../../../src/core-context.ts';
import { TutorbotError } from '../../../src/errors.ts';
import { recipientLabels } from '../../../src/reminders/reminder-recipients.ts';
import { sweepReminders } from '../../../src/reminders/sweep-reminders.ts';
import { blocksToText } from '../../../src/reply.ts';
import { findSchool } from '../../../src/schools/find-school.ts';
import { firstSchoolTimeZone } from '../../../src/schools/load-school-times.ts';
import { schoolNames } from '../../../src/schools/school-names.ts';
import { withApp } from '../cli-app.ts';

/**
 * `tutorbot remind --dry-run [--date YYYY-MM-DD] [--school …]`: what the reminder sweep would
 * send on a school day (to whom, which kind, how many pupils), without sending. Without
 * --dry-run it runs the sweep now, as the server does every 15 minutes.
 */
const kindNames: Record<string, string> = {
  'term-start': 'start of term: tutees to meet',
  digest: 'weekly digest',
  nudge: 'two weeks left',
  missed: 'missed last term (heads)',
};

export async function dryRunReminders(core: CoreContext, options: { date?: string; school?: string }): Promise<string> {
  if (options.date !== undefined && !isLocalDate(options.date)) {
    throw new TutorbotError('tutorbot_user_input', `--date must be written YYYY-MM-DD, e.g. 2026-11-30; "${options.date}" is not a date.`);
  }
  const school = options.school ? await findSchool(core.db, options.school) : null;
  const zone = school?.timeZone ?? (await firstSchoolTimeZone(core.db));
  const date = options.date ?? localDateOf(core.now(), zone);
  const result = await sweepReminders(core, { dryRun: true, date, schoolIds: school ? [school.id] : undefined });
  if (result.reminders.length === 0) {
    return `No reminders would be sent on ${date}${school ? ` at ${school.name}` : ''}: it is not a school day, or nobody is due one (everyone met, or nothing falls due).`;
  }
  const staffIds = [...new Set(result.reminders.map((reminder) => reminder.staffId))];
  const staffName = await recipientLabels(core.db, staffIds);
  const schoolName = await schoolNames(core.db, [...new Set(result.reminders.map((reminder) => reminder.schoolId))]);
  const several = schoolName.size > 1;
  const rows = result.reminders.map((reminder) => [
    ...(several ? [schoolName.get(reminder.schoolId) ?? String(reminder.schoolId)] : []),
    kindNames[reminder.kind] ?? reminder.kind,
    reminder.period + (reminder.key.includes(':snoozed-') ? ' (after a snooze)' : ''),
    staffName.get(reminder.staffId) ?? String(reminder.staffId),
    String(reminder.pupils),
    reminder.kind === 'digest' ? String(reminder.targets) : '',
    reminder.queued ? 'already queued' : 'would send',
  ]);
  const columns = [...(several ? ['School'] : []), 'Reminder', 'Period', 'To', 'Pupils', 'Targets due', 'Status'];
  const fresh = result.reminders.filter((reminder) => !reminder.queued).length;
  return [
    `Reminders due on ${date}${several ? '' : ` at ${[...schoolName.values()][0]}`} (dry run: nothing was sent). ${fresh} would be sent, ${result.reminders.length - fresh} already queued.`,
    '',
    blocksToText([{ type: 'table', columns, rows }]),
  ].join('\n');
}

export function registerRemindCommand(program: Command): void {
  program
    .command('remind')
    .description('run the tutor-meeting reminder sweep now, or with --dry-run print what it would send on a date')
    .option('--dry-run', 'print what would be sent, to whom and about how many pupils, without sending')
    .option('--date <YYYY-MM-DD>', 'with --dry-run: the school day to plan (default today)')
    .option('--school <name>', 'the school (name, URN or id); all schools by default')
    .action(async (options: { dryRun?: boolean; date?: string; school?: string }) => {
      if (!options.dryRun && options.date) {
        throw new TutorbotError(
          'tutorbot_user_input',
          '--date plans another day, which only makes sense with --dry-run (reminders are sent on their own day).',
        );
      }
      await withApp({ jobs: options.dryRun ? 'none' : 'send' }, async (app) => {
        if (options.dryRun) {
          process.stdout.write(`${await dryRunReminders(app.core, options)}\n`);
          return;
        }
        const school = options.school ? await findSchool(app.core.db, options.school) : null;
        const result = await sweepReminders(app.core, { schoolIds: school ? [school.id] : undefined });
        process.stdout.write(
          result.skipped
            ? 'Another tutorbot instance is sweeping reminders right now; nothing to do here.\n'
            : `Queued ${result.enqueued} reminder${result.enqueued === 1 ? '' : 's'} (${result.planned} plan${result.planned === 1 ? '' : 's'} run over ${result.schools} school${result.schools === 1 ? '' : 's'}). The running server sends them.\n`,
        );
      });
    });
}
