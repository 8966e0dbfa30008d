import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { eachDataDirEntry, makeDataDirPrivate } from '../../src/db/private-data-dir.ts';
import { runMigrations } from '../../src/db/run-migrations.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Entries other users could read or write, as "path mode". */
function openToOthers(dataDir: string): string[] {
  const found: string[] = [];
  eachDataDirEntry(dataDir, (target, stat) => {
    if ((stat.mode & 0o077) !== 0) found.push(`${path.relative(dataDir, target) || '.'} ${(stat.mode & 0o777).toString(8)}`);
  });
  return found;
}

function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorbot-private-'));
  dirs.push(dir);
  return path.join(dir, 'pgdata');
}

describe('the embedded database files are private to their owner', () => {
  it('creates every directory 0700 and every file 0600, including the WAL written after start', async () => {
    const dataDir = scratch();
    const database = await openDatabase({ kind: 'pglite', dataDir });
    await runMigrations(database);
    // Enough writes to put a pupil's name in the WAL and create files after the database opened.
    for (let index = 0; index < 20; index += 1)
      await database.db
        .insertInto('school')
        .values({ name: `Fictional School ${index}` })
        .execute();
    await database.embedded!.query('CHECKPOINT');
    const modes = new Set<string>();
    eachDataDirEntry(dataDir, (_target, stat) => modes.add(`${stat.isDirectory() ? 'dir' : 'file'} ${(stat.mode & 0o777).toString(8)}`));
    await database.close();
    expect(openToOthers(dataDir)).toEqual([]);
    expect([...modes].sort()).toEqual(['dir 700', 'file 600']);
    expect(fs.readdirSync(path.join(dataDir, 'pg_wal')).length).toBeGreaterThan(0);
  }, 120_000);

  it('makes an existing directory private again at start-up when a copy or restore opened it up', async () => {
    const dataDir = scratch();
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await runMigrations(first);
    await first.close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, 'PG_VERSION'), 0o644);
    fs.chmodSync(path.join(dataDir, 'pg_wal'), 0o777);
    expect(openToOthers(dataDir)).toEqual(expect.arrayContaining(['. 755', 'PG_VERSION 644', 'pg_wal 777']));

    const again = await openDatabase({ kind: 'pglite', dataDir });
    expect(openToOthers(dataDir)).toEqual([]);
    await again.close();
  }, 120_000);

  it('counts what it tightened and leaves a private directory as it is', () => {
    const dir = scratch();
    fs.mkdirSync(path.join(dir, 'base'), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.join(dir, 'base'), 0o755);
    fs.writeFileSync(path.join(dir, 'base', 'page'), 'Fictional Pupil', { mode: 0o666 });
    fs.chmodSync(path.join(dir, 'base', 'page'), 0o666);
    fs.chmodSync(dir, 0o755);
    expect(makeDataDirPrivate(dir)).toBe(3);
    expect(makeDataDirPrivate(dir)).toBe(0);
    expect((fs.statSync(path.join(dir, 'base', 'page')).mode & 0o777).toString(8)).toBe('600');
  });
});
