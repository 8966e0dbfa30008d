/**
 * `npm start` to a ready prompt: wall time from spawning the CLI to the console banner, on a
 * fresh data directory (first run: embedded database created, migrated, demo school loaded) and
 * on the second run (the usual case). The process reads "quit" from a pipe and exits.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function startOnce(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'bin/tutorbot.js'), 'start', '--chat'], {
      cwd: root,
      env: { ...process.env, TUTORBOT_DATA_DIR: dataDir, PORT: '0', TUTORBOT_LOG_LEVEL: 'warn', DATABASE_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let ready = 0;
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!ready && output.includes('tutorbot ready in')) {
        ready = performance.now() - started;
        child.stdin.end('quit\n');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => (ready ? resolve(ready) : reject(new Error(`start exited ${code} before ready:\n${output}`))));
  });
}

export async function benchStartup(): Promise<Record<string, number | string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorbot-startup-'));
  try {
    const first = await startOnce(dataDir);
    const warm: number[] = [];
    for (let run = 0; run < 3; run += 1) warm.push(await startOnce(dataDir));
    return {
      'npm start to prompt, first run ms': Math.round(first),
      'npm start to prompt, later runs ms (median of 3)': Math.round(warm.sort((a, b) => a - b)[1]),
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchStartup());
