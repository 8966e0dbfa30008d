import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/grammar/parse-command.ts';

describe('the command grammar', () => {
  it.each([
    ['who tutors Amelia Jones', 'Amelia Jones'],
    ['Who Tutors amelia jones?', 'amelia jones'],
    ['tutor Sam Patel', 'Sam Patel'],
    ["who is Amelia Jones's tutor", 'Amelia Jones'],
    ["who's Amelia Jones' tutor?", 'Amelia Jones'],
    ['who is the tutor of Zoë Ní Bhriain', 'Zoë Ní Bhriain'],
    ['/tutor who tutors Sam', 'Sam'],
    ['<at>tutorbot</at> who tutors Sam Patel', 'Sam Patel'],
    ['<@U123ABC> who tutors Sam Patel', 'Sam Patel'],
  ])('reads "%s" as who-tutors for %s', (text, pupil) => {
    expect(parseCommand(text)).toEqual({ kind: 'who-tutors', pupil });
  });

  it('splits a concern into pupil and text at the first colon, keeping later colons in the text', () => {
    expect(parseCommand('concern Amelia Jones: upset after lunch: says she is left out')).toEqual({
      kind: 'note',
      noteKind: 'concern',
      pupil: 'Amelia Jones',
      text: 'upset after lunch: says she is left out',
    });
  });

  it('treats success as praise and keeps safeguarding apart', () => {
    expect(parseCommand('success Sam Patel: won the maths challenge')).toMatchObject({ kind: 'note', noteKind: 'praise', pupil: 'Sam Patel' });
    expect(parseCommand('safeguarding Sam Patel: disclosed something')).toMatchObject({ kind: 'note', noteKind: 'safeguarding' });
  });

  it('opens a form when a note or meeting has no text', () => {
    expect(parseCommand('concern')).toEqual({ kind: 'note-form', noteKind: 'concern' });
    expect(parseCommand('praise Sam Patel')).toEqual({ kind: 'note-form', noteKind: 'praise', pupil: 'Sam Patel' });
    expect(parseCommand('concern Sam Patel:   ')).toEqual({ kind: 'note-form', noteKind: 'concern', pupil: 'Sam Patel' });
    expect(parseCommand('meeting')).toEqual({ kind: 'meeting-form' });
    expect(parseCommand('meeting Sam Patel: talked about revision')).toEqual({ kind: 'meeting', pupil: 'Sam Patel', text: 'talked about revision' });
  });

  it.each([
    ['caseload', { kind: 'default' }, false],
    ['caseload me', { kind: 'me' }, false],
    ['caseload year 9', { kind: 'year', year: 9 }, false],
    ['caseload Y10 csv', { kind: 'year', year: 10 }, true],
    ['caseload house Aurora', { kind: 'house', house: 'Aurora' }, false],
    ['caseload Ms Okafor', { kind: 'staff', name: 'Ms Okafor' }, false],
  ])('reads "%s" as a caseload query', (text, scope, csv) => {
    expect(parseCommand(text)).toEqual({ kind: 'caseload', scope, csv });
  });

  it('reads assignment and handover with their people', () => {
    expect(parseCommand('assign Sam Patel to Ms Okafor: moved form')).toEqual({ kind: 'assign', pupil: 'Sam Patel', staff: 'Ms Okafor', reason: 'moved form' });
    expect(parseCommand('handover Mr Reid to Ms Okafor')).toEqual({ kind: 'handover', from: 'Mr Reid', to: 'Ms Okafor' });
  });

  it('answers the lists, help and history commands', () => {
    expect(parseCommand('my tutees')).toEqual({ kind: 'tutees' });
    expect(parseCommand('HELP')).toEqual({ kind: 'help', topic: undefined });
    expect(parseCommand('history Sam Patel')).toEqual({ kind: 'notes', pupil: 'Sam Patel' });
    expect(parseCommand('targets Sam Patel')).toEqual({ kind: 'targets', pupil: 'Sam Patel' });
    expect(parseCommand('contacts wellbeing')).toEqual({ kind: 'contacts', topic: 'wellbeing' });
    expect(parseCommand('unassigned')).toEqual({ kind: 'unassigned' });
  });

  it('suggests the command a typo probably meant and treats blank input as empty', () => {
    expect(parseCommand('concren Sam: x')).toMatchObject({ kind: 'unknown', suggestion: 'concern' });
    expect(parseCommand('   ')).toEqual({ kind: 'empty' });
    expect(parseCommand('<at>tutorbot</at>')).toEqual({ kind: 'empty' });
  });
});
