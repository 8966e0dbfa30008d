import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const probe = new URL('./embedded-memory-probe.ts', import.meta.url).pathname;

async function peakMegabytes(memory: string): Promise<number> {
  const { stdout } = await run(process.execPath, [probe], { env: { ...process.env, TUTORBOT_EMBEDDED_MEMORY: memory }, timeout: 120_000 });
  return Number(stdout.trim());
}

// Peak memory is read from /proc, so this runs where there is one (Linux, as the servers are).
describe.runIf(existsSync('/proc/self/status'))('the embedded database on a small machine', () => {
  it('keeps a process that opens it and queries it hard within 512 MB by default', async () => {
    const peak = await peakMegabytes('small');
    expect(peak).toBeGreaterThan(50);
    expect(peak).toBeLessThan(512);
  }, 150_000);
});
