import type { Command } from 'commander';
import { parseConfig } from '../../../src/config.ts';
import { ConsoleMessenger } from '../../console/console-messenger.ts';
import { runConsoleChat } from '../../console/console-chat.ts';
import { boot } from '../../../src/app/boot.ts';
import { platformMessengers } from '../../platform-edges.ts';
import { consoleActor } from './start-command.ts';

/** `tutorbot chat --as <email>`: the console chat alone (no server), scriptable through stdin. */
export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description('chat with tutorbot in the terminal as a member of staff; reads commands from stdin when piped')
    .requiredOption('--as <email>', 'the member of staff to chat as')
    .option('--school <name>', 'the school, when the database holds several')
    .action(async (options: { as: string; school?: string }) => {
      const consoleMessenger = new ConsoleMessenger();
      const config = parseConfig();
      // The chat works the delivery queue like the server does, so it sends through every platform
      // configured here, not only to the terminal: what it logs reaches Slack and Teams at once.
      const messengers = [...(await platformMessengers(config)), consoleMessenger];
      const app = await boot(config, { jobs: 'work', messengers });
      try {
        const actor = await consoleActor(app, options);
        await runConsoleChat({
          bot: app.bot,
          actor,
          input: process.stdin,
          output: process.stdout,
          interactive: Boolean(process.stdin.isTTY),
          banner: process.stdin.isTTY ? `You are ${actor.displayName}. Type help for the commands, quit to leave.` : undefined,
          messenger: consoleMessenger,
          onReady: async () => void (await app.deliveries.flushFor(actor.staffId)),
        });
      } finally {
        await app.close();
      }
    });
}
