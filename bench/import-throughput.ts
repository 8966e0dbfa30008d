/**
 * Roster import throughput: pupils written per second by applyRoster (validation, staff, pupils,
 * tutor assignments, one transaction), on a fresh PostgreSQL database and on in-memory PGlite.
 * The roster is 100 fictional demo schools of 1,000 pupils on PostgreSQL, 10 on PGlite. Each is
 * imported three times, each time into a new database, and the median is reported: on a small
 * shared machine one run can be a fifth slower or faster than the next.
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
      const [school] = demoSchool({
        seed: 1000 + index,
        name: `Import Bench ${index + 1}`,
        urn: String(900000 + index),
        domain: `school${index + 1}.example`,
      }).schools;
      return school;
    }),
  };
}

const runs = 3;

interface ImportTiming {
  pupilsPerSecond: number;
  seconds: number;
  pupils: number;
}

async function timeImport(open: () => Promise<{ database: Database; dispose: () => Promise<void> }>, schools: number): Promise<ImportTiming> {
  const timings: ImportTiming[] = [];
  for (let run = 0; run < runs; run += 1) {
    const roster = nationalSlice(schools);
    const { database, dispose } = await open();
    try {
      await runMigrations(database);
      const pupils = roster.schools.reduce((sum, school) => sum + school.pupils.length, 0);
      const started = performance.now();
      await applyRoster(database.db, roster, { full: true });
      const seconds = (performance.now() - started) / 1000;
      timings.push({ pupilsPerSecond: Math.round(pupils / seconds), seconds: Math.round(seconds * 100) / 100, pupils });
    } finally {
      await dispose();
    }
  }
  return timings.sort((a, b) => a.seconds - b.seconds)[Math.floor(runs / 2)];
}

export async function benchImport(serverUrl: string | null): Promise<Record<string, number | string>> {
  const results: Record<string, number | string> = {};
  const report = (engine: string, result: ImportTiming) => {
    const label = `${result.pupils.toLocaleString('en-GB')} pupils, median of ${runs}`;
    results[`import ${engine} pupils/s (${label})`] = result.pupilsPerSecond;
    results[`import ${engine} seconds (${label})`] = result.seconds;
  };
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      const fresh = async () => {
        const name = `tutorbot_import_bench_${randomBytes(4).toString('hex')}`;
        await admin.query(`CREATE DATABASE ${name}`);
        const url = new URL(serverUrl);
        url.pathname = `/${name}`;
        const drop = () => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        const database = await openDatabase({ kind: 'postgres', url: url.toString() }).catch(async (error: unknown) => {
          await drop();
          throw error;
        });
        return { database, dispose: async () => void (await database.close(), await drop()) };
      };
      report('PostgreSQL', await timeImport(fresh, 100));
    } finally {
      await admin.end();
    }
  }
  const embedded = async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    return { database, dispose: () => database.close() };
  };
  report('PGlite', await timeImport(embedded, 10));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(await benchImport(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'));
