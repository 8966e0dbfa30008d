import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { createTeamsHarness } from '../support/teams-harness.ts';
import { engines } from '../support/test-database.ts';

const productionEnv = { MICROSOFT_APP_ID: '00000000-0000-4000-8000-0000000a9910', MICROSOFT_APP_PASSWORD: 'not-a-real-secret' };

describe.each(engines)('Teams with credentials (production mode) on %s', (engine) => {
  const harness = createTeamsHarness(engine, { app: { env: productionEnv } });
  beforeAll(() => harness.start());
  afterAll(() => harness.close());

  test('Bot Framework authentication is on', () => {
    expect(harness.app.config.teams).toMatchObject({ appId: productionEnv.MICROSOFT_APP_ID, authDisabled: false });
  });

  test('a request without a bearer token gets 401 and nothing is processed', async () => {
    const result = await harness.personalMessage('grace.okafor@northbrook.example', 'who tutors Amelia Jones');
    expect(result.status).toBe(401);
    expect(result.calls).toEqual([]);
    const db = harness.app.core.db;
    expect(await db.selectFrom('inbound_event').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('platform_link').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('platform_identity').selectAll().execute()).toEqual([]);
  });

  test('a request with a token that is not a valid Bot Framework token gets 401 too', async () => {
    // The SDK reports refused tokens with console.error; keep the test output quiet.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await harness.post(
      { ...harness.base('grace.okafor@northbrook.example', 'personal'), type: 'message', id: harness.nextActivityId(), text: 'help' },
      { authorization: 'Bearer not.a.jwt' },
    );
    expect(result.status).toBe(401);
    expect(result.calls).toEqual([]);
    expect(await harness.app.core.db.selectFrom('inbound_event').selectAll().execute()).toEqual([]);
    quiet.mockRestore();
  });
});

describe('Teams configuration', () => {
  test('an empty app id is refused outside dev mode, since it would turn authentication off', () => {
    expect(() => parseConfig({ MICROSOFT_APP_ID: '', MICROSOFT_APP_PASSWORD: 'x' })).toThrow(/MICROSOFT_APP_ID is empty/);
    expect(parseConfig({ TUTORBOT_DEV: '1', MICROSOFT_APP_ID: '' }).teams).toMatchObject({ authDisabled: true });
  });

  test('the signing keys may come from another https address; plain http only in dev mode', () => {
    const production = { MICROSOFT_APP_ID: 'x', MICROSOFT_APP_PASSWORD: 'y', TUTORBOT_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(parseConfig({ ...production, MICROSOFT_OPENID_METADATA_URL: 'https://login.example/v1/.well-known/openidconfiguration' }).teams).toMatchObject({
      openIdMetadataUrl: 'https://login.example/v1/.well-known/openidconfiguration',
    });
    expect(() => parseConfig({ ...production, MICROSOFT_OPENID_METADATA_URL: 'http://127.0.0.1:9/keys' })).toThrow(
      /MICROSOFT_OPENID_METADATA_URL must be an https/,
    );
    expect(parseConfig({ ...production, TUTORBOT_DEV: '1', MICROSOFT_OPENID_METADATA_URL: 'http://127.0.0.1:9/keys' }).teams).toMatchObject({
      openIdMetadataUrl: 'http://127.0.0.1:9/keys',
    });
  });
});
