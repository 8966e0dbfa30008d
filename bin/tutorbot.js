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
const { main } = await import('../adapters/cli/main.ts');
await main(process.argv);
