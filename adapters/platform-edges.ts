import type { Config } from '../src/config.ts';
import type { Messenger } from '../src/delivery/messenger.ts';
import type { PlatformMount } from './server/platform-mount.ts';

/**
 * The catalogue of chat-platform edges: for each, whether this configuration turns it on, its
 * messenger (deliveries) and its mount (the HTTP server). Each is imported lazily, so the console
 * and the CLI start quickly and never load an SDK they do not use. A new platform is its folder
 * under adapters/ plus one entry here.
 */
export interface PlatformEdge {
  name: string;
  configured(config: Config): boolean;
  messenger(config: Config): Promise<Messenger>;
  mount(): Promise<PlatformMount>;
}

export const platformEdges: readonly PlatformEdge[] = [
  {
    name: 'slack',
    configured: (config) => config.slack !== null,
    messenger: async (config) => new (await import('./slack/slack-messenger.ts')).SlackMessenger(config.slack!),
    mount: async () => (await import('./slack/mount-slack.ts')).mountSlack,
  },
  {
    name: 'teams',
    configured: (config) => config.teams !== null,
    messenger: async (config) => new (await import('./teams/teams-messenger.ts')).TeamsMessenger(config.teams!),
    mount: async () => (await import('./teams/mount-teams.ts')).mountTeams,
  },
];

export async function platformMessengers(config: Config): Promise<Messenger[]> {
  return Promise.all(platformEdges.filter((edge) => edge.configured(config)).map((edge) => edge.messenger(config)));
}

export async function platformMounts(config: Config): Promise<PlatformMount[]> {
  return Promise.all(platformEdges.filter((edge) => edge.configured(config)).map((edge) => edge.mount()));
}
