import { Transform } from 'node:stream';
import chardet from 'chardet';
import iconv from 'iconv-lite';

/**
 * Turns the bytes of one roster file into UTF-8 for the CSV parser, whatever Excel saved it as,
 * or stops it with a message that names the row and the fix. Never guesses silently: a name with
 * a letter lost to the wrong encoding would be stored, shown and searched for years.
 *
 * - A byte-order mark decides: UTF-8, UTF-16LE or UTF-16BE ("Unicode text" in Excel).
 * - UTF-16 without one is recognised by its zero bytes (every character of a CSV is ASCII-range).
 * - Otherwise the file is UTF-8 for as long as it is valid UTF-8. When it is not, and nothing but
 *   ASCII came before (ASCII reads the same either way), the rest is read as Windows-1252 (what
 *   "CSV (Comma delimited)" is on a UK Windows PC; ISO-8859-1 is a subset of it) if chardet ranks
 *   a Western European encoding near the top and every character decodes to a letter or the usual
 *   punctuation. Anything else is refused, as is a file that already holds U+FFFD, the mark of
 *   letters lost in an earlier conversion.
 */

export class UnreadableText extends Error {
  override name = 'UnreadableText';
}

const saveAsUtf8 = 'open it in Excel and save it again as "CSV UTF-8 (Comma delimited)" (or export it from your MIS as UTF-8), then import again';
const replacementBytes = Buffer.from([0xef, 0xbf, 0xbd]);
const westernEncodings = new Set(['windows-1252', 'ISO-8859-1', 'ISO-8859-15']);
// What a roster's non-ASCII characters are: letters and marks of names, and typographic punctuation.
const usualCharacter =
  /[\p{L}\p{M}\u00a0\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u00a3\u20ac\u00b7\u00b4\u00ab\u00bb\u00b0\u00bf\u00a1\u00aa\u00ba]/u;

