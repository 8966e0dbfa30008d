import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackHarness, staffRoomChannel } from '../support/slack-harness.ts';
import { engines } from '../support/test-database.ts';
import { probeFormFeature, probeState, submissions } from './probe-features.ts';

const okafor = 'grace.okafor@northbrook.example';

interface ModalView {
  type: string;
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  blocks: {
    type: string;
    block_id: string;
    optional: boolean;
    element: { type: string; action_id: string; initial_value?: string; initial_option?: { value: string } };
  }[];
}

describe.each(engines)('Slack modals for forms (%s)', (engine) => {
  const slack = new SlackHarness({ engine, features: [probeFormFeature] });
  beforeAll(() => slack.start());
  afterAll(() => slack.close());

  async function pupilId(name: string): Promise<number> {
    const [given, ...family] = name.split(' ');
    const row = await slack.app.core.db
      .selectFrom('pupil')
      .select('id')
      .where('given_name', '=', given)
      .where('family_name', '=', family.join(' '))
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('opens a modal for a bare "/tutor concern", with a searchable pupil field', async () => {
    const sent = await slack.slashCommand(okafor, 'concern');
    expect(sent.status).toBe(200);
    const opened = slack.fake.callsOf('views.open').at(-1)!;
    expect(opened.args.trigger_id).toBe(sent.triggerId);
    const view = opened.args.view as ModalView;
    expect(view.type).toBe('modal');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const pupil = view.blocks.find((block) => block.block_id === 'pupil')!;
    expect(pupil.type).toBe('input');
    expect(pupil.optional).toBe(false);
    expect(pupil.element).toMatchObject({ type: 'external_select', action_id: 'pupil', min_query_length: 2 });
    expect(view.blocks.find((block) => block.block_id === 'text')!.element.type).toBe('plain_text_input');
    expect(view.blocks.find((block) => block.block_id === 'urgency')!.element.initial_option?.value).toBe('low');
    expect(view.blocks.find((block) => block.block_id === 'seen')!.element.type).toBe('datepicker');
    // Nothing else was said: the modal is the answer.
    expect(slack.fake.responseUrlPosts.filter((post) => sent.responseUrl.endsWith(`/respond/${post.id}`))).toEqual([]);
  });

  it('suggests pupils as the name is typed (block_suggestion)', async () => {
    await slack.slashCommand(okafor, 'concern');
    const view = slack.lastModal(okafor)!;
    const options = await slack.suggest(okafor, view, 'pupil', 'Zoë Ní');
    expect(options.length).toBeGreaterThan(0);
    expect(options[0].text.text).toContain('Zoë');
    expect(options[0].value).toMatch(/^#pupil:\d+$/);
    expect(await slack.suggest('stranger@elsewhere.example', view, 'pupil', 'Zoë')).toEqual([]);
  });

  it("keeps the modal open with the core's errors on the right fields", async () => {
    await slack.slashCommand(okafor, 'concern');
    const view = slack.lastModal(okafor)!;
    const before = submissions.length;
    const answer = await slack.submitModal(okafor, view, { text: '' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ response_action: 'errors', errors: { pupil: 'Choose a pupil.', text: 'Write what happened.' } });
    expect(submissions.length).toBe(before);
  });

  it('puts an error about the form as a whole on its first field', async () => {
    await slack.slashCommand(okafor, 'concern');
    const view = slack.lastModal(okafor)! as unknown as ModalView;
    const tampered = { ...view, private_metadata: view.private_metadata.replace(probeState, 'forged') };
    const answer = await slack.submitModal(okafor, tampered as unknown as Record<string, unknown>, { pupil: '#pupil:1', text: 'x' });
    expect(answer.json).toEqual({ response_action: 'errors', errors: { pupil: 'The form was tampered with.' } });
  });

  it('submits, closes the modal and answers privately where the command was typed', async () => {
    const sent = await slack.slashCommand(okafor, 'concern');
    const view = slack.lastModal(okafor)!;
    const id = await pupilId('Zoë Ní Bhriain');
    const mark = slack.fake.calls.length;
    const answer = await slack.submitModal(okafor, view, { pupil: `#pupil:${id}`, text: 'Upset after lunch', urgency: 'high', seen: '2026-11-20' });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const submission = submissions.at(-1)!;
    expect(submission.values).toEqual({ pupil: `#pupil:${id}`, text: 'Upset after lunch', urgency: 'high', seen: '2026-11-20' });
    expect(submission.state).toBe(probeState);
    const posts = slack.fake.calls.slice(mark).filter((call) => call.method === 'response_url');
    expect(posts).toHaveLength(1);
    expect(sent.responseUrl.endsWith(`/respond/${posts[0].args.id}`)).toBe(true);
    expect(posts[0].args.response_type).toBe('ephemeral');
    expect(posts[0].args.text).toBe(`Concern logged for pupil ${id}.`);
    expect(slack.fake.calls.slice(mark).some((call) => call.method === 'chat.postMessage')).toBe(false);
  });

  it("answers by DM when the command's response_url has expired", async () => {
    await slack.slashCommand(okafor, 'concern');
    const view = slack.lastModal(okafor)!;
    const id = await pupilId('Zoë Ní Bhriain');
    slack.fake.failNext('response_url', { status: 502 });
    const mark = slack.fake.calls.length;
    await slack.submitModal(okafor, view, { pupil: `#pupil:${id}`, text: 'Second note' });
    const dm = slack.fake.calls.slice(mark).filter((call) => call.method === 'chat.postMessage');
    expect(dm).toHaveLength(1);
    expect(dm[0].args.channel).toBe(slack.fake.dmChannelFor(slack.user(okafor).id));
  });

  it('opens the form from the global shortcut "Log a concern"', async () => {
    const user = slack.user(okafor);
    const triggerId = slack.newTrigger(user, '');
    await slack.interaction({
      type: 'shortcut',
      token: 'x',
      action_ts: '1700000000.1',
      team: { id: user.teamId, domain: 'northbrook' },
      user: { id: user.id, username: user.name, team_id: user.teamId },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: 'log_concern',
      trigger_id: triggerId,
    });
    const opened = slack.fake.callsOf('views.open').at(-1)!;
    expect(opened.args.trigger_id).toBe(triggerId);
    const metadata = JSON.parse((opened.args.view as ModalView).private_metadata);
    expect(metadata).toMatchObject({ f: 'concern', c: 'direct' });
  });

  it('pre-fills the text from the message the "Log as concern" shortcut was used on', async () => {
    const user = slack.user(okafor);
    const triggerId = slack.newTrigger(user, staffRoomChannel);
    await slack.interaction({
      type: 'message_action',
      token: 'x',
      action_ts: '1700000000.2',
      team: { id: user.teamId, domain: 'northbrook' },
      user: { id: user.id, username: user.name, team_id: user.teamId },
      channel: { id: staffRoomChannel, name: 'staffroom' },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: 'log_as_concern',
      trigger_id: triggerId,
      message_ts: '1700000000.000300',
      response_url: slack.newResponseUrl(user, staffRoomChannel),
      message: { type: 'message', user: 'U0SOMEONE', ts: '1700000000.000300', text: '<@U0SOMEONE> saw Zoë crying &amp; alone at break' },
    });
    const view = slack.fake.callsOf('views.open').at(-1)!.args.view as ModalView;
    expect(view.blocks.find((block) => block.block_id === 'text')!.element.initial_value).toBe('saw Zoë crying & alone at break');
  });

  it('offers a button to open the form in a DM (no trigger there), and the button opens it', async () => {
    const replies = await slack.say(okafor, 'concern', 'direct');
    expect(replies).toHaveLength(1);
    expect(replies[0].buttons).toHaveLength(1);
    const [open] = replies[0].buttons;
    expect(open.actionId).toBe('tutorbot:open_form');
    const after = await slack.press(okafor, open);
    expect(after).toHaveLength(1);
    expect(after[0].text).toContain('Log a concern');
    expect(after[0].text).toContain('Pupil');
  });
});
