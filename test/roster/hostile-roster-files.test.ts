import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { importRoster } from '../../src/roster/import-roster.ts';
import { parseSimpleCsv } from '../../src/roster/parse-simple-csv.ts';
import { openRosterFiles } from '../../src/roster/roster-files.ts';
import { defaultRosterLimits } from '../../src/roster/roster-limits.ts';
import { engines } from '../support/test-database.ts';
import { countRows, expectRejected, fixtureCopy, fixtures, pupilBySource, useRosterDatabase } from './roster-test-kit.ts';

const school = 'Northbrook Academy';

/** The fixture's pupils with names that need more than ASCII in every common Western encoding. */
async function pupilsText(): Promise<string> {
  const content = await fs.readFile(path.join(fixtures, 'simple', 'pupils.csv'), 'utf8');
  return content.replace("A1006,,Oisín,O'Connor", 'A1006,,Oisín,O’Neill-Peña');
}

async function folderWith(files: Record<string, Buffer | string>): Promise<string> {
  const folder = await fixtureCopy('simple');
  for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(folder, name), content);
  return folder;
}

/** A zip written by yazl from streamed chunks: small on disk however large it unzips. */
async function zipOf(entries: Record<string, () => Iterable<Buffer>>): Promise<string> {
  const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'tutorbot-zip-')), 'roster.zip');
  const zip = new yazl.ZipFile();
  for (const [name, chunks] of Object.entries(entries)) zip.addReadStream(Readable.from(chunks()), name);
  zip.end();
  const parts: Buffer[] = [];
  for await (const part of zip.outputStream as AsyncIterable<Buffer>) parts.push(part);
  await fs.writeFile(file, Buffer.concat(parts));
  return file;
}

function* repeated(head: string, line: string, bytes: number): Iterable<Buffer> {
  yield Buffer.from(head);
  const block = Buffer.from(line.repeat(Math.ceil((1024 * 1024) / line.length)));
  for (let sent = 0; sent < bytes; sent += block.length) yield block;
}

