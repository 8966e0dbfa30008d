import { ensureEmbeddedTemplate } from '../../src/db/embedded-template.ts';

/** Once before the test files: every test's embedded database starts from the migrated template. */
export default async function setup(): Promise<void> {
  await ensureEmbeddedTemplate();
}
