import fs from 'node:fs';
import path from 'node:path';
import { TutorbotError } from '../errors.ts';

/**
 * The embedded database's files hold pupils' names and staff emails (in the WAL, in plain text
 * before any page is written), so they are for the owner alone: directories 0700, files 0600.
 * PGlite creates files with the modes Emscripten asks for (0666, 0777 less the umask) and a new
 * database is a copy of a template that carries those modes, so the process's umask is tightened
 * before PGlite writes anything and the directory is made private after it is created or copied.
 */
export const privateDirectoryMode = 0o700;
export const privateFileMode = 0o600;

/** From here on, files this process creates are private to its user (exports included). */
export function keepNewFilesPrivate(): void {
  // process.umask cannot be changed inside a worker thread; the embedded database's thread
  // shares this process's umask.
  process.umask(0o077);
}

/** Calls `visit` for `dataDir` and everything below it, symbolic links left out (they are not followed). */
export function eachDataDirEntry(dataDir: string, visit: (target: string, stat: fs.Stats) => void): void {
  const walk = (target: string) => {
    const stat = fs.lstatSync(target);
    if (stat.isSymbolicLink()) return;
    visit(target, stat);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(target)) walk(path.join(target, entry));
  };
  walk(dataDir);
}

/**
 * Makes every directory 0700 and every file 0600 under `dataDir` (and the folder itself).
 * Returns how many entries had to be tightened. A path that cannot be changed (owned by another
 * user, a read-only mount) stops start-up with what to do.
 */
export function makeDataDirPrivate(dataDir: string): number {
  let tightened = 0;
  eachDataDirEntry(dataDir, (target, stat) => {
    const wanted = stat.isDirectory() ? privateDirectoryMode : privateFileMode;
    if ((stat.mode & 0o777) === wanted) return;
    try {
      fs.chmodSync(target, wanted);
      tightened += 1;
    } catch (cause) {
      throw new TutorbotError(
        'tutorbot_data_dir_not_private',
        `The embedded database file ${target} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}) and tutorbot cannot make it private: ` +
          `${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}. Run tutorbot as the user who owns ${dataDir}, or fix it with: chmod -R go-rwx ${dataDir}`,
        { cause },
      );
    }
  });
  return tightened;
}
