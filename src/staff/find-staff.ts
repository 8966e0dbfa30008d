import { sql, type Kysely } from 'kysely';
import { tokenSimilarity } from '../names/token-similarity.ts';
import type { DB } from '../db/schema.ts';
import type { StaffProfile } from './staff-profile.ts';
import { normalizeName } from '../names/normalize-name.ts';

/**
 * Finds the member of staff someone means: "Ms Okafor", "grace okafor", "G Okafor", "okafr", an
 * email, or a "#staff:ID" reference from a button. Titles are ignored on both sides, because
 * people write "Mrs" where the roster says "Ms". The trigram index on staff.name_key narrows the
 * school's staff; the few candidates are ranked here token by token, as pupils are.
 */
export interface StaffCandidate extends StaffProfile {
  id: number;
  active: boolean;
}

export type StaffMatch =
  | { kind: 'one'; staff: StaffCandidate }
  | { kind: 'several'; staff: StaffCandidate[] }
  | { kind: 'none'; suggestions: StaffCandidate[] };

export const staffRefPrefix = '#staff:';

export function staffRef(staffId: number): string {
  return `${staffRefPrefix}${staffId}`;
}

export function parseStaffRef(value: string): number | null {
  if (!value.startsWith(staffRefPrefix)) return null;
  const id = Number(value.slice(staffRefPrefix.length));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

const titles = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'rev', 'mstr']);

function withoutTitles(tokens: string[]): string[] {
  const kept = tokens.filter((token) => !titles.has(token));
  return kept.length > 0 ? kept : tokens;
}

function selectStaff(db: Kysely<DB>, schoolId: number) {
  return db
    .selectFrom('staff')
    .select(['id', 'display_name', 'email', 'active', 'roles', 'year_scope', 'house_scope', 'name_key'])
    .where('school_id', '=', schoolId);
}

type StaffRow = Awaited<ReturnType<ReturnType<typeof selectStaff>['execute']>>[number];

function toCandidate(row: StaffRow): StaffCandidate {
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    active: row.active,
    roles: row.roles,
    yearScope: row.year_scope.map(Number),
    houseScope: row.house_scope,
  };
}

export async function getStaff(db: Kysely<DB>, schoolId: number, staffId: number): Promise<StaffCandidate | null> {
  const row = await selectStaff(db, schoolId).where('id', '=', staffId).executeTakeFirst();
  return row ? toCandidate(row) : null;
}

export async function findStaff(db: Kysely<DB>, schoolId: number, query: string, options: { includeInactive?: boolean } = {}): Promise<StaffMatch> {
  const trimmed = query.trim();
  const byId = parseStaffRef(trimmed);
  if (byId !== null) {
    const staff = await getStaff(db, schoolId, byId);
    return staff && (staff.active || options.includeInactive) ? { kind: 'one', staff } : { kind: 'none', suggestions: [] };
  }
  if (trimmed.includes('@')) {
    let byEmail = selectStaff(db, schoolId).where('email', '=', trimmed.toLowerCase());
    if (!options.includeInactive) byEmail = byEmail.where('active', '=', true);
    const row = await byEmail.executeTakeFirst();
    return row ? { kind: 'one', staff: toCandidate(row) } : { kind: 'none', suggestions: [] };
  }
  const normalized = normalizeName(trimmed);
  if (!normalized || normalized.length > 120) return { kind: 'none', suggestions: [] };
  const queryTokens = withoutTitles(normalized.split(' '));
  const searchText = queryTokens.join(' ');

  let candidates = selectStaff(db, schoolId).where((eb) =>
    eb.or([
      sql<boolean>`${searchText} <% name_key`,
      sql<boolean>`word_similarity(${searchText}, name_key) >= 0.3`,
      // A lone initial plus surname ("g okafor"): the surname alone finds them.
      sql<boolean>`${queryTokens[queryTokens.length - 1]} <% name_key`,
    ]),
  );
  if (!options.includeInactive) candidates = candidates.where('active', '=', true);
  const rows = await candidates.limit(100).execute();

  const ranked = rank(rows, queryTokens);
  const exact = ranked.filter((candidate) => candidate.exact);
  // Several matches where only some are active (a leaver and a namesake): prefer the active ones.
  const preferActive = (list: Ranked[]) => (list.some((c) => c.staff.active) ? list.filter((c) => c.staff.active) : list);
  if (exact.length > 0) {
    const chosen = preferActive(exact);
    if (chosen.length === 1) return { kind: 'one', staff: chosen[0].staff };
    return { kind: 'several', staff: chosen.slice(0, 8).map((candidate) => candidate.staff) };
  }
  const [best, second] = ranked;
  if (best && best.score >= 0.75 && (!second || best.score - second.score >= 0.1)) return { kind: 'one', staff: best.staff };
  const plausible = ranked.filter((candidate) => candidate.score >= 0.6);
  if (plausible.length > 0) return { kind: 'several', staff: plausible.slice(0, 8).map((candidate) => candidate.staff) };
  return {
    kind: 'none',
    suggestions: ranked
      .filter((candidate) => candidate.score >= 0.4)
      .slice(0, 5)
      .map((c) => c.staff),
  };
}

interface Ranked {
  staff: StaffCandidate;
  score: number;
  exact: boolean;
}

function rank(rows: StaffRow[], queryTokens: string[]): Ranked[] {
  return rows
    .map((row) => {
      const nameTokens = withoutTitles(row.name_key.split(' '));
      const scores = queryTokens.map((queryToken) => Math.max(...nameTokens.map((token) => tokenSimilarity(queryToken, token, { initials: true }))));
      return {
        staff: toCandidate(row),
        score: scores.reduce((sum, value) => sum + value, 0) / scores.length,
        exact: scores.every((value) => value === 1),
      };
    })
    .sort((a, b) => b.score - a.score || a.staff.displayName.localeCompare(b.staff.displayName) || a.staff.id - b.staff.id);
}
