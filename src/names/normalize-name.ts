/**
 * Names are compared the way a person would: without case, accents or punctuation. The same
 * function builds the stored search keys (pupil.name_key) and normalises what staff type, so
 * "Zoë", "ZOE" and "zoe" meet, and "O'Brien" matches "OBrien" and "O Brien".
 */

// Letters that Unicode does not decompose into a base letter plus an accent.
const foldedLetters: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};

export function normalizeName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıħ]/g, (letter) => foldedLetters[letter] ?? letter)
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface PupilNames {
  givenName: string;
  familyName: string;
  preferredName?: string | null;
}

/** The stored keys for a pupil: "given family", and "preferred family" when it differs. */
export function pupilNameKeys(names: PupilNames): { nameKey: string; preferredKey: string | null } {
  const nameKey = normalizeName(`${names.givenName} ${names.familyName}`);
  const preferred = names.preferredName?.trim() ? normalizeName(`${names.preferredName} ${names.familyName}`) : null;
  return { nameKey, preferredKey: preferred && preferred !== nameKey ? preferred : null };
}

/** How a pupil is shown: the preferred name when there is one, e.g. "Millie (Amelia) Jones". */
export function pupilDisplayName(names: PupilNames): string {
  const preferred = names.preferredName?.trim();
  if (preferred && normalizeName(preferred) !== normalizeName(names.givenName)) {
    return `${preferred} (${names.givenName}) ${names.familyName}`;
  }
  return `${names.givenName} ${names.familyName}`;
}
