import type { Command } from 'commander';
import { listUnreachableStaff, type UnreachableStaff } from '../../../src/delivery/held-deliveries.ts';
import { findSchool } from '../../../src/schools/find-school.ts';
import { withApp } from '../cli-app.ts';

/**
 * `tutorbot unreachable`: active staff with messages waiting because no platform can reach them,
 * each with the reason the platform gave (not installed in Teams, a deactivated Slack account,
 * no such user), so an admin knows what to fix; the messages go out by themselves once it is.
 */
export function formatUnreachableStaff(rows: UnreachableStaff[], schoolName: string): string {
  if (rows.length === 0) return `Everyone at ${schoolName} with messages waiting can be reached.\n`;
  const table = [
    ['name', 'email', 'waiting', 'oldest', 'why'],
    ...rows.map((row) => [row.name, row.email, String(row.waiting), row.oldest.toISOString().slice(0, 16).replace('T', ' '), row.reason]),
  ];
  const widths = table[0].map((_, column) => Math.max(...table.map((line) => line[column].length)));
  const lines = table.map((line) =>
    line
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  return (
    `${rows.length} member(s) of staff at ${schoolName} cannot be reached; the last column says why. ` +
    `Their messages are kept and go out as soon as they can be reached.\n\n${lines.join('\n')}\n`
  );
}

export function registerUnreachableCommand(program: Command): void {
  program
    .command('unreachable')
    .description('list staff with messages waiting because no chat platform can reach them yet')
    .option('--school <name>', 'the school (name, URN or id); optional when there is only one')
    .option('--json', 'print JSON')
    .action(async (options: { school?: string; json?: boolean }) =>
      withApp({ jobs: 'none' }, async (app) => {
        const school = await findSchool(app.core.db, options.school);
        const rows = await listUnreachableStaff(app.core.db, school.id);
        process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatUnreachableStaff(rows, school.name));
      }),
    );
}
