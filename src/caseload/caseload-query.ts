import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { CaseloadPeriod } from './caseload-period.ts';
import { inArea, type PupilArea } from './pupil-area.ts';

/**
 * The caseload figures, computed by PostgreSQL: the pupils in scope are found through the
 * (school, year/house) indexes and their current assignment, and each figure is an aggregate over
 * the indexed meeting, note and target rows of just those pupils. Nothing is loaded into the
 * process but one row per tutor (and the few pupils needing attention).
 */
export interface CaseloadQuery {
  schoolId: number;
  area: PupilArea;
  /** One tutor's tutees (caseload me / caseload <staff>), within the area. */
  tutorStaffId: number | null;
  period: CaseloadPeriod;
  /** Count safeguarding notes (for DSLs only; never for anyone else). */
  withSafeguarding: boolean;
}

export interface TutorFigures {
  staffId: number;
  name: string;
  email: string;
  active: boolean;
  /** The forms of the tutor's tutees in scope, e.g. "9A". */
  group: string;
  tutees: number;
  /** Tutees the meeting policy applies to. */
  policyTutees: number;
  metThisTerm: number;
  dueThisTerm: number;
  doneThisYear: number;
  dueThisYear: number;
  overdueMeetings: number;
  openConcerns: number;
  concernsHalfTerm: number;
  praiseHalfTerm: number;
  targetsOverdue: number;
  openSafeguarding: number;
}

export interface AttentionPupil {
  id: number;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  yearGroup: number | null;
  form: string | null;
  house: string | null;
  sen: boolean;
  eal: boolean;
  tutorStaffId: number | null;
  tutorName: string | null;
  noTutor: boolean;
  overdueMeetings: number;
  openConcerns: number;
  targetsOverdue: number;
  openSafeguarding: number;
}

/** The per-pupil figures as CTEs over `scoped` (a CTE with the pupils' ids), shared by both queries. */
function figureCtes(query: CaseloadQuery): RawBuilder<unknown> {
  const { schoolId, period } = query;
  const academicYear = period.term?.academicYear ?? '';
  const termName = period.term?.name ?? '';
  return sql`
    met AS (
      SELECT m.pupil_id,
             count(*) FILTER (WHERE m.term = ${termName})::int AS this_term,
             count(*)::int AS this_year
        FROM meeting m
       WHERE m.school_id = ${schoolId} AND m.academic_year = ${academicYear}
         AND m.pupil_id IN (SELECT id FROM scoped)
       GROUP BY m.pupil_id
    ),
    notes AS (
      SELECT n.pupil_id,
             count(*) FILTER (WHERE n.kind = 'concern' AND NOT n.safeguarding AND n.acknowledged_at IS NULL)::int AS open_concerns,
             count(*) FILTER (WHERE n.kind = 'concern' AND NOT n.safeguarding
                               AND n.created_at >= ${period.halfTermStart}::timestamptz AND n.created_at < ${period.halfTermEnd}::timestamptz)::int AS concerns_half,
             count(*) FILTER (WHERE n.kind = 'praise' AND NOT n.safeguarding
                               AND n.created_at >= ${period.halfTermStart}::timestamptz AND n.created_at < ${period.halfTermEnd}::timestamptz)::int AS praise_half,
             -- Safeguarding notes are counted for DSLs only; for anyone else this is always 0.
             count(*) FILTER (WHERE ${query.withSafeguarding}::boolean AND n.safeguarding AND n.acknowledged_at IS NULL)::int AS open_sg
        FROM note n
       WHERE n.school_id = ${schoolId} AND n.kind <> 'followup'
         AND n.pupil_id IN (SELECT id FROM scoped)
       GROUP BY n.pupil_id
    ),
    targets AS (
      SELECT t.pupil_id, count(*)::int AS overdue
        FROM target t
       WHERE t.school_id = ${schoolId} AND t.status = 'open' AND t.review_on < ${period.today}::date
         AND t.pupil_id IN (SELECT id FROM scoped)
       GROUP BY t.pupil_id
    )`;
}

function inPolicy(period: CaseloadPeriod): RawBuilder<boolean> {
  return sql<boolean>`(cardinality(${period.policyYears}::smallint[]) = 0 OR p.year_group = ANY(${period.policyYears}::smallint[]))`;
}

