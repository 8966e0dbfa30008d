import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackHarness } from '../support/slack-harness.ts';
import { engines } from '../support/test-database.ts';
import { probeFilesFeature, probeHomeFeature } from './probe-features.ts';

const okafor = 'grace.okafor@northbrook.example';

describe.each(engines)('Slack direct messages, mentions and App Home (%s)', (engine) => {
  const slack = new SlackHarness({ engine, features: [probeFilesFeature, probeHomeFeature] });
  beforeAll(() => slack.start());
  afterAll(() => slack.close());

  it('answers a direct message in the DM, with the same grammar', async () => {
    const replies = await slack.say(okafor, 'who tutors Zoë Ní Bhriain', 'direct');
    expect(replies).toHaveLength(1);
    expect(replies[0].visibleTo).toBe('dm');
    expect(replies[0].text).toContain('Tutor');
    const post = slack.fake.callsOf('chat.postMessage').at(-1)!;
    expect(post.args.channel).toBe(slack.fake.dmChannelFor(slack.user(okafor).id));
  });

  it('ignores bot messages, edits and channel chatter', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    const dm = slack.directMessageEvent(user, 'who tutors Amelia Jones');
    await slack.post(slack.eventBody(user, { ...dm, bot_id: 'B0OTHERBOT', subtype: 'bot_message' }), 'application/json');
    await slack.post(slack.eventBody(user, { ...dm, subtype: 'message_changed' }), 'application/json');
    await slack.post(slack.eventBody(user, { ...dm, channel: 'C0STAFFROOM', channel_type: 'channel' }), 'application/json');
    expect(slack.fake.calls.slice(mark)).toEqual([]);
  });

  it('answers an @mention in a channel privately, as an ephemeral message', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    const body = slack.eventBody(user, {
      type: 'app_mention',
      channel: 'C0STAFFROOM',
      text: '<@UTUTORBOT> who tutors Zoë Ní Bhriain',
      ts: '1700000001.000200',
    });
    expect((await slack.post(body, 'application/json')).status).toBe(200);
    const calls = slack.fake.calls.slice(mark);
    expect(calls.filter((call) => call.method === 'chat.postMessage')).toEqual([]);
    const ephemeral = calls.filter((call) => call.method === 'chat.postEphemeral');
    expect(ephemeral).toHaveLength(1);
    expect(ephemeral[0].args).toMatchObject({ channel: 'C0STAFFROOM', user: user.id });
    expect(String(ephemeral[0].args.text)).toContain('Tutor');
  });

  it('renders tables and progress as text, and uploads a file into the DM', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    const replies = await slack.say(okafor, 'caseload year 9 csv', 'direct');
    expect(replies).toHaveLength(1);
    const post = slack.fake.calls.slice(mark).find((call) => call.method === 'chat.postMessage')!;
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain('```Tutor');
    expect(blocks).toContain('███░░░░░░░');
    const upload = slack.fake.calls.slice(mark).find((call) => call.method === 'files.completeUploadExternal');
    expect(upload?.args.channel_id).toBe(slack.fake.dmChannelFor(user.id));
    expect(slack.fake.calls.slice(mark).find((call) => call.method === 'file_upload')?.args.content).toContain('Ms Okafor,28');
  });

  it('shows a file as a snippet instead of uploading it when asked in a channel', async () => {
    const mark = slack.fake.calls.length;
    await slack.say(okafor, 'caseload year 9 csv', 'channel');
    const calls = slack.fake.calls.slice(mark);
    expect(calls.some((call) => call.method.startsWith('files.'))).toBe(false);
    const post = calls.find((call) => call.method === 'response_url')!;
    expect(JSON.stringify(post.args.blocks)).toContain('Ms Okafor,28');
    expect(post.args.response_type).toBe('ephemeral');
  });

  it('publishes the App Home when it is opened, and its buttons answer by DM and refresh it', async () => {
    const user = slack.user(okafor);
    const actor = await slack.app.actor(okafor);
    const mark = slack.fake.calls.length;
    const body = slack.eventBody(user, { type: 'app_home_opened', channel: slack.fake.dmChannelFor(user.id), tab: 'home' });
    await slack.post(body, 'application/json');
    const published = slack.fake.calls.slice(mark).filter((call) => call.method === 'views.publish');
    expect(published).toHaveLength(1);
    expect(published[0].args.user_id).toBe(user.id);
    const view = published[0].args.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(JSON.stringify(view.blocks)).toContain(`Your tutees, staff ${actor.staffId}`);

    const pressMark = slack.fake.calls.length;
    const refresh = (view.blocks as { elements?: { action_id: string; value: string }[] }[])
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id.startsWith('probe_refresh::'))!;
    await slack.interaction({
      type: 'block_actions',
      user: slack.interactionUser(user),
      api_app_id: 'A0TUTORBOT',
      token: 'x',
      container: { type: 'view', view_id: 'V0HOME' },
      trigger_id: slack.newTrigger(user, ''),
      team: { id: user.teamId, domain: 'northbrook' },
      is_enterprise_install: false,
      view: { id: 'V0HOME', type: 'home', blocks: view.blocks, private_metadata: '', callback_id: '', state: { values: {} } },
      actions: [{ type: 'button', action_id: refresh.action_id, block_id: 'actions-0', value: refresh.value, action_ts: '1' }],
    });
    const after = slack.fake.calls.slice(pressMark).map((call) => call.method);
    expect(after).toContain('chat.postMessage');
    expect(after).toContain('views.publish');
    expect(slack.repliesTo(user, pressMark).map((reply) => reply.text)).toEqual(['Refreshed home-1']);
  });

  it('ignores the Messages tab being opened', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    await slack.post(slack.eventBody(user, { type: 'app_home_opened', channel: slack.fake.dmChannelFor(user.id), tab: 'messages' }), 'application/json');
    expect(slack.fake.calls.slice(mark)).toEqual([]);
  });
});
