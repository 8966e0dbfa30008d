/**
 * Adaptive Card TextBlocks (and FactSet titles and values) are read as markdown by Teams: a note
 * saying `[login](https://evil.example)` would arrive as a disguised link, `**` as bold. Text
 * the core hands over (names, note text, anything a person typed) is escaped here with
 * CommonMark backslash escapes, which every Teams client honours; the card's own formatting
 * (weights, sizes, the bold label of a choice) is added around the escaped text.
 *
 * Inline markup characters are escaped wherever they are; characters that only mean something
 * at the start of a line (headings, quotes, list items, rules) are escaped there only, so that
 * "Patel-Hughes" stays readable in any client that shows a stray backslash.
 */
const inlineMarkup = /[\\`*_~[\]()<>&!|{}]/g;
const lineStartMarkup = /^([ \t]*)(?:([#>+\-=])|(\d{1,9})([.)]))/gm;

export function escapeCardMarkdown(text: string): string {
  return text
    .replace(inlineMarkup, '\\$&')
    .replace(/\r\n?/g, '\n')
    .replace(lineStartMarkup, (_whole, indent: string, marker: string | undefined, digits: string | undefined, dot: string | undefined) =>
      marker ? `${indent}\\${marker}` : `${indent}${digits}\\${dot}`,
    );
}

/** What a reader sees of escaped text: CommonMark drops a backslash before any ASCII punctuation. */
export function unescapeCardMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
