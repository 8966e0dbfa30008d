import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, repoRoot as root, sourceFiles } from './source-files.ts';

/**
 * The edges meet only in the core (docs/architecture.md). A platform edge (adapters/slack,
 * adapters/teams, and any third one) imports the core, its own folder and the HTTP host's plug
 * type (adapters/server/platform-mount.ts), nothing else under adapters/. No edge imports the CLI,
 * which is the launcher: it alone starts the console, the HTTP host and, through the catalogue
 * adapters/platform-edges.ts, the platform edges.
 */
const adapters = path.join(root, 'adapters');

/** Every relative module a file imports (static, type-only, re-exports, dynamic), as absolute paths. */
function relativeImports(file: string): string[] {
  return importSpecifiers(file)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.resolve(path.dirname(file), specifier));
}

/** Which edge folder a path is in (adapters/<edge>/…), or null for the core and adapters' root files. */
function edgeOf(file: string): string | null {
  const relative = path.relative(adapters, file);
  if (relative.startsWith('..')) return null;
  const parts = relative.split(path.sep);
  return parts.length > 1 ? parts[0] : null;
}

const hostPlug = path.join(adapters, 'server/platform-mount.ts');
const launcherMay = new Set(['console', 'server']);

/** The imports of `file` that cross from its edge into another edge (or into the CLI). */
function crossings(file: string, imports: string[] = relativeImports(file)): string[] {
  const from = edgeOf(file);
  if (!from) return [];
  return imports
    .filter((target) => {
      const to = edgeOf(target);
      if (to === from) return false;
      if (target === hostPlug) return false;
      if (to === null) {
        // adapters' own root files (the catalogue) are for the launcher alone.
        const inAdapters = !path.relative(adapters, target).startsWith('..');
        return inAdapters && from !== 'cli';
      }
      if (from === 'cli') return !launcherMay.has(to);
      return true;
    })
    .map((target) => `${path.relative(root, file)} imports ${path.relative(root, target)}`);
}

describe('the edges stay apart', () => {
  it('finds a crossing when one edge imports another or the CLI (the check can fail)', () => {
    const teamsFile = path.join(adapters, 'teams/example.ts');
    const at = (relative: string) => path.join(adapters, relative);
    expect(crossings(teamsFile, [at('slack/slack-messenger.ts'), at('cli/cli-app.ts'), at('platform-edges.ts')])).toEqual([
      'adapters/teams/example.ts imports adapters/slack/slack-messenger.ts',
      'adapters/teams/example.ts imports adapters/cli/cli-app.ts',
      'adapters/teams/example.ts imports adapters/platform-edges.ts',
    ]);
    expect(crossings(teamsFile, [at('teams/teams-turn.ts'), at('server/platform-mount.ts'), path.join(root, 'src/app/boot.ts')])).toEqual([]);
    expect(crossings(at('cli/main.ts'), [at('console/console-chat.ts'), at('platform-edges.ts'), at('slack/mount-slack.ts')])).toEqual([
      'adapters/cli/main.ts imports adapters/slack/mount-slack.ts',
    ]);
  });

  it('has no platform edge importing another edge, the CLI or the catalogue', () => {
    const files = sourceFiles(adapters);
    expect(files.length).toBeGreaterThan(20);
    const platformFiles = files.filter((file) => !['cli', 'console', 'server'].includes(edgeOf(file) ?? 'cli'));
    expect(platformFiles.length).toBeGreaterThan(10);
    expect(files.flatMap((file) => crossings(file))).toEqual([]);
  });

  it('has the HTTP host import no platform edge (platforms plug into it, not the other way)', () => {
    const host = sourceFiles(path.join(adapters, 'server'));
    const intoPlatforms = host.flatMap((file) => relativeImports(file).filter((target) => ['slack', 'teams'].includes(edgeOf(target) ?? '')));
    expect(intoPlatforms).toEqual([]);
  });

  it('lists every platform edge folder in the catalogue', () => {
    const catalogue = readFileSync(path.join(adapters, 'platform-edges.ts'), 'utf8');
    const platforms = readdirSync(adapters, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !['cli', 'console', 'server'].includes(entry.name))
      .map((entry) => entry.name);
    expect(platforms).toEqual(expect.arrayContaining(['slack', 'teams']));
    for (const platform of platforms) expect(catalogue).toContain(`./${platform}/`);
  });
});
