import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** The facts every listing of a pupil shows (names, where they are in the school, needs flags). */
export interface PupilFacts {
  id: number;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  yearGroup: number | null;
  form: string | null;
  house: string | null;
  sen: boolean;
  eal: boolean;
}

/** What tutorbot shows about a pupil on a card, with the current tutor when there is one. */
export interface PupilSummary extends PupilFacts {
  schoolId: number;
  active: boolean;
  tutor: { staffId: number; name: string; email: string; active: boolean } | null;
}

/** The stored columns behind PupilFacts; listings select them with pupilFactColumns. */
export interface PupilFactsRow {
  id: number;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  year_group: number | null;
  form: string | null;
  house: string | null;
  sen: boolean;
  eal: boolean;
}

/** PupilFactsRow's columns, from a query that calls the pupil table "p". */
export const pupilFactColumns = ['p.id', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.year_group', 'p.form', 'p.house', 'p.sen', 'p.eal'] as const;

export function toPupilFacts(row: PupilFactsRow): PupilFacts {
  return {
    id: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    preferredName: row.preferred_name,
    yearGroup: row.year_group,
    form: row.form,
    house: row.house,
    sen: row.sen,
    eal: row.eal,
  };
}

interface PupilSummaryRow extends PupilFactsRow {
  school_id: number;
  active: boolean;
  tutor_id: number | null;
  tutor_name: string | null;
  tutor_email: string | null;
  tutor_active: boolean | null;
}

export function toPupilSummary(row: PupilSummaryRow): PupilSummary {
  return {
    ...toPupilFacts(row),
    schoolId: row.school_id,
    active: row.active,
    tutor:
      row.tutor_id === null ? null : { staffId: row.tutor_id, name: row.tutor_name ?? '', email: row.tutor_email ?? '', active: row.tutor_active ?? false },
  };
}

/** The select that every pupil card uses: the pupil joined to the current tutor assignment. */
export function selectPupilSummaries(db: Kysely<DB>) {
  return db
    .selectFrom('pupil as p')
    .leftJoin('tutor_assignment as ta', (join) => join.onRef('ta.pupil_id', '=', 'p.id').on('ta.valid_to', 'is', null))
    .leftJoin('staff as t', 't.id', 'ta.staff_id')
    .select([
      ...pupilFactColumns,
      'p.school_id',
      'p.active',
      't.id as tutor_id',
      't.display_name as tutor_name',
      't.email as tutor_email',
      't.active as tutor_active',
    ]);
}

export async function getPupilSummary(db: Kysely<DB>, schoolId: number, pupilId: number): Promise<PupilSummary | null> {
  const row = await selectPupilSummaries(db).where('p.school_id', '=', schoolId).where('p.id', '=', pupilId).executeTakeFirst();
  return row ? toPupilSummary(row) : null;
}
