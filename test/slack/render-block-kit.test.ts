import { describe, expect, it } from 'vitest';
import { coreActionId, decodeOpenFormValue, renderBlocks, renderMessage } from '../../adapters/slack/render-block-kit.ts';
import { decodeFormOrigin, mapFormErrors, readFormValues, renderModal } from '../../adapters/slack/render-modal.ts';
import { reply, type FormSpec } from '../../src/reply.ts';

describe('Reply → Block Kit', () => {
  it('maps heading, text, fields and actions onto header, section, fields and buttons', () => {
    const blocks = renderBlocks(
      reply(
        [
          { type: 'heading', text: 'Amelia Jones' },
          {
            type: 'fields',
            fields: [
              { label: 'Form', value: '9A' },
              { label: 'Tutor', value: 'Ms Okafor' },
            ],
          },
          {
            type: 'actions',
            actions: [
              { id: 'ack', label: 'Acknowledge', value: 'n:1', style: 'primary' },
              { id: 'ack', label: 'Again', value: 'n:2' },
            ],
          },
        ],
        'pupil',
      ),
      { surface: 'message' },
    );
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Amelia Jones', emoji: true } });
    expect(blocks[1]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Form*\n9A' },
        { type: 'mrkdwn', text: '*Tutor*\nMs Okafor' },
      ],
    });
    const buttons = (blocks[2] as { elements: { action_id: string; value: string; style?: string }[] }).elements;
    expect(buttons.map((button) => button.action_id)).toEqual(['ack::0', 'ack::1']);
    expect(buttons.map((button) => coreActionId(button.action_id))).toEqual(['ack', 'ack']);
    expect(buttons.map((button) => button.value)).toEqual(['n:1', 'n:2']);
    expect(buttons[0].style).toBe('primary');
  });

  it('escapes text so that nobody can mention @channel or forge a link through a note', () => {
    const { text, blocks } = renderMessage(reply([{ type: 'text', text: 'see <!channel> & <https://evil.example|click>' }], 'none'), 'message');
    expect(text).toBe('see &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(JSON.stringify(blocks)).not.toContain('<!channel>');
  });

  it("keeps within Slack's limits: 3,000 characters a section, 50 blocks a message, 10 fields a section", () => {
    const long = 'x'.repeat(7000);
    const many = Array.from({ length: 80 }, (_, index) => ({ type: 'heading' as const, text: `Item ${index}` }));
    const fields = Array.from({ length: 23 }, (_, index) => ({ label: `L${index}`, value: 'v' }));
    const blocks = renderBlocks(reply([{ type: 'text', text: long }, { type: 'fields', fields }, ...many], 'none'), { surface: 'message' });
    expect(blocks).toHaveLength(50);
    for (const block of blocks) {
      const section = block as { text?: { text: string }; fields?: unknown[] };
      expect(section.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      expect(section.fields?.length ?? 0).toBeLessThanOrEqual(10);
    }
    expect(JSON.stringify(blocks.at(-1))).toContain('more parts not shown');
    expect(renderBlocks(reply(many, 'none'), { surface: 'home' })).toHaveLength(80);
  });

  it('renders a table as preformatted text and a progress bar as a text bar', () => {
    const blocks = renderBlocks(
      reply(
        [
          {
            type: 'table',
            columns: ['Tutor', 'Done'],
            rows: [
              ['Ms Okafor', '3'],
              ['Mr Reid', '10'],
            ],
          },
          { type: 'progress', items: [{ label: '9A', done: 5, total: 10 }] },
        ],
        'pupil',
      ),
      { surface: 'message' },
    ) as { text: { text: string } }[];
    expect(blocks[0].text.text).toBe('```Tutor      Done\n---------  ----\nMs Okafor  3\nMr Reid    10```');
    expect(blocks[1].text.text).toBe('9A  `█████░░░░░` 5/10');
  });

  it('shows a choice list as sections with a button each, and a form in a message as a button that opens it', () => {
    const form: FormSpec = {
      id: 'concern',
      title: 'Log a concern',
      submitLabel: 'Log',
      fields: [{ id: 'pupil', label: 'Pupil', kind: 'pupil', required: true }],
    };
    const blocks = renderBlocks(
      reply(
        [
          {
            type: 'choices',
            prompt: 'Which one?',
            options: [{ label: 'Amelia Jones', detail: 'Year 9', action: { id: 'pick', label: 'Choose', value: '#pupil:1' } }],
          },
          { type: 'form', form },
        ],
        'pupil',
      ),
      { surface: 'dm' },
    ) as { block_id?: string; accessory?: { action_id: string }; elements?: { action_id: string; value: string }[] }[];
    expect(blocks[1].block_id).toMatch(/^choices-/);
    expect(blocks[1].accessory?.action_id).toBe('pick::0');
    const open = blocks[2].elements![0];
    expect(coreActionId(open.action_id)).toBe('tutorbot:open_form');
    expect(decodeOpenFormValue(open.value)).toEqual({ formId: 'concern', form });
  });
});

describe('FormSpec ↔ Slack modal', () => {
  const form: FormSpec = {
    id: 'meeting',
    title: 'Log a tutor meeting with a pupil',
    submitLabel: 'Save',
    state: 's1',
    fields: [
      { id: 'pupil', label: 'Pupil', kind: 'pupil', required: true, initial: '#pupil:4', initialLabel: 'Sam Patel (Year 9)' },
      {
        id: 'targets',
        label: 'Targets',
        kind: 'multiselect',
        options: [
          { value: 'a', label: 'Attendance' },
          { value: 'b', label: 'Homework' },
        ],
        initial: ['b'],
      },
    ],
  };

  it('renders inputs whose block and action ids are the field ids, and keeps the state and origin in private_metadata', () => {
    const view = renderModal(form, { conversation: 'shared', responseUrl: 'https://hooks.slack.example/x' });
    expect(view.title.text).toBe('Log a tutor meeting wit…');
    const blocks = view.blocks as { block_id: string; element: { action_id: string; initial_option?: unknown; initial_options?: unknown[] } }[];
    expect(blocks.map((block) => [block.block_id, block.element.action_id])).toEqual([
      ['pupil', 'pupil'],
      ['targets', 'targets'],
    ]);
    expect(blocks[0].element.initial_option).toEqual({ text: { type: 'plain_text', text: 'Sam Patel (Year 9)', emoji: true }, value: '#pupil:4' });
    expect(blocks[1].element.initial_options).toHaveLength(1);
    expect(decodeFormOrigin(view.private_metadata)).toEqual({
      formId: 'meeting',
      state: 's1',
      conversation: 'shared',
      responseUrl: 'https://hooks.slack.example/x',
    });
  });

  it("reads every element type back into the core's values, leaving empty inputs out", () => {
    expect(
      readFormValues({
        pupil: { pupil: { type: 'external_select', selected_option: { value: '#pupil:4' } } },
        targets: { targets: { type: 'multi_static_select', selected_options: [{ value: 'a' }, { value: 'b' }] } },
        notes: { notes: { type: 'plain_text_input', value: '   ' } },
        when: { when: { type: 'datepicker', selected_date: '2026-11-20' } },
        urgency: { urgency: { type: 'static_select', selected_option: null } },
      }),
    ).toEqual({ pupil: '#pupil:4', targets: ['a', 'b'], notes: undefined, when: '2026-11-20', urgency: undefined });
  });

  it('maps errors to block ids, putting errors about no particular field on the first', () => {
    expect(mapFormErrors({ pupil: 'Choose a pupil.', form: 'Try again.' }, ['pupil', 'text'])).toEqual({ pupil: 'Choose a pupil. Try again.' });
  });
});
