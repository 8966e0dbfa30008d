/**
 * who-tutors latency in the core (parse → fuzzy search → card): one school of 1,000 pupils on
 * embedded PGlite, and 3,300 schools × 1,000 pupils on PostgreSQL. Queries mix exact, lower-case,
 * surname-first, accent-free and misspelt names of real pupils of the asker's school.
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../src/staff/actor.ts';
import type { DB } from '../src/db/schema.ts';
import { findActorByEmail } from '../src/staff/actor.ts';
import { parseConfig } from '../src/config.ts';
import { benchEmbeddedMemory } from './embedded-memory.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { demoConsoleEmail } from '../src/demo/demo-school.ts';
import { seedDemoSchoolIfEmpty } from '../src/demo/seed-demo-school.ts';
import { silentLogger } from '../src/logger.ts';
import { boot, type App } from '../src/app/boot.ts';
import { summarize } from './stats.ts';

const channel = { platform: 'console', conversation: 'direct' } as const;

type NameKind = 'exact' | 'surname-first' | 'misspelt' | 'unknown';

function variants(given: string, family: string): [NameKind, string][] {
  const misspelt = family.length > 3 ? family.slice(0, 1) + family.slice(2) : family + 'e';
  // A name nobody has: every word reversed, so the search goes all the way to suggestions.
  const unknown = `${[...given].reverse().join('')} ${[...family].reverse().join('')}`;
  return [
    ['exact', `${given} ${family}`],
    ['exact', `${given} ${family}`.toLowerCase()],
    ['surname-first', `${family} ${given}`],
    ['exact', `${given} ${family}`.normalize('NFKD').replace(/\p{M}/gu, '')],
    ['misspelt', `${given} ${misspelt}`],
    ['unknown', unknown],
  ];
}

async function samplePupils(db: Kysely<DB>, schoolIds: number[], perSchool: number) {
  const rows = await db
    .selectFrom('pupil')
    .select(['school_id', 'given_name', 'family_name'])
    .where('school_id', 'in', schoolIds)
    .where(sql<boolean>`random() < ${perSchool / 1000}`)
    .execute();
  return rows;
}

async function measure(app: App, askers: Map<number, Actor>, pupils: { school_id: number; given_name: string; family_name: string }[], rounds: number) {
  const samples: number[] = [];
  const byKind = new Map<NameKind, number[]>();
  // Warm up the plan cache and the indexes' pages first.
  for (const pupil of pupils.slice(0, 50)) await app.bot.handleText(askers.get(pupil.school_id)!, `who tutors ${pupil.given_name}`, channel);
  for (let round = 0; round < rounds; round += 1) {
    for (const pupil of pupils) {
      for (const [kind, name] of variants(pupil.given_name, pupil.family_name)) {
        const started = performance.now();
        await app.bot.handleText(askers.get(pupil.school_id)!, `who tutors ${name}`, channel);
        const elapsed = performance.now() - started;
        samples.push(elapsed);
        byKind.set(kind, [...(byKind.get(kind) ?? []), elapsed]);
      }
    }
  }
  const kinds: Record<string, number> = {};
  for (const [kind, values] of byKind) {
    const summary = summarize(values);
    kinds[`${kind} p50 ms`] = summary.p50;
    kinds[`${kind} p99 ms`] = summary.p99;
  }
  return { ...summarize(samples), kinds };
}

export async function benchWhoTutorsPglite(): Promise<Record<string, number | string>> {
  const database = await openDatabase({ kind: 'pglite', dataDir: null, memory: benchEmbeddedMemory });
  const app = await boot(parseConfig({ TUTORBOT_DEV: '1', DATABASE_URL: 'memory://' }), { jobs: 'none', database, logger: silentLogger });
  try {
    const { schoolId } = await seedDemoSchoolIfEmpty(app.core.db);
    const asker = (await findActorByEmail(app.core.db, schoolId, demoConsoleEmail))!;
    const pupils = await samplePupils(app.core.db, [schoolId], 300);
    const result = await measure(app, new Map([[schoolId, asker]]), pupils, 2);
    return {
      'who-tutors PGlite 1×1,000 p50 ms': result.p50,
      'who-tutors PGlite 1×1,000 p99 ms': result.p99,
      'who-tutors PGlite samples': result.count,
      ...prefixed('who-tutors PGlite', result.kinds),
    };
  } finally {
    await app.close();
  }
}

export async function benchWhoTutorsNational(benchUrl: string): Promise<Record<string, number | string>> {
  const database = await openDatabase({ kind: 'postgres', url: benchUrl }, { poolSize: 4 });
  const app = await boot(parseConfig({ TUTORBOT_DEV: '1', DATABASE_URL: benchUrl }), { jobs: 'none', database, logger: silentLogger });
  try {
    const schools = await app.core.db.selectFrom('school').select('id').where(sql<boolean>`random() < 0.03`).limit(100).execute();
    const schoolIds = schools.map((school) => school.id);
    const askers = new Map<number, Actor>();
    const staffRows = await app.core.db
      .selectFrom('staff')
      .select(['school_id', 'email'])
      .where('school_id', 'in', schoolIds)
      .where('source_id', '=', 't1')
      .execute();
    for (const row of staffRows) askers.set(row.school_id, (await findActorByEmail(app.core.db, row.school_id, row.email))!);
    const pupils = await samplePupils(app.core.db, schoolIds, 8);
    const result = await measure(app, askers, pupils, 1);
    return {
      'who-tutors PostgreSQL 3,300×1,000 p50 ms': result.p50,
      'who-tutors PostgreSQL 3,300×1,000 p99 ms': result.p99,
      'who-tutors PostgreSQL samples': result.count,
      ...prefixed('who-tutors PostgreSQL', result.kinds),
    };
  } finally {
    await app.close();
  }
}

function prefixed(prefix: string, figures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).map(([name, value]) => [`${prefix} ${name}`, value]));
}
