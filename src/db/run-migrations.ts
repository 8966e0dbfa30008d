import fs from 'node:fs/promises';
import path from 'node:path';
import { TutorbotError } from '../errors.ts';
import type { Database } from './open-database.ts';

import { migrationsDir } from './migrations-dir.ts';

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

// One advisory lock key for tutorbot's migrations, so that several instances starting at once
// against one PostgreSQL database apply each file exactly once.
const migrationLockKey = 7_310_244_501;

export async function runMigrations(database: Database): Promise<MigrationResult> {
  const files = (await fs.readdir(migrationsDir)).filter((name) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(name)).sort();
  const applied: string[] = [];
  let alreadyApplied = 0;
  await database.withScriptTransaction(async (session) => {
    await session.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    // The runner's own bookkeeping table: the single exception to "tables come from migrations/".
    await session.exec('CREATE TABLE IF NOT EXISTS tutorbot_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await session.query<{ name: string }>('SELECT name FROM tutorbot_migration')).map((row) => row.name));
    for (const file of files) {
      if (done.has(file)) {
        alreadyApplied += 1;
        continue;
      }
      const script = await fs.readFile(path.join(migrationsDir, file), 'utf8');
      try {
        await session.exec(script);
      } catch (cause) {
        throw new TutorbotError('tutorbot_migration_failed', `Migration ${file} failed: ${(cause as Error).message}. Nothing from this run was applied.`, {
          cause,
        });
      }
      await session.query('INSERT INTO tutorbot_migration (name) VALUES ($1)', [file]);
      applied.push(file);
    }
  });
  return { applied, alreadyApplied };
}
