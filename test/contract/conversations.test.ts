import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PlatformHarness, RenderedReply } from '../support/platform-harness.ts';
import { SlackHarness } from '../support/slack-harness.ts';
import { createTeamsHarness } from '../support/teams-harness.ts';
import { engines, type Engine } from '../support/test-database.ts';

/**
 * The same conversations, held against every platform edge: what a member of staff types and
 * presses, and what they see. A platform passes when its harness gets the same answers. Every
 * harness is imported statically: one that fails to load fails this suite instead of being
 * skipped. A new edge joins by adding its harness to the list below.
 */
type HarnessFactory = (engine: Engine) => PlatformHarness;

const harnesses: [string, HarnessFactory][] = [
  ['teams', (engine) => createTeamsHarness(engine)],
  ['slack', (engine) => new SlackHarness({ engine })],
  ['slack over socket mode', (engine) => new SlackHarness({ engine, transport: 'socket' })],
];

const cases = engines.flatMap((engine) => harnesses.map(([name, factory]) => ({ label: `${name} on ${engine}`, make: () => factory(engine) })));

const grace = 'grace.okafor@northbrook.example';
const daniel = 'daniel.reid@northbrook.example';

function allText(replies: RenderedReply[]): string {
  return replies.map((reply) => reply.text).join('\n');
}

/** The reply that answers the asker (never one shown to a whole channel). */
function privateReplies(replies: RenderedReply[]): RenderedReply[] {
  return replies.filter((reply) => reply.visibleTo !== 'channel');
}

/** The button that picks `name` from a list: by its label, or by the position of its line in the list. */
function buttonFor(reply: RenderedReply, name: string): { actionId: string; value: string } {
  const labelled = reply.buttons.find((button) => button.label.includes(name));
  if (labelled) return labelled;
  const lines = reply.text.split('\n');
  const prompt = lines.findIndex((line) => /which one/i.test(line));
  const index = lines
    .slice(prompt + 1)
    .filter((line) => line.trim())
    .findIndex((line) => line.includes(name));
  const button = reply.buttons[index];
  if (index < 0 || !button) throw new Error(`no button for ${name} in: ${reply.text}`);
  return button;
}

describe.each(cases)('conversations: $label', ({ make }) => {
  const harness = make();
  beforeAll(() => harness.start());
  afterAll(() => harness.close());

  test('help lists the commands with examples', async () => {
    const replies = await harness.say(grace, 'help');
    expect(allText(replies)).toContain('who tutors <pupil>');
    expect(allText(replies)).toMatch(/concern <pupil>: <text>/);
  });

  test.each([
    ['an exact name', 'who tutors Amelia Jones', 'Amelia Jones'],
    ['a name without its accents', 'who tutors Zoe Ni Bhriain', 'Zoë Ní Bhriain'],
    ['surname first', 'who tutors Jones Amelia', 'Amelia Jones'],
    ['a misspelt name', 'who tutors Amelia Jnes', 'Amelia Jones'],
    ['another phrasing', "who is Zoë Ní Bhriain's tutor?", 'Zoë Ní Bhriain'],
  ])('who tutors, with %s, gives the pupil card with the named tutor', async (_what, text, pupil) => {
    const replies = privateReplies(await harness.say(grace, text));
    expect(replies.length).toBeGreaterThan(0);
    expect(allText(replies)).toContain(pupil);
    expect(allText(replies)).toContain('Ms Grace Okafor');
    expect(allText(replies)).toContain('9A');
  });

  test('an ambiguous name gives choices, and pressing one gives that pupil’s card', async () => {
    const [list] = privateReplies(await harness.say(daniel, 'who tutors Amelia'));
    expect(list.text).toContain('Amelia Jones');
    expect(list.text).toContain('Amelia James');
    expect(list.buttons.length).toBeGreaterThanOrEqual(2);
    const card = privateReplies(await harness.press(daniel, buttonFor(list, 'Amelia James')));
    expect(allText(card)).toContain('Amelia James');
    expect(allText(card)).toContain('Mr Daniel Reid');
    expect(allText(card)).toContain('9B');
  });

  test('a pupil who is not on the roll gets suggestions, not a card', async () => {
    const replies = privateReplies(await harness.say(grace, 'who tutors Amelya Jonnes-Smithers'));
    const text = allText(replies);
    expect(text).toMatch(/No pupil called/);
    expect(text).not.toContain('Tutor:');
  });

  test('someone who is not on the staff is refused and sees nothing about pupils', async () => {
    const replies = await harness.say('parent.visitor@example.org', 'who tutors Amelia Jones');
    const text = allText(replies);
    expect(text).toMatch(/staff/i);
    for (const secret of ['Okafor', '9A', 'Aurora']) expect(text).not.toContain(secret);
  });

  test('asked in a shared channel, the pupil card is never shown to the channel', async () => {
    const replies = await harness.say(grace, 'who tutors Amelia Jones', 'channel');
    const inChannel = replies.filter((reply) => reply.visibleTo === 'channel');
    for (const reply of inChannel) for (const secret of ['Aurora', 'Year: 9', 'SEN', '@northbrook.example']) expect(reply.text).not.toContain(secret);
    expect(allText(privateReplies(replies))).toContain('Amelia Jones');
  });
});