type Mode = 'start' | 'utf8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export function decodeRosterText(file: string): Transform {
  let mode: Mode = 'start';
  let pending: Buffer = Buffer.alloc(0);
  let lines = 1;
  let sawNonAscii = false;
  let decoder: ReturnType<typeof iconv.getDecoder> | null = null;
  const where = (extraLines: number) => `${file} row ${lines + extraLines}`;

  const countLines = (text: Buffer | string, end = text.length): number => {
    let count = 0;
    if (typeof text === 'string') {
      for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count += 1;
    } else {
      for (let i = text.indexOf(0x0a); i !== -1 && i < end; i = text.indexOf(0x0a, i + 1)) count += 1;
    }
    return count;
  };

  /** Decoded text from a single-byte or UTF-16 decoder, checked for characters that did not decode. */
  const emitDecoded = (stream: Transform, text: string): void => {
    const lost = text.indexOf('\ufffd');
    if (lost !== -1) {
      const encoding = mode === 'windows-1252' ? 'Windows-1252' : 'UTF-16';
      throw new UnreadableText(
        `${where(countLines(text, lost))}: this file was read as ${encoding}, but it holds a byte that is not a character in it, so its encoding cannot be told for certain; ${saveAsUtf8}.`,
      );
    }
    lines += countLines(text);
    if (text) stream.push(Buffer.from(text, 'utf8'));
  };

  const emitUtf8 = (stream: Transform, bytes: Buffer, final: boolean): void => {
    const { invalidAt, complete } = scanUtf8(bytes);
    const valid = invalidAt === -1 ? bytes.subarray(0, complete) : bytes.subarray(0, invalidAt);
    const lost = valid.indexOf(replacementBytes);
    if (lost !== -1) {
      throw new UnreadableText(
        `${where(countLines(valid, lost))}: holds "\ufffd", the mark left where letters were lost when the file was converted from another encoding earlier; correct those names in your MIS and export the file again as UTF-8.`,
      );
    }
    if (invalidAt === -1 && (!final || complete === bytes.length)) {
      sawNonAscii ||= valid.some((byte) => byte >= 0x80);
      lines += countLines(valid);
      if (valid.length > 0) stream.push(valid);
      pending = bytes.subarray(complete);
      return;
    }
    const bad = invalidAt === -1 ? complete : invalidAt;
    sawNonAscii ||= valid.some((byte) => byte >= 0x80);
    const rest = bytes.subarray(bad);
    if (!sawNonAscii && looksLikeWindows1252(bytes)) {
      lines += countLines(valid);
      if (valid.length > 0) stream.push(valid);
      mode = 'windows-1252';
      decoder = iconv.getDecoder('windows-1252');
      emitDecoded(stream, decoder.write(rest));
      return;
    }
    const problem = sawNonAscii
      ? 'this file is partly UTF-8 and partly in another encoding'
      : `this file is not saved as UTF-8 (byte 0x${rest[0].toString(16).toUpperCase()} is not a character in UTF-8), and its encoding cannot be told for certain`;
    throw new UnreadableText(`${where(countLines(valid))}: ${problem}; ${saveAsUtf8}.`);
  };

  const start = (stream: Transform, bytes: Buffer, final: boolean): void => {
    // Enough bytes to see a byte-order mark and the zero bytes of UTF-16.
    if (bytes.length < 64 && !final) {
      pending = bytes;
      return;
    }
    mode = bomEncoding(bytes) ?? utf16WithoutBom(bytes) ?? 'utf8';
    if (mode === 'utf8') {
      emitUtf8(stream, bytes, final);
      return;
    }
    decoder = iconv.getDecoder(mode, { stripBOM: true });
    emitDecoded(stream, decoder.write(bytes));
  };

  const accept = (stream: Transform, chunk: Buffer, final: boolean): void => {
    const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    pending = Buffer.alloc(0);
    if (mode === 'start') start(stream, bytes, final);
    else if (mode === 'utf8') emitUtf8(stream, bytes, final);
    else emitDecoded(stream, decoder!.write(bytes));
    if (final && decoder) emitDecoded(stream, decoder.end() ?? '');
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        accept(this, chunk, false);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        accept(this, Buffer.alloc(0), true);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

function bomEncoding(bytes: Buffer): Mode | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** A CSV's characters are nearly all ASCII, so in UTF-16 every other byte is zero. */
function utf16WithoutBom(bytes: Buffer): Mode | null {
  const pairs = Math.floor(Math.min(bytes.length, 4096) / 2);
  if (pairs < 2) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < pairs; i += 1) {
    if (bytes[2 * i] === 0 && bytes[2 * i + 1] !== 0) evenZero += 1;
    if (bytes[2 * i + 1] === 0 && bytes[2 * i] !== 0) oddZero += 1;
  }
  if (oddZero >= pairs * 0.9) return 'utf-16le';
  if (evenZero >= pairs * 0.9) return 'utf-16be';
  return null;
}

export function looksLikeWindows1252(sample: Buffer): boolean {
  const candidates = chardet.analyse(sample);
  const best = candidates[0]?.confidence ?? 0;
  const western = Math.max(0, ...candidates.filter((candidate) => westernEncodings.has(candidate.name)).map((candidate) => candidate.confidence));
  // chardet's statistics need more text than a roster row to tell Western from Central European
  // apart, so a near second place counts; a clear win for Cyrillic, Greek or CJK does not.
  if (western === 0 || western < best * 0.75) return false;
  const text = iconv.decode(sample, 'windows-1252');
  if (/[\ufffd\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) return false;
  const high = [...text].filter((character) => character > '\u007f');
  return high.length > 0 && high.filter((character) => usualCharacter.test(character)).length >= high.length * 0.9;
}

/**
 * Where `bytes` stops being valid UTF-8 (invalidAt, or -1), and how much of it is whole
 * characters (complete): a character cut off by the end of the chunk waits for the next one.
 */
export function scanUtf8(bytes: Buffer): { invalidAt: number; complete: number } {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return { invalidAt: i, complete: i };
    for (let k = 1; k < length; k += 1) {
      if (i + k >= bytes.length) return { invalidAt: -1, complete: i };
      const byte = bytes[i + k];
      // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
      const low = k === 1 && lead === 0xe0 ? 0xa0 : k === 1 && lead === 0xf0 ? 0x90 : 0x80;
      const high = k === 1 && lead === 0xed ? 0x9f : k === 1 && lead === 0xf4 ? 0x8f : 0xbf;
      if (byte < low || byte > high) return { invalidAt: i, complete: i };
    }
    i += length;
  }
  return { invalidAt: -1, complete: bytes.length };
}
