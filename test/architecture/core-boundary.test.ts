import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, repoRoot as root, sourceFiles } from './source-files.ts';

/**
 * The core does not know Slack or Teams exist (docs/architecture.md): nothing under src/ may
 * import a platform SDK or the web framework, and Slack's SDK lives only in adapters/slack.
 */
const forbiddenInCore = [/^@slack\//, /^@microsoft\//, /^botbuilder/, /^express$/, /^express\//];

function violations(files: string[], forbidden: RegExp[]): string[] {
  return files.flatMap((file) =>
    importSpecifiers(file)
      .filter((specifier) => forbidden.some((pattern) => pattern.test(specifier)))
      .map((specifier) => `${path.relative(root, file)} imports ${specifier}`),
  );
}

describe('the core stays platform-free', () => {
  it('finds the imports it checks (static, type-only, re-exports and dynamic)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'boundary-'));
    const offender = path.join(dir, 'offender.ts');
    writeFileSync(
      offender,
      "import type { App } from '@slack/bolt';\nexport { TeamsAdapter } from '@microsoft/teams-ai';\nconst b = await import('botbuilder');\nimport express from 'express';\nimport { ok } from './fine.ts';\n",
    );
    expect(violations([offender], forbiddenInCore).map((line) => line.split(' imports ')[1])).toEqual([
      '@slack/bolt',
      '@microsoft/teams-ai',
      'botbuilder',
      'express',
    ]);
    const sample = path.join(root, 'adapters/platform-edges.ts');
    expect(importSpecifiers(sample)).toEqual(expect.arrayContaining(['./slack/slack-messenger.ts', './slack/mount-slack.ts']));
    expect(importSpecifiers(path.join(root, 'adapters/slack/mount-slack.ts'))).toEqual(expect.arrayContaining(['@slack/bolt', 'express']));
  });

  it('has no file under src/ that imports @slack/*, @microsoft/*, botbuilder* or express', () => {
    const files = sourceFiles(path.join(root, 'src'));
    expect(files.length).toBeGreaterThan(10);
    expect(violations(files, forbiddenInCore)).toEqual([]);
  });

  it('keeps Slack SDK imports inside adapters/slack', () => {
    const files = ['src', 'adapters', 'test', 'bench', 'scripts', 'bin'].flatMap((dir) => {
      try {
        return sourceFiles(path.join(root, dir));
      } catch {
        return [];
      }
    });
    const outside = files.filter((file) => !file.startsWith(path.join(root, 'adapters/slack') + path.sep));
    expect(violations(outside, [/^@slack\//])).toEqual([]);
  });
});