function tutorFilter(query: CaseloadQuery): RawBuilder<unknown> {
  return query.tutorStaffId === null ? sql`` : sql`AND ta.staff_id = ${query.tutorStaffId}`;
}

interface TutorRow {
  staff_id: number;
  display_name: string;
  email: string;
  active: boolean;
  forms: string | null;
  tutees: number;
  policy_tutees: number;
  met_term: number;
  done_year: number;
  overdue: number;
  open_concerns: number;
  concerns_half: number;
  praise_half: number;
  targets_overdue: number;
  open_sg: number;
}

export async function caseloadByTutor(db: Kysely<DB>, query: CaseloadQuery): Promise<TutorFigures[]> {
  const { period } = query;
  const result = await sql<TutorRow>`
    WITH scoped AS MATERIALIZED (
      SELECT p.id, p.form, ta.staff_id, ${inPolicy(period)} AS in_policy
        FROM pupil p
        JOIN tutor_assignment ta ON ta.pupil_id = p.id AND ta.valid_to IS NULL
       WHERE p.school_id = ${query.schoolId} AND p.active AND ${inArea(query.area, 'p')} ${tutorFilter(query)}
    ),
    ${figureCtes(query)},
    per_tutor AS (
      SELECT s.staff_id,
             string_agg(DISTINCT s.form, ', ' ORDER BY s.form) AS forms,
             count(*)::int AS tutees,
             count(*) FILTER (WHERE s.in_policy)::int AS policy_tutees,
             coalesce(sum(least(coalesce(m.this_term, 0), ${period.requiredThisTerm}::int)) FILTER (WHERE s.in_policy), 0)::int AS met_term,
             coalesce(sum(least(coalesce(m.this_year, 0), ${period.requiredThisYear}::int)) FILTER (WHERE s.in_policy), 0)::int AS done_year,
             coalesce(sum(greatest(${period.requiredByNow}::int - coalesce(m.this_year, 0), 0)) FILTER (WHERE s.in_policy), 0)::int AS overdue,
             coalesce(sum(n.open_concerns), 0)::int AS open_concerns,
             coalesce(sum(n.concerns_half), 0)::int AS concerns_half,
             coalesce(sum(n.praise_half), 0)::int AS praise_half,
             coalesce(sum(t.overdue), 0)::int AS targets_overdue,
             coalesce(sum(n.open_sg), 0)::int AS open_sg
        FROM scoped s
        LEFT JOIN met m ON m.pupil_id = s.id
        LEFT JOIN notes n ON n.pupil_id = s.id
        LEFT JOIN targets t ON t.pupil_id = s.id
       GROUP BY s.staff_id
    )
    -- Staff names are joined after aggregation: one lookup per tutor, not per pupil.
    SELECT pt.*, st.display_name, st.email, st.active
      FROM per_tutor pt
      JOIN staff st ON st.id = pt.staff_id`.execute(db);
  return result.rows.map((row) => ({
    staffId: row.staff_id,
    name: row.display_name,
    email: row.email,
    active: row.active,
    group: row.forms ?? '',
    tutees: Number(row.tutees),
    policyTutees: Number(row.policy_tutees),
    metThisTerm: Number(row.met_term),
    dueThisTerm: Number(row.policy_tutees) * period.requiredThisTerm,
    doneThisYear: Number(row.done_year),
    dueThisYear: Number(row.policy_tutees) * period.requiredThisYear,
    overdueMeetings: Number(row.overdue),
    openConcerns: Number(row.open_concerns),
    concernsHalfTerm: Number(row.concerns_half),
    praiseHalfTerm: Number(row.praise_half),
    targetsOverdue: Number(row.targets_overdue),
    openSafeguarding: Number(row.open_sg),
  }));
}

interface AttentionRow {
  id: number;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  year_group: number | null;
  form: string | null;
  house: string | null;
  sen: boolean;
  eal: boolean;
  staff_id: number | null;
  tutor_name: string | null;
  no_tutor: boolean;
  overdue: number;
  open_concerns: number;
  targets_overdue: number;
  open_sg: number;
  total: number;
}

/**
 * The pupils in scope who need someone's attention, most urgent first: open safeguarding (DSLs
 * only), no active tutor, open concerns, overdue meetings, targets overdue for review.
 */
