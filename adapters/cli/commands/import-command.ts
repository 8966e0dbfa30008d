import type { Command } from 'commander';
import { withApp } from '../cli-app.ts';

/** `tutorbot import PATH`: a OneRoster folder or .zip, or the simple staff.csv + pupils.csv pair. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import a roster: a OneRoster 1.1 CSV folder or .zip, or a folder with staff.csv and pupils.csv')
    .argument('<path>', 'folder or .zip')
    .option('--school <name>', 'for staff.csv + pupils.csv: the school to import into (created if new)')
    .option('--partial', 'only add and update: do not deactivate people missing from this file')
    .action(async (path: string, options: { school?: string; partial?: boolean }) =>
      withApp({ jobs: 'send' }, async (app) => {
        // Loaded on demand: the parsers are not needed to start the bot.
        const { formatRosterSummary, importRoster } = await import('../../../src/roster/import-roster.ts');
        const summary = await importRoster(app.core.db, path, {
          full: !options.partial,
          schoolName: options.school,
          progress: Boolean(process.stderr.isTTY),
        });
        process.stdout.write(`${formatRosterSummary(summary)}\n`);
        // Heads of house/year hear the same day about leavers whose tutees now have nobody (docs/product-rules.md).
        const { notifyDeactivatedTutors } = await import('../../../src/assignment/notify-deactivated-tutors.ts');
        await notifyDeactivatedTutors(app.core, summary.deactivatedTutorsWithTutees);
      }),
    );
}
