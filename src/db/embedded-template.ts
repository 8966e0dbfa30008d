import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EmbeddedDatabase } from './embedded-database.ts';
import { embeddedTemplate, templateCacheDir, type EmbeddedTemplate } from './embedded-template-path.ts';
import { openDatabase } from './open-database.ts';
import { runMigrations } from './run-migrations.ts';

/**
 * A new embedded database starts as a copy of a template: an empty database with every migration
 * applied. Creating one from nothing runs PostgreSQL's initdb, which takes seconds; copying the
 * template takes a fraction of that. The template is built once at install (npm's postinstall
 * runs scripts/build-embedded-template.ts) and before the tests. Without one a database is simply
 * made from scratch, only more slowly.
 */
export async function ensureEmbeddedTemplate(): Promise<{ template: EmbeddedTemplate; built: boolean }> {
  const template = embeddedTemplate();
  if (fs.existsSync(template.tarball) && fs.existsSync(path.join(template.directory, 'PG_VERSION'))) return { template, built: false };
  fs.mkdirSync(templateCacheDir, { recursive: true });
  // Built aside and renamed into place: another process building the same template at the same
  // time (parallel test workers) never sees half of one.
  const partial = `${template.directory}.${randomBytes(4).toString('hex')}.partial`;
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir: partial }, { template: false });
    let tarball: Uint8Array;
    try {
      await runMigrations(database);
      await dropTemplateDatabases(database.embedded!);
      tarball = await database.embedded!.dump();
    } finally {
      await database.close();
    }
    fs.rmSync(path.join(partial, 'postmaster.pid'), { force: true });
    fs.writeFileSync(`${partial}.tar.gz`, tarball);
    fs.renameSync(`${partial}.tar.gz`, template.tarball);
    try {
      fs.renameSync(partial, template.directory);
    } catch (error) {
      // Someone else's copy got there first; it is the same template.
      if (!fs.existsSync(path.join(template.directory, 'PG_VERSION'))) throw error;
    }
    removeOtherTemplates(template);
    return { template, built: true };
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
    fs.rmSync(`${partial}.lock`, { recursive: true, force: true });
  }
}

/**
 * PostgreSQL's template0 and template1 exist only to copy from when a database is created; an
 * embedded tutorbot database never creates one (everything lives in "postgres"). Without them the
 * template has half as many files, and copying it for a new database takes half the time.
 */
async function dropTemplateDatabases(embedded: EmbeddedDatabase): Promise<void> {
  await embedded.query("UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')");
  // One statement each: DROP DATABASE may not run inside a transaction block.
  await embedded.query('DROP DATABASE template0');
  await embedded.query('DROP DATABASE template1');
  await embedded.query('CHECKPOINT');
}

function removeOtherTemplates(current: EmbeddedTemplate): void {
  for (const entry of fs.readdirSync(templateCacheDir)) {
    const stale = path.join(templateCacheDir, entry);
    if (!entry.startsWith('embedded-template-') || entry.includes('.partial')) continue;
    if (stale !== current.directory && stale !== current.tarball) fs.rmSync(stale, { recursive: true, force: true });
  }
}
