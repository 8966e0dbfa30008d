import { stringify } from 'csv-stringify/sync';
import type { Block } from '../reply.ts';

/**
 * A table as a CSV file block, written by csv-stringify: quoting, embedded commas and line breaks
 * are its job, and cells a spreadsheet would run as a formula (=, +, -, @) are escaped, because
 * names come from the MIS and the file is opened in Excel at the pastoral team's meeting.
 */
export function csvFileBlock(name: string, columns: string[], rows: (string | number)[][]): Extract<Block, { type: 'file' }> {
  const content = stringify([columns, ...rows], { escape_formulas: true, record_delimiter: 'windows' });
  return { type: 'file', name, mimeType: 'text/csv', content };
}
