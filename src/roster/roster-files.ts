import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { TutorbotError } from '../errors.ts';
import { importInvalid } from './import-problems.ts';
import { countBytes, defaultRosterLimits, importTooLarge, type ByteBudget, type RosterLimits } from './roster-limits.ts';

/**
 * The files of one roster export, wherever they sit: a folder, a .zip (as OneRoster exports are
 * usually delivered), or a list of paths. Names are matched without case and without the folders
 * a zip may wrap them in, because MIS exports differ in both. Every file opened is counted
 * against the export's limits as it is read (roster-limits.ts).
 */
export interface RosterFiles {
  /** What the admin passed, for messages. */
  label: string;
  kind: 'folder' | 'zip' | 'files';
  /** The lower-case base names present. */
  names: string[];
  has(name: string): boolean;
  /** The file's bytes, failing with tutorbot_import_too_large past the export's limits. */
  open(name: string): Promise<Readable>;
  limits: RosterLimits;
  close(): Promise<void>;
}

export async function openRosterFiles(location: string | string[], limits: RosterLimits = defaultRosterLimits): Promise<RosterFiles> {
  if (Array.isArray(location)) return listedFiles(location, limits);
  const stat = await fs.promises.stat(location).catch(() => null);
  if (!stat) {
    throw importInvalid([`${location} does not exist; give the path of the roster folder or .zip file exported from your MIS.`]);
  }
  if (stat.isDirectory()) return folderFiles(location, limits);
  if (location.toLowerCase().endsWith('.zip') || (await startsLikeZip(location))) return zipFiles(location, limits);
  throw importInvalid([`${location} is a single file; give the folder that holds staff.csv and pupils.csv (or the OneRoster files), or the OneRoster .zip.`]);
}

function byName(paths: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of paths) {
    const name = path.basename(file).toLowerCase();
    if (!map.has(name)) map.set(name, file);
  }
  return map;
}

/** The source's bytes through the counter; an error on either side fails the stream that is returned. */
function counted(source: Readable, label: string, name: string, limits: RosterLimits, budget: ByteBudget): Readable {
  return pipeline(source, countBytes(label, name, limits, budget), () => {});
}

/**
 * A deflated zip entry, inflated here rather than by yauzl so that the ratio is of the bytes
 * inflated so far to the compressed bytes they came from: a bomb is stopped at its first
 * megabyte, not after inflating 200 times its whole compressed size.
 */
async function inflated(zip: yauzl.ZipFile, entry: yauzl.Entry, label: string, limits: RosterLimits, budget: ByteBudget): Promise<Readable> {
  if (entry.compressionMethod === 0) return counted(await zip.openReadStreamPromise(entry), label, entry.fileName, limits, budget);
  if (entry.compressionMethod !== 8) {
    throw importInvalid([
      `${entry.fileName} in ${label} is compressed with a method other than deflate; zip the export again with the usual settings, or unzip it and import the folder.`,
    ]);
  }
  const raw = await zip.openReadStreamPromise(entry, { decompress: false });
  const inflate = zlib.createInflateRaw();
  // bytesWritten is what the inflater has taken in so far, so the ratio is never of bytes not yet inflated.
  const compressed = () => inflate.bytesWritten;
  return pipeline(raw, inflate, countBytes(label, entry.fileName, limits, budget, compressed), () => {});
}

function fromMap(label: string, kind: 'folder' | 'files', files: Map<string, string>, limits: RosterLimits): RosterFiles {
  const budget: ByteBudget = { used: 0 };
  return {
    label,
    kind,
    names: [...files.keys()],
    has: (name) => files.has(name),
    limits,
    async open(name) {
      const file = files.get(name);
      if (!file) throw new Error(`${name} is not in ${label}`);
      return counted(fs.createReadStream(file), label, name, limits, budget);
    },
    async close() {},
  };
}

async function folderFiles(folder: string, limits: RosterLimits): Promise<RosterFiles> {
  const entries = await fs.promises.readdir(folder, { withFileTypes: true });
  const paths = entries.filter((entry) => entry.isFile()).map((entry) => path.join(folder, entry.name));
  return fromMap(folder, 'folder', byName(paths), limits);
}

async function listedFiles(paths: string[], limits: RosterLimits): Promise<RosterFiles> {
  for (const file of paths) {
    const stat = await fs.promises.stat(file).catch(() => null);
    if (!stat?.isFile()) throw importInvalid([`${file} does not exist or is not a file; check the path.`]);
  }
  // Exports are often named "Staff export 2026.csv": recognise them by what the name mentions.
  const files = new Map<string, string>();
  for (const file of paths) {
    const base = path.basename(file).toLowerCase();
    const role = /pupil|student/.test(base) ? 'pupils.csv' : /staff/.test(base) ? 'staff.csv' : /school/.test(base) ? 'school.csv' : base;
    if (!files.has(role)) files.set(role, file);
  }
  return fromMap(paths.join(', '), 'files', files, limits);
}

async function startsLikeZip(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

async function zipFiles(file: string, limits: RosterLimits): Promise<RosterFiles> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (cause) {
    throw importInvalid(
      [`${file} is not a readable zip file (${(cause as Error).message}); export the roster again, or unzip it and import the folder.`],
      1,
      cause,
    );
  }
  const entries = new Map<string, { entry: yauzl.Entry; depth: number }>();
  let listed = 0;
  try {
    await new Promise<void>((done, fail) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        listed += 1;
        if (listed > limits.maxZipEntries) {
          return fail(
            importTooLarge(`${file} holds more than ${limits.maxZipEntries} files; a roster export has about ten, so check that this is the right zip.`),
          );
        }
        // An honest header is refused at once; a dishonest one is caught while the entry is read.
        if (entry.uncompressedSize > limits.maxBytes) {
          return fail(
            importTooLarge(
              `${entry.fileName} in ${file} unzips to ${entry.uncompressedSize} bytes; no school's roster is that large, so check that this is the right export.`,
            ),
          );
        }
        const name = entry.fileName;
        if (!name.endsWith('/') && !name.startsWith('__MACOSX/')) {
          const base = path.posix.basename(name).toLowerCase();
          const depth = name.split('/').length;
          const existing = entries.get(base);
          if (!existing || existing.depth > depth) entries.set(base, { entry, depth });
        }
        zip.readEntry();
      });
      zip.once('end', () => done());
      zip.once('error', fail);
      zip.readEntry();
    });
  } catch (cause) {
    zip.close();
    if (cause instanceof TutorbotError) throw cause;
    throw importInvalid([`${file} is a damaged zip file (${(cause as Error).message}); export the roster again.`], 1, cause);
  }
  const budget: ByteBudget = { used: 0 };
  return {
    label: file,
    kind: 'zip',
    names: [...entries.keys()],
    has: (name) => entries.has(name),
    limits,
    async open(name) {
      const found = entries.get(name);
      if (!found) throw new Error(`${name} is not in ${file}`);
      return inflated(zip, found.entry, file, limits, budget);
    },
    async close() {
      zip.close();
    },
  };
}
