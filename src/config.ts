import path from 'node:path';
import { TutorbotError } from './errors.ts';

/**
 * Configuration is read from the environment once, at start-up, validated, and passed down as
 * typed values. Nothing else in tutorbot reads process.env. A problem stops start-up with a
 * message that names the variable and says how to fix it.
 */

/**
 * How the embedded database's WebAssembly is compiled (TUTORBOT_EMBEDDED_MEMORY). 'small': V8's
 * baseline compiler only, so the process stays near 400 MB; 'large': V8 also optimises hot code,
 * which makes a typical query about 1.4 times faster at the median but costs about 600 MB more at
 * its peak (optimising PostgreSQL's parser alone takes that much) and stalls a few answers while it
 * compiles; 'auto' picks by the memory the process may use (src/db/embedded-memory.ts).
 */
export type EmbeddedMemory = 'small' | 'large';
export type EmbeddedMemorySetting = EmbeddedMemory | 'auto';

export type DatabaseConfig =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | null /* null: in memory */; memory?: EmbeddedMemorySetting /* default 'auto' */ };

export interface SlackConfig {
  botToken: string;
  signingSecret: string | null;
  appToken: string | null;
  socketMode: boolean;
  apiUrl: string | null;
}

export type TeamsAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export interface TeamsConfig {
  appId: string;
  appPassword: string;
  tenantId: string;
  appType: TeamsAppType;
  /** true only in dev mode with an empty app id: Bot Framework authentication is off. */
  authDisabled: boolean;
  /**
   * Where the keys that sign Bot Framework tokens are published (MICROSOFT_OPENID_METADATA_URL);
   * unset means the SDK's default for the public cloud. For a sovereign cloud, or a test's own keys.
   */
  openIdMetadataUrl?: string;
}

export interface Config {
  dev: boolean;
  dataDir: string;
  database: DatabaseConfig;
  port: number;
  host: string;
  /** 32 bytes from TUTORBOT_ENCRYPTION_KEY, or null to use the embedded key file (see encryption-key.ts). */
  encryptionKey: Buffer | null;
  slack: SlackConfig | null;
  teams: TeamsConfig | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export type Environment = Record<string, string | undefined>;

function configError(message: string): TutorbotError {
  return new TutorbotError('tutorbot_config_invalid', message);
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function parseDatabase(env: Environment, dataDir: string): DatabaseConfig {
  const url = nonEmpty(env.DATABASE_URL);
  const memory = parseEmbeddedMemory(env);
  if (url === null) return { kind: 'pglite', dataDir: path.join(dataDir, 'pgdata'), memory };
  if (url === 'memory://') return { kind: 'pglite', dataDir: null, memory };
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      new URL(url);
    } catch (cause) {
      throw new TutorbotError('tutorbot_config_invalid', 'DATABASE_URL is not a valid URL. Write it as postgres://USER:PASSWORD@HOST:5432/DATABASE.', {
        cause,
      });
    }
    return { kind: 'postgres', url };
  }
  throw configError(
    `DATABASE_URL must start with postgres:// (a PostgreSQL server) or be memory:// (an in-memory embedded database); ` +
      `leave it unset to keep the embedded database in ${dataDir}.`,
  );
}

function parseEmbeddedMemory(env: Environment): EmbeddedMemorySetting {
  const raw = nonEmpty(env.TUTORBOT_EMBEDDED_MEMORY);
  if (raw === null) return 'auto';
  const value = raw.toLowerCase();
  if (value === 'auto' || value === 'small' || value === 'large') return value;
  throw configError(
    `TUTORBOT_EMBEDDED_MEMORY must be "auto" (the default: large where the process may use 2 GB), "small" (about 400 MB) ` +
      `or "large" (keeps up with heavier load, about 1 GB at its peak); it is "${raw}".`,
  );
}

function parsePort(env: Environment): number {
  const raw = nonEmpty(env.PORT);
  if (raw === null) return 3978;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw configError(`PORT must be a whole number from 0 to 65535; it is "${raw}".`);
  }
  return port;
}

export function parseEncryptionKey(raw: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw configError(
      'TUTORBOT_ENCRYPTION_KEY must be 32 random bytes, written as 64 hex digits or base64. ' +
        "Make one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"",
    );
  }
  return key;
}

