/**
 * Roster import throughput: pupils written per second by applyRoster (validation, staff, pupils,
 * tutor assignments, one transaction), on a fresh PostgreSQL database and on in-memory PGlite.
 * The roster is 100 fictional demo schools of 1,000 pupils on PostgreSQL, 10 on PGlite.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/open-database.ts';
import { runMigrations } from '../src/db/run-migrations.ts';
import { demoSchool } from '../src/demo/demo-school.ts';
import { applyRoster } from '../src/roster/apply-roster.ts';
import type { Roster } from '../src/roster/roster.ts';

function nationalSlice(schools: number): Roster {
  return {
    schools: Array.from({ length: schools }, (_, index) => {
      const [school] = demoSchool({ seed: 1000 + index, name: `Import Bench ${index + 1}`, urn: String(900000 + index), domain: `school${index + 1}.example` }).schools;
      return school;
    }),
  };
}

async function timeImport(database: Database, roster: Roster): Promise<{ pupilsPerSecond: number; seconds: number; pupils: number }> {
  await runMigrations(database);
  const pupils = roster.schools.reduce((sum, school) => sum + school.pupils.length, 0);
  const started = performance.now();
  await applyRoster(database.db, roster, { full: true });
  const seconds = (performance.now() - started) / 1000;
  return { pupilsPerSecond: Math.round(pupils / seconds), seconds: Math.round(seconds * 100) / 100, pupils };
}

export async function benchImport(serverUrl: string | null): Promise<Record<string, number | string>> {
  const results: Record<string, number | string> = {};
  if (serverUrl) {
    const name = `tutorbot_import_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ kind: 'postgres', url: url.toString() });
    try {
      const result = await timeImport(database, nationalSlice(100));
      results[`import PostgreSQL pupils/s (${result.pupils.toLocaleString('en-GB')} pupils)`] = result.pupilsPerSecond;
    } finally {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  const embedded = await openDatabase({ kind: 'pglite', dataDir: null });
  try {
    const result = await timeImport(embedded, nationalSlice(10));
    results[`import PGlite pupils/s (${result.pupils.toLocaleString('en-GB')} pupils)`] = result.pupilsPerSecond;
  } finally {
    await embedded.close();
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchImport(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'));
