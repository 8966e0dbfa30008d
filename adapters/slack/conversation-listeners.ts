import type { App as BoltApp } from '@slack/bolt';
import { renderHome } from './render-block-kit.ts';
import { afterAck, plainMessageText, slackChannel, type SlackEdgeContext } from './slack-edge-context.ts';
import type { ReplyTarget } from './slack-replier.ts';

/**
 * Where people talk to tutorbot in words: `/tutor …`, direct messages, @mentions, and the App Home.
 * All speak the core's one grammar. Slash commands are acknowledged at once (Slack allows 3 s)
 * and answered through response_url; events are acknowledged by Bolt before listeners run.
 */

interface EventEnvelope {
  team_id?: string;
  enterprise_id?: string;
  is_enterprise_install?: boolean;
  authorizations?: { team_id?: string | null; enterprise_id?: string | null; is_enterprise_install?: boolean }[];
}

interface UserEvent {
  type: string;
  user?: string;
  /** The user's own workspace: differs from the envelope's in shared (Slack Connect) channels. */
  user_team?: string;
  team?: string;
  channel?: string;
  channel_type?: string;
  text?: string;
  subtype?: string;
  bot_id?: string;
  tab?: string;
}

/** The asker's workspace: a user from another organisation is looked up against their own workspace's link. */
function userRef(body: EventEnvelope, event: UserEvent) {
  const authorization = body.authorizations?.[0];
  return {
    teamId: event.user_team ?? event.team ?? authorization?.team_id ?? body.team_id ?? null,
    enterpriseId: authorization?.enterprise_id ?? body.enterprise_id ?? null,
    isEnterpriseInstall: authorization?.is_enterprise_install ?? body.is_enterprise_install ?? false,
    userId: event.user ?? '',
  };
}

export function registerConversationListeners(bolt: BoltApp, edge: SlackEdgeContext): void {
  const { app, identity, replier } = edge;

  bolt.command(/.*/, async ({ command, ack }) => {
    await ack();
    const target: ReplyTarget = { kind: 'response_url', url: command.response_url, conversation: 'shared' };
    await afterAck(edge, 'command', target, async () => {
      const who = await identity.resolve({
        teamId: command.team_id,
        enterpriseId: command.enterprise_id,
        isEnterpriseInstall: command.is_enterprise_install === 'true',
        userId: command.user_id,
      });
      if (!who.ok) return void (await replier.send(who.reply, target));
      // Answers go only to the asker (ephemeral), whatever they contain: a slash command is a question, not an announcement.
      const reply = await app.bot.handleText(who.actor, plainMessageText(command.text), slackChannel('shared'));
      await replier.send(reply, target, { triggerId: command.trigger_id, formOrigin: { conversation: 'shared', responseUrl: command.response_url } });
    });
  });

  bolt.event('message', async ({ event, body }) => {
    const message = event as unknown as UserEvent;
    // Only people's own direct messages: not edits, joins, bot posts (ours included) or channel chatter.
    if (message.channel_type !== 'im' || message.subtype || message.bot_id || !message.user || !message.channel) return;
    const target: ReplyTarget = { kind: 'dm', userId: message.user, channelId: message.channel };
    await afterAck(edge, 'direct_message', target, async () => {
      const who = await identity.resolve(userRef(body as EventEnvelope, message));
      if (!who.ok) return void (await replier.send(who.reply, target));
      const reply = await app.bot.handleText(who.actor, plainMessageText(message.text), slackChannel('direct'));
      await replier.send(reply, target);
    });
  });

  bolt.event('app_mention', async ({ event, body }) => {
    const mention = event as unknown as UserEvent;
    // In a DM the same text also arrives as message.im, which answers it.
    if (!mention.user || !mention.channel || mention.channel.startsWith('D') || mention.bot_id) return;
    const target: ReplyTarget = { kind: 'ephemeral', channelId: mention.channel, userId: mention.user };
    await afterAck(edge, 'app_mention', target, async () => {
      const who = await identity.resolve(userRef(body as EventEnvelope, mention));
      if (!who.ok) return void (await replier.send(who.reply, target));
      const reply = await app.bot.handleText(who.actor, plainMessageText(mention.text), slackChannel('shared'));
      await replier.send(reply, target);
    });
  });

  bolt.event('app_home_opened', async ({ event, body }) => {
    const opened = event as unknown as UserEvent;
    if (opened.tab !== 'home' || !opened.user) return;
    const userId = opened.user;
    await afterAck(edge, 'app_home', null, async () => {
      await publishHome(edge, userRef(body as EventEnvelope, opened), userId);
    });
  });
}

/** Renders the viewer's home (their tutees, what needs doing) into the App Home tab. */
export async function publishHome(edge: SlackEdgeContext, ref: Parameters<SlackEdgeContext['identity']['resolve']>[0], userId: string): Promise<void> {
  const who = await edge.identity.resolve(ref);
  const reply = who.ok ? await edge.app.bot.home(who.actor, slackChannel('direct')) : who.reply;
  await edge.client.views.publish({ user_id: userId, view: renderHome(reply) });
}
