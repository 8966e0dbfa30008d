import { Command } from 'commander';
import { reportCliError } from './cli-app.ts';
import { registerAuditCommand } from './commands/audit-command.ts';
import { registerChatCommand } from './commands/chat-command.ts';
import { registerDatabaseCommands } from './commands/database-commands.ts';
import { registerImportCommand } from './commands/import-command.ts';
import { registerLinkCommand } from './commands/link-command.ts';
import { registerStartCommands } from './commands/start-command.ts';
import { registerCalendarCommand } from './commands/calendar-command.ts';
import { registerSettingsCommand } from './commands/settings-command.ts';
import { registerRemindCommand } from './commands/remind-command.ts';
import { registerDeliveriesCommand } from './commands/deliveries-command.ts';
import { registerHandbookCommand } from './commands/handbook-command.ts';
import { registerUnreachableCommand } from './commands/unreachable-command.ts';

/** The `tutorbot` command line. Each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('tutorbot')
    .description('tutorbot: personal tutoring for secondary schools, in Slack, Microsoft Teams and the console')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  registerStartCommands(program);
  registerChatCommand(program);
  registerDatabaseCommands(program);
  registerImportCommand(program);
  registerLinkCommand(program);
  registerAuditCommand(program);
  registerUnreachableCommand(program);
  registerCalendarCommand(program);
  registerSettingsCommand(program);
  registerRemindCommand(program);
  registerDeliveriesCommand(program);
  registerHandbookCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    reportCliError(error);
  }
}
