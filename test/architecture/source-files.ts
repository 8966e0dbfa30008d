import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** What the architecture tests read: the repository's own source files and what each imports. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

const codeFile = /\.(ts|mts|cts|js|mjs)$/;

/** Every file under `dir` whose name matches `pattern`, passing over the folders named in `skip`. */
export function sourceFiles(dir: string, pattern: RegExp = codeFile, skip: readonly string[] = ['node_modules']): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skip.includes(entry.name) ? [] : sourceFiles(full, pattern, skip);
    return pattern.test(entry.name) ? [full] : [];
  });
}

/** Every module specifier a file names: static imports and re-exports, type-only ones, import(), require(). */
export function importSpecifiers(file: string, text: string = readFileSync(file, 'utf8')): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((entry) => entry.fileName);
}
