import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import { normalizeName } from '../names/normalize-name.ts';
import { tokenSimilarity } from '../names/token-similarity.ts';
import { selectPupilSummaries, toPupilSummary, type PupilSummary } from './pupil-summary.ts';

/**
 * Finds the pupil a member of staff means, however they wrote the name: any case, with or without
 * accents, surname first, a preferred name, or a typo. The database narrows the school's pupils
 * with trigram indexes; the few candidates are then ranked here token by token, which tells
 * "Amelia Jnes" (one letter off Jones) from Amelia James, where trigram scores alone tie.
 */

export type PupilMatch = { kind: 'one'; pupil: PupilSummary } | { kind: 'several'; pupils: PupilSummary[] } | { kind: 'none'; suggestions: PupilSummary[] };

const candidateLimit = 25;
const severalLimit = 8;
const suggestionLimit = 5;
/** Longer than any name a person types (typed commands refuse the same length): answered without a query. */
export const maxPupilQueryLength = 120;

export async function findPupils(db: Kysely<DB>, schoolId: number, query: string, options: { includeInactive?: boolean } = {}): Promise<PupilMatch> {
  if (query.length > maxPupilQueryLength) return { kind: 'none', suggestions: [] };
  const normalized = normalizeName(query);
  if (!normalized) return { kind: 'none', suggestions: [] };
  const queryTokens = normalized.split(' ');

  const byWords = await candidates(db, schoolId, options, sql<boolean>`tutorbot_name_tokens(p.name_key, p.preferred_key) && ${queryTokens}::text[]`);
  const quick = decide(rank(byWords, queryTokens));
  if (quick && (quick.kind === 'one' || quick.exact)) return quick.match;
  // No decisive answer from whole words: widen to trigram similarity (misspelt words, prefixes).
  const byTrigrams = await candidates(db, schoolId, options, sql<boolean>`(${normalized} <% p.name_key OR ${normalized} <% p.preferred_key)`);
  const seen = new Set(byWords.map((row) => row.id));
  const decided = decide(rank([...byWords, ...byTrigrams.filter((row) => !seen.has(row.id))], queryTokens));
  if (decided) return decided.match;
  return { kind: 'none', suggestions: await suggest(db, schoolId, normalized, queryTokens) };
}

async function candidates(db: Kysely<DB>, schoolId: number, options: { includeInactive?: boolean }, condition: RawBuilder<boolean>) {
  let query = selectPupilSummaries(db).select(['p.name_key', 'p.preferred_key']).where('p.school_id', '=', schoolId).where(condition);
  if (!options.includeInactive) query = query.where('p.active', '=', true);
  return query.limit(candidateLimit * 4).execute();
}

/** One pupil, several to choose from, or undecided (null); `exact` when whole words matched. */
function decide(ranked: Candidate[]): { kind: 'one' | 'several'; exact: boolean; match: PupilMatch } | null {
  const exact = ranked.filter((candidate) => candidate.exact);
  if (exact.length === 1) return { kind: 'one', exact: true, match: { kind: 'one', pupil: exact[0].pupil } };
  if (exact.length > 1) {
    const complete = exact.filter((candidate) => candidate.complete);
    if (complete.length === 1) return { kind: 'one', exact: true, match: { kind: 'one', pupil: complete[0].pupil } };
    return { kind: 'several', exact: true, match: { kind: 'several', pupils: exact.slice(0, severalLimit).map((candidate) => candidate.pupil) } };
  }
  const [best, second] = ranked;
  if (best && best.score >= 0.75 && (!second || best.score - second.score >= 0.075)) {
    return { kind: 'one', exact: false, match: { kind: 'one', pupil: best.pupil } };
  }
  const plausible = ranked.filter((candidate) => candidate.score >= 0.6);
  if (plausible.length > 0) {
    return { kind: 'several', exact: false, match: { kind: 'several', pupils: plausible.slice(0, severalLimit).map((candidate) => candidate.pupil) } };
  }
  return null;
}

/** Pupils to offer as suggestions when nothing matched well: the closest names in the school. */
async function suggest(db: Kysely<DB>, schoolId: number, normalized: string, queryTokens: string[]): Promise<PupilSummary[]> {
  const rows = await selectPupilSummaries(db)
    .select(['p.name_key', 'p.preferred_key'])
    .where('p.school_id', '=', schoolId)
    .where('p.active', '=', true)
    .where(sql<boolean>`greatest(word_similarity(${normalized}, p.name_key), coalesce(word_similarity(${normalized}, p.preferred_key), 0)) >= 0.3`)
    .limit(candidateLimit * 4)
    .execute();
  return rank(rows, queryTokens)
    .filter((candidate) => candidate.score >= 0.4)
    .slice(0, suggestionLimit)
    .map((candidate) => candidate.pupil);
}

interface Candidate {
  pupil: PupilSummary;
  score: number;
  exact: boolean;
  complete: boolean;
}

type CandidateRow = Parameters<typeof toPupilSummary>[0] & { name_key: string; preferred_key: string | null };

function rank(rows: CandidateRow[], queryTokens: string[]): Candidate[] {
  return rows
    .map((row) => {
      const nameTokenSets = [row.name_key.split(' ')];
      if (row.preferred_key) nameTokenSets.push(row.preferred_key.split(' '));
      let score = 0;
      let exact = false;
      let complete = false;
      for (const tokens of nameTokenSets) {
        const tokenScores = queryTokens.map((queryToken) => Math.max(...tokens.map((token) => tokenSimilarity(queryToken, token))));
        score = Math.max(score, tokenScores.reduce((sum, value) => sum + value, 0) / queryTokens.length);
        const allExact = tokenScores.every((value) => value === 1);
        exact ||= allExact;
        complete ||= allExact && new Set(tokens).size === new Set(queryTokens).size;
      }
      return { pupil: toPupilSummary(row), score, exact, complete };
    })
    .sort((a, b) => b.score - a.score || a.pupil.familyName.localeCompare(b.pupil.familyName) || a.pupil.id - b.pupil.id);
}
