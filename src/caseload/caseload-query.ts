import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { CaseloadPeriod } from './caseload-period.ts';
import { inArea, type PupilArea } from './pupil-area.ts';
import { toPupilFacts, type PupilFacts, type PupilFactsRow } from '../pupils/pupil-summary.ts';

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

export interface AttentionPupil extends PupilFacts {
  tutorStaffId: number | null;
  tutorName: string | null;
  noTutor: boolean;
  overdueMeetings: number;
  openConcerns: number;
  targetsOverdue: number;
  openSafeguarding: number;
}

/**
 * The per-pupil figures as CTEs over `scoped` (the pupils in scope). For the whole school the rows
 * are taken by school alone (the later join to `scoped` drops everyone else), which lets
 * PostgreSQL read each table's (school, …) index in one pass instead of probing it per pupil.
 */
function figureCtes(query: CaseloadQuery): RawBuilder<unknown> {
  const { schoolId, period } = query;
  const academicYear = period.term?.academicYear ?? '';
  const termName = period.term?.name ?? '';
  const wholeSchool = query.area === 'school' && query.tutorStaffId === null;
  const inScope = (column: string) => (wholeSchool ? sql`` : sql`AND ${sql.ref(column)} IN (SELECT id FROM scoped)`);
  return sql`
    met AS (
      SELECT m.pupil_id,
             count(*) FILTER (WHERE m.term = ${termName})::int AS this_term,
             count(*)::int AS this_year
        FROM meeting m
       WHERE m.school_id = ${schoolId} AND m.academic_year = ${academicYear} ${inScope('m.pupil_id')}
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
       WHERE n.school_id = ${schoolId} AND n.kind <> 'followup' ${inScope('n.pupil_id')}
       GROUP BY n.pupil_id
    ),
    targets AS (
      SELECT t.pupil_id, count(*)::int AS overdue
        FROM target t
       WHERE t.school_id = ${schoolId} AND t.status = 'open' AND t.review_on < ${period.today}::date ${inScope('t.pupil_id')}
       GROUP BY t.pupil_id
    )`;
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

interface AttentionRow extends PupilFactsRow {
  staff_id: number | null;
  tutor_name: string | null;
  no_tutor: boolean;
  overdue: number;
  open_concerns: number;
  targets_overdue: number;
  open_sg: number;
}

export interface CaseloadResult {
  tutors: TutorFigures[];
  /** null when not asked for (counts-only views, the home). */
  attention: { pupils: AttentionPupil[]; total: number } | null;
  /** Pupils in the area with no active tutor (0 for one tutor's caseload). */
  unassigned: number;
}

// PostgreSQL hands json back parsed; be tolerant of a driver that returns text.
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * The whole caseload in one statement: the pupils in scope are read once (through the school's
 * year/house index and the current-assignment index), their figures aggregated once, and from
 * that one set come the rows per tutor, the most urgent pupils (most urgent first: open
 * safeguarding for DSLs, no active tutor, open concerns, overdue meetings, overdue targets) and
 * the count without a tutor.
 */
export async function loadCaseload(db: Kysely<DB>, query: CaseloadQuery, options: { attentionLimit: number | null }): Promise<CaseloadResult> {
  const { period } = query;
  // One tutor's view has no unassigned pupils; a scope's view includes them (the broken promise).
  const join = query.tutorStaffId === null ? sql`LEFT JOIN` : sql`JOIN`;
  const tutorFilter = query.tutorStaffId === null ? sql`` : sql`AND ta.staff_id = ${query.tutorStaffId}`;
  const inPolicy = sql`(cardinality(${period.policyYears}::smallint[]) = 0 OR p.year_group = ANY(${period.policyYears}::smallint[]))`;
  const limit = options.attentionLimit ?? 0;
  const result = await sql<{ tutors: unknown; attention: unknown; attention_total: number; unassigned: number }>`
    WITH scoped AS MATERIALIZED (
      -- Only columns the covering indexes hold (migrations/0010): no visit to each pupil's row.
      SELECT p.id, p.year_group, p.form, p.house, ta.staff_id, (ta.pupil_id IS NULL) AS never_assigned, ${inPolicy} AS in_policy
        FROM pupil p
        ${join} tutor_assignment ta ON ta.school_id = p.school_id AND ta.pupil_id = p.id AND ta.valid_to IS NULL
       WHERE p.school_id = ${query.schoolId} AND p.active AND ${inArea(query.area, 'p')} ${tutorFilter}
    ),
    ${figureCtes(query)},
    per_pupil AS MATERIALIZED (
      SELECT s.*,
             CASE WHEN s.in_policy THEN least(coalesce(m.this_term, 0), ${period.requiredThisTerm}::int) ELSE 0 END AS met_term,
             CASE WHEN s.in_policy THEN least(coalesce(m.this_year, 0), ${period.requiredThisYear}::int) ELSE 0 END AS done_year,
             CASE WHEN s.in_policy THEN greatest(${period.requiredByNow}::int - coalesce(m.this_year, 0), 0) ELSE 0 END AS overdue,
             coalesce(n.open_concerns, 0) AS open_concerns,
             coalesce(n.concerns_half, 0) AS concerns_half,
             coalesce(n.praise_half, 0) AS praise_half,
             coalesce(t.overdue, 0) AS targets_overdue,
             coalesce(n.open_sg, 0) AS open_sg
        FROM scoped s
        LEFT JOIN met m ON m.pupil_id = s.id
        LEFT JOIN notes n ON n.pupil_id = s.id
        LEFT JOIN targets t ON t.pupil_id = s.id
    ),
    per_tutor AS (
      SELECT staff_id,
             string_agg(DISTINCT form, ', ' ORDER BY form) AS forms,
             count(*)::int AS tutees,
             count(*) FILTER (WHERE in_policy)::int AS policy_tutees,
             sum(met_term)::int AS met_term,
             sum(done_year)::int AS done_year,
             sum(overdue)::int AS overdue,
             sum(open_concerns)::int AS open_concerns,
             sum(concerns_half)::int AS concerns_half,
             sum(praise_half)::int AS praise_half,
             sum(targets_overdue)::int AS targets_overdue,
             sum(open_sg)::int AS open_sg
        FROM per_pupil
       WHERE staff_id IS NOT NULL
       GROUP BY staff_id
    ),
    -- Staff are joined after aggregation: one lookup per tutor, not per pupil.
    tutors AS (
      SELECT pt.*, st.display_name, st.email, st.active
        FROM per_tutor pt JOIN staff st ON st.id = pt.staff_id
    ),
    flagged AS (
      SELECT pp.*, st.display_name AS tutor_name, (pp.never_assigned OR NOT coalesce(st.active, false)) AS no_tutor
        FROM per_pupil pp LEFT JOIN tutors st ON st.staff_id = pp.staff_id
    ),
    needing AS (
      SELECT * FROM flagged
       WHERE no_tutor OR overdue > 0 OR open_concerns > 0 OR targets_overdue > 0 OR open_sg > 0
    )
    SELECT (SELECT coalesce(json_agg(tutors), '[]'::json) FROM tutors) AS tutors,
           -- The most urgent first (ties by id); names and needs are read for just those pupils.
           (SELECT coalesce(json_agg(a ORDER BY a.open_sg DESC, a.no_tutor DESC, a.open_concerns DESC, a.overdue DESC,
                                     a.targets_overdue DESC, a.family_name, a.given_name, a.id), '[]'::json) FROM (
              SELECT u.id, p.given_name, p.family_name, p.preferred_name, u.year_group, u.form, u.house, p.sen, p.eal, u.staff_id,
                     u.tutor_name, u.no_tutor, u.overdue, u.open_concerns, u.targets_overdue, u.open_sg
                FROM (SELECT * FROM needing
                       ORDER BY open_sg DESC, no_tutor DESC, open_concerns DESC, overdue DESC, targets_overdue DESC, id
                       LIMIT ${limit}) AS u
                JOIN pupil p ON p.id = u.id) AS a) AS attention,
           (SELECT count(*) FROM needing WHERE ${limit} > 0)::int AS attention_total,
           (SELECT count(*) FROM flagged WHERE no_tutor)::int AS unassigned`.execute(db);
  const row = result.rows[0];
  const tutors = json<TutorRow[]>(row.tutors).map((tutor) => ({
    staffId: tutor.staff_id,
    name: tutor.display_name,
    email: tutor.email,
    active: tutor.active,
    group: tutor.forms ?? '',
    tutees: Number(tutor.tutees),
    policyTutees: Number(tutor.policy_tutees),
    metThisTerm: Number(tutor.met_term),
    dueThisTerm: Number(tutor.policy_tutees) * period.requiredThisTerm,
    doneThisYear: Number(tutor.done_year),
    dueThisYear: Number(tutor.policy_tutees) * period.requiredThisYear,
    overdueMeetings: Number(tutor.overdue),
    openConcerns: Number(tutor.open_concerns),
    concernsHalfTerm: Number(tutor.concerns_half),
    praiseHalfTerm: Number(tutor.praise_half),
    targetsOverdue: Number(tutor.targets_overdue),
    openSafeguarding: Number(tutor.open_sg),
  }));
  const attention =
    options.attentionLimit === null
      ? null
      : {
          total: Number(row.attention_total),
          pupils: json<AttentionRow[]>(row.attention).map((pupil) => ({
            ...toPupilFacts(pupil),
            tutorStaffId: pupil.staff_id,
            tutorName: pupil.tutor_name,
            noTutor: pupil.no_tutor,
            overdueMeetings: Number(pupil.overdue),
            openConcerns: Number(pupil.open_concerns),
            targetsOverdue: Number(pupil.targets_overdue),
            openSafeguarding: Number(pupil.open_sg),
          })),
        };
  return { tutors, attention, unassigned: Number(row.unassigned) };
}

/** The rows per tutor only (the home's bars). */
export async function caseloadByTutor(db: Kysely<DB>, query: CaseloadQuery): Promise<TutorFigures[]> {
  return (await loadCaseload(db, query, { attentionLimit: null })).tutors;
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

/**
 * Tutees per active tutor across the whole school, so that leads can balance the load. Read from
 * the current-assignment index by school alone: a pupil leaving the roll has their assignment ended
 * by the roster import (and nobody can assign an inactive pupil), so current rows are active pupils.
 */
export async function tuteeSpread(db: Kysely<DB>, schoolId: number): Promise<TuteeSpread> {
  const result = await sql<{ n: number }>`
    SELECT per_tutor.n
      FROM (SELECT staff_id, count(*)::int AS n FROM tutor_assignment
             WHERE school_id = ${schoolId} AND valid_to IS NULL GROUP BY staff_id) AS per_tutor
      JOIN staff st ON st.id = per_tutor.staff_id AND st.active`.execute(db);
  return spreadOf(result.rows.map((row) => Number(row.n)));
}
