import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The newcomer's path, as a real process: `tutorbot start` on a fresh embedded database loads the
 * demo school and answers the console; `tutorbot chat` reads commands from a pipe.
 */
const root = path.resolve(import.meta.dirname, '../..');
let dataDir: string;

function run(args: string[], input: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/tutorbot.js'), ...args], {
      cwd: root,
      env: { ...process.env, TUTORBOT_DATA_DIR: dataDir, PORT: '0', TUTORBOT_LOG_LEVEL: 'error', DATABASE_URL: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorbot-cli-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('the command line', () => {
  it('starts on an empty embedded database, loads the demo school and answers in the console', async () => {
    const result = await run(['start', '--chat'], 'who tutors Amelia Jones\nwho tutors sam patel-hughes\nquit\n');
    expect(result.stderr).toContain('Loaded the fictional demo school');
    expect(result.stdout).toMatch(/tutorbot ready in \d+ ms\. You are Ms Grace Okafor/);
    expect(result.stdout).toContain('Tutor: Ms Grace Okafor (grace.okafor@northbrook.example)');
    expect(result.stdout).toContain('Sam Patel-Hughes');
    expect(result.code).toBe(0);
  }, 120_000);

  it('chats as another member of staff from a pipe, and lets a number pick from a list', async () => {
    const result = await run(['chat', '--as', 'daniel.reid@northbrook.example'], 'who tutors Amelia\n1\nhelp\n');
    expect(result.stdout).toMatch(/pupils match "Amelia"/);
    expect(result.stdout).toMatch(/Tutor: /);
    expect(result.stdout).toContain('who tutors <pupil>');
    expect(result.code).toBe(0);
  }, 120_000);

  it('refuses someone who is not on the staff, and says how to fix it', async () => {
    const result = await run(['chat', '--as', 'stranger@example.com'], 'who tutors Amelia Jones\n');
    expect(result.stderr).toMatch(/stranger@example.com is not an active member of staff/);
    expect(result.stdout).not.toContain('Okafor');
    expect(result.code).toBe(1);
  }, 120_000);

  it('stops with the variable to set when the configuration is wrong', async () => {
    const result = await run(['start', '--no-chat'], '', { DATABASE_URL: 'mysql://nope' });
    expect(result.stderr).toMatch(/DATABASE_URL must start with postgres:\/\//);
    expect(result.code).toBe(78);
  }, 60_000);
});
