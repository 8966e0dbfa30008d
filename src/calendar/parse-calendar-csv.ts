import { parse } from 'csv-parse/sync';
import { academicYearOfTerm, assembleCalendar, calendarInvalid } from './assemble-calendar.ts';
import type { CalendarEntry, EntryField, Locate } from './assemble-calendar.ts';
import { isLocalDate } from './local-date.ts';
import { academicYearLabel } from './school-calendar.ts';
import type { ClosureKind, SchoolCalendar, TermName } from './school-calendar.ts';

/** Reads the CSV calendar format documented in parse-calendar-file.ts. */

const COLUMNS: readonly EntryField[] = ['kind', 'name', 'start', 'end'];
const HEADER = COLUMNS.join(',');

type Kind = 'term' | 'half_term' | ClosureKind;
const KINDS: readonly Kind[] = ['term', 'half_term', 'inset', 'bank_holiday', 'closure'];

const DEFAULT_LABELS: Record<ClosureKind, string> = {
  inset: 'INSET day',
  bank_holiday: 'Bank holiday',
  closure: 'School closed',
};

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

export function parseCalendarCsv(fileName: string, content: string, timeZone: string): SchoolCalendar {
  const records = readRecords(fileName, content);
  if (records.length === 0) {
    throw calendarInvalid(`${fileName} is empty; its first row must be the header ${HEADER}, followed by one row per term, half term and closure.`);
  }
  const [header, ...rows] = records;
  const columnOf = readHeader(fileName, header);
  if (rows.length === 0) {
    throw calendarInvalid(`${fileName} has a header but no rows; add one row per term, half term and closure below it.`);
  }
  const entries = rows.map((row) => readRow(fileName, row, columnOf));
  return assembleCalendar(entries, {
    fileName,
    timeZone,
    addTermHint: `add a row for each term, e.g. "term,autumn 2026,2026-09-02,2026-12-18"`,
    addHalfTermHint: `add a row "half_term,,FIRST,LAST" giving the first and last days of its half-term holiday, e.g. "half_term,,2026-10-26,2026-10-30"`,
  });
}

