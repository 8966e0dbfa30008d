import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Intent, parseCommand } from '../../src/grammar/parse-command.ts';

/**
 * Property-based tests of the one grammar: whatever a person types, the parser answers with an
 * intent (never an exception), and the spellings people vary without meaning to (spaces around
 * the text, the case of the command word) never change what it means. About 200 runs each.
 */

const runs = { numRuns: 200 };

const intentKinds = new Set<Intent['kind']>([
  'help',
  'who-tutors',
  'note',
  'note-form',
  'meeting',
  'meeting-form',
  'tutees',
  'caseload',
  'notes',
  'targets',
  'contacts',
  'unassigned',
  'assign',
  'handover',
  'empty',
  'unknown',
]);

const commandWords = ['help', 'commands', 'who', 'tutor', 'concern', 'praise', 'success', 'safeguarding', 'meeting', 'tutees', 'caseload'];
const moreCommandWords = ['notes', 'history', 'targets', 'contacts', 'contact', 'signpost', 'unassigned', 'assign', 'handover', 'hand'];
const knownWords = [...commandWords, ...moreCommandWords];

// Pieces of real commands and platform decoration, so that random text reaches every branch.
const fragment = fc.constantFrom(
  ...knownWords,
  ' ',
  ':',
  ' - ',
  ' – ',
  "'s",
  "'",
  '"',
  '?',
  'is',
  'the tutor of',
  'tutors',
  'to',
  'because',
  'me',
  'year 9',
  'house Aurora',
  'csv',
  '/tutor',
  '<@U123ABC>',
  '<at>tutorbot</at>',
  '\u2019',
  '\u201C',
  '\u00A0',
  '\t',
  '\n',
  'Sam Patel',
  'İ',
  'ß',
  '__proto__',
  'constructor',
);
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  // Lone surrogates too: chat platforms pass on whatever a client sent.
  fc.string({ unit: anyCodeUnit, maxLength: 80 }),
  fc.array(fc.oneof(fragment, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join(' ')),
  fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join('')),
);

// Every character JavaScript's \s matches, which is what the parser collapses and trims.
const whitespace = fc
  .array(fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00A0', '\u1680', '\u2003', '\u2028', '\u2029', '\u202F', '\u3000', '\uFEFF'), {
    maxLength: 4,
  })
  .map((characters) => characters.join(''));

/** Each letter of `word` in upper or lower case, as the flags say. */
const casing = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((letter, i) => (upper[i] ? letter.toUpperCase() : letter.toLowerCase())).join(''));

// Pupil names as rosters hold them: words of letters (any script) with inner hyphens and apostrophes.
const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéëíñøßÆŁłŞğÖüçÑ', 'Zoë', 'Ní', 'Ō', 'Σ', 'Ж', '李', 'ی');
const nameWord = fc
  .tuple(
    fc.array(letter, { minLength: 1, maxLength: 6 }),
    fc.array(fc.tuple(fc.constantFrom('-', "'"), fc.array(letter, { minLength: 1, maxLength: 6 })), { maxLength: 2 }),
  )
  .map(([first, rest]) => first.join('') + rest.map(([joiner, letters]) => joiner + letters.join('')).join(''));
const pupilName = fc.array(nameWord, { minLength: 1, maxLength: 3 }).map((words) => words.join(' '));

// Note text of any Unicode, in words separated by single spaces: the parser collapses runs of
// spaces, turns smart quotes straight and removes platform mentions, so text holding those is
// not expected back as typed.
const noteText = fc
  .array(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 8 })
  .map((words) => words.map((word) => word.replace(/[\s\u2018\u2019\u201C\u201D]/gu, '')).filter(Boolean))
  .filter((words) => words.length > 0)
  .map((words) => words.join(' '))
  .filter((text) => !/<at>|<@[A-Z0-9]/i.test(text));

describe('the command grammar under arbitrary input', () => {
  it('never throws, and answers every text with a known intent; what it does not understand comes back as unknown, with the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const intent = parseCommand(text);
        expect(intentKinds.has(intent.kind)).toBe(true);
        // Empty only when nothing but mentions, a leading /tutor and whitespace was typed.
        const bare = text.replace(/<at>[^<]*<\/at>|<@[A-Z0-9]+(\|[^>]*)?>/gi, ' ').replace(/^\s*\/tutor\b/i, ' ');
        if (intent.kind === 'empty') expect(bare.trim()).toBe('');
        if (intent.kind === 'unknown') {
          expect(intent.text.length).toBeGreaterThan(0);
          expect(intent.text).toBe(intent.text.trim());
          if (intent.suggestion !== undefined) expect(knownWords).toContain(intent.suggestion);
        }
      }),
      runs,
    );
  });

  it('reads a text the same with any whitespace around it', () => {
    fc.assert(
      fc.property(anyText, whitespace, whitespace, (text, before, after) => {
        expect(parseCommand(`${before}${text}${after}`)).toEqual(parseCommand(text));
      }),
      runs,
    );
  });

  it('reads a command the same whatever the case of its command word (an unknown one echoes the text as typed)', () => {
    const command = fc.constantFrom(...knownWords).chain((word) => fc.tuple(fc.constant(word), casing(word)));
    const uncased = (intent: Intent) => (intent.kind === 'unknown' ? { ...intent, text: intent.text.toLowerCase() } : intent);
    fc.assert(
      fc.property(command, anyText, ([word, cased], rest) => {
        expect(uncased(parseCommand(`${cased} ${rest}`))).toEqual(uncased(parseCommand(`${word} ${rest}`)));
      }),
      runs,
    );
  });

  it('gives back the pupil and the text of a concern or praise, after a colon or a spaced dash, with or without /tutor', () => {
    const noteWord = fc.constantFrom(['concern', 'concern'], ['praise', 'praise'], ['success', 'praise']);
    fc.assert(
      fc.property(
        noteWord,
        pupilName,
        noteText,
        fc.constantFrom(': ', ':', ' : ', ' - ', ' – '),
        fc.boolean(),
        ([word, noteKind], pupil, text, separator, slash) => {
          // After a dash, a colon in the text would be taken as the separator: the colon comes first.
          fc.pre(separator.includes(':') || !text.includes(':'));
          const typed = `${slash ? '/tutor ' : ''}${word} ${pupil}${separator}${text}`;
          expect(parseCommand(typed)).toEqual({ kind: 'note', noteKind, pupil, text });
        },
      ),
      runs,
    );
  });
});
