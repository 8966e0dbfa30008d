import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, repoRoot as root, sourceFiles } from './source-files.ts';

/**
 * What runs in production never reaches into test/: a test oracle or fixture there (e.g. the
 * reminder rules oracle) is not shipped, and an import of it from the core would quietly make it
 * production code again.
 */
function importsOfTests(files: string[], testDir: string): string[] {
  return files.flatMap((file) =>
    importSpecifiers(file)
      .filter((specifier) => specifier.startsWith('.') && path.resolve(path.dirname(file), specifier).startsWith(testDir + path.sep))
      .map((specifier) => `${path.relative(root, file)} imports ${specifier}`),
  );
}

describe('production code never imports from test/', () => {
  it('finds an import that climbs into test/, and only that one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'no-tests-'));
    mkdirSync(path.join(dir, 'src'));
    const offender = path.join(dir, 'src', 'offender.ts');
    writeFileSync(
      offender,
      "import { planReminders } from '../test/reminders/reminder-rules-oracle.ts';\nimport { ok } from './fine.ts';\nimport { x } from '../tests-like/x.ts';\n",
    );
    expect(importsOfTests([offender], path.join(dir, 'test')).map((line) => line.split(' imports ')[1])).toEqual([
      '../test/reminders/reminder-rules-oracle.ts',
    ]);
  });

  it('has no file under src/ or adapters/ that imports anything under test/', () => {
    const files = ['src', 'adapters'].flatMap((dir) => sourceFiles(path.join(root, dir)));
    expect(files.length).toBeGreaterThan(10);
    expect(importsOfTests(files, path.join(root, 'test'))).toEqual([]);
  });
});
