import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { logAsConcernShortcut, logConcernShortcut } from '../../adapters/slack/interaction-listeners.ts';

const root = path.resolve(import.meta.dirname, '../..');

interface Manifest {
  features: {
    app_home: Record<string, boolean>;
    shortcuts: { callback_id: string; type: string; name: string; description: string }[];
    slash_commands: { command: string; url: string; usage_hint: string; description: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string; message_menu_options_url: string };
    socket_mode_enabled: boolean;
  };
}

describe('the Slack app manifest', () => {
  const manifest = parse(readFileSync(path.join(root, 'manifest/slack/manifest.yml'), 'utf8')) as Manifest;

  it('declares the /tutor command, both shortcuts and the App Home the edge serves', () => {
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(['/tutor']);
    expect(manifest.features.slash_commands[0].usage_hint.length).toBeGreaterThan(0);
    expect(manifest.features.shortcuts.map((shortcut) => [shortcut.type, shortcut.callback_id])).toEqual([
      ['global', logConcernShortcut],
      ['message', logAsConcernShortcut],
    ]);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    for (const shortcut of manifest.features.shortcuts) expect(shortcut.description.length).toBeLessThanOrEqual(150);
  });

  it('asks for exactly the scopes the edge uses and subscribes to its events', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['app_mentions:read', 'chat:write', 'commands', 'files:write', 'im:history', 'im:write', 'users:read', 'users:read.email'].sort(),
    );
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(['app_home_opened', 'app_mention', 'message.im']);
  });

  it('sends everything to the one /slack/events URL, over HTTP rather than Socket Mode', () => {
    const urls = [
      manifest.features.slash_commands[0].url,
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
    ];
    expect(new Set(urls)).toEqual(new Set(['https://YOUR-HOST/slack/events']));
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
