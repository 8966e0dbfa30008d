import { Transform } from 'node:stream';
import { TutorbotError } from '../errors.ts';

/**
 * How big a roster export may be. The largest trusts in England have under 100,000 pupils, so a
 * real export (even enrollments.csv, with a row per pupil per class) stays far inside these; a zip
 * bomb or a file padded with millions of blank lines does not, and is stopped within its first
 * megabyte instead of keeping a core busy for minutes. Sizes are counted as the bytes arrive, not
 * taken from a zip's own (forgeable) header.
 */
export interface RosterLimits {
  /** Bytes read across all the export's files, after unzipping. */
  maxBytes: number;
  /** Uncompressed size over compressed size for one zip entry, checked once it passes ratioFloorBytes. */
  maxCompressionRatio: number;
  /** Small entries may compress very well (a header and a few rows); the ratio counts above this. */
  ratioFloorBytes: number;
  /** Entries listed in a zip (files and folders). */
  maxZipEntries: number;
  /** Rows (lines) in one CSV file, blank ones included. */
  maxRows: number;
  /** Blank rows one after another: spreadsheets leave a few, never thousands. */
  maxBlankRowsInARow: number;
}

export const defaultRosterLimits: Readonly<RosterLimits> = {
  maxBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  maxZipEntries: 1000,
  maxRows: 2_000_000,
  maxBlankRowsInARow: 1000,
};

export function importTooLarge(message: string): TutorbotError {
  return new TutorbotError('tutorbot_import_too_large', `${message} Nothing was imported.`);
}

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${bytes} bytes`);

/** Shared by every file opened from one export, so that many files cannot add up past the limit. */
export interface ByteBudget {
  used: number;
}

/**
 * Passes bytes through, counting them against the export's budget and (for a zip entry) against
 * the compressed bytes inflated so far, and fails the stream the moment either limit is passed.
 */
export function countBytes(label: string, name: string, limits: RosterLimits, budget: ByteBudget, compressedSoFar?: () => number): Transform {
  let inflated = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inflated += chunk.length;
      budget.used += chunk.length;
      if (budget.used > limits.maxBytes) {
        return done(
          importTooLarge(
            `${label} holds more than ${size(limits.maxBytes)} of data (stopped while reading ${name}); no school's roster is that large, so check that this is the right export.`,
          ),
        );
      }
      if (compressedSoFar && inflated > limits.ratioFloorBytes && inflated > Math.max(compressedSoFar(), 1) * limits.maxCompressionRatio) {
        return done(
          importTooLarge(
            `${name} in ${label} unzips to more than ${limits.maxCompressionRatio} times its zipped size (a zip bomb, or a file padded with empty space); export the roster again.`,
          ),
        );
      }
      done(null, chunk);
    },
  });
}

/**
 * Counts the lines of a file's text as it streams (LF, CRLF or CR), before the CSV parser sees
 * them: a flood of blank lines or millions of tiny rows is refused here, at the speed of a byte
 * scan, instead of costing the parser microseconds per empty record for minutes.
 */
export function countLines(file: string, limits: RosterLimits): Transform {
  let line = 1;
  let blankRun = 0;
  let lineIsBlank = true;
  let afterCarriageReturn = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let i = 0; i < chunk.length; i += 1) {
        const byte = chunk[i];
        if (byte === 0x0a && afterCarriageReturn) {
          afterCarriageReturn = false;
          continue;
        }
        afterCarriageReturn = byte === 0x0d;
        if (byte === 0x0a || byte === 0x0d) {
          blankRun = lineIsBlank ? blankRun + 1 : 0;
          if (blankRun > limits.maxBlankRowsInARow) {
            return done(
              importTooLarge(
                `${file} has more than ${limits.maxBlankRowsInARow} blank rows in a row from row ${line - blankRun + 1}; delete the empty rows (or export the file again) and import again.`,
              ),
            );
          }
          if (line >= limits.maxRows) {
            return done(importTooLarge(`${file} has more than ${limits.maxRows} rows; no school's roster is that long, so check that this is the right file.`));
          }
          line += 1;
          lineIsBlank = true;
        } else if (byte !== 0x20 && byte !== 0x09 && byte !== 0x2c) {
          lineIsBlank = false;
        }
      }
      done(null, chunk);
    },
  });
}
