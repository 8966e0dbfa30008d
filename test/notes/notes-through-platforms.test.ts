import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackHarness } from '../support/slack-harness.ts';
import { createTeamsHarness } from '../support/teams-harness.ts';
import { engines } from '../support/test-database.ts';

// The demo school: Ms Okafor tutors Amelia Jones (9A); Mr Reid tutors 9B.
const okafor = 'grace.okafor@northbrook.example';
const reid = 'daniel.reid@northbrook.example';

describe.each(engines)('a concern logged through Slack reaches the tutor once (%s)', (engine) => {
  const slack = new SlackHarness({ engine, demo: { pupils: 120 } });
  beforeAll(() => slack.start());
  afterAll(() => slack.close());

  it('sends exactly one DM to the tutor even when Slack retries the event, and one acknowledgement back', async () => {
    const first = await slack.directMessage(reid, 'concern Amelia Jones: said nobody would sit with her in PE', { eventId: 'EvNOTE00001' });
    const retry = await slack.post(first.body, 'application/json', { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    const again = await slack.post(first.body, 'application/json', { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' } });
    expect([first.status, retry.status, again.status]).toEqual([200, 200, 200]);
    const notes = await slack.app.core.db.selectFrom('note').select('id').execute();
    expect(notes).toHaveLength(1);

    const toTutor = (await slack.directMessagesTo(okafor)).filter((dm) => dm.text.includes('nobody would sit with her'));
    expect(toTutor).toHaveLength(1);
    const acknowledge = toTutor[0].buttons.find((button) => button.actionId === 'note_ack');
    expect(acknowledge).toBeDefined();
    expect(toTutor[0].buttons.map((button) => button.actionId)).toContain('note_followup');

    await slack.press(okafor, acknowledge!);
    await slack.press(okafor, acknowledge!);
    const toReporter = (await slack.directMessagesTo(reid)).filter((dm) => dm.text.includes('was acknowledged by Ms Grace Okafor'));
    expect(toReporter).toHaveLength(1);
    expect(toReporter[0].text).not.toContain('nobody would sit');

    // Add follow-up opens a modal in Slack; what is written there is saved once, as a follow-up.
    await slack.press(okafor, toTutor[0].buttons.find((button) => button.actionId === 'note_followup')!);
    const modal = slack.lastModal(okafor);
    expect(modal).not.toBeNull();
    const textBlock = (modal!.blocks as { block_id: string; element: { type: string } }[]).find((block) => block.element?.type === 'plain_text_input')!;
    const submitted = await slack.submitModal(okafor, modal!, { [textBlock.block_id]: 'Spoke to Amelia and her PE teacher.' });
    expect(submitted.status).toBe(200);
    const followUps = await slack.app.core.db.selectFrom('note').select(['id', 'parent_note_id']).where('kind', '=', 'followup').execute();
    expect(followUps).toEqual([{ id: expect.any(Number), parent_note_id: notes[0].id }]);
  });

  it('answers a concern sent as a slash command in a channel only to the asker, without the text', async () => {
    const replies = await slack.say(reid, 'concern Sam Patel: no lunch money again', 'channel');
    expect(replies).toHaveLength(1);
    expect(replies[0].visibleTo).toBe('asker');
    expect(replies[0].text).toContain('went to Ms Grace Okafor');
    expect(replies[0].text).not.toContain('lunch money');
  });
});

describe.each(engines)('a concern logged through Teams reaches the tutor once (%s)', (engine) => {
  const teams = createTeamsHarness(engine, { app: { demo: { pupils: 120 } } });
  beforeAll(async () => {
    await teams.start();
    await teams.install(okafor);
    await teams.install(reid);
  });
  afterAll(() => teams.close());

  it('sends exactly one message to the tutor when Teams delivers the same activity twice', async () => {
    const first = await teams.personalMessage(reid, 'concern Amelia Jones: crying in the library at lunch', { id: '1732000999001' });
    const redelivered = await teams.personalMessage(reid, 'concern Amelia Jones: crying in the library at lunch', { id: '1732000999001' });
    expect([first.status, redelivered.status]).toEqual([200, 200]);
    expect(await teams.app.core.db.selectFrom('note').select('id').execute()).toHaveLength(1);
    const toTutor = (await teams.directMessagesTo(okafor)).filter((message) => message.text.includes('crying in the library'));
    expect(toTutor).toHaveLength(1);
    expect(toTutor[0].buttons.map((button) => button.actionId)).toEqual(expect.arrayContaining(['note_ack', 'note_followup']));
    expect((await teams.directMessagesTo(okafor)).filter((message) => message.text.includes('crying in the library'))).toHaveLength(1);
  });
});
