import { sql, type Kysely } from 'kysely';
import { currentOrNextTerm, termOn, type SchoolCalendar, type Term } from '../calendar/index.ts';
import type { DB } from '../db/schema.ts';
import type { SchoolSettings } from '../schools/school-settings.ts';
import { asLocalDate, meetingsRequiredInTerm, policyAppliesToYear } from './meeting-policy.ts';

/**
 * A tutor's tutees with where each stands this term: meetings held against the policy, and open
 * targets due for review. `tutees`, the home view and the reminders all read it from here, so a
 * reminder lists exactly who `tutees` shows as "not yet".
 */
export interface TuteeStatus {
  pupilId: number;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  form: string | null;
  yearGroup: number | null;
  house: string | null;
  tutorStaffId: number | null;
  meetingsThisTerm: number;
  /** Meetings the policy asks for this term (0: none needed, e.g. a year group it does not cover). */
  required: number;
  needsMeeting: boolean;
  lastMetOn: string | null;
  openTargets: number;
  targetsDue: number;
  nextReviewOn: string | null;
}

/** The term "this term" means on a date: the one containing it, else (in a holiday) the next one. */
export function termForStatus(calendar: SchoolCalendar, today: string): Term | undefined {
  return termOn(calendar, today) ?? currentOrNextTerm(calendar, today);
}

interface StatusScope {
  schoolId: number;
  /** A tutor's current tutees… */
  tutorStaffId?: number;
  /** …or these pupils. */
  pupilIds?: number[];
  /** Only pupils who had a tutor before this instant (the missed list of an ended term). */
  tutoredBefore?: Date;
}

export async function loadTuteeStatus(
  db: Kysely<DB>,
  scope: StatusScope,
  term: Pick<Term, 'academicYear' | 'name'>,
  settings: SchoolSettings,
  today: string,
): Promise<TuteeStatus[]> {
  let query = db
    .selectFrom('pupil as p')
    .leftJoin('tutor_assignment as ta', (join) => join.onRef('ta.pupil_id', '=', 'p.id').on('ta.valid_to', 'is', null))
    .select([
      'p.id',
      'p.given_name',
      'p.family_name',
      'p.preferred_name',
      'p.form',
      'p.year_group',
      'p.house',
      'ta.staff_id',
      sql<number>`(SELECT count(*) FROM meeting m WHERE m.pupil_id = p.id AND m.academic_year = ${term.academicYear} AND m.term = ${term.name})::int`.as('met'),
      sql<string | null>`(SELECT max(m.held_on)::text FROM meeting m WHERE m.pupil_id = p.id)`.as('last_met'),
      sql<number>`(SELECT count(*) FROM target t WHERE t.pupil_id = p.id AND t.status = 'open')::int`.as('open_targets'),
      sql<number>`(SELECT count(*) FROM target t WHERE t.pupil_id = p.id AND t.status = 'open' AND t.review_on <= ${today}::date)::int`.as('targets_due'),
      sql<string | null>`(SELECT min(t.review_on)::text FROM target t WHERE t.pupil_id = p.id AND t.status = 'open')`.as('next_review'),
    ])
    .where('p.school_id', '=', scope.schoolId)
    .where('p.active', '=', true);
  if (scope.tutorStaffId !== undefined) query = query.where('ta.staff_id', '=', scope.tutorStaffId);
  if (scope.tutoredBefore !== undefined) {
    query = query.where(sql<boolean>`EXISTS (SELECT 1 FROM tutor_assignment h WHERE h.pupil_id = p.id AND h.valid_from < ${scope.tutoredBefore})`);
  }
  if (scope.pupilIds !== undefined) query = query.where('p.id', 'in', scope.pupilIds.length > 0 ? scope.pupilIds : [-1]);
  const rows = await query.execute();
  const quota = meetingsRequiredInTerm(settings, term.name);
  return rows.map((row) => {
    const required = policyAppliesToYear(settings, row.year_group) ? quota : 0;
    return {
      pupilId: row.id,
      givenName: row.given_name,
      familyName: row.family_name,
      preferredName: row.preferred_name,
      form: row.form,
      yearGroup: row.year_group,
      house: row.house,
      tutorStaffId: row.staff_id,
      meetingsThisTerm: Number(row.met),
      required,
      needsMeeting: Number(row.met) < required,
      lastMetOn: row.last_met ? asLocalDate(row.last_met) : null,
      openTargets: Number(row.open_targets),
      targetsDue: Number(row.targets_due),
      nextReviewOn: row.next_review ? asLocalDate(row.next_review) : null,
    };
  });
}

/** Who needs attention first: no meeting and targets overdue, then no meeting, then targets due. */
export function byAttention(a: TuteeStatus, b: TuteeStatus): number {
  const rank = (status: TuteeStatus) => (status.needsMeeting ? 0 : 2) + (status.targetsDue > 0 ? 0 : 1);
  return (
    rank(a) - rank(b) ||
    (a.lastMetOn ?? '').localeCompare(b.lastMetOn ?? '') ||
    a.familyName.localeCompare(b.familyName) ||
    a.givenName.localeCompare(b.givenName) ||
    a.pupilId - b.pupilId
  );
}
