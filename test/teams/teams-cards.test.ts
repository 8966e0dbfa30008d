import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FormValues } from '../../src/core-context.ts';
import type { Feature } from '../../src/feature.ts';
import { pupilDisplayName } from '../../src/names/normalize-name.ts';
import { resolvePupil } from '../../src/pupils/resolve-pupil.ts';
import { reply, type FormSpec } from '../../src/reply.ts';
import { engines } from '../support/test-database.ts';
import { createTeamsHarness, renderActivity, renderCardContent } from '../support/teams-harness.ts';

const grace = 'grace.okafor@northbrook.example';

/**
 * A fictional form standing in for the concern/praise/meeting forms other features provide: the
 * Teams edge renders and submits any FormSpec the same way, so it is tested with its own.
 */
const formSpec: FormSpec = {
  id: 'test-concern',
  title: 'Log a concern (test form)',
  submitLabel: 'Send concern',
  state: 'state-v1',
  fields: [
    { id: 'pupil', label: 'Pupil', kind: 'pupil', required: true },
    { id: 'text', label: 'What happened', kind: 'multiline', required: true, maxLength: 2000 },
    { id: 'when', label: 'When', kind: 'date' },
    {
      id: 'tags',
      label: 'Tags',
      kind: 'multiselect',
      options: [
        { value: 'friendship', label: 'Friendship' },
        { value: 'learning', label: 'Learning' },
      ],
    },
  ],
};
const submissions: { values: FormValues; state: string | undefined }[] = [];
const testFormFeature: Feature = {
  name: 'test-form',
  commands: { 'note-form': async () => reply([{ type: 'form', form: formSpec }], 'none') },
  actions: { test_ack: async (request, value) => reply([{ type: 'text', text: `Acknowledged by ${request.actor.displayName} (${value})` }], 'none') },
  forms: {
    'test-concern': {
      open: async () => reply([{ type: 'form', form: formSpec }], 'none'),
      submit: async (request, values, state) => {
        const errors: Record<string, string> = {};
        if (!values.text || String(values.text).trim().length < 5) errors.text = 'Write at least a few words about what happened.';
        if (!values.pupil) errors.pupil = 'Choose a pupil.';
        if (Object.keys(errors).length > 0) return { ok: false, errors };
        const resolution = await resolvePupil(request, String(values.pupil), () => ({ id: 'none', value: '' }));
        if (!resolution.ok) return { ok: false, errors: { pupil: 'Choose one pupil from the list.' } };
        submissions.push({ values, state });
        return {
          ok: true,
          reply: reply(
            [
              { type: 'text', text: `Concern logged for ${pupilDisplayName(resolution.pupil)}.` },
              { type: 'actions', actions: [{ id: 'test_ack', label: 'Acknowledge', value: 'note-1', style: 'primary' }] },
            ],
            'pupil',
          ),
        };
      },
    },
  },
};

