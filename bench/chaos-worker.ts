/**
 * One worker process of the chaos run (bench/chaos-deliveries.ts): the server's delivery side
 * alone, `boot(config, { jobs: 'work' })` with a Slack messenger pointed at the bench's fake Web
 * API (SLACK_API_URL) and the bench's own delivery kind. It says "ready" on stdout once pg-boss
 * works, and runs until it is killed (kill -9 is the point).
 */
import { SlackMessenger } from '../adapters/slack/slack-messenger.ts';
import { boot } from '../src/app/boot.ts';
import { features } from '../src/app/features.ts';
import { parseConfig } from '../src/config.ts';
import type { Feature } from '../src/feature.ts';
import { createLogger } from '../src/logger.ts';
import { textReply } from '../src/reply.ts';

export const chaosKind = 'chaos-notice';

/** A bench-only feature: one delivery kind whose message names its number in the batch. */
export const chaosFeature: Feature = {
  name: 'chaos',
  deliveries: {
    [chaosKind]: { render: async (_core, delivery) => textReply(`Chaos notice ${String(delivery.subject.n)} of the batch`) },
  },
};

if (import.meta.main) {
  const config = parseConfig();
  if (!config.slack) throw new Error('chaos worker: SLACK_BOT_TOKEN and SLACK_API_URL are needed');
  const logger = createLogger(config.logLevel);
  const app = await boot(config, { jobs: 'work', features: [...features, chaosFeature], messengers: [new SlackMessenger(config.slack, { logger })], logger });
  await app.jobsStarted;
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => void app.close().finally(() => process.exit(0)));
}
