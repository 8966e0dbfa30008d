import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import yauzl from 'yauzl';
import { parseCommand } from '../../src/grammar/parse-command.ts';
import { buildTeamsPackage, pngSize, teamsManifestDir } from '../../scripts/teams-package.ts';

const appId = '00000000-0000-4000-8000-0000000a9910';
const workDir = mkdtempSync(path.join(os.tmpdir(), 'tutorbot-teams-package-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  const entries = new Map<string, Buffer>();
  try {
    const list: yauzl.Entry[] = [];
    await new Promise<void>((done, fail) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        list.push(entry);
        zip.readEntry();
      });
      zip.once('end', () => done());
      zip.once('error', fail);
      zip.readEntry();
    });
    for (const entry of list) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      entries.set(entry.fileName, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return entries;
}

/** The alpha of one pixel of an RGBA PNG written with filter 0 (as make-teams-icons.ts writes them). */
function alphaAt(png: Buffer, x: number, y: number): number {
  const { width } = pngSize(png);
  const chunks: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    if (png.toString('ascii', offset + 4, offset + 8) === 'IDAT') chunks.push(png.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  const rows = inflateSync(Buffer.concat(chunks));
  const stride = width * 4 + 1;
  expect(rows[y * stride]).toBe(0);
  return rows[y * stride + 1 + x * 4 + 3];
}

describe('the Teams app package', () => {
  test('is a flat zip of manifest.json, color.png and outline.png with the app id filled in', async () => {
    const outFile = path.join(workDir, 'tutorbot-teams.zip');
    await buildTeamsPackage({ appId: appId.toUpperCase(), domain: 'https://bot.northbrook.example/api/messages', outFile });
    const entries = await readZip(outFile);
    expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest.manifestVersion).toBe('1.19');
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json');
    expect(manifest.id).toBe(appId);
    expect(manifest.bots[0].botId).toBe(appId);
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.validDomains).toEqual(['bot.northbrook.example']);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(JSON.stringify(manifest)).not.toContain('{{');
    for (const url of Object.values(manifest.developer).slice(1)) expect(new URL(url as string).hostname).toMatch(/\.invalid$/);
  });

  test('has icons of the sizes Teams requires, the outline one transparent around a white glyph', async () => {
    const color = readFileSync(path.join(teamsManifestDir, 'color.png'));
    const outline = readFileSync(path.join(teamsManifestDir, 'outline.png'));
    expect(pngSize(color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(outline)).toEqual({ width: 32, height: 32 });
    expect(alphaAt(outline, 0, 0)).toBe(0);
    expect(alphaAt(outline, 15, 10)).toBe(255);
    expect(alphaAt(color, 0, 0)).toBe(255);
  });

  test('lists commands that the grammar understands, within the manifest limits', () => {
    const manifest = JSON.parse(readFileSync(path.join(teamsManifestDir, 'manifest.json'), 'utf8'));
    const lists = manifest.bots[0].commandLists as { scopes: string[]; commands: { title: string; description: string }[] }[];
    expect(lists.flatMap((list) => list.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of lists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const command of list.commands) {
        expect(command.title.length).toBeLessThanOrEqual(32);
        expect(command.description.length).toBeLessThanOrEqual(128);
        const intent = parseCommand(`${command.title} Amelia Jones`);
        const bare = parseCommand(command.title);
        expect([intent.kind, bare.kind]).not.toEqual(['unknown', 'unknown']);
      }
    }
  });

  test('refuses an app id that is not a GUID, saying where to set it', async () => {
    await expect(buildTeamsPackage({ appId: 'my-bot', outFile: path.join(workDir, 'x.zip') })).rejects.toThrow(/MICROSOFT_APP_ID or pass --app-id/);
  });
});
