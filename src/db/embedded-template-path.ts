import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationsDir } from './run-migrations.ts';

/**
 * Where the embedded database's template lives (see embedded-template.ts): named by a hash of the
 * PGlite build and the migrations, so a changed migration or a new PGlite never starts from a
 * stale one.
 */

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const templateCacheDir = path.join(projectRoot, 'node_modules', '.cache', 'tutorbot');

export function embeddedTemplatePath(): string {
  const hash = createHash('sha256');
  const pglitePackage = path.join(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json');
  hash.update(JSON.parse(fs.readFileSync(pglitePackage, 'utf8')).version as string);
  for (const file of fs.readdirSync(migrationsDir).sort()) {
    hash.update(`\0${file}\0`);
    hash.update(fs.readFileSync(path.join(migrationsDir, file)));
  }
  return path.join(templateCacheDir, `embedded-template-${hash.digest('hex').slice(0, 16)}.tar.gz`);
}

