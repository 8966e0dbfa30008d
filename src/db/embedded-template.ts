import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { embeddedTemplatePath, templateCacheDir } from './embedded-template-path.ts';
import { openDatabase } from './open-database.ts';
import { runMigrations } from './run-migrations.ts';

/**
 * A new embedded database starts as a copy of a template: an empty database with every migration
 * applied, kept as a gzipped tarball. Creating one from nothing runs PostgreSQL's initdb, which
 * takes seconds; unpacking the template takes a fraction of that. The template is built once at
 * install (npm's postinstall runs scripts/build-embedded-template.ts) and before the tests.
 * Without one a database is simply made from scratch, only more slowly.
 */
export async function ensureEmbeddedTemplate(): Promise<{ path: string; built: boolean }> {
  const target = embeddedTemplatePath();
  if (fs.existsSync(target)) return { path: target, built: false };
  const database = await openDatabase({ kind: 'pglite', dataDir: null }, { template: false });
  try {
    await runMigrations(database);
    const tarball = await database.embedded!.dump();
    fs.mkdirSync(templateCacheDir, { recursive: true });
    // Written aside and renamed: another process building the same template at the same time
    // (parallel test workers) never reads half a file.
    const partial = `${target}.${randomBytes(4).toString('hex')}.partial`;
    fs.writeFileSync(partial, tarball);
    fs.renameSync(partial, target);
    for (const entry of fs.readdirSync(templateCacheDir)) {
      const stale = path.join(templateCacheDir, entry);
      if (entry.startsWith('embedded-template-') && stale !== target && !entry.endsWith('.partial')) fs.rmSync(stale, { force: true });
    }
    return { path: target, built: true };
  } finally {
    await database.close();
  }
}
