import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackHarness } from '../support/slack-harness.ts';
import { engines } from '../support/test-database.ts';

const okafor = 'grace.okafor@northbrook.example';

describe.each(engines)('/tutor slash command over HTTP (%s)', (engine) => {
  const slack = new SlackHarness({ engine });
  beforeAll(() => slack.start());
  afterAll(() => slack.close());

  it('acknowledges at once with an empty 200 and answers the pupil card through response_url, only to the asker', async () => {
    const sent = await slack.slashCommand(okafor, 'who tutors Zoë Ní Bhriain');
    expect(sent.status).toBe(200);
    expect(sent.text).toBe('');
    const posts = slack.fake.responseUrlPosts.filter((post) => sent.responseUrl.endsWith(`/respond/${post.id}`));
    expect(posts).toHaveLength(1);
    expect(posts[0].body.response_type).toBe('ephemeral');
    expect(posts[0].body.replace_original).toBe(false);
    expect(String(posts[0].body.text)).toContain('Tutor');
    const blocks = JSON.stringify(posts[0].body.blocks);
    expect(blocks).toContain('"type":"header"');
    expect(blocks).toContain('Zoë');
    // Nothing is ever posted in the channel itself.
    expect(slack.fake.callsOf('chat.postMessage')).toEqual([]);
  });

  it('speaks the same grammar through say(), answering privately', async () => {
    const replies = await slack.say(okafor, 'help', 'channel');
    expect(replies).toHaveLength(1);
    expect(replies[0].visibleTo).toBe('asker');
    expect(replies[0].text).toContain('who tutors');
  });

  it('answers an empty /tutor with a hint', async () => {
    const replies = await slack.say(okafor, '', 'channel');
    expect(replies.map((reply) => reply.text)).toEqual(['Say "help" to see what I can do.']);
  });

  it('offers a button per pupil when a name is ambiguous, and the pressed choice replaces the list with the card', async () => {
    const replies = await slack.say(okafor, 'who tutors Amelia', 'channel');
    expect(replies).toHaveLength(1);
    const { buttons } = replies[0];
    expect(buttons.length).toBeGreaterThan(1);
    expect(replies[0].visibleTo).toBe('asker');
    const raw = (slack.fake.responseUrlPosts.at(-1)!.body.blocks as { accessory?: { action_id: string } }[])
      .map((block) => block.accessory?.action_id)
      .filter(Boolean);
    // Slack needs action ids unique within a message; the core's id is the part before '::'.
    expect(new Set(raw).size).toBe(raw.length);
    expect(raw.every((id) => id!.startsWith('who_tutors_pick::'))).toBe(true);
    const chosen = buttons[0];
    const mark = slack.fake.calls.length;
    const after = await slack.press(okafor, chosen);
    expect(after).toHaveLength(1);
    expect(after[0].visibleTo).toBe('asker');
    expect(after[0].text).toContain('Tutor');
    const post = slack.fake.calls.slice(mark).find((call) => call.method === 'response_url')!;
    expect(post.args.replace_original).toBe(true);
    expect(post.args.response_type).toBe('ephemeral');
  });

  it('escapes what people typed so it cannot become a mention or a link', async () => {
    // Slack escapes what was typed literally; the core sees it as typed, and it goes back escaped.
    const replies = await slack.say(okafor, 'who tutors &lt;!channel&gt; Zed', 'channel');
    const post = slack.fake.responseUrlPosts.at(-1)!;
    expect(JSON.stringify(post.body)).not.toContain('<!channel>');
    expect(replies[0].text).toContain('<!channel>');
  });
});