describe.each(engines)('Teams cards: forms and buttons on %s', (engine) => {
  const harness = createTeamsHarness(engine, { features: [testFormFeature] });
  beforeAll(async () => {
    await harness.start();
    await harness.install(grace);
  });
  afterAll(() => harness.close());

  async function openForm() {
    const result = await harness.personalMessage(grace, 'concern');
    const post = result.calls.find((call) => call.method === 'POST')!;
    const card = (post.body!.attachments as { content: { body: Record<string, unknown>[] } }[])[0].content;
    return { card, activityId: post.createdId! };
  }

  function inputs(card: { body: Record<string, unknown>[] }) {
    return Object.fromEntries(card.body.filter((element) => String(element.type).startsWith('Input.')).map((element) => [element.id, element]));
  }

  test('a bare "concern" opens the form as an Adaptive Card with a pupil type-ahead', async () => {
    const { card } = await openForm();
    const fields = inputs(card);
    expect(fields.pupil).toMatchObject({
      type: 'Input.ChoiceSet',
      style: 'filtered',
      isRequired: true,
      'choices.data': { type: 'Data.Query', dataset: 'pupils' },
    });
    expect(fields.text).toMatchObject({ type: 'Input.Text', isMultiline: true, maxLength: 2000, isRequired: true });
    expect(fields.when).toMatchObject({ type: 'Input.Date' });
    expect(fields.tags).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true });
    const submit = (card.body.at(-1)!.actions as Record<string, unknown>[])[0];
    expect(submit).toMatchObject({
      type: 'Action.Execute',
      verb: 'tutorbot.form',
      data: { tutorbotForm: 'test-concern', tutorbotState: 'state-v1', tutorbotMulti: ['tags'] },
    });
    expect(submit.fallback).toMatchObject({ type: 'Action.Submit', data: { tutorbotForm: 'test-concern' } });
  });

  test('the type-ahead is answered with pupils matching what was typed', async () => {
    const result = await harness.search(grace, 'Zoe Ni Bh');
    expect(result.status).toBe(200);
    const body = result.body as { type: string; value: { results: { title: string; value: string }[] } };
    expect(body.type).toBe('application/vnd.microsoft.search.searchResponse');
    expect(body.value.results[0].title).toContain('Zoë Ní Bhriain');
    expect(body.value.results[0].value).toMatch(/^#pupil:\d+$/);
  });

  test('a submission with errors shows the form again with the messages and what was typed', async () => {
    const { activityId } = await openForm();
    const before = submissions.length;
    const result = await harness.execute(
      grace,
      { tutorbotForm: 'test-concern', tutorbotState: 'state-v1', tutorbotMulti: ['tags'], text: 'no', tags: 'learning' },
      { replyToId: activityId },
    );
    expect(result.status).toBe(200);
    const body = result.body as { statusCode: number; type: string; value: { body: Record<string, unknown>[] } };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const shown = renderCardContent(body.value).text;
    expect(shown).toContain('Write at least a few words about what happened.');
    expect(shown).toContain('Choose a pupil.');
    expect(inputs(body.value).text).toMatchObject({ value: 'no' });
    expect(inputs(body.value).tags).toMatchObject({ value: 'learning' });
    expect(submissions.length).toBe(before);
    // Action.Execute answers the person who pressed; the message itself is left alone.
    expect(result.calls.filter((call) => call.method === 'PUT')).toEqual([]);
  });

  test('a good submission reaches the core once and replaces the form with the result', async () => {
    const { activityId } = await openForm();
    const pupil = ((await harness.search(grace, 'Amelia Jones')).body as { value: { results: { value: string }[] } }).value.results[0].value;
    const data = {
      tutorbotForm: 'test-concern',
      tutorbotState: 'state-v1',
      tutorbotMulti: ['tags'],
      pupil,
      text: 'Upset after lunch, says she is left out',
      when: '2026-11-23',
      tags: 'friendship,learning',
    };
    const before = submissions.length;
    const result = await harness.execute(grace, data, { replyToId: activityId, id: 'f:submit-once' });
    expect(submissions.length).toBe(before + 1);
    expect(submissions.at(-1)).toEqual({
      values: { pupil, text: 'Upset after lunch, says she is left out', when: '2026-11-23', tags: ['friendship', 'learning'] },
      state: 'state-v1',
    });
    const put = result.calls.find((call) => call.method === 'PUT')!;
    expect(put.activityId).toBe(activityId);
    expect(renderActivity(put.body!).text).toContain('Concern logged for Amelia Jones.');
    const body = result.body as { type: string; value: unknown };
    expect(renderCardContent(body.value).text).toContain('Concern logged for Amelia Jones.');

    const redelivered = await harness.execute(grace, data, { replyToId: activityId, id: 'f:submit-once' });
    expect(redelivered.status).toBe(200);
    expect(submissions.length).toBe(before + 1);
    expect(redelivered.calls).toEqual([]);
  });

  test('Action.Submit (a message with a value) works the same and updates the card in place', async () => {
    const { activityId } = await openForm();
    const bad = await harness.submit(
      grace,
      { tutorbotForm: 'test-concern', tutorbotState: 'state-v1', text: 'Missed two lessons this week' },
      { replyToId: activityId },
    );
    const reshown = bad.calls.find((call) => call.method === 'PUT')!;
    expect(reshown.activityId).toBe(activityId);
    expect(renderActivity(reshown.body!).text).toContain('Choose a pupil.');

    const before = submissions.length;
    const good = await harness.submit(
      grace,
      { tutorbotForm: 'test-concern', tutorbotState: 'state-v1', text: 'Missed two lessons this week', pupil: 'Sam Patel-Hughes' },
      { replyToId: activityId },
    );
    expect(submissions.length).toBe(before + 1);
    const replaced = good.calls.find((call) => call.method === 'PUT')!;
    const shown = renderActivity(replaced.body!);
    expect(shown.text).toContain('Concern logged for Sam Patel-Hughes.');
    expect(shown.buttons).toEqual([{ actionId: 'test_ack', value: 'note-1', label: 'Acknowledge' }]);

    const pressed = await harness.submit(grace, { tutorbotAction: 'test_ack', value: 'note-1' }, { replyToId: replaced.activityId! });
    const acknowledged = pressed.calls.find((call) => call.method === 'PUT')!;
    expect(renderActivity(acknowledged.body!).text).toBe('Acknowledged by Ms Grace Okafor (note-1)');
  });

  test('choosing from a list with Action.Execute replaces the list with the pupil card', async () => {
    const listed = await harness.personalMessage(grace, 'who tutors Amelia');
    const list = listed.calls.find((call) => call.method === 'POST')!;
    const { buttons, text } = renderActivity(list.body!);
    expect(text).toMatch(/Which one do you mean/);
    const james =
      buttons[
        text
          .split('\n')
          .slice(1)
          .findIndex((line) => line.includes('Amelia James'))
      ];
    const result = await harness.execute(grace, { tutorbotAction: james.actionId, value: james.value }, { replyToId: list.createdId! });
    const put = result.calls.find((call) => call.method === 'PUT')!;
    expect(put.activityId).toBe(list.createdId);
    expect(renderActivity(put.body!).text).toContain('Amelia James');
    expect(renderCardContent((result.body as { value: unknown }).value).text).toContain('Form: 9B');
  });

  test('a form asked for in a channel is sent to the asker privately', async () => {
    const replies = await harness.say(grace, 'concern', 'channel');
    expect(replies.find((reply) => reply.visibleTo === 'channel')?.text).toBe('I’ve sent you the form in a private chat.');
    expect(replies.find((reply) => reply.visibleTo === 'dm')?.text).toContain('[Pupil]');
  });

  test('an old button whose action no longer exists gets a clear answer', async () => {
    const result = await harness.execute(grace, { tutorbotAction: 'retired_action', value: 'x' }, { replyToId: '1732000000999' });
    expect(renderCardContent((result.body as { value: unknown }).value).text).toContain('no longer in use');
  });
});
