import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { TutorbotError } from '../errors.ts';
import { decodeRosterText, UnreadableText } from './decode-roster-text.ts';
import type { ImportProblems } from './import-problems.ts';
import type { RosterFiles } from './roster-files.ts';
import { countLines } from './roster-limits.ts';

/**
 * Streams one CSV file of a roster row by row: header names without case, spaces or hyphens
 * ("Given name" = given_name), cells trimmed and cleaned of control characters, text decoded
 * whatever Excel saved it as (decode-roster-text.ts). A row's number is the line it starts on
 * (header = row 1, blank lines included), as a text editor or the csv-parse message shows it, so
 * a quoted cell holding line breaks does not shift every later number. CRLF, LF and CR line
 * endings may be mixed, as files pasted together from two exports are. Missing columns, broken
 * CSV and unreadable text become problems, not exceptions, so the caller can report every file's
 * problems together; only an export past its limits (roster-limits.ts) stops everything.
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
  /** The line the row starts on: the header is row 1. */
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
  const parser = pipeline(
    await files.open(file),
    decodeRosterText(file),
    countLines(file, files.limits),
    parse({ bom: true, relax_column_count: true, max_record_size: maxRecordSize, record_delimiter: ['\r\n', '\n', '\r'] }),
    () => {},
  );
  // The line the next record starts on: each record ends with one line break, plus those inside
  // its quoted cells. (csv-parse's `info` would say so too, at three times the cost per row.)
  let nextLine = 1;
  let rows = 0;
  let columnIndex: Map<string, number> | null = null;
  const known = [...spec.required, ...(spec.optional ?? [])];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const rowNumber = nextLine;
      nextLine += 1 + lineBreaksIn(record);
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
    if (error instanceof TutorbotError) throw error;
    problems.add(unreadable(file, error, nextLine));
    return { rows, ok: false };
  } finally {
    parser.destroy();
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

function lineBreaksIn(record: string[]): number {
  let count = 0;
  for (const cell of record) {
    if (cell.includes('\n') || cell.includes('\r')) count += cell.match(/\r\n|\n|\r/g)!.length;
  }
  return count;
}

/** The problem to report for a file that stopped being readable; `nextRow` is where the unfinished row starts. */
function unreadable(file: string, error: unknown, nextRow: number): string {
  if (error instanceof UnreadableText) return error.message;
  const fix = 'check for a stray or unclosed double quote, and put quotes around any value that contains a comma';
  if (!(error instanceof CsvError)) {
    return `${file} could not be read (${(error as Error).message}); export it again and import again.`;
  }
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return `${file} row ${nextRow}: this is not valid CSV (a double quote opens a value on this row and is never closed); ${fix}.`;
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return `${file} row ${nextRow}: this is not valid CSV (the row is longer than ${maxRecordSize / 1024} KB, usually because a double quote opened on it is never closed); ${fix}.`;
  }
  const line = (error as CsvError & { lines?: number }).lines ?? nextRow;
  return `${file} row ${line}: this is not valid CSV (${error.message}); ${fix}.`;
}

export function headerKey(name: string): string {
  return cleanCell(name)
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

function readHeader(file: string, record: string[], spec: CsvSpec, known: string[], problems: ImportProblems): Map<string, number> | null {
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