function parseSlack(env: Environment): SlackConfig | null {
  const botToken = nonEmpty(env.SLACK_BOT_TOKEN);
  const signingSecret = nonEmpty(env.SLACK_SIGNING_SECRET);
  const appToken = nonEmpty(env.SLACK_APP_TOKEN);
  const apiUrl = nonEmpty(env.SLACK_API_URL);
  if (!botToken && !signingSecret && !appToken) return null;
  if (!botToken) {
    throw configError('Slack is half configured: set SLACK_BOT_TOKEN (xoxb-…, from "OAuth & Permissions" in your Slack app).');
  }
  if (appToken && !appToken.startsWith('xapp-')) {
    throw configError(
      'SLACK_APP_TOKEN must be an app-level token starting with xapp- (Slack app → Basic Information → App-Level Tokens, scope connections:write).',
    );
  }
  if (!appToken && !signingSecret) {
    throw configError(
      'Slack needs SLACK_SIGNING_SECRET (Slack app → Basic Information → Signing Secret) to verify requests, ' +
        'or SLACK_APP_TOKEN (xapp-…) to use Socket Mode instead of a public URL.',
    );
  }
  if (apiUrl) {
    try {
      new URL(apiUrl);
    } catch (cause) {
      throw new TutorbotError('tutorbot_config_invalid', `SLACK_API_URL is not a valid URL: "${apiUrl}".`, { cause });
    }
  }
  return { botToken, signingSecret, appToken, socketMode: appToken !== null, apiUrl };
}

const teamsAppTypes: readonly TeamsAppType[] = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];

function parseTeams(env: Environment, dev: boolean): TeamsConfig | null {
  const mentioned = ['MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID', 'MICROSOFT_APP_TYPE'].some((name) => env[name] !== undefined);
  if (!mentioned && !dev) return null;
  const appId = nonEmpty(env.MICROSOFT_APP_ID) ?? '';
  const appPassword = nonEmpty(env.MICROSOFT_APP_PASSWORD) ?? '';
  const tenantId = nonEmpty(env.MICROSOFT_APP_TENANT_ID) ?? '';
  const appTypeRaw = nonEmpty(env.MICROSOFT_APP_TYPE) ?? 'MultiTenant';
  const appType = teamsAppTypes.find((type) => type.toLowerCase() === appTypeRaw.toLowerCase());
  if (!appType) {
    throw configError(`MICROSOFT_APP_TYPE must be one of ${teamsAppTypes.join(', ')}; it is "${appTypeRaw}".`);
  }
  if (!appId) {
    if (!dev) {
      throw configError(
        'MICROSOFT_APP_ID is empty, which would turn off Bot Framework authentication. Set MICROSOFT_APP_ID and ' +
          'MICROSOFT_APP_PASSWORD from your Azure Bot registration, or set TUTORBOT_DEV=1 to test locally with the Bot Framework Emulator.',
      );
    }
    return { appId: '', appPassword: '', tenantId, appType, authDisabled: true };
  }
  if (appType !== 'UserAssignedMSI' && !appPassword) {
    throw configError('MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID (Azure Bot → Configuration → Manage password).');
  }
  if (appType === 'SingleTenant' && !tenantId) {
    throw configError('MICROSOFT_APP_TYPE=SingleTenant needs MICROSOFT_APP_TENANT_ID (your Microsoft Entra tenant id).');
  }
  const openIdMetadataUrl = nonEmpty(env.MICROSOFT_OPENID_METADATA_URL);
  if (openIdMetadataUrl && !(openIdMetadataUrl.startsWith('https://') || (dev && openIdMetadataUrl.startsWith('http://')))) {
    throw configError(`MICROSOFT_OPENID_METADATA_URL must be an https:// address (http:// only in dev mode); it is "${openIdMetadataUrl}".`);
  }
  return { appId, appPassword, tenantId, appType, authDisabled: false, ...(openIdMetadataUrl ? { openIdMetadataUrl } : {}) };
}

export function parseConfig(env: Environment = process.env, cwd = process.cwd()): Config {
  const dev = ['1', 'true', 'yes'].includes((env.TUTORBOT_DEV ?? '').trim().toLowerCase());
  const dataDir = path.resolve(cwd, nonEmpty(env.TUTORBOT_DATA_DIR) ?? '.tutorbot');
  const database = parseDatabase(env, dataDir);
  const rawKey = nonEmpty(env.TUTORBOT_ENCRYPTION_KEY);
  const encryptionKey = rawKey ? parseEncryptionKey(rawKey) : null;
  if (!encryptionKey && !dev && database.kind === 'postgres') {
    throw configError(
      'TUTORBOT_ENCRYPTION_KEY is not set. Note text is encrypted at rest with it: set it to 32 random bytes in base64 ' +
        "(node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\") and keep a copy safe, " +
        'or set TUTORBOT_DEV=1 for a throwaway development key.',
    );
  }
  const logLevel = (nonEmpty(env.TUTORBOT_LOG_LEVEL) ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw configError(`TUTORBOT_LOG_LEVEL must be debug, info, warn or error; it is "${logLevel}".`);
  }
  return {
    dev,
    dataDir,
    database,
    port: parsePort(env),
    host: nonEmpty(env.HOST) ?? '0.0.0.0',
    encryptionKey,
    slack: parseSlack(env),
    teams: parseTeams(env, dev),
    logLevel: logLevel as Config['logLevel'],
  };
}
