import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsoleChat } from '../../adapters/console/console-chat.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('pglite');
}, 120_000);
afterAll(async () => app?.close());

describe('the console chat', () => {
  it('answers piped lines that arrived while it was still getting ready', async () => {
    const actor = await app.actor('grace.okafor@northbrook.example');
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => (printed += chunk));
    input.end('help\nwho tutors Zzyzx Qwerty\nquit\n');
    await runConsoleChat({
      bot: app.bot,
      actor,
      input,
      output,
      interactive: false,
      // Slow enough that every line has been read before the chat starts answering.
      onReady: () => new Promise((resolve) => setTimeout(resolve, 200)),
    });
    expect(printed).toContain('who tutors <pupil>');
    expect(printed).toMatch(/Zzyzx Qwerty/);
  }, 60_000);
});
