import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';

// Kysely only destroys its driver once a query has started it, so a database opened and closed
// without a query (a command that fails its checks, a start-up that stops early) once kept the
// embedded database's thread running, or PostgreSQL's pool open for ten seconds.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('closing a database that never ran a query', () => {
  it('stops the embedded database and releases its directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorbot-close-'));
    dirs.push(dir);
    const dataDir = path.join(dir, 'pgdata');
    const database = await openDatabase({ kind: 'pglite', dataDir });
    await database.close();

    expect(database.embedded?.closed).toBe(true);
    await expect(database.embedded?.query('select 1')).rejects.toMatchObject({ code: 'tutorbot_database_closed' });
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);

    const again = await openDatabase({ kind: 'pglite', dataDir });
    expect(again.embedded?.createdFrom).toBe('existing');
    expect(await again.db.selectFrom('school').select('name').execute()).toEqual([]);
    await again.close();
    expect(again.embedded?.closed).toBe(true);
  }, 120_000);

  it.runIf(process.env.TEST_DATABASE_URL)('ends the PostgreSQL pool', async () => {
    const database = await openDatabase({ kind: 'postgres', url: process.env.TEST_DATABASE_URL! }, { poolSize: 2 });
    await database.close();
    expect(database.pool?.ended).toBe(true);
    expect(database.pool?.totalCount).toBe(0);
  });
});
