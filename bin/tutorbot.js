#!/usr/bin/env node
// tutorbot's command line. Runs on Node 24 (the project's `node` devDependency), which loads the
// TypeScript sources directly.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `tutorbot needs Node.js 24 or later; this is ${process.version}. Run it through npm (npm start, npm run tutorbot -- …) or npx tutorbot, which use the project's Node 24.\n`,
  );
  process.exit(1);
}
// Cache compiled (and type-stripped) modules between runs: start-up is part of the product.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
// The main job starts opening its database first, so that the embedded one is made or opened on
// its own thread while the rest of tutorbot loads. A configuration error is left to the command.
if (['start', 'serve'].includes(process.argv[2]) && !process.argv.includes('--help')) {
  const [{ parseConfig }, { openDatabaseEarly }] = await Promise.all([import('../src/config.ts'), import('../src/db/open-database.ts')]);
  try {
    openDatabaseEarly(parseConfig().database);
  } catch {
    // reported by the command, with how to fix it
  }
}
const { main } = await import('../adapters/cli/main.ts');
await main(process.argv);
