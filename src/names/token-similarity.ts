import { distance } from 'fastest-levenshtein';

/**
 * How well one typed word matches one word of a name (both normalised): 1 for the same word,
 * 0.85 for a typed prefix of three letters or more ("Sam" for Samuel: strong, never exact), else
 * 1 minus the edit distance over the longer length ("Jnes" for Jones). With `initials`, a single
 * letter matches any word it begins ("G Okafor"), as people write staff names.
 */
export function tokenSimilarity(typed: string, token: string, options: { initials?: boolean } = {}): number {
  if (typed === token) return 1;
  if (options.initials && typed.length === 1) return token.startsWith(typed) ? 1 : 0;
  if (typed.length >= 3 && token.startsWith(typed)) return 0.85;
  return 1 - distance(typed, token) / Math.max(typed.length, token.length);
}
