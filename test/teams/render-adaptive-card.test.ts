import { describe, expect, test } from 'vitest';
import { readSubmission, renderCard, renderMessage } from '../../adapters/teams/render-adaptive-card.ts';
import { plainText } from '../../adapters/teams/teams-message-text.ts';
import { reply, textReply } from '../../src/reply.ts';
import { renderCardContent } from '../support/teams-harness.ts';

describe('rendering replies for Teams', () => {
  test('a reply of plain text is sent as text, not a card', () => {
    expect(renderMessage(textReply('Say "help" to see what I can do.'))).toEqual({
      type: 'message',
      text: 'Say "help" to see what I can do.',
      textFormat: 'plain',
    });
  });

  test('buttons are Action.Execute with an Action.Submit fallback carrying the same opaque value', () => {
    const card = renderCard(reply([{ type: 'actions', actions: [{ id: 'note_ack', label: 'Acknowledge', value: 'note:7|x', style: 'primary' }] }], 'none'));
    const [action] = (card.body[0] as { actions: Record<string, unknown>[] }).actions;
    expect(action).toMatchObject({
      type: 'Action.Execute',
      verb: 'tutorbot.action',
      style: 'positive',
      data: { tutorbotAction: 'note_ack', value: 'note:7|x' },
    });
    expect(action.fallback).toMatchObject({ type: 'Action.Submit', data: { tutorbotAction: 'note_ack', value: 'note:7|x' } });
  });

  test('a long table is cut to keep the card within Teams’ size limit, saying how to get it all', () => {
    const rows = Array.from({ length: 400 }, (_, index) => [`Pupil ${index}`, '9A', 'Ms Grace Okafor', 'met 12 Nov']);
    const card = renderCard(reply([{ type: 'table', columns: ['Pupil', 'Form', 'Tutor', 'Meeting'], rows }], 'pupil'));
    expect(JSON.stringify(card).length).toBeLessThan(28_000);
    const text = renderCardContent(card).text;
    expect(text).toContain('Pupil | Form | Tutor | Meeting');
    expect(text).toContain('… and 350 more rows');
  });

  test('fields, progress and files read as a person would see them', () => {
    const card = renderCard(
      reply(
        [
          { type: 'fields', fields: [{ label: 'Tutor', value: 'Ms Grace Okafor' }] },
          { type: 'progress', items: [{ label: '9A', done: 7, total: 21 }] },
          { type: 'file', name: 'caseload.csv', mimeType: 'text/csv', content: 'pupil,form\nAmelia Jones,9A\n' },
        ],
        'pupil',
      ),
    );
    const text = renderCardContent(card).text;
    expect(text).toContain('Tutor: Ms Grace Okafor');
    expect(text).toContain('9A: ███░░░░░░░ 7/21');
    expect(text).toContain('Amelia Jones,9A');
  });

  test('a submission is split into our data and the input values; empty inputs are left out', () => {
    const { data, values } = readSubmission({
      tutorbotForm: 'meeting',
      tutorbotState: 's1',
      tutorbotMulti: ['targets'],
      pupil: '#pupil:12',
      notes: '  ',
      targets: 'reading,homework',
      when: '2026-11-23',
      msteams: { type: 'invoke' },
    });
    expect(data).toMatchObject({ tutorbotForm: 'meeting', tutorbotState: 's1' });
    expect(values).toEqual({ pupil: '#pupil:12', targets: ['reading', 'homework'], when: '2026-11-23' });
  });

  test('Teams’ HTML in message text is read as plain text, mentions kept for the grammar', () => {
    expect(plainText('<p><at>tutorbot</at>&nbsp;who is O&#39;Connor&#x27;s tutor &amp; form?</p>')).toBe(" <at>tutorbot</at> who is O'Connor's tutor & form? ");
    expect(plainText('a &#99999999; b')).toBe('a &#99999999; b');
  });
});
