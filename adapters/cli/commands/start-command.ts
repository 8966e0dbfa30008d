import type { Command } from 'commander';
import { findActorByEmail, type Actor } from '../../../src/staff/actor.ts';
import { parseConfig } from '../../../src/config.ts';
import { demoConsoleEmail } from '../../../src/demo/demo-school.ts';
import { seedDemoSchoolIfEmpty } from '../../../src/demo/seed-demo-school.ts';
import { TutorbotError } from '../../../src/errors.ts';
import { findSchool } from '../../../src/schools/find-school.ts';
import { ConsoleMessenger } from '../../console/console-messenger.ts';
import { runConsoleChat } from '../../console/console-chat.ts';
import { startHttpServer, type RunningServer } from '../../server/http-server.ts';
import { platformMessengers, platformMounts } from '../../platform-edges.ts';
import { boot, type App } from '../../../src/app/boot.ts';

/**
 * `tutorbot start` (npm start): the main job. Migrates, loads the demo school into an empty
 * database, serves the platforms that are configured plus /healthz, runs the job workers, and on
 * a terminal opens the console chat. `tutorbot serve` is the same without demo and console.
 */
interface StartOptions {
  as?: string;
  school?: string;
  demo: boolean;
  chat?: boolean;
}

export function registerStartCommands(program: Command): void {
  program
    .command('start')
    .description('run tutorbot: demo school on an empty database, server, jobs, and the console chat on a terminal')
    .option('--as <email>', 'chat as this member of staff (default: the demo head of Year 9)')
    .option('--school <name>', 'the school, when the database holds several')
    .option('--no-demo', 'do not load the demo school into an empty database')
    .option('--chat', 'open the console chat even when standard input is not a terminal')
    .option('--no-chat', 'serve only, without the console chat')
    .action(async (options: StartOptions) => run({ ...options, demo: options.demo }, true));
  program
    .command('serve')
    .description('serve Slack and Teams (and /healthz) and run the job workers, without the console')
    .action(async () => run({ demo: false, chat: false }, false));
}

async function run(options: StartOptions, interactiveDefault: boolean): Promise<void> {
  const config = parseConfig();
  const consoleMessenger = new ConsoleMessenger();
  const messengers = [...(await platformMessengers(config)), consoleMessenger];
  const app = await boot(config, { jobs: 'work', messengers });
  let server: RunningServer | null = null;
  const wantChat = options.chat ?? (interactiveDefault && Boolean(process.stdin.isTTY));
  const shutdown = async () => {
    await server?.close().catch(() => {});
    await app.close();
  };
  try {
    // The demo school loads while pg-boss starts its workers; both are done before "ready".
    const demo = options.demo ? seedDemoSchoolIfEmpty(app.core.db) : Promise.resolve({ seeded: false });
    const [seeded] = await Promise.all([demo, app.jobsStarted]);
    if (seeded.seeded) process.stderr.write('Loaded the fictional demo school (about 1,000 pupils). Every name in it is made up.\n');
    try {
      server = await startHttpServer(app, await platformMounts(config), { port: config.port, host: config.host });
      app.core.log.info('server_listening', { port: server.port, platforms: server.platforms.join(',') || 'none' });
    } catch (error) {
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!wantChat || !inUse) {
        throw new TutorbotError(
          'tutorbot_server_failed',
          inUse ? `Port ${config.port} is already in use: stop the other process or set PORT.` : `The server could not start: ${(error as Error).message}`,
          { cause: error },
        );
      }
      process.stderr.write(`Port ${config.port} is in use, so only the console chat runs (set PORT to serve as well).\n`);
    }
    const readyMs = Math.round(performance.now());
    if (!wantChat) {
      process.stderr.write(
        `tutorbot ready in ${readyMs} ms, serving ${server?.url ?? ''} (${server?.platforms.join(', ') || 'no chat platform configured'}).\n`,
      );
      await waitForSignal();
      return;
    }
    const actor = await consoleActor(app, options);
    const banner = [
      `tutorbot ready in ${readyMs} ms. You are ${actor.displayName} (${actor.roles.join(', ').replace(/_/g, ' ')}).`,
      'Try: who tutors Amelia Jones · concern Sam Patel: upset after lunch · tutees · caseload year 9 · help · quit',
      server ? `Serving ${server.url}${server.platforms.length ? ` for ${server.platforms.join(', ')}` : ''}.` : '',
    ]
      .filter(Boolean)
      .join('\n');
    await runConsoleChat({
      bot: app.bot,
      actor,
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY),
      banner,
      messenger: consoleMessenger,
      onReady: async () => void (await app.deliveries.flushFor(actor.staffId)),
    });
  } finally {
    await shutdown();
  }
}

export async function consoleActor(app: App, options: { as?: string; school?: string }): Promise<Actor> {
  const school = await findSchool(app.core.db, options.school);
  const email = options.as ?? demoConsoleEmail;
  const actor = await findActorByEmail(app.core.db, school.id, email);
  if (actor) return actor;
  throw new TutorbotError(
    'tutorbot_not_staff',
    options.as
      ? `${email} is not an active member of staff at ${school.name}. Check the address, or import the roster that includes them.`
      : `Choose who to chat as with --as EMAIL (a member of staff at ${school.name}).`,
  );
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
