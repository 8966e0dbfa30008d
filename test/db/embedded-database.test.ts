import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedDatabase } from '../../src/db/embedded-database.ts';
import { embeddedTemplatePath } from '../../src/db/embedded-template-path.ts';
import { ensureEmbeddedTemplate } from '../../src/db/embedded-template.ts';
import { openDatabase } from '../../src/db/open-database.ts';
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
    await expect(openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pgdata') })).rejects.toThrow(/Another tutorbot process is using the embedded database/);
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
    fs.writeFileSync(path.join(dir, 'damaged.tar.gz'), 'not a tarball');
    fs.mkdirSync(path.join(dir, 'pgdata'));
    const embedded = await EmbeddedDatabase.open({ dataDir: path.join(dir, 'pgdata'), templatePath: path.join(dir, 'damaged.tar.gz') });
    expect(embedded.createdFrom).toBe('initdb');
    expect((await embedded.query<{ answer: number }>('SELECT 6 * 7 AS answer')).rows).toEqual([{ answer: 42 }]);
    await embedded.close();
  }, 120_000);

  it('reports a failed statement with PostgreSQL\'s error code and detail, and stays usable', async () => {
    const embedded = await EmbeddedDatabase.open({ dataDir: null, templatePath: embeddedTemplatePath() });
    await embedded.exec('CREATE TABLE thing (id int PRIMARY KEY)');
    await embedded.query('INSERT INTO thing VALUES ($1)', [1]);
    const failure = await embedded.query('INSERT INTO thing VALUES ($1)', [1]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ code: '23505', constraint: 'thing_pkey', message: expect.stringMatching(/duplicate key/) });
    await expect(embedded.transaction(async (tx) => {
      await tx.query('INSERT INTO thing VALUES (2)');
      await tx.query('INSERT INTO thing VALUES (1)');
    })).rejects.toMatchObject({ code: '23505' });
    expect((await embedded.query<{ id: number }>('SELECT id FROM thing ORDER BY id')).rows).toEqual([{ id: 1 }]);
    await embedded.close();
    await expect(embedded.query('SELECT 1')).rejects.toThrow(/closed/);
  }, 60_000);

  it('passes on notifications to listeners until they stop listening', async () => {
    const embedded = await EmbeddedDatabase.open({ dataDir: null, templatePath: embeddedTemplatePath() });
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
});
