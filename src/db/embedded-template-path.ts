import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationsDir } from './migrations-dir.ts';

/**
 * Where the embedded database's template lives (see embedded-template.ts), in two forms: a data
 * directory, copied as it is for a database kept on disk, and a gzipped tarball of it, which
 * PGlite unpacks for a database in memory. Both are named by a hash of the PGlite build and the
 * migrations, so a changed migration or a new PGlite never starts from a stale one.
 */
export interface EmbeddedTemplate {
  directory: string;
  tarball: string;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const templateCacheDir = path.join(projectRoot, 'node_modules', '.cache', 'tutorbot');

export function embeddedTemplate(): EmbeddedTemplate {
  const hash = createHash('sha256');
  const pglitePackage = path.join(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json');
  hash.update(JSON.parse(fs.readFileSync(pglitePackage, 'utf8')).version as string);
  for (const file of fs.readdirSync(migrationsDir).sort()) {
    hash.update(`\0${file}\0`);
    hash.update(fs.readFileSync(path.join(migrationsDir, file)));
  }
  const base = path.join(templateCacheDir, `embedded-template-${hash.digest('hex').slice(0, 16)}`);
  return { directory: base, tarball: `${base}.tar.gz` };
}
