import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
});
