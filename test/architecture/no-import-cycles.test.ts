import path from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './source-files.ts';

/**
 * The layers import one way (docs/architecture.md): a feature's table file takes its column
 * types from src/db/columns.ts and src/db/schema.ts only composes the features' tables, so no
 * module, not even a type-only import, leads back to itself. A cycle is how a layer starts to
 * depend on what depends on it.
 */
describe('imports', () => {
  it('form no cycle anywhere in the core or the edges, type-only imports included', async () => {
    const graph = await madge([path.join(repoRoot, 'src'), path.join(repoRoot, 'adapters')], {
      fileExtensions: ['ts'],
      tsConfig: path.join(repoRoot, 'tsconfig.json'),
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(100);
    expect(graph.circular()).toEqual([]);
  }, 60_000);
});
