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
import { peakMemoryFileVariable, readChildPeakMemory } from './peak-memory.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function startOnce(dataDir: string, run: number): Promise<{ ms: number; peakMb: number | null }> {
  const peakFile = `${dataDir}-peak-${run}`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const preload = ['--import', path.join(root, 'bench/peak-memory.ts')];
    const child = spawn(process.execPath, [...preload, path.join(root, 'bin/tutorbot.js'), 'start', '--chat'], {
      cwd: root,
      env: {
        ...process.env,
        TUTORBOT_DATA_DIR: dataDir,
        PORT: '0',
        TUTORBOT_LOG_LEVEL: 'warn',
        DATABASE_URL: '',
        [peakMemoryFileVariable]: peakFile,
      },
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
    child.on('exit', (code) => {
      const peakMb = readChildPeakMemory(peakFile);
      if (ready) resolve({ ms: ready, peakMb });
      else reject(new Error(`start exited ${code} before ready:\n${output}`));
    });
  });
}

export async function benchStartup(): Promise<Record<string, number | string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorbot-startup-'));
  try {
    const first = await startOnce(dataDir, 0);
    const warm: Array<{ ms: number; peakMb: number | null }> = [];
    for (let run = 1; run <= 3; run += 1) warm.push(await startOnce(dataDir, run));
    const warmPeaks = warm.map((start) => start.peakMb).filter((peak) => peak !== null);
    return {
      'npm start to prompt, first run ms': Math.round(first.ms),
      'npm start to prompt, later runs ms (median of 3)': Math.round(warm.map((start) => start.ms).sort((a, b) => a - b)[1]),
      'npm start process peak resident memory, first run MB': first.peakMb ?? 'not reported',
      'npm start process peak resident memory, later runs MB (max of 3)': warmPeaks.length ? Math.max(...warmPeaks) : 'not reported',
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchStartup());
