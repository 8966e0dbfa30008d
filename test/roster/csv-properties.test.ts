import { Readable } from 'node:stream';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isTutorbotError } from '../../src/errors.ts';
import { ImportProblems } from '../../src/roster/import-problems.ts';
import { parseSimpleCsv } from '../../src/roster/parse-simple-csv.ts';
import { cleanCell, readCsv } from '../../src/roster/read-csv.ts';
import type { RosterFiles } from '../../src/roster/roster-files.ts';
import { defaultRosterLimits } from '../../src/roster/roster-limits.ts';

/**
 * Property-based tests of reading a roster's CSV: any table written as RFC 4180 CSV, in any of the
 * encodings Excel saves, reads back cell for cell (as the reader cleans cells) on the line it was
 * written on; and no bytes at all make the reader fail other than with a problem or a coded error.
 * About 200 runs each.
 */

const runs = { numRuns: 200 };

/** An export of in-memory files, read through the same stream stages as a folder's. */
function filesOf(contents: Record<string, Buffer>): RosterFiles {
  return {
    label: 'the test export',
    kind: 'files',
    names: Object.keys(contents),
    has: (name) => name in contents,
    open: async (name) => Readable.from([contents[name]]),
    limits: defaultRosterLimits,
    close: async () => {},
  };
}

// Cells of any Unicode, weighted towards what CSV must quote. U+FFFD is left out: the reader
// refuses a file holding it on purpose (the mark of letters lost in an earlier conversion).
const awkward = fc.constantFrom(',', '"', '""', '\n', '\r\n', '\r', ' ', '\t', '\ufeff', 'é', 'Ł', '李', '😀', "O'Neil", '=cmd|x', '\u0000', '\u202e');
const cell = fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), awkward), { maxLength: 5 }).map((parts) => parts.join('').replaceAll('\ufffd', ''));

// Each row with its own line ending: files pasted together from two exports mix them.
const lineEnd = fc.constantFrom('\r\n', '\n', '\r');
const table = fc
  .integer({ min: 1, max: 5 })
  .chain((width) => fc.array(fc.tuple(fc.array(cell, { minLength: width, maxLength: width }), lineEnd), { maxLength: 8 }));

/** One row of RFC 4180 CSV: a cell holding a comma, quote or line break is quoted, its quotes doubled. */
function writeRow(row: string[], lineEnd: string, quoteAll: boolean): string {
  const quote = (value: string) => (quoteAll || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return row.map(quote).join(',') + lineEnd;
}

const encodings = {
  'UTF-8': (text: string) => Buffer.from(text, 'utf8'),
  'UTF-8 with BOM': (text: string) => Buffer.from(`\ufeff${text}`, 'utf8'),
  'UTF-16LE with BOM': (text: string) => iconv.encode(text, 'utf-16le', { addBOM: true }),
  'UTF-16BE with BOM': (text: string) => iconv.encode(text, 'utf-16be', { addBOM: true }),
};

const lineBreaks = (text: string) => text.match(/\r\n|\n|\r/g)?.length ?? 0;

describe('reading roster CSV under arbitrary input', () => {
  it('reads any table written as RFC 4180 CSV back cell for cell, each row numbered by the line it starts on', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        lineEnd,
        fc.boolean(),
        fc.constantFrom(...(Object.keys(encodings) as (keyof typeof encodings)[])),
        async (body, headerEnd, quoteAll, encoding) => {
          const columns = body[0]?.[0].map((_, i) => `c${i}`) ?? ['c0'];
          let text = writeRow(columns, headerEnd, quoteAll);
          // Rows of nothing but blanks are skipped, as the blank lines a spreadsheet leaves are;
          // the others start on the line after the line breaks written before them.
          const expected: { row: number; cells: string[] }[] = [];
          for (const [cells, end] of body) {
            if (!cells.every((value) => value.trim() === '')) expected.push({ row: 1 + lineBreaks(text), cells: cells.map(cleanCell) });
            text += writeRow(cells, end, quoteAll);
          }

          const problems = new ImportProblems();
          const read: { row: number; cells: string[] }[] = [];
          const spec = { required: columns, rowsHint: 'rows', allowNoRows: true };
          const result = await readCsv(filesOf({ 't.csv': encodings[encoding](text) }), 't.csv', spec, problems, (row) => {
            read.push({ row: row.row, cells: columns.map((column) => row.get(column)) });
          });
          expect(problems.messages).toEqual([]);
          expect(result).toEqual({ rows: expected.length, ok: true });
          expect(read).toEqual(expected);
        },
      ),
      runs,
    );
  });

  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    // Mostly CSV-ish bytes, with the ones that steer the decoder: BOMs, zero bytes, Windows-1252, broken UTF-8.
    fc
      .array(
        fc.oneof(fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0x20, 0x61, 0x00, 0xff, 0xfe, 0xef, 0xbb, 0xbf, 0xe9, 0xc3, 0x80), fc.integer({ min: 0, max: 255 })),
        {
          maxLength: 300,
        },
      )
      .map((values) => Uint8Array.from(values)),
    fc.string({ unit: 'binary', maxLength: 100 }).map((text) => new Uint8Array(Buffer.from(`email,name\n${text}`))),
  );

  it('turns any bytes into rows or problems, never an uncoded error', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, async (content) => {
        const problems = new ImportProblems();
        const spec = { required: ['email', 'name'], rowsHint: 'rows' };
        try {
          await readCsv(filesOf({ 't.csv': Buffer.from(content) }), 't.csv', spec, problems, (row) => {
            row.get('email');
          });
        } catch (error) {
          expect(isTutorbotError(error), String(error)).toBe(true);
        }
        for (const message of problems.messages) expect(message).toMatch(/^t\.csv /);
      }),
      runs,
    );
  });

  it('reads any bytes as a simple CSV roster to a roster or a coded import error', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, bytes, async (staff, pupils) => {
        const files = filesOf({ 'staff.csv': Buffer.from(staff), 'pupils.csv': Buffer.from(pupils) });
        try {
          await parseSimpleCsv(files, { school: { name: 'Property School', urn: null } });
        } catch (error) {
          expect(isTutorbotError(error), String(error)).toBe(true);
        }
      }),
      runs,
    );
  });
});
