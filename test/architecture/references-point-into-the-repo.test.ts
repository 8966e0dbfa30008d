import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot as root, sourceFiles } from './source-files.ts';

/**
 * A maintainer follows a comment's reference to a file in this repository, never to a document
 * or an issue tracker they may not have: code cites docs/*.md (or the README), and each cited
 * file exists.
 */

const outsideReference = /\bGUIDE\.md\b|\b[Ii]ssue #?\d+\b/;
const docReference = /\b(docs\/[a-z0-9-]+\.md|README\.md)\b/g;

function problems(file: string, text: string): string[] {
  const found: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (outsideReference.test(line)) found.push(`${file}:${index + 1} cites something outside the repository`);
    for (const match of line.matchAll(docReference)) {
      if (!existsSync(path.join(root, match[1]))) found.push(`${file}:${index + 1} cites ${match[1]}, which does not exist`);
    }
  }
  return found;
}

describe('references in code point into the repository', () => {
  it('flags a citation of an issue, of GUIDE.md and of a missing doc (the check can fail)', () => {
    expect(problems('x.ts', '// as issue 5 says\n// GUIDE.md, roles\n// see docs/nowhere.md\n// see docs/roles.md')).toEqual([
      'x.ts:1 cites something outside the repository',
      'x.ts:2 cites something outside the repository',
      'x.ts:3 cites docs/nowhere.md, which does not exist',
    ]);
  });

  it('has no code citing an issue or GUIDE.md, and every cited doc exists', () => {
    const files = ['src', 'adapters', 'test', 'bench', 'scripts', 'migrations', 'bin'].flatMap((dir) =>
      sourceFiles(path.join(root, dir), /\.(ts|js|sql)$/, ['node_modules', 'fixtures']),
    );
    expect(files.length).toBeGreaterThan(100);
    const self = path.relative(root, import.meta.filename);
    expect(
      files.filter((file) => path.relative(root, file) !== self).flatMap((file) => problems(path.relative(root, file), readFileSync(file, 'utf8'))),
    ).toEqual([]);
  });
});
