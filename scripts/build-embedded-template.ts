/**
 * Run by npm after install (postinstall) and before the tests: builds the embedded database's
 * template (src/db/embedded-template.ts), so that the first `npm start` and every test database
 * start from a migrated copy instead of running initdb. It never fails an install: without a
 * template the database is made from scratch, only more slowly.
 */
import { ensureEmbeddedTemplate } from '../src/db/embedded-template.ts';

const started = performance.now();
try {
  const template = await ensureEmbeddedTemplate();
  if (template.built) process.stdout.write(`tutorbot: prepared the embedded database template in ${Math.round(performance.now() - started)} ms.\n`);
} catch (error) {
  process.stdout.write(
    `tutorbot: could not prepare the embedded database template (${(error as Error).message}); new databases will take a few seconds longer to create.\n`,
  );
}
