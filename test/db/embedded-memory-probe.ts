/**
 * Run by embedded-memory.test.ts in a process of its own (V8's flags and peak memory are per
 * process): opens an in-memory embedded database as configured by TUTORBOT_EMBEDDED_MEMORY, runs
 * enough varied queries to make PostgreSQL's parser hot, and prints the process's peak resident
 * memory in MB.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import { parseConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/open-database.ts';

const database = await openDatabase(parseConfig({ DATABASE_URL: 'memory://', TUTORBOT_EMBEDDED_MEMORY: process.env.TUTORBOT_EMBEDDED_MEMORY }).database);
for (let round = 0; round < 3000; round += 1) {
  await sql`SELECT ${round}::int + length(${`text ${round}`}) AS n, now() - interval '1 day' * ${round % 7} AS t, array[${round}, 2, 3] AS a`.execute(
    database.db,
  );
}
await database.close();
const peakKb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN);
process.stdout.write(`${Math.round(peakKb / 1024)}\n`);
