/**
 * A national-scale dataset for benchmarks: 3,300 schools × 1,000 pupils (3.3 M pupils, the
 * size of England's secondary sector), ~60 tutors and a handful of pastoral leads per school
 * (~200,000 tutors), with current tutor assignments. Built with set-based SQL in a database of its
 * own (tutorbot_bench) and reused across runs: it takes minutes to build, seconds to check.
 * Names come from the demo school's lists, normalised by the same function the app uses.
 */
import pg from 'pg';
import { openDatabase } from '../src/db/open-database.ts';
import { runMigrations } from '../src/db/run-migrations.ts';
import { demoFamilyNames as familyNames, demoGivenNames as givenNames, demoHouses as houses } from '../src/demo/demo-school.ts';
import { normalizeName } from '../src/names/normalize-name.ts';

export const nationalSchools = 3300;
export const pupilsPerSchool = 1000;
export const tutorsPerSchool = 60;
export const benchDatabaseName = 'tutorbot_bench';

export function benchDatabaseUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${benchDatabaseName}`;
  return url.toString();
}

/** Builds the dataset unless it is already there; returns the bench database's URL. */
export async function ensureNationalDataset(serverUrl: string, log: (line: string) => void = () => {}): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [benchDatabaseName]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${benchDatabaseName}`);
  await admin.end();
  const url = benchDatabaseUrl(serverUrl);
  const database = await openDatabase({ kind: 'postgres', url }, { poolSize: 2 });
  try {
    await runMigrations(database);
    const client = await database.pool!.connect();
    try {
      const { rows } = await client.query<{ count: number }>("SELECT count(*)::int AS count FROM school WHERE name LIKE 'Bench School %'");
      if (rows[0].count === nationalSchools) {
        log(`national dataset present (${nationalSchools} schools)`);
        return url;
      }
      await build(client, log);
    } finally {
      client.release();
    }
  } finally {
    await database.close();
  }
  return url;
}

async function build(client: pg.PoolClient, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  log('building the national dataset (3.3 M pupils); this takes a few minutes, once');
  await client.query('BEGIN');
  await client.query("SET LOCAL maintenance_work_mem = '1GB'");
  await client.query(
    'TRUNCATE school, staff, pupil, tutor_assignment, audit_log, delivery, platform_identity, conversation_ref, platform_link, school_calendar RESTART IDENTITY CASCADE',
  );
  await client.query(`INSERT INTO school (name, urn) SELECT 'Bench School ' || s, (100000 + s)::text FROM generate_series(1, $1) AS s`, [nationalSchools]);
  // Staff: tutors 1..60 per school, then heads of year 7..13, heads of house, a DSL and an admin.
  await client.query(
    `INSERT INTO staff (school_id, source_id, email, display_name, name_key, roles, year_scope, house_scope)
     SELECT sc.id, 't' || t, 'tutor' || t || '@school' || sc.id || '.example', 'Tutor ' || t || ' of ' || sc.id, 'tutor ' || t,
            ARRAY['tutor'], '{}', '{}'
       FROM school sc CROSS JOIN generate_series(1, $1) AS t`,
    [tutorsPerSchool],
  );
  await client.query(
    `INSERT INTO staff (school_id, source_id, email, display_name, name_key, roles, year_scope, house_scope)
     SELECT sc.id, 'hoy' || y, 'hoy' || y || '@school' || sc.id || '.example', 'Head of Year ' || y, 'head of year ' || y,
            ARRAY['head_of_year'], ARRAY[y]::smallint[], '{}'
       FROM school sc CROSS JOIN generate_series(7, 13) AS y`,
  );
  await client.query(
    `INSERT INTO staff (school_id, source_id, email, display_name, name_key, roles, year_scope, house_scope)
     SELECT sc.id, 'hoh' || h.ord, 'hoh' || h.ord || '@school' || sc.id || '.example', 'Head of ' || h.house, 'head of ' || lower(h.house),
            ARRAY['head_of_house'], '{}', ARRAY[h.house]
       FROM school sc CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS h(house, ord)`,
    [houses],
  );
  await client.query(
    `INSERT INTO staff (school_id, source_id, email, display_name, name_key, roles)
     SELECT sc.id, r.role, r.role || '@school' || sc.id || '.example', initcap(r.role) || ' ' || sc.id, r.role, ARRAY[r.role]
       FROM school sc CROSS JOIN (VALUES ('dsl'), ('admin'), ('pastoral_lead')) AS r(role)`,
  );
  log(`staff written (${Math.round(performance.now() - started)} ms)`);
  // Pupils: 1,000 per school; year 7..11 get 170 each, 12..13 get 75 each; 60 forms.
  const givenKeys = givenNames.map(normalizeName);
  const familyKeys = familyNames.map(normalizeName);
  await client.query(
    `INSERT INTO pupil (school_id, source_id, upn, given_name, family_name, year_group, form, house, sen, eal, name_key)
     SELECT sc.id, 'p' || p, NULL,
            ($1::text[])[1 + (p * 7 + sc.id) % $5], ($2::text[])[1 + (p * 13 + sc.id * 3) % $6],
            CASE WHEN p < 850 THEN 7 + p / 170 ELSE 12 + (p - 850) / 75 END,
            (CASE WHEN p < 850 THEN 7 + p / 170 ELSE 12 + (p - 850) / 75 END)::text || chr(65 + (p % 60) / 8),
            ($7::text[])[1 + p % 5], p % 7 = 0, p % 5 = 0,
            ($3::text[])[1 + (p * 7 + sc.id) % $5] || ' ' || ($4::text[])[1 + (p * 13 + sc.id * 3) % $6]
       FROM school sc CROSS JOIN generate_series(0, $8 - 1) AS p`,
    [givenNames, familyNames, givenKeys, familyKeys, givenNames.length, familyNames.length, houses, pupilsPerSchool],
  );
  log(`pupils written (${Math.round(performance.now() - started)} ms)`);
  // Each pupil's tutor: one of the school's 60 tutors, by pupil number.
  await client.query(
    `INSERT INTO tutor_assignment (school_id, pupil_id, staff_id, valid_from, reason)
     SELECT p.school_id, p.id, st.id, now() - interval '60 days', 'bench'
       FROM pupil p
       JOIN staff st ON st.school_id = p.school_id AND st.source_id = 't' || (1 + (substr(p.source_id, 2)::int % $1))`,
    [tutorsPerSchool],
  );
  await client.query('COMMIT');
  log(`assignments written (${Math.round(performance.now() - started)} ms); analysing`);
  // VACUUM as well: it merges the GIN indexes' pending lists, which every search would otherwise scan
  // (autovacuum would get there eventually; a freshly built dataset should not wait for it).
  await client.query('VACUUM ANALYZE');
  log(`national dataset ready in ${Math.round((performance.now() - started) / 1000)} s`);
}
