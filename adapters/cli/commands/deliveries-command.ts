import { tz } from '@date-fns/tz';
import type { Command } from 'commander';
import { format } from 'date-fns/format';
import type { App } from '../../../src/app/boot.ts';
import { deliveryStatusCounts, failedDeliveries, idsNotFailed } from '../../../src/delivery/delivery-report.ts';
import { TutorbotError } from '../../../src/errors.ts';
import { blocksToText } from '../../../src/reply.ts';
import { findSchool } from '../../../src/schools/find-school.ts';
import { withApp } from '../cli-app.ts';

/**
 * `tutorbot deliveries` (counts by status), `--failed` (the dead-letter list: messages that kept
 * failing) and `--retry [ID…]` (put them back in the queue; all failed ones without ids).
 * Recipients are staff; no message text is stored, so none is printed.
 */
export async function listFailedDeliveries(app: Pick<App, 'core'>, options: { school?: string; limit?: number } = {}): Promise<string> {
  const school = options.school ? await findSchool(app.core.db, options.school) : null;
  const rows = await failedDeliveries(app.core.db, { schoolId: school?.id, limit: options.limit });
  if (rows.length === 0) return 'No failed deliveries: nothing is in the dead-letter list.';
  const table = blocksToText([
    {
      type: 'table',
      columns: ['ID', 'Kind', 'Recipient', 'Attempts', 'Last error', 'When'],
      rows: rows.map((row) => [
        String(row.id),
        row.kind,
        `${row.recipientName} <${row.recipientEmail}>`,
        String(row.attempts),
        (row.lastError ?? '').replace(/\s+/g, ' ').slice(0, 80),
        format(row.updatedAt, 'yyyy-MM-dd HH:mm', { in: tz(row.timeZone) }),
      ]),
    },
  ]);
  return `${rows.length} failed deliver${rows.length === 1 ? 'y' : 'ies'}:\n\n${table}\n\nRetry them with: tutorbot deliveries --retry [ID…]`;
}

export async function retryFailedDeliveries(app: Pick<App, 'core' | 'deliveries'>, rawIds: string[]): Promise<string> {
  const ids = rawIds.map((raw) => {
    if (!/^\d{1,15}$/.test(raw.trim())) throw new TutorbotError('tutorbot_user_input', `"${raw}" is not a delivery id; ids are the numbers --failed prints.`);
    return Number(raw);
  });
  if (ids.length > 0) {
    const notFailed = await idsNotFailed(app.core.db, ids);
    if (notFailed.length > 0) {
      throw new TutorbotError(
        'tutorbot_user_input',
        `Not in the dead-letter list: ${notFailed.join(', ')} (unknown ids, or already sent or queued). Nothing was retried. See: tutorbot deliveries --failed`,
      );
    }
  }
  const count = await app.deliveries.retryFailed(ids.length > 0 ? ids : undefined);
  return count === 0 ? 'No failed deliveries to retry.' : `Queued ${count} deliver${count === 1 ? 'y' : 'ies'} again; the running server sends them.`;
}

export async function deliveryCounts(app: Pick<App, 'core'>): Promise<string> {
  const rows = await deliveryStatusCounts(app.core.db);
  if (rows.length === 0) return 'No deliveries yet.';
  return `Deliveries by status:\n${rows.map((row) => `  ${row.status.padEnd(12)} ${row.count}`).join('\n')}\n\nList the failed ones with: tutorbot deliveries --failed`;
}

export function registerDeliveriesCommand(program: Command): void {
  program
    .command('deliveries')
    .description('outbound messages: counts by status; --failed lists the dead-letter list; --retry [ID…] sends them again')
    .option('--failed', 'list deliveries that kept failing (id, kind, recipient, attempts, last error, when)')
    .option('--retry [ids...]', 'put failed deliveries back in the queue (all of them when no id is given)')
    .option('--school <name>', 'with --failed: only this school')
    .action(async (options: { failed?: boolean; retry?: boolean | string[]; school?: string }) => {
      if (options.failed && options.retry) throw new TutorbotError('tutorbot_user_input', 'Use --failed or --retry, not both.');
      await withApp({ jobs: options.retry ? 'send' : 'none' }, async (app) => {
        let output: string;
        if (options.retry) output = await retryFailedDeliveries(app, Array.isArray(options.retry) ? options.retry : []);
        else if (options.failed) output = await listFailedDeliveries(app, { school: options.school });
        else output = await deliveryCounts(app);
        process.stdout.write(`${output}\n`);
      });
    });
}
