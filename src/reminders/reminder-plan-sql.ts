import { sql, type RawBuilder } from 'kysely';

/**
 * The reminder plan as set-based SQL: one statement plans a reminder kind for every due school
 * at once (the national weekly digest is one query, not 200,000). Each builder returns the CTEs
 * ending in `planned (school_id, staff_id, kind, period, academic_year, term, suffix, pupils,
 * targets)`; sweep-reminders.ts either inserts those rows into the delivery outbox or, for a
 * dry run, selects them. This is the one planner; test/reminders/reminder-rules-oracle.ts states
 * the same rules plainly, as the oracle a test holds it to.
 *
 * `due` arrives as JSON rows: {school_id, kind, period, academic_year, term, quota, today, year_groups}.
 */
export interface DueRow {
  school_id: number;
  kind: string;
  period: string;
  academic_year: string;
  term: string;
  quota: number;
  today: string;
  year_groups: number[];
  /** The instant the term ends (midnight after its last day): pupils tutored only after it are not "missed". */
  ends_at: string;
}

function dueCte(rows: DueRow[]): RawBuilder<unknown> {
  return sql`due AS (
    SELECT * FROM jsonb_to_recordset(CAST(${JSON.stringify(rows)} AS jsonb))
      AS d(school_id int, kind text, period text, academic_year text, term text, quota int, today date, year_groups int[], ends_at timestamptz)
  )`;
}

