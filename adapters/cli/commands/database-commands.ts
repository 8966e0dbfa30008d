import type { Command } from 'commander';
import { parseConfig } from '../../../src/config.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import { runMigrations } from '../../../src/db/run-migrations.ts';
import { seedDemoSchoolIfEmpty } from '../../../src/demo/seed-demo-school.ts';
import { withApp } from '../cli-app.ts';

/** `tutorbot migrate` and `tutorbot demo`. */
export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply the migrations in migrations/ (also done automatically at start)')
    .action(async () => {
      const database = await openDatabase(parseConfig().database);
      try {
        const result = await runMigrations(database);
        process.stdout.write(
          result.applied.length > 0
            ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
            : `Up to date (${result.alreadyApplied} migrations applied earlier).\n`,
        );
      } finally {
        await database.close();
      }
    });
  program
    .command('demo')
    .description('load the fictional demo school into an empty database')
    .action(async () =>
      withApp({ jobs: 'none' }, async (app) => {
        const result = await seedDemoSchoolIfEmpty(app.core.db);
        process.stdout.write(
          result.seeded
            ? 'Loaded the fictional demo school. Try: tutorbot chat --as grace.okafor@northbrook.example\n'
            : 'The database already has a school, so the demo was not loaded (it only goes into an empty database).\n',
        );
      }),
    );
}
