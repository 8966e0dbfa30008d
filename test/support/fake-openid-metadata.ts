import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';

/**
 * A loopback stand-in for Microsoft's OpenID metadata (the document naming the JWKS that signs
 * Bot Framework tokens), with a key of its own, so tests can send tokens Teams would send and
 * make key fetches fail. Point MICROSOFT_OPENID_METADATA_URL at `metadataUrl`.
 */
export type MetadataMode = 'serve' | 'fail' | 'drop';

export class FakeOpenIdMetadata {
  readonly keyId = 'tutorbot-test-key';
  readonly issuer = 'https://api.botframework.com';
  mode: MetadataMode = 'serve';
  requests = 0;
  readonly #key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly #otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  #server: http.Server | null = null;
  #url = '';

  get metadataUrl(): string {
    return `${this.#url}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<void> {
    this.#server = http.createServer((req, res) => {
      this.requests += 1;
      if (this.mode === 'drop') {
        req.socket.destroy();
        return;
      }
      if (this.mode === 'fail') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
        return;
      }
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.#url}/v1/.well-known/keys` }));
        return;
      }
      if (req.url === '/v1/.well-known/keys') {
        const jwk = this.#key.publicKey.export({ format: 'jwk' });
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ keys: [{ ...jwk, kty: 'RSA', use: 'sig', kid: this.keyId, endorsements: ['msteams'] }] }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()));
    const address = this.#server.address();
    this.#url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async close(): Promise<void> {
    if (!this.#server) return;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
    this.#server = null;
  }

  /** An RS256 token as the Bot Connector signs it for `appId`; claims and the key may be overridden to make it wrong. */
  token(appId: string, serviceUrl: string, options: { claims?: Record<string, unknown>; otherKey?: boolean; keyId?: string } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: options.keyId ?? this.keyId };
    const payload = { iss: this.issuer, aud: appId, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600, ...options.claims };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode(header)}.${encode(payload)}`;
    const key: KeyObject = options.otherKey ? this.#otherKey : createPrivateKey(this.#key.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    return `${unsigned}.${sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
  }
}
