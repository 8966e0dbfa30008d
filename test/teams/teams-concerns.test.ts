import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engines } from '../support/test-database.ts';
import { createTeamsHarness, renderActivity } from '../support/teams-harness.ts';

/**
 * The notes feature (concerns, praise) through Teams end to end: the edge knows nothing about
 * concerns, so this checks that what the core returns and delivers arrives intact.
 */
const grace = 'grace.okafor@northbrook.example';
const daniel = 'daniel.reid@northbrook.example';

describe.each(engines)('concerns through Teams on %s', (engine) => {
  const harness = createTeamsHarness(engine);
  beforeAll(() => harness.start());
  afterAll(() => harness.close());

  async function noteCount(): Promise<number> {
    const row = await harness.app.core.db
      .selectFrom('note')
      .select(({ fn }) => fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  test('a concern typed to the bot reaches the tutor once they install the app, with buttons that work', async () => {
    const [receipt] = await harness.say(daniel, 'concern Amelia Jones: upset after lunch, says she is being left out');
    expect(receipt.text).toContain('Concern logged');
    expect(receipt.text).toContain('Ms Grace Okafor');

    // Ms Okafor has not installed tutorbot yet: the message waits for her.
    expect(await harness.directMessagesTo(grace)).toEqual([]);
    const waiting = await harness.app.core.db.selectFrom('delivery').select('status').execute();
    expect(waiting.some((row) => row.status === 'unreachable')).toBe(true);

    await harness.install(grace);
    const [notice] = await harness.directMessagesTo(grace);
    expect(notice.text).toContain('Concern about Amelia Jones from Mr Daniel Reid');
    expect(notice.text).toContain('upset after lunch, says she is being left out');
    const acknowledge = notice.buttons.find((button) => button.label === 'Acknowledge')!;
    expect(acknowledge).toBeTruthy();

    const pressed = await harness.press(grace, acknowledge);
    expect(pressed.map((reply) => reply.text).join('\n')).toMatch(/cknowledged/);
    const card = harness.connector.activities({ conversationId: harness.personalConversationId(grace), proactive: true })[0];
    const put = harness.connector.activities({ method: 'PUT' }).find((call) => call.activityId === card.createdId);
    expect(put).toBeTruthy();
  });

  test('the concern form, submitted twice by a redelivery, logs one concern', async () => {
    const opened = await harness.personalMessage(daniel, 'concern');
    const formCard = opened.calls.find((call) => call.method === 'POST')!;
    expect(renderActivity(formCard.body!).text).toContain('[What you saw or heard]');
    const pupil = ((await harness.search(daniel, 'Sam Patel-Hughes')).body as { value: { results: { value: string }[] } }).value.results[0].value;
    const value = {
      tutorbotForm: 'concern',
      pupil,
      category: 'wellbeing',
      urgency: 'routine',
      safeguarding: 'no',
      text: 'Seemed withdrawn in tutor time all week',
    };
    const before = await noteCount();
    const first = await harness.submit(daniel, value, { replyToId: formCard.createdId!, id: '1732888000001' });
    const again = await harness.submit(daniel, value, { replyToId: formCard.createdId!, id: '1732888000001' });
    expect(await noteCount()).toBe(before + 1);
    const replaced = first.calls.find((call) => call.method === 'PUT');
    expect(renderActivity(replaced?.body ?? {}).text).toContain('Concern logged');
    expect(again.calls).toEqual([]);
  });
});
