/**
 * `npm run teams:package [-- --app-id GUID] [--domain bot.example.org] [--out FILE]` builds the
 * Teams app package manifest/teams/tutorbot-teams.zip: manifest.json (with the bot's Microsoft
 * app id, the version from package.json and the bot's domain filled in), color.png and
 * outline.png, zipped flat as Teams requires. Upload it in Teams (Apps → Manage your apps →
 * Upload an app) or in the Teams admin centre; see docs/teams.md.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import yazl from 'yazl';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const teamsManifestDir = path.join(root, 'manifest', 'teams');
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A fixed time inside the zip, so the same inputs always give the same package.
const fixedTime = new Date('2026-01-01T00:00:00Z');

export interface TeamsPackageOptions {
  appId: string;
  /** The host the bot is served from (validDomains); optional. */
  domain?: string | null;
  outFile?: string;
  manifestDir?: string;
  version?: string;
}

export class TeamsPackageError extends Error {}

export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('ascii', 12, 16) !== 'IHDR') {
    throw new TeamsPackageError('not a PNG file');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export function renderManifest(template: string, values: { appId: string; version: string; domain: string | null }): Record<string, unknown> {
  if (!guid.test(values.appId)) {
    throw new TeamsPackageError(
      `The app id must be the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000; got "${values.appId}". ` +
        'Set MICROSOFT_APP_ID or pass --app-id.',
    );
  }
  const filled = template
    .replaceAll('{{MICROSOFT_APP_ID}}', values.appId.toLowerCase())
    .replaceAll('{{APP_VERSION}}', values.version)
    .replaceAll('{{BOT_DOMAIN}}', values.domain ?? '');
  const manifest = JSON.parse(filled) as Record<string, unknown>;
  manifest.validDomains = ((manifest.validDomains as string[] | undefined) ?? []).filter(Boolean);
  const left = /\{\{[A-Z_]+\}\}/.exec(JSON.stringify(manifest));
  if (left) throw new TeamsPackageError(`manifest.json still has the placeholder ${left[0]}.`);
  return manifest;
}

function normalizeDomain(raw: string | null | undefined): string | null {
  if (!raw?.trim()) return null;
  const host = raw
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/.*$/, '');
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(host)) throw new TeamsPackageError(`"${raw}" is not a host name (for example bot.school.example).`);
  return host.toLowerCase();
}

export async function buildTeamsPackage(options: TeamsPackageOptions): Promise<{ outFile: string; manifest: Record<string, unknown> }> {
  const manifestDir = options.manifestDir ?? teamsManifestDir;
  const outFile = options.outFile ?? path.join(manifestDir, 'tutorbot-teams.zip');
  const version = options.version ?? (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const manifest = renderManifest(readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8'), {
    appId: options.appId.trim(),
    version,
    domain: normalizeDomain(options.domain),
  });
  const icons = manifest.icons as { color: string; outline: string };
  const files: [string, Buffer][] = [['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)]];
  for (const [name, size] of [
    [icons.color, 192],
    [icons.outline, 32],
  ] as const) {
    const png = readFileSync(path.join(manifestDir, name));
    const actual = pngSize(png);
    if (actual.width !== size || actual.height !== size) {
      throw new TeamsPackageError(`${name} must be ${size}×${size} pixels; it is ${actual.width}×${actual.height}. Run: npx node scripts/make-teams-icons.ts`);
    }
    files.push([name, png]);
  }
  const zip = new yazl.ZipFile();
  for (const [name, content] of files) zip.addBuffer(content, name, { mtime: fixedTime, mode: 0o100644 });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const output = createWriteStream(outFile);
    output.on('close', () => resolve());
    output.on('error', reject);
    zip.outputStream.on('error', reject).pipe(output);
  });
  return { outFile, manifest };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'app-id': { type: 'string' }, domain: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: false,
  });
  const appId = values['app-id'] ?? process.env.MICROSOFT_APP_ID ?? '';
  if (!appId.trim()) throw new TeamsPackageError("Give the bot's Microsoft App ID: set MICROSOFT_APP_ID or pass --app-id GUID.");
  const { outFile } = await buildTeamsPackage({ appId, domain: values.domain ?? process.env.TEAMS_BOT_DOMAIN ?? null, outFile: values.out });
  process.stdout.write(
    `Wrote ${path.relative(process.cwd(), outFile) || outFile}. Upload it in Teams: Apps → Manage your apps → Upload an app (see docs/teams.md).\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`teams:package: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
