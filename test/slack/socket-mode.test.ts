import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackSocketMode } from '../support/fake-slack-socket-mode.ts';
import { SlackHarness } from '../support/slack-harness.ts';
import { engines } from '../support/test-database.ts';

const okafor = 'grace.okafor@northbrook.example';

describe.each(engines)('Slack over Socket Mode (%s)', (engine) => {
  const slack = new SlackHarness({ engine, transport: 'socket' });
  let socket: FakeSlackSocketMode;
  beforeAll(async () => {
    await slack.start();
    socket = slack.socket as FakeSlackSocketMode;
  });
  afterAll(() => slack.close());

  /** A /tutor command as Slack frames it for Socket Mode, and the id of its response_url. */
  function command(text: string) {
    const user = slack.user(okafor);
    const { body, responseUrl } = slack.slashCommandBody(user, text);
    return { user, payload: Object.fromEntries(new URLSearchParams(body)), responseId: responseUrl.split('/').at(-1) as string };
  }

  function postsTo(responseId: string) {
    return slack.fake.responseUrlPosts.filter((post) => post.id === responseId);
  }

  /** Direct-message replies (not deliveries) posted to this user's DM channel. */
  function dmReplies(userId: string) {
    return slack.fake.callsOf('chat.postMessage').filter((call) => call.args.channel === slack.fake.dmChannelFor(userId));
  }

  async function settled(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await slack.edge.idle();
  }

  it('connects through apps.connections.open at SLACK_API_URL with the app-level token, and is greeted', async () => {
    expect(socket.connections).toBe(1);
    const opens = slack.fake.callsOf('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(slack.edge.name).toBe('slack (socket mode)');
  });

  it('acknowledges a slash command by its envelope id and answers it through response_url', async () => {
    const { payload, responseId } = command('who tutors Zoë Ní Bhriain');
    const { envelopeId, acked } = socket.push('slash_commands', payload);
    const ack = await acked;
    expect(ack.envelope_id).toBe(envelopeId);
    await settled();
    const posts = postsTo(responseId);
    expect(posts).toHaveLength(1);
    expect(posts[0].body.response_type).toBe('ephemeral');
    expect(JSON.stringify(posts[0].body.blocks)).toContain('Zoë');
  });

  it('acknowledges a direct message event and answers it with chat.postMessage', async () => {
    const user = slack.user(okafor);
    const before = dmReplies(user.id).length;
    const { envelopeId, acked } = socket.push('events_api', JSON.parse(slack.eventBody(user, slack.directMessageEvent(user, 'help'))));
    expect((await acked).envelope_id).toBe(envelopeId);
    await settled();
    const replies = dmReplies(user.id).slice(before);
    expect(replies).toHaveLength(1);
    expect(String(replies[0].args.text)).toContain('who tutors');
  });

  it('answers a type-ahead (block_suggestion) with its options in the ack itself', async () => {
    await slack.slashCommand(okafor, 'concern');
    const view = slack.lastModal(okafor) as Record<string, unknown>;
    const options = await slack.suggest(okafor, view, 'pupil', 'Zoë Ní');
    expect(options[0].text.text).toContain('Zoë');
    expect(options[0].value).toMatch(/^#pupil:\d+$/);
  });

  it('reconnects when Slack asks it to (disconnect, refresh_requested), with a fresh apps.connections.open, and goes on answering', async () => {
    const opensBefore = slack.fake.callsOf('apps.connections.open').length;
    const connectionsBefore = socket.connections;
    socket.requestRefresh();
    await socket.connection(connectionsBefore + 1);
    expect(slack.fake.callsOf('apps.connections.open')).toHaveLength(opensBefore + 1);
    // The client closed the old connection itself, with a close frame.
    expect(socket.closes.at(-1)).toMatchObject({ connection: connectionsBefore, by: 'client' });
    const { payload, responseId } = command('help');
    const ack = await socket.push('slash_commands', payload).acked;
    expect(ack.connection).toBe(connectionsBefore + 1);
    await settled();
    expect(postsTo(responseId)).toHaveLength(1);
  });

  it('loses nothing when the connection drops: what Slack held meanwhile is answered after the reconnect', async () => {
    const user = slack.user(okafor);
    const connectionsBefore = socket.connections;
    socket.drop();
    // Sent while nobody is connected: Slack keeps it for the next connection.
    const event = socket.push('events_api', JSON.parse(slack.eventBody(user, slack.directMessageEvent(user, 'help'))));
    const { payload, responseId } = command('who tutors Amelia Jones');
    const slash = socket.push('slash_commands', payload);
    const before = dmReplies(user.id).length;
    await socket.connection(connectionsBefore + 1);
    expect((await event.acked).connection).toBe(connectionsBefore + 1);
    expect((await slash.acked).connection).toBe(connectionsBefore + 1);
    await settled();
    expect(dmReplies(user.id).slice(before)).toHaveLength(1);
    expect(postsTo(responseId)).toHaveLength(1);
    expect(socket.unacknowledged).toEqual([]);
  });

  it('answers a command exactly once when its ack is lost with the connection and Slack redelivers it after the reconnect', async () => {
    const { payload, responseId } = command('who tutors Zoë Ní Bhriain');
    const first = socket.push('slash_commands', payload, { loseAck: true });
    await slack.fake.responseArrived(responseId);
    await settled();
    expect(socket.lostAcks.map((ack) => ack.envelope_id)).toContain(first.envelopeId);
    socket.stopLosingAcks(first.envelopeId);
    const connectionsBefore = socket.connections;
    socket.drop();
    const ack = await first.acked;
    await settled();
    expect(ack.connection).toBe(connectionsBefore + 1);
    const redelivered = socket.sent.filter((sent) => sent.envelope_id === first.envelopeId);
    expect(redelivered.map((sent) => sent.retry_attempt ?? 0)).toEqual([0, 1]);
    expect(postsTo(responseId)).toHaveLength(1);
  });

  it('answers a direct message exactly once when its ack is lost with the connection and Slack redelivers it', async () => {
    const user = slack.user(okafor);
    const before = dmReplies(user.id).length;
    const first = socket.push('events_api', JSON.parse(slack.eventBody(user, slack.directMessageEvent(user, 'help'))), { loseAck: true });
    await new Promise<void>((resolve) => {
      const poll = () => (dmReplies(user.id).length > before ? resolve() : setTimeout(poll, 10));
      poll();
    });
    await settled();
    socket.stopLosingAcks(first.envelopeId);
    socket.drop();
    const ack = await first.acked;
    await settled();
    expect(ack.envelope_id).toBe(first.envelopeId);
    const sent = socket.sent.filter((entry) => entry.envelope_id === first.envelopeId);
    expect(sent.at(-1)).toMatchObject({ retry_attempt: 1, retry_reason: 'timeout' });
    expect(dmReplies(user.id).slice(before)).toHaveLength(1);
  });

  it('keeps trying apps.connections.open through a few seconds of Slack errors instead of giving up on the socket', async () => {
    const opensBefore = slack.fake.callsOf('apps.connections.open').length;
    const connectionsBefore = socket.connections;
    slack.fake.failNext('apps.connections.open', { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    socket.drop();
    await socket.connection(connectionsBefore + 1);
    expect(slack.fake.callsOf('apps.connections.open').length).toBe(opensBefore + 5);
    const { payload, responseId } = command('help');
    await socket.push('slash_commands', payload).acked;
    await settled();
    expect(postsTo(responseId)).toHaveLength(1);
  });
});
