import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { updateSchoolSettings } from '../../src/schools/school-settings.ts';
import { engines } from '../support/test-database.ts';
import { createTeamsHarness, renderActivity } from '../support/teams-harness.ts';

const grace = 'grace.okafor@northbrook.example';
const daniel = 'daniel.reid@northbrook.example';
const sunita = 'sunita.rao@northbrook.example';
const ruth = 'ruth.oyelaran@northbrook.example';

describe.each(engines)('Teams channels and group chats on %s', (engine) => {
  const harness = createTeamsHarness(engine);
  beforeAll(async () => {
    await harness.start();
    await harness.install(grace);
  });
  afterAll(() => harness.close());

  test('by default who tutors by @mention posts only a note in the channel, with no pupil data, and the card privately', async () => {
    const result = await harness.channelMessage(grace, 'who tutors Amelia Jones');
    const channel = result.calls.filter((call) => call.method === 'POST' && call.conversationId?.startsWith('19:'));
    expect(channel.map((call) => renderActivity(call.body!).text)).toEqual(['I’ve sent you the details in a private chat.']);
    for (const call of channel) for (const secret of ['Amelia', 'Jones', '9A', 'Aurora', 'House']) expect(JSON.stringify(call.body)).not.toContain(secret);
    const dm = result.calls.filter((call) => call.method === 'POST' && call.conversationId === harness.personalConversationId(grace));
    expect(renderActivity(dm[0].body!).text).toContain('House: Aurora');
  });

  test('a refusal in a channel does not echo the typed name there', async () => {
    const result = await harness.channelMessage(grace, 'who tutors Xanthippe Qwertyuiop');
    const channel = result.calls.filter((call) => call.method === 'POST' && call.conversationId?.startsWith('19:'));
    expect(channel).toHaveLength(1);
    for (const call of channel) expect(JSON.stringify(call.body)).not.toContain('Xanthippe');
    const dm = result.calls.filter((call) => call.method === 'POST' && call.conversationId === harness.personalConversationId(grace));
    expect(renderActivity(dm[0].body!).text).toContain('Xanthippe');
  });

  test('with the school’s teamsChannelCards setting on, who tutors by @mention shows only name, form and tutor in the channel, and the card privately', async () => {
    await updateSchoolSettings(harness.app.core.db, harness.app.schoolId, { teamsChannelCards: true });
    const replies = await harness
      .say(grace, 'who tutors Amelia Jones', 'channel')
      .finally(() => updateSchoolSettings(harness.app.core.db, harness.app.schoolId, { teamsChannelCards: false }));
    const channel = replies.filter((reply) => reply.visibleTo === 'channel');
    const dm = replies.filter((reply) => reply.visibleTo === 'dm');
    expect(channel).toHaveLength(1);
    expect(channel[0].text).toContain('Amelia Jones (9A): tutor Ms Grace Okafor');
    expect(channel[0].text).toContain('I’ve sent you the details in a private chat.');
    for (const hidden of ['House', 'Aurora', 'Year:', 'SEN', 'EAL', '@northbrook.example']) expect(channel[0].text).not.toContain(hidden);
    expect(dm).toHaveLength(1);
    expect(dm[0].text).toContain('House: Aurora');
  });

  test('the channel answer is a threaded reply; the private card goes to the stored 1:1 chat', async () => {
    const result = await harness.channelMessage(grace, 'who tutors Sam Patel-Hughes');
    const posts = result.calls.filter((call) => call.method === 'POST');
    const inChannel = posts.find((call) => call.conversationId?.startsWith('19:'));
    const inPrivate = posts.find((call) => call.conversationId === harness.personalConversationId(grace));
    expect(inChannel?.activityId).toBeTruthy(); // POST …/activities/{replyToId}
    expect(inPrivate?.activityId).toBeNull(); // a new message in the 1:1 chat
    expect(result.calls.some((call) => call.path === '/v3/conversations')).toBe(false);
  });

  test('the member look-up in a channel asks the team roster', async () => {
    const result = await harness.channelMessage(sunita, 'help');
    const lookup = result.calls.find((call) => call.method === 'GET');
    expect(lookup?.conversationId).toBe('19:northbrook-staff-team@thread.tacv2');
    // Answers asked in a channel arrive in the asker's personal chat.
    const help = result.calls.find((call) => call.method === 'POST' && call.conversationId === harness.personalConversationId(sunita))!;
    expect(renderActivity(help.body!).text).toContain('who tutors <pupil>');
  });

  test('someone with no 1:1 chat yet gets one opened for them (POST v3/conversations)', async () => {
    const replies = await harness.say(daniel, 'who tutors José Martínez-López', 'channel');
    const created = harness.connector.calls.filter((call) => call.path === '/v3/conversations');
    expect(created.at(-1)?.body).toMatchObject({ isGroup: false, members: [{ id: harness.userFor(daniel).id }] });
    expect(replies.find((reply) => reply.visibleTo === 'dm')?.text).toContain('José Martínez-López');
    const actor = await harness.app.actor(daniel);
    const stored = await harness.app.core.db.selectFrom('conversation_ref').select('address').where('staff_id', '=', actor.staffId).executeTakeFirst();
    expect((stored?.address as { conversationId?: string } | undefined)?.conversationId).toBe(harness.personalConversationId(daniel));
  });

  test('when the asker cannot be reached privately, the channel is told so without pupil details', async () => {
    harness.addTeamsUser(ruth, 'Dr Ruth Oyelaran', { canChat: false });
    const replies = await harness.say(ruth, 'who tutors Zoë Ní Bhriain', 'channel');
    expect(replies.filter((reply) => reply.visibleTo === 'dm')).toEqual([]);
    const [channel] = replies;
    expect(channel.visibleTo).toBe('channel');
    expect(channel.text).toContain('I couldn’t send you the details in a private chat');
    expect(channel.text).not.toContain('Aurora');
    expect(channel.text).not.toContain('Year:');
  });

  test('an ambiguous name in a channel sends the choices privately', async () => {
    const replies = await harness.say(grace, 'who tutors Amelia', 'channel');
    const channel = replies.filter((reply) => reply.visibleTo === 'channel');
    expect(channel.map((reply) => reply.text)).toEqual(['I’ve sent you the details in a private chat.']);
    const dm = replies.find((reply) => reply.visibleTo === 'dm')!;
    expect(dm.buttons.length).toBeGreaterThan(1);
    expect(dm.text).toContain('Amelia Jones');
  });

  test('a channel message that does not mention the bot is ignored', async () => {
    const result = await harness.channelMessage(grace, 'who tutors Amelia Jones', { mention: false });
    expect(result.status).toBe(200);
    expect(result.calls).toEqual([]);
  });

  test('a group chat counts as shared: pupil details go privately', async () => {
    const base = harness.base(grace, 'personal');
    const result = await harness.post({
      ...base,
      type: 'message',
      id: harness.nextActivityId(),
      conversation: {
        isGroup: true,
        conversationType: 'groupChat',
        tenantId: (base.conversation as { tenantId: string }).tenantId,
        id: '19:group-chat-id@thread.v2',
      },
      text: '<at>tutorbot</at> who tutors Amelia Jones',
      entities: [{ type: 'mention', text: '<at>tutorbot</at>', mentioned: { id: (base.recipient as { id: string }).id, name: 'tutorbot' } }],
    });
    const group = result.calls.find((call) => call.method === 'POST' && call.conversationId === '19:group-chat-id@thread.v2');
    expect(renderActivity(group!.body!).text).not.toContain('Aurora');
    expect(result.calls.some((call) => call.conversationId === harness.personalConversationId(grace) && call.method === 'POST')).toBe(true);
  });
});