export async function pupilsNeedingAttention(db: Kysely<DB>, query: CaseloadQuery, limit: number): Promise<{ pupils: AttentionPupil[]; total: number }> {
  const { period } = query;
  // One tutor's view has no unassigned pupils; a scope's view includes them (the broken promise).
  const join = query.tutorStaffId === null ? sql`LEFT JOIN` : sql`JOIN`;
  const result = await sql<AttentionRow>`
    WITH scoped AS MATERIALIZED (
      SELECT p.id, p.given_name, p.family_name, p.preferred_name, p.year_group, p.form, p.house, p.sen, p.eal,
             ta.staff_id, st.display_name AS tutor_name, (ta.id IS NULL OR NOT st.active) AS no_tutor,
             ${inPolicy(period)} AS in_policy
        FROM pupil p
        ${join} tutor_assignment ta ON ta.pupil_id = p.id AND ta.valid_to IS NULL
        LEFT JOIN staff st ON st.id = ta.staff_id
       WHERE p.school_id = ${query.schoolId} AND p.active AND ${inArea(query.area, 'p')} ${tutorFilter(query)}
    ),
    ${figureCtes(query)},
    scored AS (
      SELECT s.*,
             CASE WHEN s.in_policy THEN greatest(${period.requiredByNow}::int - coalesce(m.this_year, 0), 0) ELSE 0 END AS overdue,
             coalesce(n.open_concerns, 0) AS open_concerns,
             coalesce(t.overdue, 0) AS targets_overdue,
             coalesce(n.open_sg, 0) AS open_sg
        FROM scoped s
        LEFT JOIN met m ON m.pupil_id = s.id
        LEFT JOIN notes n ON n.pupil_id = s.id
        LEFT JOIN targets t ON t.pupil_id = s.id
    )
    SELECT *, (count(*) OVER ())::int AS total
      FROM scored
     WHERE no_tutor OR overdue > 0 OR open_concerns > 0 OR targets_overdue > 0 OR open_sg > 0
     ORDER BY open_sg DESC, no_tutor DESC, open_concerns DESC, overdue DESC, targets_overdue DESC, family_name, given_name, id
     LIMIT ${limit}`.execute(db);
  return {
    total: result.rows.length > 0 ? Number(result.rows[0].total) : 0,
    pupils: result.rows.map((row) => ({
      id: row.id,
      givenName: row.given_name,
      familyName: row.family_name,
      preferredName: row.preferred_name,
      yearGroup: row.year_group,
      form: row.form,
      house: row.house,
      sen: row.sen,
      eal: row.eal,
      tutorStaffId: row.staff_id,
      tutorName: row.tutor_name,
      noTutor: row.no_tutor,
      overdueMeetings: Number(row.overdue),
      openConcerns: Number(row.open_concerns),
      targetsOverdue: Number(row.targets_overdue),
      openSafeguarding: Number(row.open_sg),
    })),
  };
}

export interface TuteeSpread {
  tutors: number;
  smallest: number;
  median: number;
  largest: number;
}

/** The spread of a list of tutee counts (the median as PostgreSQL's percentile_cont(0.5) gives it). */
export function spreadOf(counts: number[]): TuteeSpread {
  if (counts.length === 0) return { tutors: 0, smallest: 0, median: 0, largest: 0 };
  const sorted = [...counts].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  const median = (sorted[Math.floor(middle)] + sorted[Math.ceil(middle)]) / 2;
  return { tutors: sorted.length, smallest: sorted[0], median, largest: sorted[sorted.length - 1] };
}

/** Tutees per active tutor across the whole school, so that leads can balance the load. */
export async function tuteeSpread(db: Kysely<DB>, schoolId: number): Promise<TuteeSpread> {
  const result = await sql<{ tutors: number; smallest: number | null; median: number | null; largest: number | null }>`
    SELECT count(*)::int AS tutors, min(n)::int AS smallest,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY n))::float8 AS median, max(n)::int AS largest
      FROM (
        SELECT ta.staff_id, count(*) AS n
          FROM tutor_assignment ta
          JOIN pupil p ON p.id = ta.pupil_id AND p.active
          JOIN staff st ON st.id = ta.staff_id AND st.active
         WHERE ta.school_id = ${schoolId} AND ta.valid_to IS NULL
         GROUP BY ta.staff_id
      ) AS per_tutor`.execute(db);
  const row = result.rows[0];
  return { tutors: Number(row?.tutors ?? 0), smallest: Number(row?.smallest ?? 0), median: Number(row?.median ?? 0), largest: Number(row?.largest ?? 0) };
}
