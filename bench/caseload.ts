/**
 * Caseload latency in the core (parse → scope → SQL aggregates → reply) at national scale: the
 * national dataset (3,300 schools × 1,000 pupils on PostgreSQL, bench/national-dataset.ts), with a
 * year's worth of meetings, concerns, praise and targets added by set-based SQL the first time
 * (only into tables that are still empty, so another bench's rows are kept). Measures a head of
 * year's `caseload year 9` (~170 pupils, 60 tutors' worth of groups) and a DSL's whole-school
 * `caseload` (1,000 pupils) in schools picked at random. Target: p99 <= 50 ms.
 */
import { sql, type Kysely } from 'kysely';
import { findActorByEmail, type Actor } from '../src/actor.ts';
import { parseConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/open-database.ts';
import type { DB } from '../src/db/schema.ts';
import { silentLogger } from '../src/logger.ts';
import { boot, type App } from '../adapters/cli/boot.ts';
import { ensureNationalDataset } from './national-dataset.ts';
import { summarize } from './stats.ts';

const channel = { platform: 'console', conversation: 'direct' } as const;
// First half of the spring term 2026-27 in the England default calendar: the autumn term is over,
// so overdue meetings, this half term's notes and overdue targets all have rows to count.
const benchNow = new Date('2027-02-03T10:00:00Z');

async function isEmpty(db: Kysely<DB>, table: 'meeting' | 'note' | 'target'): Promise<boolean> {
  const result = await sql<{ present: boolean }>`SELECT EXISTS (SELECT 1 FROM ${sql.table(table)}) AS present`.execute(db);
  return !result.rows[0].present;
}

/** A plausible year of pastoral records for every pupil, written once and reused. */
async function ensureCaseloadFigures(db: Kysely<DB>, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  let wrote = false;
  // Each pupil's number within its school (the dataset's source_id 'p<n>'), so that every school
  // gets the same mix; pupil ids interleave schools, so id-based patterns would skew by school.
  const numbered = sql`(SELECT a.school_id, a.pupil_id, a.staff_id, substr(p.source_id, 2)::int AS n
                          FROM tutor_assignment a JOIN pupil p ON p.id = a.pupil_id WHERE a.valid_to IS NULL)`;
  if (await isEmpty(db, 'meeting')) {
    log('adding meetings (autumn for 80% of pupils, a second for 1 in 7, spring for 40%)');
    await sql`
      INSERT INTO meeting (school_id, pupil_id, staff_id, held_on, academic_year, term, notes, source)
      SELECT ta.school_id, ta.pupil_id, ta.staff_id, m.held_on, '2026-27', m.term, 'v1:bench', 'text'
        FROM ${numbered} ta
        CROSS JOIN LATERAL (VALUES
          (DATE '2026-10-05' + (ta.n % 40), 'autumn', ta.n % 10 < 8),
          (DATE '2026-11-16' + (ta.n % 20), 'autumn', ta.n % 7 = 0),
          (DATE '2027-01-11' + (ta.n % 20), 'spring', ta.n % 10 < 4)
        ) AS m(held_on, term, wanted)
       WHERE m.wanted`.execute(db);
    wrote = true;
  }
  if (await isEmpty(db, 'note')) {
    log('adding notes (concerns for 1 pupil in 4, half acknowledged; praise for 1 in 5; safeguarding for 1 in 97)');
    await sql`
      INSERT INTO note (school_id, pupil_id, author_staff_id, kind, safeguarding, body, source, created_at, acknowledged_at)
      SELECT ta.school_id, ta.pupil_id, ta.staff_id, n.kind, n.kind = 'safeguarding', 'v1:bench', 'text', n.at,
             CASE WHEN n.kind <> 'praise' AND ta.n % 8 < 4 THEN n.at + interval '1 day' END
        FROM ${numbered} ta
        CROSS JOIN LATERAL (VALUES
          ('concern', TIMESTAMPTZ '2026-09-10 10:00Z' + (ta.n % 150) * interval '1 day', ta.n % 4 = 0),
          ('praise', TIMESTAMPTZ '2026-09-15 10:00Z' + (ta.n % 140) * interval '1 day', ta.n % 5 = 0),
          ('safeguarding', TIMESTAMPTZ '2026-10-01 10:00Z' + (ta.n % 120) * interval '1 day', ta.n % 97 = 0)
        ) AS n(kind, at, wanted)
       WHERE n.wanted`.execute(db);
    wrote = true;
  }
  if (await isEmpty(db, 'target')) {
    log('adding targets (one for 1 pupil in 3, a quarter of them met)');
    await sql`
      INSERT INTO target (school_id, pupil_id, set_by, text, set_on, review_on, status, closed_on)
      SELECT ta.school_id, ta.pupil_id, ta.staff_id, 'v1:bench', DATE '2026-10-05', DATE '2026-12-01' + (ta.n % 120),
             CASE WHEN ta.n % 4 = 0 THEN 'met' ELSE 'open' END,
             CASE WHEN ta.n % 4 = 0 THEN DATE '2027-01-15' END
        FROM ${numbered} ta
       WHERE ta.n % 3 = 0`.execute(db);
    wrote = true;
  }
  if (wrote) {
    await sql`ANALYZE meeting`.execute(db);
    await sql`ANALYZE note`.execute(db);
    await sql`ANALYZE target`.execute(db);
    log(`caseload figures ready in ${Math.round((performance.now() - started) / 1000)} s`);
  }
}

async function askersFor(app: App, sourceId: string, schoolIds: number[]): Promise<Actor[]> {
  const rows = await app.core.db.selectFrom('staff').select(['school_id', 'email']).where('school_id', 'in', schoolIds).where('source_id', '=', sourceId).execute();
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
    await ensureCaseloadFigures(app.core.db, log);
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
