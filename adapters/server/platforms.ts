import type { Config } from '../../src/config.ts';
import type { Messenger } from '../../src/delivery/messenger.ts';
import type { PlatformMount } from './http-server.ts';

/**
 * Which platform edges this configuration turns on. They are imported lazily so that the console
 * and the CLI start quickly and never load an SDK they do not use.
 */
export async function platformMessengers(config: Config): Promise<Messenger[]> {
  const messengers: Messenger[] = [];
  if (config.slack) {
    const { SlackMessenger } = await import('../slack/slack-messenger.ts');
    messengers.push(new SlackMessenger(config.slack));
  }
  if (config.teams) {
    const { TeamsMessenger } = await import('../teams/teams-messenger.ts');
    messengers.push(new TeamsMessenger(config.teams));
  }
  return messengers;
}

export async function platformMounts(config: Config): Promise<PlatformMount[]> {
  const mounts: PlatformMount[] = [];
  if (config.slack) mounts.push((await import('../slack/mount-slack.ts')).mountSlack);
  if (config.teams) mounts.push((await import('../teams/mount-teams.ts')).mountTeams);
  return mounts;
}
