import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot as root, sourceFiles } from './source-files.ts';

/**
 * Start-up time is part of the product (npm start to a prompt in seconds). date-fns's barrel
 * entry loads every one of its functions (about 2 s of CPU here), so code imports each function
 * from its own subpath: `import { format } from 'date-fns/format'`.
 */

describe('start-up imports', () => {
  it('never imports the date-fns barrel in code that the CLI loads', () => {
    const offenders = ['src', 'adapters']
      .flatMap((dir) => sourceFiles(path.join(root, dir), /\.ts$/))
      .filter((file) => /from ['"]date-fns['"]/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });
});
