import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Actor } from '../staff/actor.ts';
import type { DB } from '../db/schema.ts';
import { isSafeguardingLead, isWholeSchoolLead } from '../permissions.ts';

/**
 * A set of a school's pupils that caseloads, the unassigned list and the digest talk about: the
 * whole school, or some year groups and/or houses (a pupil in any of them is in the area, as in
 * permissions.leadsPupil). House names are held as the roster spells them (see canonicalHouses),
 * so the filter is a plain equality the (school_id, house) index can serve.
 */
export type PupilArea = 'school' | { years: number[]; houses: string[] };

/** The pupils a pastoral lead covers, or null when the actor leads nobody. */
export function leadArea(actor: Actor): PupilArea | null {
  if (isWholeSchoolLead(actor) || isSafeguardingLead(actor)) return 'school';
  const years = actor.roles.includes('head_of_year') || actor.roles.includes('pastoral_lead') ? [...new Set(actor.yearScope)].sort((a, b) => a - b) : [];
  const houses = actor.roles.includes('head_of_house') || actor.roles.includes('pastoral_lead') ? actor.houseScope : [];
  return years.length > 0 || houses.length > 0 ? { years, houses } : null;
}

/** Whether every pupil of `inner` is in `outer`. Houses must already be canonical. */
export function areaWithin(inner: PupilArea, outer: PupilArea): boolean {
  if (outer === 'school') return true;
  if (inner === 'school') return false;
  const outerHouses = new Set(outer.houses.map((house) => house.toLowerCase()));
  return inner.years.every((year) => outer.years.includes(year)) && inner.houses.every((house) => outerHouses.has(house.toLowerCase()));
}

export function describeArea(area: PupilArea): string {
  if (area === 'school') return 'the whole school';
  const parts = [
    area.years.length > 0 ? `Year${area.years.length > 1 ? 's' : ''} ${area.years.join(', ')}` : null,
    area.houses.length > 0 ? `${area.houses.join(', ')} house${area.houses.length > 1 ? 's' : ''}` : null,
  ];
  return parts.filter(Boolean).join(' and ');
}

export async function schoolHouses(db: Kysely<DB>, schoolId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('pupil')
    .select('house')
    .distinct()
    .where('school_id', '=', schoolId)
    .where('active', '=', true)
    .where('house', 'is not', null)
    .orderBy('house')
    .execute();
  return rows.map((row) => row.house!);
}

/** The houses of the school's active pupils, spelt as stored, matched without case. */
export async function canonicalHouses(db: Kysely<DB>, schoolId: number, typed: string[]): Promise<Map<string, string>> {
  const wanted = new Set(typed.map((house) => house.trim().toLowerCase()).filter(Boolean));
  if (wanted.size === 0) return new Map();
  // A school has a handful of houses: all of them, matched here, rather than a second query.
  const houses = (await schoolHouses(db, schoolId)).filter((house) => wanted.has(house.toLowerCase()));
  return new Map(houses.map((house) => [house.toLowerCase(), house]));
}

/** The area with its houses spelt as the school's pupils have them (unknown houses dropped). */
export async function canonicalArea(db: Kysely<DB>, schoolId: number, area: PupilArea): Promise<PupilArea> {
  if (area === 'school' || area.houses.length === 0) return area;
  const spelt = await canonicalHouses(db, schoolId, area.houses);
  return { years: area.years, houses: area.houses.map((house) => spelt.get(house.toLowerCase())).filter((house): house is string => Boolean(house)) };
}

/**
 * The SQL condition "pupil (alias p) is in the area". An empty area matches nobody, never everybody.
 */
export function inArea(area: PupilArea, alias = 'p'): Expression<SqlBool> {
  if (area === 'school') return sql<SqlBool>`true`;
  const year = sql.ref(`${alias}.year_group`);
  const house = sql.ref(`${alias}.house`);
  const parts = [];
  if (area.years.length > 0) parts.push(sql<SqlBool>`${year} = any(${area.years}::smallint[])`);
  if (area.houses.length > 0) parts.push(sql<SqlBool>`${house} = any(${area.houses}::text[])`);
  if (parts.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}
