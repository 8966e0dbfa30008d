import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedDatabase } from '../../src/db/embedded-database.ts';
import { embeddedTemplate } from '../../src/db/embedded-template-path.ts';
import { ensureEmbeddedTemplate } from '../../src/db/embedded-template.ts';
import { maintainEmbeddedDatabase } from '../../src/db/maintain-embedded-database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { silentLogger } from '../../src/logger.ts';
import { runMigrations } from '../../src/db/run-migrations.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the embedded database', () => {
  it('keeps its data in a directory across restarts, and a second opener is refused with a clear message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorbot-db-'));
    dirs.push(dir);
    const first = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pgdata') });
    await runMigrations(first);
    await first.db.insertInto('school').values({ name: 'Persisted School' }).execute();
    await expect(openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pgdata') })).rejects.toThrow(
      /Another tutorbot process is using the embedded database/,
    );
    await first.close();

    const again = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pgdata') });
    const result = await runMigrations(again);
    expect(result.applied).toEqual([]);
    expect(await again.db.selectFrom('school').select('name').execute()).toEqual([{ name: 'Persisted School' }]);
    await again.close();
  }, 120_000);

  it('runs a transaction in isolation: a concurrent query neither joins nor sees it until commit', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    await runMigrations(database);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = database.db.transaction().execute(async (trx) => {
      await trx.insertInto('school').values({ name: 'Inside' }).execute();
      await held;
      throw new Error('roll back');
    });
    const outside = database.db.insertInto('school').values({ name: 'Outside' }).execute();
    release();
    await expect(transaction).rejects.toThrow('roll back');
    await outside;
    expect((await database.db.selectFrom('school').select('name').execute()).map((row) => row.name)).toEqual(['Outside']);
    await database.close();
  }, 60_000);

  it('starts a new database from the migrated template, so nothing is left to migrate', async () => {
    await ensureEmbeddedTemplate();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorbot-db-'));
    dirs.push(dir);
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pgdata') });
    expect(database.embedded?.createdFrom).toBe('template');
    expect((await runMigrations(database)).applied).toEqual([]);
    await database.db.insertInto('school').values({ name: 'From the template' }).execute();
    await database.close();
    const again = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pgdata') });
    expect(again.embedded?.createdFrom).toBe('existing');
    expect(await again.db.selectFrom('school').select('name').execute()).toEqual([{ name: 'From the template' }]);
    await again.close();
  }, 120_000);

  it('makes the database from scratch when the template is damaged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorbot-db-'));
    dirs.push(dir);
    const damaged = { directory: path.join(dir, 'damaged'), tarball: path.join(dir, 'damaged.tar.gz') };
    fs.writeFileSync(damaged.tarball, 'not a tarball');
    fs.mkdirSync(path.join(damaged.directory, 'base'), { recursive: true });
    fs.writeFileSync(path.join(damaged.directory, 'PG_VERSION'), '17\n');
    fs.writeFileSync(path.join(damaged.directory, 'base', 'garbage'), 'not a database');
    fs.mkdirSync(path.join(dir, 'pgdata'));
    const onDisk = await EmbeddedDatabase.open({ dataDir: path.join(dir, 'pgdata'), template: damaged });
    expect(onDisk.createdFrom).toBe('initdb');
    expect((await onDisk.query<{ answer: number }>('SELECT 6 * 7 AS answer')).rows).toEqual([{ answer: 42 }]);
    await onDisk.close();
    const inMemory = await EmbeddedDatabase.open({ dataDir: null, template: damaged });
    expect(inMemory.createdFrom).toBe('initdb');
    await inMemory.close();
  }, 120_000);

  it("reports a failed statement with PostgreSQL's error code and detail, and stays usable", async () => {
    const embedded = await EmbeddedDatabase.open({ dataDir: null, template: embeddedTemplate() });
    await embedded.exec('CREATE TABLE thing (id int PRIMARY KEY)');
    await embedded.query('INSERT INTO thing VALUES ($1)', [1]);
    const failure = await embedded.query('INSERT INTO thing VALUES ($1)', [1]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ code: '23505', constraint: 'thing_pkey', message: expect.stringMatching(/duplicate key/) });
    await expect(
      embedded.transaction(async (tx) => {
        await tx.query('INSERT INTO thing VALUES (2)');
        await tx.query('INSERT INTO thing VALUES (1)');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await embedded.query<{ id: number }>('SELECT id FROM thing ORDER BY id')).rows).toEqual([{ id: 1 }]);
    await embedded.close();
    await expect(embedded.query('SELECT 1')).rejects.toThrow(/closed/);
  }, 60_000);

  it('passes on notifications to listeners until they stop listening', async () => {
    const embedded = await EmbeddedDatabase.open({ dataDir: null, template: embeddedTemplate() });
    const heard: string[] = [];
    const stop = await embedded.listen('jobs', (payload) => heard.push(payload));
    await embedded.query("SELECT pg_notify('jobs', 'first')");
    await expect.poll(() => heard).toEqual(['first']);
    await stop();
    await embedded.query("SELECT pg_notify('jobs', 'second')");
    await embedded.query('SELECT 1');
    expect(heard).toEqual(['first']);
    await embedded.close();
  }, 60_000);

  it('nightly maintenance vacuums and analyses the embedded database, which has no autovacuum', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    await runMigrations(database);
    await database.db
      .insertInto('school')
      .values(Array.from({ length: 50 }, (_, index) => ({ name: `School ${index}` })))
      .execute();
    await database.db.deleteFrom('school').where('name', 'like', 'School 1%').execute();
    const stats = async () =>
      (
        await database.embedded!.query<{ vacuumed: boolean; analysed: boolean }>(
          "SELECT last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analysed FROM pg_stat_user_tables WHERE relname = 'school'",
        )
      ).rows[0];
    expect(await stats()).toMatchObject({ vacuumed: false, analysed: false });
    await maintainEmbeddedDatabase(database, silentLogger);
    // (Not n_dead_tup: the statistics it comes from are reported a moment later, so it can lag.)
    expect(await stats()).toEqual({ vacuumed: true, analysed: true });
    await database.close();
  }, 60_000);
});