describe.each(engines)('roster files that are hostile or broken (%s)', (engine) => {
  const database = useRosterDatabase(engine);
  const rejected = (folder: string) => expectRejected(database.db, () => importRoster(database.db, folder, { schoolName: school }));

  /** Runs an import that must stop on a limit, checks that nothing was written and that it stopped quickly. */
  const tooLarge = async (location: string) => {
    const before = await countRows(database.db);
    const started = performance.now();
    const error = (await importRoster(database.db, location, { schoolName: school }).catch((caught: unknown) => caught)) as { code?: string; message: string };
    const seconds = (performance.now() - started) / 1000;
    expect(error.code, error.message).toBe('tutorbot_import_too_large');
    expect(await countRows(database.db)).toEqual(before);
    return { message: error.message, seconds };
  };

  describe('in another encoding than UTF-8', () => {
    it('reads a Windows-1252 file (Excel\'s "CSV (Comma delimited)") with its accents and curly quotes intact', async () => {
      const folder = await folderWith({ 'pupils.csv': iconv.encode(await pupilsText(), 'windows-1252') });
      await importRoster(database.db, folder, { schoolName: school });
      expect(await pupilBySource(database.db, 'A1001')).toMatchObject({ given_name: 'Zoë', family_name: 'Ní Bhriain' });
      expect(await pupilBySource(database.db, 'A1002')).toMatchObject({ given_name: 'José', family_name: 'Martínez-López' });
      expect(await pupilBySource(database.db, 'A1005')).toMatchObject({ given_name: 'Chloé', family_name: 'Lefèvre-Dubois' });
      expect(await pupilBySource(database.db, 'A1006')).toMatchObject({ given_name: 'Oisín', family_name: 'O’Neill-Peña' });
      const lost = await database.db
        .selectFrom('pupil')
        .select('source_id')
        .where((eb) => eb.or([eb('given_name', 'like', '%\ufffd%'), eb('family_name', 'like', '%\ufffd%')]))
        .execute();
      expect(lost).toEqual([]);
    });

    it('reads UTF-16 with a byte-order mark, little- and big-endian', async () => {
      const text = await pupilsText();
      for (const encoding of ['utf-16le', 'utf-16be']) {
        const folder = await folderWith({ 'pupils.csv': iconv.encode(text, encoding, { addBOM: true }) });
        await importRoster(database.db, folder, { schoolName: school });
        expect(await pupilBySource(database.db, 'A1006'), encoding).toMatchObject({ given_name: 'Oisín', family_name: 'O’Neill-Peña' });
      }
    });

    it('refuses a file that is partly UTF-8 and partly not, naming the row and the fix', async () => {
      const text = await pupilsText();
      const [before, after] = text.split('Chloé');
      const mixed = Buffer.concat([Buffer.from(before), iconv.encode('Chloé', 'windows-1252'), Buffer.from(after)]);
      const message = await rejected(await folderWith({ 'pupils.csv': mixed }));
      expect(message).toContain(
        'pupils.csv row 6: this file is partly UTF-8 and partly in another encoding; open it in Excel and save it again as "CSV UTF-8 (Comma delimited)"',
      );
    });

    it('refuses bytes that no Western encoding would write, naming the row', async () => {
      const content = Buffer.from(
        'mis_id,given_name,family_name,year,tutor_email\nA1,Amy,Ray,9,grace.okafor@northbrook.example\nA2,Bo\x81\x8d\x90,Li,9,grace.okafor@northbrook.example\n',
        'latin1',
      );
      const message = await rejected(await folderWith({ 'pupils.csv': content }));
      expect(message).toContain(
        'pupils.csv row 3: this file is not saved as UTF-8 (byte 0x81 is not a character in UTF-8), and its encoding cannot be told for certain',
      );
    });

    it('refuses a file that already holds U+FFFD, where letters were lost in an earlier conversion', async () => {
      const message = await rejected(await folderWith({ 'pupils.csv': (await pupilsText()).replace('Zoë', 'Zo\ufffd') }));
      expect(message).toContain('pupils.csv row 2: holds "\ufffd", the mark left where letters were lost');
    });
  });

  describe('too large to be a roster', () => {
    it('stops a zip bomb of blank lines within its first rows', async () => {
      const zip = await zipOf({
        'staff.csv': () => [Buffer.from('email,name\ngrace.okafor@northbrook.example,Ms Grace Okafor\n')],
        'pupils.csv': () => repeated('mis_id,given_name,family_name,year,tutor_email\n', '\n', 64 * 1024 * 1024),
      });
      expect((await fs.stat(zip)).size).toBeLessThan(200 * 1024);
      const { message, seconds } = await tooLarge(zip);
      expect(message).toContain('pupils.csv has more than 1000 blank rows in a row from row 2; delete the empty rows');
      // Bounded loosely: a timed assertion on a loaded 2-core machine must only catch the minutes-long case.
      expect(seconds).toBeLessThan(10);
    });

    it('stops a zip entry that unzips to hundreds of times its size, counting the bytes as they inflate', async () => {
      const row = 'A1,,Amy,Ray,,,9,9A,,,,grace.okafor@northbrook.example\n';
      const zip = await zipOf({
        'staff.csv': () => [Buffer.from('email,name\ngrace.okafor@northbrook.example,Ms Grace Okafor\n')],
        'pupils.csv': () =>
          repeated('mis_id,upn,given_name,family_name,preferred_name,date_of_birth,year,form,house,sen,eal,tutor_email\n', row, 64 * 1024 * 1024),
      });
      const { message, seconds } = await tooLarge(zip);
      expect(message).toContain('pupils.csv in');
      expect(message).toContain('unzips to more than 200 times its zipped size');
      // Bounded loosely: a timed assertion on a loaded 2-core machine must only catch the minutes-long case.
      expect(seconds).toBeLessThan(10);
    });

    it('refuses a zip with more entries than an export could have', async () => {
      const entries = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`folder/file-${i}.csv`, () => [Buffer.from('x\n')]]));
      const { message } = await tooLarge(await zipOf(entries));
      expect(message).toContain('holds more than 1000 files');
    });

    it('stops reading past the byte and row limits, whether the files come zipped or not', async () => {
      const folder = await fixtureCopy('simple');
      const read = (limits: Partial<typeof defaultRosterLimits>) =>
        openRosterFiles(folder, { ...defaultRosterLimits, ...limits }).then((files) =>
          parseSimpleCsv(files, { school: { name: school, urn: null } }).catch((caught: unknown) => caught as { code: string; message: string }),
        );
      const bytes = await read({ maxBytes: 600 });
      expect(bytes).toMatchObject({ code: 'tutorbot_import_too_large' });
      expect((bytes as { message: string }).message).toContain('holds more than 600 bytes of data (stopped while reading pupils.csv)');
      const rows = await read({ maxRows: 4 });
      expect(rows).toMatchObject({ code: 'tutorbot_import_too_large', message: expect.stringContaining('staff.csv has more than 4 rows') });
    });
  });

  describe('row numbers and line endings', () => {
    it('names a bad row by its line, after quoted cells with line breaks and blank lines', async () => {
      const text = (await pupilsText())
        .replace('A1002,A137001000002,José,Martínez-López,Pepe,', 'A1002,A137001000002,José,Martínez-López,"Pepe\nthe second\nof that name",')
        .replace('\nA1004,', '\n\n\nA1004,')
        .replace('2011-05-05,10,10A', '2011-05-05,14,10A');
      const message = await rejected(await folderWith({ 'pupils.csv': text }));
      // Line 10 in a text editor: two extra lines inside row 3's quotes, two blank lines before row 8.
      expect(message).toContain('pupils.csv row 10, column "year": "14" is not a year group');
    });

    it('names the row where an unclosed quote opens, not the end of the file', async () => {
      const text = (await pupilsText())
        .replace('A1001,A137001000001,Zoë,Ní Bhriain,,', 'A1001,A137001000001,Zoë,Ní Bhriain,"Zo\nZo",')
        .replace('A1005,,Chloé', 'A1005,,"Chloé');
      const message = await rejected(await folderWith({ 'pupils.csv': text }));
      expect(message).toContain('pupils.csv row 7: this is not valid CSV (a double quote opens a value on this row and is never closed)');
    });

    it('reads a file whose line endings change from CRLF to LF and CR part-way', async () => {
      const lines = (await pupilsText()).trimEnd().split('\n');
      const text = `${lines.slice(0, 3).join('\r\n')}\r\n${lines.slice(3, 5).join('\n')}\n${lines.slice(5).join('\r')}\r`;
      const folder = await folderWith({ 'pupils.csv': text.replace('Amelia,Jones,Millie', '"Amelia","Jones","Millie"') });
      const summary = await importRoster(database.db, folder, { schoolName: school });
      expect(summary.pupils.added).toBe(6);
      expect(await pupilBySource(database.db, 'A1003')).toMatchObject({ given_name: 'Amelia', preferred_name: 'Millie' });
      expect(await pupilBySource(database.db, 'A1006')).toMatchObject({ family_name: 'O’Neill-Peña', eal: false });
    });
  });

  describe("words that are names of JavaScript's own object members", () => {
    it('refuses constructor, __proto__ and toString as roles', async () => {
      const staff = await fs.readFile(path.join(fixtures, 'simple', 'staff.csv'), 'utf8');
      const message = await rejected(await folderWith({ 'staff.csv': staff.replace('DSL,', 'constructor; __proto__|toString,') }));
      expect(message).toContain('staff.csv row 5, column "roles": "constructor" is not a role');
      expect(message).toContain('staff.csv row 5, column "roles": "__proto__" is not a role');
      expect(message).toContain('staff.csv row 5, column "roles": "toString" is not a role');
    });

    it('keeps them as plain text where any text is allowed, and ignores them as column names', async () => {
      const text = (await pupilsText())
        .replace('mis_id,', 'mis_id,__proto__,constructor,')
        .replace(/^(A\d+),/gm, '$1,x,y,')
        .replace('9,9A,Aurora,N,Y', '9,constructor,__proto__,N,Y');
      await importRoster(database.db, await folderWith({ 'pupils.csv': text }), { schoolName: school });
      expect(await pupilBySource(database.db, 'A1001')).toMatchObject({ form: 'constructor', house: '__proto__' });
    });
  });
});
