/**
 * The rules for what a note's text may be, and how it is shown. Text is stored exactly as given
 * (sealed); only its display is made safe, so the record never loses what the reporter wrote.
 */
export const maxNoteLength = 4000;

export type NoteTextCheck = { ok: true; text: string } | { ok: false; message: string };

export function checkNoteText(raw: unknown, what = 'note'): NoteTextCheck {
  const text = typeof raw === 'string' ? raw : '';
  if (text.trim() === '') return { ok: false, message: `The ${what} is empty: write what happened.` };
  // Characters as a person counts them (code points), not UTF-16 units.
  const length = [...text].length;
  if (length > maxNoteLength) {
    return {
      ok: false,
      message: `The ${what} is ${length.toLocaleString('en-GB')} characters; the limit is ${maxNoteLength.toLocaleString('en-GB')}. Shorten it, or add the rest as a follow-up. Nothing was saved.`,
    };
  }
  return { ok: true, text };
}

// Control characters (except tab and newline) and bidirectional overrides can hide or reorder
// what a reader sees; they are shown as a visible replacement character instead.
const unsafeCharacters = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The text as it may be put in front of a reader. Markup stays literal: adapters escape it for their platform. */
export function displayNoteText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(unsafeCharacters, '\uFFFD');
}
