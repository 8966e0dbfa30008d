import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../src/names/normalize-name.ts';
import { tokenSimilarity } from '../../src/names/token-similarity.ts';

/**
 * Property-based tests of the name matcher's two parts: the normaliser that builds the stored
 * search keys and reads what staff type, and the word-to-word similarity that ranks candidates.
 */
const runs = { numRuns: 300 };
const nameLetter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéèëêáàäâóòöôúùüûíìïîñçøåæœßłđ'.split(''), 'A', 'Z', 'É', 'Ø');
const namePart = fc.array(nameLetter, { minLength: 1, maxLength: 12 }).map((letters) => letters.join(''));
const typedName = fc
  .tuple(fc.array(namePart, { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom(' ', '  ', '-', "'", '’', ', ', '.'), { minLength: 4, maxLength: 4 }))
  .map(([parts, separators]) => parts.map((part, index) => (index === 0 ? part : `${separators[index - 1]}${part}`)).join(''));

describe('the name normaliser', () => {
  it('never throws, and gives lower-case letters and digits separated by single spaces', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (raw) => {
        const key = normalizeName(raw);
        expect(key).toBe(key.trim());
        expect(key).not.toMatch(/ {2}/);
        expect(key).not.toMatch(/[^\p{L}\p{N} ]/u);
        expect(key).toBe(key.toLowerCase());
      }),
      runs,
    );
  });

  it('is idempotent, so a stored key and a typed key meet', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        expect(normalizeName(normalizeName(raw))).toBe(normalizeName(raw));
      }),
      runs,
    );
  });

  it('ignores case, accents, apostrophes and the punctuation between the words of a name', () => {
    fc.assert(
      fc.property(typedName, (name) => {
        const plain = name
          .normalize('NFKD')
          .replace(/\p{M}+/gu, '')
          .replace(/['’]/g, '');
        expect(normalizeName(name.toUpperCase())).toBe(normalizeName(name));
        expect(normalizeName(plain)).toBe(normalizeName(name));
        expect(normalizeName(name.replace(/[\s,.-]+/g, ' '))).toBe(normalizeName(name));
      }),
      runs,
    );
  });
});

describe('word similarity', () => {
  const word = fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), { minLength: 1, maxLength: 12 }).map((letters) => letters.join(''));

  it('lies between 0 and 1, and is 1 for the same word only', () => {
    fc.assert(
      fc.property(word, word, (typed, token) => {
        const score = tokenSimilarity(typed, token);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(score === 1).toBe(typed === token);
      }),
      runs,
    );
  });

  it('scores a typed prefix of three letters or more as strong but never exact, and an initial only with initials allowed', () => {
    fc.assert(
      fc.property(word, fc.integer({ min: 1, max: 11 }), (token, cut) => {
        fc.pre(cut < token.length);
        const prefix = token.slice(0, cut);
        if (prefix.length >= 3) expect(tokenSimilarity(prefix, token)).toBe(0.85);
        if (prefix.length === 1) expect(tokenSimilarity(prefix, token, { initials: true })).toBe(1);
        expect(tokenSimilarity(prefix, token)).toBeLessThan(1);
      }),
      runs,
    );
  });
});
