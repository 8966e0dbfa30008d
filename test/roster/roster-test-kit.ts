import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { DB } from '../../src/db/schema.ts';
import { openTestDatabase, type Engine, type TestDatabase } from '../support/test-database.ts';

/** Fixture folders and the small tools the roster tests share. */

export const fixtures = path.join(import.meta.dirname, 'fixtures');

export type Edits = Record<string, string | ((content: string) => string) | null>;

/** A copy of a fixture folder in a temporary directory, with some files replaced, edited or removed (null). */
export async function fixtureCopy(fixture: 'oneroster' | 'simple', edits: Edits = {}): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), `tutorbot-roster-${fixture}-`));
  for (const name of await fs.readdir(path.join(fixtures, fixture))) {
    await fs.copyFile(path.join(fixtures, fixture, name), path.join(folder, name));
  }
  for (const [name, edit] of Object.entries(edits)) {
    const file = path.join(folder, name);
    if (edit === null) await fs.rm(file, { force: true });
    else if (typeof edit === 'string') await fs.writeFile(file, edit);
    else await fs.writeFile(file, edit(await fs.readFile(file, 'utf8')));
  }
  return folder;
}

/** Replaces the cell of one column in the data row whose first cell is `id`. */
export function setCell(id: string, column: string, value: string): (content: string) => string {
  return (content) => {
    const lines = content.split('\n');
    const header = lines[0].split(',');
    const position = header.indexOf(column);
    if (position === -1) throw new Error(`no column ${column}`);
    return lines
      .map((line) => {
        const cells = line.split(',');
        if (cells[0] !== id) return line;
        cells[position] = value;
        return cells.join(',');
      })
      .join('\n');
  };
}

export function appendRow(row: string): (content: string) => string {
  return (content) => `${content.trimEnd()}\n${row}\n`;
}

/**
 * Writes a zip with the files stored uncompressed: enough for yauzl to read, and it keeps the
 * test's zip in step with the fixture folder instead of committing a binary copy of it.
 */
export async function writeZip(zipPath: string, folder: string, prefix = ''): Promise<void> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of (await fs.readdir(folder)).sort()) {
    const data = await fs.readFile(path.join(folder, name));
    const fileName = Buffer.from(`${prefix}${name}`);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  await fs.writeFile(zipPath, Buffer.concat([...locals, directory, end]));
}

export async function countRows(db: Kysely<DB>): Promise<Record<'school' | 'staff' | 'pupil' | 'tutor_assignment' | 'audit_log', number>> {
  const count = async (table: 'school' | 'staff' | 'pupil' | 'tutor_assignment' | 'audit_log') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    school: await count('school'),
    staff: await count('staff'),
    pupil: await count('pupil'),
    tutor_assignment: await count('tutor_assignment'),
    audit_log: await count('audit_log'),
  };
}

/** Runs an import that must fail, checks the error and that nothing was written, and returns the message. */
export async function expectRejected(db: Kysely<DB>, attempt: () => Promise<unknown>): Promise<string> {
  const before = await countRows(db);
  const error = await attempt().then(
    () => {
      throw new Error('the import was expected to fail');
    },
    (caught: unknown) => caught as { code?: string; message: string },
  );
  expect(error.code, error.message).toBe('tutorbot_import_invalid');
  expect(await countRows(db)).toEqual(before);
  return error.message;
}

/**
 * Opening and migrating a database takes seconds, so each test file opens one and empties the
 * roster's tables (and whatever refers to them) before each test instead.
 */
export async function emptyRosterTables(db: Kysely<DB>): Promise<void> {
  await sql`TRUNCATE school, staff, pupil, tutor_assignment, audit_log RESTART IDENTITY CASCADE`.execute(db);
}

export async function pupilBySource(db: Kysely<DB>, sourceId: string) {
  const pupil = await db.selectFrom('pupil').selectAll().where('source_id', '=', sourceId).executeTakeFirstOrThrow();
  // PGlite returns dates as Date objects, pg as strings: compare them as the calendar date.
  const birth = pupil.date_of_birth as unknown;
  return { ...pupil, date_of_birth: birth instanceof Date ? birth.toISOString().slice(0, 10) : pupil.date_of_birth };
}

export async function assignmentsOf(db: Kysely<DB>, sourceId: string) {
  return db
    .selectFrom('tutor_assignment as a')
    .innerJoin('pupil as p', 'p.id', 'a.pupil_id')
    .innerJoin('staff as s', 's.id', 'a.staff_id')
    .select(['s.email', 'a.valid_from', 'a.valid_to', 'a.reason'])
    .where('p.source_id', '=', sourceId)
    .orderBy('a.id')
    .execute();
}

/**
 * One database per test file, emptied of roster rows before each test (and given `prepare`,
 * such as an earlier import): `database.db` is that database's Kysely handle.
 */
export function useRosterDatabase(engine: Engine, prepare?: (db: Kysely<DB>) => Promise<unknown>): { readonly db: Kysely<DB> } {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  beforeEach(async () => {
    await emptyRosterTables(database.db);
    await prepare?.(database.db);
  });
  afterAll(async () => {
    await database.close();
  });
  return {
    get db() {
      return database.db;
    },
  };
}
