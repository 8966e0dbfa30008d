import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { asLocalDate } from '../../src/meetings/meeting-policy.ts';
import type { ReminderFacts } from './reminder-rules-oracle.ts';

/** One school's facts, read from the database, for the oracle's planReminders(); the sweep reads them in its SQL instead. */
export async function loadReminderFacts(db: Kysely<DB>, schoolId: number): Promise<ReminderFacts> {
  const pupils = await db
    .selectFrom('pupil as p')
    .leftJoin('tutor_assignment as ta', (join) => join.onRef('ta.pupil_id', '=', 'p.id').on('ta.valid_to', 'is', null))
    .leftJoin('staff as s', (join) => join.onRef('s.id', '=', 'ta.staff_id').on('s.active', '=', true))
    .select([
      'p.id',
      'p.year_group',
      'p.house',
      's.id as tutor_id',
      sql<Date | null>`(SELECT min(h.valid_from) FROM tutor_assignment h WHERE h.pupil_id = p.id)`.as('tutored_from'),
    ])
    .where('p.school_id', '=', schoolId)
    .where('p.active', '=', true)
    .execute();
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'roles', 'year_scope', 'house_scope'])
    .where('school_id', '=', schoolId)
    .where('active', '=', true)
    .execute();
  const meetings = await db.selectFrom('meeting').select(['pupil_id', 'academic_year', 'term']).where('school_id', '=', schoolId).execute();
  const targets = await db
    .selectFrom('target')
    .select(['pupil_id', sql<string>`review_on::text`.as('review_on')])
    .where('school_id', '=', schoolId)
    .where('status', '=', 'open')
    .execute();
  const snoozes = await db
    .selectFrom('reminder_snooze')
    .select(['staff_id', 'kind', 'period', sql<string>`snoozed_on::text`.as('snoozed_on'), sql<string>`until_on::text`.as('until_on')])
    .where('school_id', '=', schoolId)
    .execute();
  return {
    schoolId,
    pupils: pupils.map((row) => ({
      id: row.id,
      yearGroup: row.year_group,
      house: row.house,
      tutorStaffId: row.tutor_id,
      tutoredFrom: row.tutored_from ? new Date(row.tutored_from) : null,
    })),
    staff: staff.map((row) => ({ id: row.id, roles: row.roles, yearScope: row.year_scope.map(Number), houseScope: row.house_scope })),
    meetings: meetings.map((row) => ({ pupilId: row.pupil_id, academicYear: row.academic_year, term: row.term })),
    openTargets: targets.map((row) => ({ pupilId: row.pupil_id, reviewOn: asLocalDate(row.review_on) })),
    snoozes: snoozes.map((row) => ({
      staffId: row.staff_id,
      kind: row.kind,
      period: row.period,
      snoozedOn: asLocalDate(row.snoozed_on),
      untilOn: asLocalDate(row.until_on),
    })),
  };
}
