import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, repoRoot, sourceFiles } from './source-files.ts';

/**
 * Features meet only through each other's public surface (docs/architecture.md): a feature is a
 * folder of src/ with a `<name>-feature.ts`; another folder may import its `index.ts` (what it
 * offers the others) and its `*-tables.ts` (the types the composed DB is made of), and only the
 * composition root, src/app, imports the `*-feature.ts` it registers. Everything else in the
 * folder is the feature's own, free to change without touching another feature.
 */
const src = path.join(repoRoot, 'src');

function featureFolders(): Set<string> {
  return new Set(
    readdirSync(src, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && readdirSync(path.join(src, entry.name)).some((name) => name.endsWith('-feature.ts')))
      .map((entry) => entry.name),
  );
}

/** Which imports in one file reach past another feature's surface. */
function surfaceViolations(file: string, text: string, features: Set<string>): string[] {
  const from = path.relative(src, file).split(path.sep)[0];
  return importSpecifiers(file, text)
    .filter((specifier) => specifier.startsWith('.'))
    .flatMap((specifier) => {
      const target = path.relative(src, path.resolve(path.dirname(file), specifier));
      const [folder, name, ...deeper] = target.split(path.sep);
      if (!features.has(folder) || folder === from || folder.startsWith('..')) return [];
      const allowed = deeper.length === 0 && (name === 'index.ts' || name.endsWith('-tables.ts') || (from === 'app' && name.endsWith('-feature.ts')));
      return allowed ? [] : [`${path.relative(repoRoot, file)} imports ${target}`];
    });
}

describe('features', () => {
  const features = featureFolders();

  it('are found by their *-feature.ts, and each one another feature uses has an index.ts', () => {
    expect([...features]).toEqual(expect.arrayContaining(['notes', 'meetings', 'reminders', 'caseload', 'assignment', 'handbook']));
    for (const folder of ['meetings', 'handbook', 'caseload']) expect(existsSync(path.join(src, folder, 'index.ts'))).toBe(true);
  });

  it('catch an import of another feature internals, and let the surface, the tables and the composition root through', () => {
    const sample = (folder: string) => path.join(src, folder, 'sample.ts');
    const text = [
      "import { termTitle } from '../meetings/meeting-policy.ts';",
      "import { meetingTimes } from '../meetings/index.ts';",
      "import type { NoteKind } from '../notes/notes-tables.ts';",
      "import { notesFeature } from '../notes/notes-feature.ts';",
      "import { own } from './own.ts';",
    ].join('\n');
    expect(surfaceViolations(sample('reminders'), text, features)).toEqual([
      'src/reminders/sample.ts imports meetings/meeting-policy.ts',
      'src/reminders/sample.ts imports notes/notes-feature.ts',
    ]);
    expect(surfaceViolations(sample('app'), text, features)).toEqual(['src/app/sample.ts imports meetings/meeting-policy.ts']);
  });

  it('import one another only through that surface', () => {
    const found = sourceFiles(src).flatMap((file) => surfaceViolations(file, readFileSync(file, 'utf8'), features));
    expect(found).toEqual([]);
  });
});
