/**
 * Caseload latency in the core (parse → scope → SQL aggregates → reply) at national scale: the
 * national dataset (3,300 schools × 1,000 pupils on PostgreSQL, bench/national-dataset.ts), with a
 * year's worth of meetings, concerns, praise and targets added by set-based SQL the first time
 * (only into tables that are still empty, so another bench's rows are kept). Measures a head of
 * year's `caseload year 9` (~170 pupils, 60 tutors' worth of groups) and a DSL's whole-school
 * `caseload` (1,000 pupils) in schools picked at random. Target: p99 <= 50 ms.
 */
import { sql } from 'kysely';
import { findActorByEmail, type Actor } from '../src/staff/actor.ts';
import { parseConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { silentLogger } from '../src/logger.ts';
import { boot, type App } from '../src/app/boot.ts';
import { ensureNationalActivity } from './national-activity.ts';
import { ensureNationalDataset } from './national-dataset.ts';
import { summarize } from './stats.ts';

const channel = { platform: 'console', conversation: 'direct' } as const;
// First half of the spring term 2026-27 in the England default calendar: the autumn term is over,
// so overdue meetings, this half term's notes and overdue targets all have rows to count.
const benchNow = new Date('2027-02-03T10:00:00Z');

async function askersFor(app: App, sourceId: string, schoolIds: number[]): Promise<Actor[]> {
  const rows = await app.core.db
    .selectFrom('staff')
    .select(['school_id', 'email'])
    .where('school_id', 'in', schoolIds)
    .where('source_id', '=', sourceId)
    .execute();
  const actors = await Promise.all(rows.map((row) => findActorByEmail(app.core.db, row.school_id, row.email)));
  return actors.filter((actor): actor is Actor => actor !== null);
}

async function measure(app: App, askers: Actor[], text: string, rounds: number) {
  for (const asker of askers.slice(0, 10)) await app.bot.handleText(asker, text, channel);
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const asker of askers) {
      const started = performance.now();
      const reply = await app.bot.handleText(asker, text, channel);
      samples.push(performance.now() - started);
      if (!reply.blocks.some((block) => block.type === 'table')) throw new Error(`caseload bench: unexpected reply to "${text}": ${reply.text.slice(0, 200)}`);
    }
  }
  return summarize(samples);
}

export async function benchCaseload(databaseUrl: string, log: (line: string) => void = () => {}): Promise<Record<string, number | string>> {
  const benchUrl = await ensureNationalDataset(databaseUrl, log);
  const database = await openDatabase({ kind: 'postgres', url: benchUrl }, { poolSize: 4 });
  const app = await boot(parseConfig({ TUTORBOT_DEV: '1', DATABASE_URL: benchUrl }), { jobs: 'none', database, logger: silentLogger, now: () => benchNow });
  try {
    await ensureNationalActivity(app.core.db, log);
    const schools = await app.core.db.selectFrom('school').select('id').where(sql<boolean>`random() < 0.03`).limit(60).execute();
    const schoolIds = schools.map((school) => school.id);
    const heads = await askersFor(app, 'hoy9', schoolIds);
    const dsls = await askersFor(app, 'dsl', schoolIds);
    const year = await measure(app, heads, 'caseload year 9', 4);
    const whole = await measure(app, dsls, 'caseload', 4);
    return {
      'caseload year 9 PostgreSQL 3,300×1,000 p50 ms': year.p50,
      'caseload year 9 PostgreSQL 3,300×1,000 p99 ms': year.p99,
      'caseload whole school PostgreSQL 3,300×1,000 p50 ms': whole.p50,
      'caseload whole school PostgreSQL 3,300×1,000 p99 ms': whole.p99,
      'caseload samples': year.count + whole.count,
    };
  } finally {
    await app.close();
  }
}

if (import.meta.main) {
  const url = process.argv[2] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const result = await benchCaseload(url, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
