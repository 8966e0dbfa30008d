import { distance } from 'fastest-levenshtein';
import type { LoggedNoteKind } from '../notes/notes-tables.ts';

/**
 * The one grammar every channel speaks (README.md, "The command grammar"). Slack's `/tutor …`,
 * a Teams @mention, a direct message and the console all pass their text through here, so the
 * same words always mean the same thing.
 */

export type CaseloadScope =
  | { kind: 'default' }
  | { kind: 'me' }
  | { kind: 'year'; year: number }
  | { kind: 'house'; house: string }
  | { kind: 'staff'; name: string };

export type Intent =
  | { kind: 'help'; topic?: string }
  | { kind: 'who-tutors'; pupil: string }
  | { kind: 'note'; noteKind: LoggedNoteKind; pupil: string; text: string }
  | { kind: 'note-form'; noteKind: LoggedNoteKind; pupil?: string }
  | { kind: 'meeting'; pupil: string; text: string }
  | { kind: 'meeting-form'; pupil?: string }
  | { kind: 'tutees' }
  | { kind: 'caseload'; scope: CaseloadScope; csv: boolean }
  | { kind: 'notes'; pupil: string }
  | { kind: 'targets'; pupil: string }
  | { kind: 'contacts'; topic?: string }
  | { kind: 'unassigned' }
  | { kind: 'assign'; pupil: string; staff: string; reason?: string }
  | { kind: 'handover'; from: string; to: string }
  | { kind: 'empty' }
  | { kind: 'unknown'; text: string; suggestion?: string };

// A Map, not an object literal: "constructor" or "__proto__" typed as a command word must not find Object's own members.
const noteWords = new Map<string, LoggedNoteKind>([
  ['concern', 'concern'],
  ['praise', 'praise'],
  ['success', 'praise'],
  ['safeguarding', 'safeguarding'],
]);

/** Platform decoration that is not part of the command: mentions, bullets, smart quotes. */
function clean(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\u00A0/g, ' ')
    .replace(/^\s*\/tutor\b/i, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits "Sam Patel: text" at the first colon (or a dash surrounded by spaces) into pupil and text. */
function splitSubject(rest: string): { subject: string; text: string | null } {
  const colon = rest.indexOf(':');
  if (colon >= 0) return { subject: rest.slice(0, colon).trim(), text: rest.slice(colon + 1).trim() };
  const dash = rest.search(/\s[-–—]\s/);
  if (dash >= 0) return { subject: rest.slice(0, dash).trim(), text: rest.slice(dash + 3).trim() };
  return { subject: rest.trim(), text: null };
}

function stripQuotes(value: string): string {
  return value.replace(/^["']+|["'?.!]+$/g, '').trim();
}

export function parseCommand(raw: string): Intent {
  const text = clean(raw);
  if (!text) return { kind: 'empty' };
  const lower = text.toLowerCase();
  const [firstWord = ''] = lower.split(' ');
  const rest = text.slice(firstWord.length).trim();

  if (['help', '?', 'commands'].includes(firstWord)) return { kind: 'help', topic: rest || undefined };

  let match = /^who(?:'s| is)\s+(.+?)(?:'s|')\s+tutor\??$/i.exec(text);
  if (match) return { kind: 'who-tutors', pupil: stripQuotes(match[1]) };
  match = /^who\s+(?:tutors|is the tutor (?:of|for))\s+(.+)$/i.exec(text);
  if (match) return { kind: 'who-tutors', pupil: stripQuotes(match[1]) };
  if (firstWord === 'tutor' && rest) return { kind: 'who-tutors', pupil: stripQuotes(rest) };

  const noteKind = noteWords.get(firstWord);
  if (noteKind) {
    if (!rest) return { kind: 'note-form', noteKind };
    const { subject, text: body } = splitSubject(rest);
    if (body === null || body === '') return { kind: 'note-form', noteKind, pupil: stripQuotes(subject) || undefined };
    return { kind: 'note', noteKind, pupil: stripQuotes(subject), text: body };
  }

  if (firstWord === 'meeting') {
    if (!rest) return { kind: 'meeting-form' };
    const { subject, text: body } = splitSubject(rest);
    if (body === null || body === '') return { kind: 'meeting-form', pupil: stripQuotes(subject) || undefined };
    return { kind: 'meeting', pupil: stripQuotes(subject), text: body };
  }

  if (lower === 'tutees' || lower === 'my tutees') return { kind: 'tutees' };

  if (firstWord === 'caseload') return parseCaseload(rest);

  if ((firstWord === 'notes' || firstWord === 'history') && rest) return { kind: 'notes', pupil: stripQuotes(rest) };
  if (firstWord === 'targets' && rest) return { kind: 'targets', pupil: stripQuotes(rest) };
  if (firstWord === 'contacts' || firstWord === 'contact' || firstWord === 'signpost') {
    return { kind: 'contacts', topic: rest || undefined };
  }
  if (lower === 'unassigned') return { kind: 'unassigned' };

  match = /^assign\s+(.+?)\s+to\s+(.+?)(?:\s*(?::|\bbecause\b)\s*(.+))?$/i.exec(text);
  if (match) return { kind: 'assign', pupil: stripQuotes(match[1]), staff: stripQuotes(match[2]), reason: match[3]?.trim() || undefined };
  match = /^hand\s?over\s+(.+?)\s+to\s+(.+)$/i.exec(text);
  if (match) return { kind: 'handover', from: stripQuotes(match[1]), to: stripQuotes(match[2]) };

  return { kind: 'unknown', text, suggestion: suggestCommand(firstWord) };
}

function parseCaseload(rest: string): Intent {
  let words = rest.trim();
  let csv = false;
  if (/(^|\s)csv$/i.test(words)) {
    csv = true;
    words = words.replace(/(^|\s)csv$/i, '').trim();
  }
  if (!words) return { kind: 'caseload', scope: { kind: 'default' }, csv };
  if (/^me$/i.test(words)) return { kind: 'caseload', scope: { kind: 'me' }, csv };
  const year = /^(?:year|yr|y)\s*(\d{1,2})$/i.exec(words);
  if (year) return { kind: 'caseload', scope: { kind: 'year', year: Number(year[1]) }, csv };
  const house = /^house\s+(.+)$/i.exec(words);
  if (house) return { kind: 'caseload', scope: { kind: 'house', house: stripQuotes(house[1]) }, csv };
  return { kind: 'caseload', scope: { kind: 'staff', name: stripQuotes(words) }, csv };
}

const knownWords = [
  'help',
  'who',
  'tutor',
  'concern',
  'praise',
  'success',
  'safeguarding',
  'meeting',
  'tutees',
  'caseload',
  'notes',
  'history',
  'targets',
  'contacts',
  'unassigned',
  'assign',
  'handover',
];

/** For a mistyped first word ("concren"), the command the person probably meant. */
function suggestCommand(word: string): string | undefined {
  if (word.length < 3) return undefined;
  let best: { word: string; distance: number } | undefined;
  for (const known of knownWords) {
    const d = distance(word, known);
    if (d <= 2 && (!best || d < best.distance)) best = { word: known, distance: d };
  }
  return best?.word;
}