function readRecords(fileName: string, content: string): CsvRecord[] {
  let parsed: CsvRecord[];
  try {
    parsed = parse(content, {
      bom: true,
      trim: true,
      // Short rows get a precise "column is empty" message below instead of a parser error.
      relax_column_count: true,
      info: true,
      // Files pasted together from two sources mix Windows and Unix line endings.
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as CsvRecord[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    const where = line === undefined ? fileName : `${fileName} row ${line}`;
    throw calendarInvalid(
      `${where}: this is not valid CSV (${(error as Error).message}); check for a stray or unclosed double quote, and put quotes around any value that contains a comma.`,
      error,
    );
  }
  // csv-parse counts the line a record ends on; a row is named by the line it starts on, so a
  // quoted cell with a line break in it does not shift the numbers of the rows below it.
  const records: CsvRecord[] = [];
  let lastLine = 0;
  for (const { record, info } of parsed) {
    const start = lastLine + 1;
    lastLine = info.lines;
    // Spreadsheets save blank rows as ",,,".
    if (record.every((cell) => cell === '')) continue;
    records.push({ record, info: { lines: start } });
  }
  return records;
}

function readHeader(fileName: string, header: CsvRecord): Map<EntryField, number> {
  const names = header.record.map((cell) => cell.toLowerCase());
  const columnOf = new Map<EntryField, number>();
  for (const column of COLUMNS) {
    const position = names.indexOf(column);
    if (position === -1) {
      throw calendarInvalid(
        `${fileName} row ${header.info.lines}: the header has no "${column}" column; the first row must be the header ${HEADER} (in any order).`,
      );
    }
    if (names.indexOf(column, position + 1) !== -1) {
      throw calendarInvalid(`${fileName} row ${header.info.lines}: the header has two "${column}" columns; keep one.`);
    }
    columnOf.set(column, position);
  }
  return columnOf;
}

function readRow(fileName: string, row: CsvRecord, columnOf: Map<EntryField, number>): CalendarEntry {
  const line = row.info.lines;
  const at: Locate = (field) => (field === undefined ? `${fileName} row ${line}` : `${fileName} row ${line}, column "${field}"`);
  const ref = `row ${line}`;
  const cell = (field: EntryField): string => row.record[columnOf.get(field)!] ?? '';

  const kind = readKind(cell('kind'), at);
  const start = readDate(cell('start'), at, 'start', 'the first day');
  const endCell = cell('end');
  const isClosure = kind !== 'term' && kind !== 'half_term';
  // A one-day closure is the common case, so its end may be left blank.
  const end = endCell === '' && isClosure ? start : readDate(endCell, at, 'end', 'the last day');
  if (end < start) {
    throw calendarInvalid(`${at('end')}: ${end} is before the start date ${start}; the end is the last day (inclusive), so it must be on or after the start.`);
  }
  if (kind === 'term') {
    const { name, academicYear } = readTermName(cell('name'), start, at);
    return { kind, name, academicYear, start, end, at, ref };
  }
  if (kind === 'half_term') return { kind, start, end, at, ref };
  return { kind, label: cell('name') || DEFAULT_LABELS[kind], start, end, at, ref };
}

function readKind(value: string, at: Locate): Kind {
  const kind = value
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/^halfterm$/, 'half_term');
  if ((KINDS as readonly string[]).includes(kind)) return kind as Kind;
  const problem = value === '' ? 'is empty' : `has "${value}", which is not a kind this file can use`;
  throw calendarInvalid(`${at('kind')}: ${problem}; write one of ${KINDS.join(', ')}.`);
}

function readDate(value: string, at: Locate, field: 'start' | 'end', meaning: string): string {
  if (value === '') throw calendarInvalid(`${at(field)}: is empty; write ${meaning} as YYYY-MM-DD.`);
  if (isLocalDate(value)) return value;
  // UK spreadsheets save dates as DD/MM/YYYY; say exactly what to write instead.
  const ukDate = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (ukDate !== null) {
    const rewritten = `${ukDate[3]}-${ukDate[2].padStart(2, '0')}-${ukDate[1].padStart(2, '0')}`;
    if (isLocalDate(rewritten)) {
      throw calendarInvalid(`${at(field)}: "${value}" is not in YYYY-MM-DD form; write it as ${rewritten}.`);
    }
  }
  throw calendarInvalid(`${at(field)}: "${value}" is not a date; write dates as YYYY-MM-DD.`);
}

/**
 * "autumn", "Autumn term", "autumn 2026" (the calendar year the term starts in) or
 * "autumn 2026-27" / "autumn 2026/27" (the academic year). A year, when given, must agree
 * with the start date: a mismatch is almost always a copied row whose dates were not updated.
 */
function readTermName(value: string, start: string, at: Locate): { name: TermName; academicYear: string } {
  const match = /^(autumn|spring|summer)(?:\s+term)?(?:\s+(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?)?$/i.exec(value.replace(/\s+/g, ' '));
  if (match === null) {
    const problem = value === '' ? 'is empty' : `has "${value}", which is not a term name`;
    throw calendarInvalid(`${at('name')}: ${problem}; write autumn, spring or summer, optionally with a year, e.g. "autumn 2026" or "spring 2026-27".`);
  }
  const name = match[1].toLowerCase() as TermName;
  const startYear = Number(start.slice(0, 4));
  const academicYear = academicYearOfTerm(name, start);
  if (match[2] !== undefined) {
    const year = Number(match[2]);
    const second = match[3];
    const mismatch = second === undefined ? year !== startYear : academicYearLabel(year) !== academicYear || Number(second) % 100 !== (year + 1) % 100;
    if (mismatch) {
      throw calendarInvalid(
        `${at('name')}: "${value}" does not match the start date ${start} (the ${name} term ${academicYear}); correct the year in the name or the dates.`,
      );
    }
  }
  return { name, academicYear };
}