/** Splits due rows by term: each plan statement is about one term, which its indexes are built for. */
export function byTerm(rows: DueRow[]): DueRow[][] {
  const groups = new Map<string, DueRow[]>();
  for (const row of rows) {
    const key = `${row.academic_year}:${row.term}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()];
}

/** Meetings per pupil in the term, read from the (academic_year, term, pupil_id) index alone. */
function metCte(rows: DueRow[], schools: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`met AS (
    SELECT m.pupil_id, count(*)::int AS n
      FROM meeting m
     WHERE m.academic_year = ${rows[0].academic_year} AND m.term = ${rows[0].term} AND m.school_id IN (${schools})
     GROUP BY m.pupil_id
  )`;
}

/** First sends to tutors: term-start, digest and nudge, for due rows of one term (byTerm). */
export function tutorPlan(rows: DueRow[]): RawBuilder<unknown> {
  return sql`${dueCte(rows)},
  terms AS (SELECT DISTINCT school_id, academic_year, term, quota, today, year_groups FROM due),
  -- Meetings this term and targets due, per pupil, in one table: one pass over the tutees instead of two.
  pupil_state AS (
    SELECT x.pupil_id, sum(x.met)::int AS met, sum(x.due)::int AS due
      FROM (SELECT m.pupil_id, 1 AS met, 0 AS due
              FROM meeting m
             WHERE m.academic_year = ${rows[0].academic_year} AND m.term = ${rows[0].term} AND m.school_id IN (SELECT school_id FROM terms)
            UNION ALL
            SELECT tg.pupil_id, 0, 1
              FROM target tg JOIN terms t ON tg.school_id = t.school_id
             WHERE tg.status = 'open' AND tg.review_on <= t.today) AS x
     GROUP BY x.pupil_id
  ),
  -- Current assignments are of active pupils (the roster ends a leaver's assignment), so the
  -- pupil table is read only for schools whose policy covers some year groups: at national
  -- scale that saves 3.3 million lookups.
  tutees AS (
    SELECT ta.school_id, ta.staff_id, ta.pupil_id, t.quota
      FROM terms t JOIN tutor_assignment ta ON ta.school_id = t.school_id AND ta.valid_to IS NULL
     WHERE cardinality(t.year_groups) = 0
    UNION ALL
    SELECT ta.school_id, ta.staff_id, ta.pupil_id, CASE WHEN p.year_group = ANY (t.year_groups) THEN t.quota ELSE 0 END
      FROM terms t JOIN tutor_assignment ta ON ta.school_id = t.school_id AND ta.valid_to IS NULL
      JOIN pupil p ON p.id = ta.pupil_id AND p.active
     WHERE cardinality(t.year_groups) > 0
  ),
  per_tutor AS (
    SELECT tu.school_id, tu.staff_id,
           (count(*) FILTER (WHERE coalesce(ps.met, 0) < tu.quota))::int AS to_meet,
           coalesce(sum(ps.due), 0)::int AS targets_due
      FROM tutees tu LEFT JOIN pupil_state ps ON ps.pupil_id = tu.pupil_id
     GROUP BY tu.school_id, tu.staff_id
  ),
  planned AS (
    SELECT d.school_id, pt.staff_id, d.kind, d.period, d.academic_year, d.term, ''::text AS suffix,
           pt.to_meet AS pupils, CASE WHEN d.kind = 'digest' THEN pt.targets_due ELSE 0 END AS targets
      FROM due d JOIN per_tutor pt ON pt.school_id = d.school_id
      -- Staff are checked once per tutor, after the counting, not once per pupil.
      JOIN staff s ON s.id = pt.staff_id AND s.active
     WHERE CASE WHEN d.kind = 'digest'
                THEN (pt.to_meet > 0 OR pt.targets_due > 0)
                     AND NOT EXISTS (SELECT 1 FROM reminder_snooze rs
                                      WHERE rs.staff_id = pt.staff_id AND rs.kind = 'digest'
                                        AND rs.snoozed_on < d.today AND d.today <= rs.until_on)
                ELSE pt.to_meet > 0 END
  )`;
}

/** Snoozed term-start and nudge reminders coming back: only tutors with a finished snooze are visited. */
export function againPlan(rows: DueRow[]): RawBuilder<unknown> {
  return sql`${dueCte(rows)},
  snoozed AS (
    SELECT d.school_id, d.kind, d.period, d.academic_year, d.term, d.quota, d.year_groups, rs.staff_id, rs.until_on
      FROM due d
      JOIN reminder_snooze rs ON rs.school_id = d.school_id AND rs.kind = d.kind AND rs.period = d.period AND rs.until_on <= d.today
  ),
  per_tutor AS (
    SELECT sn.school_id, sn.staff_id, sn.kind, sn.period, sn.academic_year, sn.term, sn.until_on,
           (count(*) FILTER (WHERE (cardinality(sn.year_groups) = 0 OR p.year_group = ANY (sn.year_groups))
                             AND (SELECT count(*) FROM meeting m
                                   WHERE m.pupil_id = p.id AND m.academic_year = sn.academic_year AND m.term = sn.term) < sn.quota))::int AS to_meet
      FROM snoozed sn
      JOIN staff s ON s.id = sn.staff_id AND s.active
      JOIN tutor_assignment ta ON ta.staff_id = sn.staff_id AND ta.valid_to IS NULL
      JOIN pupil p ON p.id = ta.pupil_id AND p.active
     GROUP BY sn.school_id, sn.staff_id, sn.kind, sn.period, sn.academic_year, sn.term, sn.until_on
  ),
  planned AS (
    SELECT school_id, staff_id, kind, period, academic_year, term, ':snoozed-' || until_on::text AS suffix, to_meet AS pupils, 0 AS targets
      FROM per_tutor WHERE to_meet > 0
  )`;
}

/** Heads of house / year and pastoral leads: pupils in scope not met in the term just ended (rows of one term). */
export function missedPlan(rows: DueRow[]): RawBuilder<unknown> {
  return sql`${dueCte(rows)},
  ${metCte(rows, sql`SELECT school_id FROM due`)},
  missed AS (
    SELECT p.school_id, p.id, p.year_group, lower(p.house) AS house
      FROM due d
      JOIN pupil p ON p.school_id = d.school_id AND p.active
      LEFT JOIN met ON met.pupil_id = p.id
     WHERE coalesce(met.n, 0) < d.quota AND (cardinality(d.year_groups) = 0 OR p.year_group = ANY (d.year_groups))
       -- Only pupils who had a tutor during the term (not those who joined, or a school that started using tutorbot, after it).
       AND EXISTS (SELECT 1 FROM tutor_assignment ta WHERE ta.pupil_id = p.id AND ta.valid_from < d.ends_at)
  ),
  leads AS (
    SELECT s.school_id, s.id AS staff_id, s.roles, s.year_scope, s.house_scope
      FROM due d JOIN staff s ON s.school_id = d.school_id
     WHERE s.active AND s.roles && ARRAY['head_of_house', 'head_of_year', 'pastoral_lead']::text[]
  ),
  lead_pupils AS (
    SELECT l.school_id, l.staff_id, mp.id
      FROM leads l JOIN missed mp ON mp.school_id = l.school_id
     WHERE 'pastoral_lead' = ANY (l.roles) AND cardinality(l.year_scope) = 0 AND cardinality(l.house_scope) = 0
    UNION
    SELECT l.school_id, l.staff_id, mp.id
      FROM leads l CROSS JOIN LATERAL unnest(l.year_scope) AS y(year)
      JOIN missed mp ON mp.school_id = l.school_id AND mp.year_group = y.year
     WHERE l.roles && ARRAY['head_of_year', 'pastoral_lead']::text[]
    UNION
    SELECT l.school_id, l.staff_id, mp.id
      FROM leads l CROSS JOIN LATERAL unnest(l.house_scope) AS h(house)
      JOIN missed mp ON mp.school_id = l.school_id AND mp.house = lower(h.house)
     WHERE l.roles && ARRAY['head_of_house', 'pastoral_lead']::text[]
  ),
  planned AS (
    SELECT lp.school_id, lp.staff_id, d.kind, d.period, d.academic_year, d.term, ''::text AS suffix, count(*)::int AS pupils, 0 AS targets
      FROM lead_pupils lp JOIN due d ON d.school_id = lp.school_id
     GROUP BY lp.school_id, lp.staff_id, d.kind, d.period, d.academic_year, d.term
  )`;
}

/** The idempotency key, as reminder-kinds.ts reminderKey() writes it. */
export const plannedKey = sql`'reminder:' || planned.school_id || ':' || planned.staff_id || ':' || planned.kind || ':' || planned.period || planned.suffix`;
