/**
 * Teams sends channel messages as HTML (<p>, <div>, entities). Mentions (<at>…</at>) are kept for
 * the grammar to strip; other tags become spaces and entities their characters.
 *
 * Entities are looked up in a Map of the ones Teams and its editors write, so a name that is a
 * property of every object (`&constructor;`, `&__proto__;`) stays as typed (docs/product-rules.md).
 */
const namedEntities = new Map<string, string>([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', ' '],
  ['ndash', '–'],
  ['mdash', '—'],
  ['lsquo', '‘'],
  ['rsquo', '’'],
  ['ldquo', '“'],
  ['rdquo', '”'],
  ['hellip', '…'],
  ['pound', '£'],
  ['euro', '€'],
]);

export function plainText(text: string): string {
  return text.replace(/<(?!\/?at\b)[^>]*>/gi, ' ').replace(/&(#\d{1,8}|#x[0-9a-f]{1,8}|[a-z]{1,32});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      // No NUL, no lone surrogate halves: those are not characters anyone typed.
      const isCharacter = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
      return isCharacter ? String.fromCodePoint(code) : whole;
    }
    return namedEntities.get(name.toLowerCase()) ?? whole;
  });
}
