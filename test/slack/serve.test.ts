import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi, slackSignature } from '../support/fake-slack-api.ts';

/**
 * The real entry point: `tutorbot start --no-chat` (what `npm start` runs without a terminal)
 * serves Slack at /slack/events beside /healthz when the Slack variables are set.
 */
const root = path.resolve(import.meta.dirname, '../..');
const signingSecret = randomBytes(16).toString('hex');
const fake = new FakeSlackApi();

function start(args: string[]): { child: ChildProcess; ready: Promise<string>; exited: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [path.join(root, 'bin/tutorbot.js'), ...args], {
    cwd: root,
    env: {
      ...process.env,
      TUTORBOT_DEV: '1',
      DATABASE_URL: 'memory://',
      PORT: '0',
      HOST: '127.0.0.1',
      TUTORBOT_LOG_LEVEL: 'error',
      SLACK_BOT_TOKEN: 'xoxb-serve-test',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: fake.apiUrl,
      SLACK_APP_TOKEN: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /serving (http:\/\/[^ ]+) \(([^)]*\))/.exec(stderr);
      if (match) resolve(`${match[1]}|${match[2]}`);
    });
    child.on('exit', () => reject(new Error(`exited before ready: ${stderr}`)));
  });
  ready.catch(() => {});
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  return { child, ready, exited };
}

beforeAll(() => fake.start());
afterAll(() => fake.close());

describe('tutorbot start serves Slack', () => {
  it('answers a signed slash command on /slack/events next to /healthz, and refuses an unsigned one', async () => {
    const okafor = fake.addUser({ email: 'grace.okafor@northbrook.example', teamId: 'T0NORTHBROOK' });
    const server = start(['start', '--no-chat']);
    try {
      const [url, platforms] = (await server.ready).split('|');
      expect(platforms).toContain('slack (/slack/events)');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const responseUrl = fake.newResponseUrl();
      const body = new URLSearchParams({
        token: 'x',
        team_id: 'T0NORTHBROOK',
        team_domain: 'northbrook',
        channel_id: 'C0STAFFROOM',
        channel_name: 'staffroom',
        user_id: okafor.id,
        user_name: okafor.name,
        command: '/tutor',
        text: 'who tutors Amelia Jones',
        api_app_id: 'A0TUTORBOT',
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: '1.2.3',
      }).toString();
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp) };
      const unsigned = await fetch(`${url}/slack/events`, { method: 'POST', headers, body });
      expect(unsigned.status).toBe(401);
      const signed = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: { ...headers, 'x-slack-signature': slackSignature(signingSecret, timestamp, body) },
        body,
      });
      expect(signed.status).toBe(200);
      const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
      await Promise.race([fake.responseArrived(id), new Promise((_r, reject) => setTimeout(() => reject(new Error('no answer')), 20_000))]);
      const answer = fake.responseUrlPosts.find((post) => post.id === id)!;
      expect(answer.body.response_type).toBe('ephemeral');
      expect(String(answer.body.text)).toContain('Ms Grace Okafor');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 120_000);

  it('stops at start-up with a message naming SLACK_BOT_TOKEN when Slack rejects the token', async () => {
    fake.failNext('auth.test', { error: 'invalid_auth' });
    const server = start(['serve']);
    const { code, stderr } = await server.exited;
    expect(code).toBe(1);
    expect(stderr).toContain('Slack did not accept SLACK_BOT_TOKEN (invalid_auth)');
  }, 120_000);
});
