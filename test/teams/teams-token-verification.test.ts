import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { FakeOpenIdMetadata } from '../support/fake-openid-metadata.ts';
import { createTeamsHarness, type PostResult } from '../support/teams-harness.ts';
import { engines } from '../support/test-database.ts';

/**
 * Bot Framework tokens checked against signing keys from a loopback metadata server (docs/product-rules.md): a bad token is 401, keys that cannot be fetched are 503, and neither answer nor log
 * carries the SDK's error text or the token.
 */
const appId = '00000000-0000-4000-8000-0000000a9911';
const grace = 'grace.okafor@northbrook.example';
const refused = { error: { code: 'Unauthorized', message: 'The Bot Framework token is not valid for this bot.' } };
const unavailable = { error: { code: 'ServiceUnavailable', message: 'The request could not be verified just now. Please try again.' } };

describe.each(engines)('Teams token verification on %s', (engine) => {
  const metadata = new FakeOpenIdMetadata();
  const lines: string[] = [];
  let harness: ReturnType<typeof createTeamsHarness>;

  beforeAll(async () => {
    await metadata.start();
    harness = createTeamsHarness(engine, {
      app: {
        env: { MICROSOFT_APP_ID: appId, MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_OPENID_METADATA_URL: metadata.metadataUrl },
        logger: createLogger('debug', (line) => lines.push(line)),
      },
    });
    await harness.start();
  });
  afterAll(async () => {
    await harness.close();
    await metadata.close();
  });
  beforeEach(() => {
    lines.length = 0;
  });

  /** A channel message that does not mention the bot: once let in, its turn needs nothing from the network. */
  function quietActivity(): Record<string, unknown> {
    return { ...harness.base(grace, 'channel'), type: 'message', id: harness.nextActivityId(), text: 'not for the bot', entities: [] };
  }

  async function postWithToken(token: string): Promise<PostResult> {
    // Whatever the SDK prints must not be the answer; keep its console quiet either way.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      return await harness.post(quietActivity(), { authorization: `Bearer ${token}` });
    } finally {
      quiet.mockRestore();
    }
  }

  function expectClean(result: PostResult, token: string): void {
    const body = JSON.stringify(result.body);
    for (const internal of ['Error', 'at ', 'openID', 'Failed to load', 'Signing Key', 'Unauthorized.', 'jwt', token.slice(0, 20)])
      expect(body).not.toContain(internal);
    for (const line of lines) expect(line).not.toContain(token.split('.')[1].slice(0, 16));
  }

  test('when the key metadata answers 503, a token cannot be verified: 503 with a clean body and a coded log line', async () => {
    metadata.mode = 'fail';
    const token = metadata.token(appId, harness.connector.url);
    const result = await postWithToken(token);
    expect(result.status).toBe(503);
    expect(result.body).toEqual(unavailable);
    expect(result.calls).toEqual([]);
    expectClean(result, token);
    const logged = lines.map((line) => JSON.parse(line)).filter((line) => line.event === 'teams_keys_unavailable');
    expect(logged).toEqual([expect.objectContaining({ level: 'error', code: 'tutorbot_teams_keys_unavailable' })]);
    expect(await harness.app.core.db.selectFrom('inbound_event').selectAll().execute()).toEqual([]);
  });

  test('when the key metadata connection is dropped, the answer is 503 too', async () => {
    metadata.mode = 'drop';
    const token = metadata.token(appId, harness.connector.url);
    const before = metadata.requests;
    const result = await postWithToken(token);
    expect(metadata.requests).toBeGreaterThan(before);
    expect(result.status).toBe(503);
    expect(result.body).toEqual(unavailable);
    expectClean(result, token);
  });

  test('a token that is not a JWT is refused with 401 and a clean body, logged with a code', async () => {
    metadata.mode = 'serve';
    const result = await postWithToken('not.a.jwt');
    expect(result.status).toBe(401);
    expect(result.body).toEqual(refused);
    expect(lines.map((line) => JSON.parse(line)).filter((line) => line.event === 'teams_token_refused')).toEqual([
      expect.objectContaining({ level: 'warn', code: 'tutorbot_teams_token_refused' }),
    ]);
  });

  test('a valid token signed by the published key is let in, end to end', async () => {
    metadata.mode = 'serve';
    const result = await postWithToken(metadata.token(appId, harness.connector.url));
    expect(result.status).toBe(200);
    expect(lines.filter((line) => /teams_token_refused|teams_keys_unavailable/.test(line))).toEqual([]);
    expect(await harness.app.core.db.selectFrom('inbound_event').selectAll().execute()).toHaveLength(1);
  });

  test.each([
    ['signed by another key', { otherKey: true }],
    ['naming a key that is not published', { keyId: 'unknown-key' }],
    ['expired an hour ago', { claims: { exp: Math.floor(Date.now() / 1000) - 3600, nbf: Math.floor(Date.now() / 1000) - 7200 } }],
    ['for another bot', { claims: { aud: '00000000-0000-4000-8000-0000000b0b00' } }],
    ['from another issuer', { claims: { iss: 'https://evil.example' } }],
    ['for another serviceUrl', { claims: { serviceurl: 'https://evil.example/' } }],
  ])('a token %s is refused with 401 and a clean body', async (_label, options) => {
    metadata.mode = 'serve';
    const token = metadata.token(appId, harness.connector.url, options);
    const result = await postWithToken(token);
    expect(result.status).toBe(401);
    expect(result.body).toEqual(refused);
    expect(result.calls).toEqual([]);
    expectClean(result, token);
  });
});
