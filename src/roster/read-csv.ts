import { parse } from 'csv-parse';
import type { ImportProblems } from './import-problems.ts';
import type { RosterFiles } from './roster-files.ts';

/**
 * Streams one CSV file of a roster row by row, the way a spreadsheet shows it: header names
 * without case, spaces or hyphens ("Given name" = given_name), row numbers counted as the
 * spreadsheet counts them (header = row 1, blank rows included), cells trimmed and cleaned of
 * control characters. Missing columns and broken CSV become problems, not exceptions, so the
 * caller can report every file's problems together.
 */

export interface CsvSpec {
  required: readonly string[];
  optional?: readonly string[];
  /** Other header spellings schools use, e.g. { surname: 'family_name' }. */
  aliases?: Readonly<Record<string, string>>;
  /** How to describe one row for "has a header but no rows", e.g. "one row per pupil". */
  rowsHint: string;
  /** A header with no rows is fine (e.g. an export with no classes of some kind). */
  allowNoRows?: boolean;
}

export interface CsvRow {
  file: string;
  /** The spreadsheet row number: the header is row 1. */
  row: number;
  /** The cleaned cell of a column named in the spec; '' when empty or the column is absent. */
  get(column: string): string;
  has(column: string): boolean;
  /** "staff.csv row 4, column "email"" for messages. */
  at(column: string): string;
}

// Longer rows than this are not a roster; refusing them keeps a hostile file from filling memory.
const maxRecordSize = 64 * 1024;

export async function readCsv(
  files: RosterFiles,
  file: string,
  spec: CsvSpec,
  problems: ImportProblems,
  onRow: (row: CsvRow) => void,
): Promise<{ rows: number; ok: boolean }> {
  const stream = await files.open(file);
  const parser = stream.pipe(parse({ bom: true, relax_column_count: true, max_record_size: maxRecordSize }));
  stream.on('error', (error) => parser.destroy(error));
  let rowNumber = 0;
  let rows = 0;
  let columnIndex: Map<string, number> | null = null;
  const known = [...spec.required, ...(spec.optional ?? [])];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber += 1;
      if (record.every((cell) => cell.trim() === '')) continue;
      if (!columnIndex) {
        columnIndex = readHeader(file, record, spec, known, problems);
        if (!columnIndex) return { rows: 0, ok: false };
        continue;
      }
      rows += 1;
      const index = columnIndex;
      const row = rowNumber;
      onRow({
        file,
        row,
        get: (column) => cleanCell(record[index.get(column) ?? -1]),
        has: (column) => index.has(column),
        at: (column) => `${file} row ${row}, column "${column}"`,
      });
    }
  } catch (error) {
    problems.add(
      `${file} row ${rowNumber + 1}: this is not valid CSV (${(error as Error).message}); check for a stray or unclosed double quote, and put quotes around any value that contains a comma.`,
    );
    return { rows, ok: false };
  }
  if (!columnIndex) {
    problems.add(`${file} is empty; its first row must be the header (${spec.required.join(',')}), followed by ${spec.rowsHint}.`);
    return { rows: 0, ok: false };
  }
  if (rows === 0 && !spec.allowNoRows) {
    problems.add(`${file} has a header but no rows; add ${spec.rowsHint} below it.`);
    return { rows: 0, ok: false };
  }
  return { rows, ok: true };
}

export function headerKey(name: string): string {
  return cleanCell(name).toLowerCase().replace(/[\s_-]+/g, '_');
}

function readHeader(
  file: string,
  record: string[],
  spec: CsvSpec,
  known: string[],
  problems: ImportProblems,
): Map<string, number> | null {
  const canonical = new Map(known.map((column) => [headerKey(column), column]));
  for (const [alias, column] of Object.entries(spec.aliases ?? {})) canonical.set(headerKey(alias), column);
  const index = new Map<string, number>();
  record.forEach((cell, position) => {
    const column = canonical.get(headerKey(cell));
    if (column && !index.has(column)) index.set(column, position);
  });
  const missing = spec.required.filter((column) => !index.has(column));
  if (missing.length === 0) return index;
  const found = record.map((cell) => cleanCell(cell)).filter(Boolean);
  const list = (columns: string[]) => columns.map((column) => `"${column}"`).join(', ');
  problems.add(
    `${file} row 1: the header has no ${list(missing)} column${missing.length > 1 ? 's' : ''} ` +
      `(found ${found.length > 0 ? list(found) : 'no column names'}); the first row must name the columns ${spec.required.join(',')} (in any order).`,
  );
  return null;
}

// C0/C1 controls, bidirectional overrides and stray BOMs: invisible, and used to disguise text.
// Tabs and line breaks inside a cell separate words, so they become spaces instead.
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Cells are kept as plain text: a "=cmd|…" cell is stored as those characters, never evaluated. */
export function cleanCell(value: string | undefined): string {
  if (!value) return '';
  return value.replace(controlCharacters, '').replace(/\s+/g, ' ').trim();
}
