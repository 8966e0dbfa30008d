import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { TutorbotError } from '../errors.ts';

export interface SchoolRow {
  id: number;
  name: string;
  urn: string | null;
  timeZone: string;
}

/**
 * The school a CLI command or platform link is about: by id, URN or name (case-insensitive);
 * with no selector, the only school in the database. Several schools need a selector.
 */
export async function findSchool(db: Kysely<DB>, selector?: string): Promise<SchoolRow> {
  let query = db.selectFrom('school').select(['id', 'name', 'urn', 'time_zone']).orderBy('id');
  const wanted = selector?.trim();
  if (wanted) {
    query = query.where((eb) =>
      eb.or([
        eb('urn', '=', wanted),
        eb(sql`lower(name)`, '=', wanted.toLowerCase()),
        ...(/^\d+$/.test(wanted) && Number(wanted) < 2 ** 31 ? [eb('id', '=', Number(wanted))] : []),
      ]),
    );
  }
  const rows = await query.limit(20).execute();
  if (rows.length === 0) {
    throw new TutorbotError(
      'tutorbot_school_not_found',
      wanted
        ? `No school called "${wanted}" (by name, URN or id). List them with: tutorbot schools`
        : 'There is no school yet. Import a roster (tutorbot import PATH) or load the demo school (tutorbot demo).',
    );
  }
  if (rows.length > 1) {
    throw new TutorbotError(
      'tutorbot_school_ambiguous',
      `Several schools match: ${rows.map((row) => `${row.name}${row.urn ? ` (URN ${row.urn})` : ''}`).join('; ')}. Name one with --school.`,
    );
  }
  const [row] = rows;
  return { id: row.id, name: row.name, urn: row.urn, timeZone: row.time_zone };
}
