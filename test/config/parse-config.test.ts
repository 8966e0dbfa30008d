import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { resolveEmbeddedMemory } from '../../src/db/embedded-memory.ts';

const key = Buffer.alloc(32, 7).toString('base64');

describe('configuration', () => {
  it('uses the embedded database in .tutorbot when DATABASE_URL is unset', () => {
    const config = parseConfig({}, '/srv/school');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '/srv/school/.tutorbot/pgdata', memory: 'auto' });
    expect(config.port).toBe(3978);
    expect(config.slack).toBeNull();
    expect(config.teams).toBeNull();
  });

  it('keeps the embedded database in memory for memory:// and on PostgreSQL for postgres:// URLs', () => {
    expect(parseConfig({ DATABASE_URL: 'memory://' }).database).toEqual({ kind: 'pglite', dataDir: null, memory: 'auto' });
    expect(parseConfig({ DATABASE_URL: 'postgres://u@h/db', TUTORBOT_ENCRYPTION_KEY: key }).database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
  });

  it('sizes the embedded database by the machine unless TUTORBOT_EMBEDDED_MEMORY says small or large, and says what the values are', () => {
    expect(parseConfig({}).database).toMatchObject({ kind: 'pglite', memory: 'auto' });
    expect(parseConfig({ TUTORBOT_EMBEDDED_MEMORY: 'LARGE' }).database).toMatchObject({ kind: 'pglite', memory: 'large' });
    expect(parseConfig({ TUTORBOT_EMBEDDED_MEMORY: 'small' }).database).toMatchObject({ memory: 'small' });
    expect(() => parseConfig({ TUTORBOT_EMBEDDED_MEMORY: 'tiny' })).toThrow(/TUTORBOT_EMBEDDED_MEMORY must be "auto".*"small".*or "large".*it is "tiny"/);
    const gib = 1024 ** 3;
    expect([resolveEmbeddedMemory('auto', 0.5 * gib), resolveEmbeddedMemory('auto', 1.9 * gib), resolveEmbeddedMemory('auto', 2 * gib)]).toEqual([
      'small',
      'small',
      'large',
    ]);
    expect([resolveEmbeddedMemory('small', 64 * gib), resolveEmbeddedMemory('large', 0.5 * gib)]).toEqual(['small', 'large']);
  });

  it('refuses PostgreSQL without an encryption key outside dev mode, saying how to make one', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://u@h/db' })).toThrow(/TUTORBOT_ENCRYPTION_KEY is not set.*randomBytes\(32\)/s);
    expect(parseConfig({ DATABASE_URL: 'postgres://u@h/db', TUTORBOT_DEV: '1' }).dev).toBe(true);
  });

  it('rejects an encryption key of the wrong length', () => {
    expect(() => parseConfig({ TUTORBOT_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/32 random bytes/);
  });

  it('names the variable to fix for a bad URL or port', () => {
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must start with postgres:\/\//);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT must be a whole number/);
  });

  it('asks for the missing Slack variable when Slack is half configured', () => {
    expect(() => parseConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/set SLACK_BOT_TOKEN/);
    expect(() => parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.socketMode).toBe(true);
  });

  it('refuses Teams with an empty app id unless in dev mode', () => {
    expect(() => parseConfig({ MICROSOFT_APP_ID: '' })).toThrow(/MICROSOFT_APP_ID is empty.*TUTORBOT_DEV=1/s);
    expect(parseConfig({ MICROSOFT_APP_ID: '', TUTORBOT_DEV: '1' }).teams?.authDisabled).toBe(true);
    expect(() => parseConfig({ MICROSOFT_APP_ID: 'abc' })).toThrow(/MICROSOFT_APP_PASSWORD is required/);
    expect(() => parseConfig({ MICROSOFT_APP_ID: 'abc', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' })).toThrow(/MICROSOFT_APP_TENANT_ID/);
  });
});
