import { sql, type Kysely, type RawBuilder } from 'kysely';
import { localDateOf } from '../calendar/index.ts';
import type { CoreContext } from '../core-context.ts';
import type { DB } from '../db/schema.ts';
import { kickDeliveries } from '../delivery/outbox.ts';
import { meetingTimes } from '../meetings/index.ts';
import { loadAllSchoolTimes, type SchoolTimes } from '../schools/load-school-times.ts';
import type { ReminderKind } from './reminder-kinds.ts';
import { againPlan, byTerm, missedPlan, plannedKey, tutorPlan, type DueRow } from './reminder-plan-sql.ts';
import { remindersDueOn, sendWindow, termEndsAt } from './reminders-due.ts';

/**
 * The reminder sweep, run every 15 minutes by pg-boss on whichever instance picks it up. For
 * each school whose local time is inside the send window on a due school day, it writes the
 * due reminders into the delivery outbox with set-based SQL; the outbox's idempotency keys make
 * a second sweep, a second instance or a retried job a no-op, and because a reminder stays due
 * for the rest of its window a later sweep still sends what an earlier one missed.
 *
 * `reminder_run` records each (school, kind, period) planned, in the same transaction as its
 * deliveries, so the rest of the day's sweeps skip the school's query instead of repeating it.
 */
export const reminderSweepQueue = 'reminder-sweep';

export interface PlannedReminder {
  schoolId: number;
  staffId: number;
  kind: ReminderKind;
  period: string;
  key: string;
  pupils: number;
  targets: number;
  /** Dry run: whether the outbox already holds it (it would not be sent again). */
  queued: boolean;
}

export interface SweepOptions {
  /** Only these schools (the CLI's --school); all by default. */
  schoolIds?: number[];
  /**
   * Dry run: plan without writing. With `date`, plan that school day as if the send time had
   * come; without, plan now with the send-time window applied.
   */
  dryRun?: boolean;
  date?: string;
}

export interface SweepResult {
  schools: number;
  /** (school, kind, period) plans run. */
  planned: number;
  enqueued: number;
  /** Another instance was sweeping: this one did nothing. */
  skipped: boolean;
  reminders: PlannedReminder[];
  /** Milliseconds spent planning (the SQL, in its transaction) and kicking the delivery jobs. */
  planMs: number;
  kickMs: number;
}

interface DueSets {
  tutor: DueRow[];
  again: DueRow[];
  missed: DueRow[];
}

const sweepLockKey = 7_310_244_506;

function dueFor(schools: SchoolTimes[], now: Date, options: SweepOptions, log: CoreContext['log']): DueSets {
  const sets: DueSets = { tutor: [], again: [], missed: [] };
  for (const school of schools) {
    try {
      const today = options.date ?? localDateOf(now, school.calendar.timeZone);
      const due = remindersDueOn(school.calendar, school.settings, today);
      if (due.length === 0) continue;
      if (!options.date) {
        const window = sendWindow(school.settings, today, school.calendar.timeZone);
        if (now < window.from || now >= window.to) continue;
      }
      for (const item of due) {
        const row: DueRow = {
          school_id: school.schoolId,
          kind: item.kind,
          period: item.period,
          academic_year: item.term.academicYear,
          term: item.term.name,
          quota: item.quota,
          today,
          year_groups: school.settings.meetingYearGroups,
          ends_at: termEndsAt(item.term, school.calendar.timeZone).toISOString(),
        };
        (item.kind === 'missed' ? sets.missed : item.again ? sets.again : sets.tutor).push(row);
      }
    } catch (error) {
      // One school's broken calendar must not stop every other school's reminders.
      log.error('reminder_plan_failed', { schoolId: school.schoolId, error: (error as Error).message });
    }
  }
  return sets;
}

async function notYetRun(db: Kysely<DB>, rows: DueRow[]): Promise<DueRow[]> {
  if (rows.length === 0) return rows;
  const periods = [...new Set(rows.map((row) => row.period))];
  const done = await db.selectFrom('reminder_run').select(['school_id', 'kind', 'period']).where('period', 'in', periods).execute();
  const seen = new Set(done.map((row) => `${row.school_id}|${row.kind}|${row.period}`));
  return rows.filter((row) => !seen.has(`${row.school_id}|${row.kind}|${row.period}`));
}

interface Inserted {
  id: number;
  school_id: number;
  kind: string;
}

async function insertPlanned(db: Kysely<DB>, plan: RawBuilder<unknown>, now: Date): Promise<Inserted[]> {
  const result = await sql<Inserted>`
    WITH ${plan}
    INSERT INTO delivery (school_id, staff_id, idempotency_key, kind, subject, not_before, created_at, updated_at)
    SELECT planned.school_id, planned.staff_id, ${plannedKey}, 'reminder-' || planned.kind,
           jsonb_build_object('kind', planned.kind, 'period', planned.period, 'academicYear', planned.academic_year, 'term', planned.term),
           ${now}, ${now}, ${now}
      FROM planned
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, school_id, kind`.execute(db);
  return result.rows.map((row) => ({ ...row, id: Number(row.id) }));
}

async function selectPlanned(db: Kysely<DB>, plan: RawBuilder<unknown>): Promise<PlannedReminder[]> {
  const result = await sql<{
    school_id: number;
    staff_id: number;
    kind: ReminderKind;
    period: string;
    key: string;
    pupils: number;
    targets: number;
    queued: boolean;
  }>`
    WITH ${plan}
    SELECT planned.school_id, planned.staff_id, planned.kind, planned.period, ${plannedKey} AS key, planned.pupils, planned.targets,
           EXISTS (SELECT 1 FROM delivery dl WHERE dl.idempotency_key = ${plannedKey}) AS queued
      FROM planned
     ORDER BY planned.school_id, planned.kind, planned.staff_id`.execute(db);
  return result.rows.map((row) => ({
    schoolId: row.school_id,
    staffId: row.staff_id,
    kind: row.kind,
    period: row.period,
    key: row.key,
    pupils: Number(row.pupils),
    targets: Number(row.targets),
    queued: row.queued,
  }));
}

export async function sweepReminders(core: CoreContext, options: SweepOptions = {}): Promise<SweepResult> {
  const now = core.now();
  const schools = await loadAllSchoolTimes(core.db, now, options.schoolIds, meetingTimes);
  const sets = dueFor(schools, now, options, core.log);
  const result: SweepResult = { schools: schools.length, planned: 0, enqueued: 0, skipped: false, reminders: [], planMs: 0, kickMs: 0 };
  const started = performance.now();

  if (options.dryRun) {
    await core.db.transaction().execute(async (trx) => {
      await roomToSort(trx);
      for (const rows of byTerm(sets.tutor)) result.reminders = result.reminders.concat(await selectPlanned(trx, tutorPlan(rows)));
      if (sets.again.length > 0) result.reminders = result.reminders.concat(await selectPlanned(trx, againPlan(sets.again)));
      for (const rows of byTerm(sets.missed)) result.reminders = result.reminders.concat(await selectPlanned(trx, missedPlan(rows)));
      result.planned = sets.tutor.length + sets.again.length + sets.missed.length;
    });
    result.planMs = Math.round(performance.now() - started);
    return result;
  }

  const inserted = await core.db.transaction().execute(async (trx) => {
    const lock = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${sweepLockKey}) AS ok`.execute(trx);
    if (!lock.rows[0]?.ok) {
      result.skipped = true;
      return [];
    }
    await roomToSort(trx);
    const tutor = await notYetRun(trx, sets.tutor);
    const missed = await notYetRun(trx, sets.missed);
    let rows: Inserted[] = [];
    for (const group of byTerm(tutor)) rows = rows.concat(await insertPlanned(trx, tutorPlan(group), now));
    if (sets.again.length > 0) rows = rows.concat(await insertPlanned(trx, againPlan(sets.again), now));
    for (const group of byTerm(missed)) rows = rows.concat(await insertPlanned(trx, missedPlan(group), now));
    const runs = [...tutor, ...missed];
    if (runs.length > 0) {
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(`${row.school_id}|${row.kind}`, (counts.get(`${row.school_id}|${row.kind}`) ?? 0) + 1);
      await trx
        .insertInto('reminder_run')
        .values(
          runs.map((run) => ({
            school_id: run.school_id,
            kind: run.kind,
            period: run.period,
            planned_on: run.today,
            deliveries: counts.get(`${run.school_id}|reminder-${run.kind}`) ?? 0,
            created_at: now,
          })),
        )
        .onConflict((conflict) => conflict.columns(['school_id', 'kind', 'period']).doNothing())
        .execute();
    }
    result.planned = runs.length + sets.again.length;
    return rows;
  });
  result.enqueued = inserted.length;
  result.planMs = Math.round(performance.now() - started);
  if (inserted.length > 0) core.log.info('reminders_enqueued', { deliveries: inserted.length, schools: new Set(inserted.map((row) => row.school_id)).size });
  const kicking = performance.now();
  // After the commit, so a worker never looks for a delivery that is not there yet. A lost kick
  // only delays a message: the delivery sweep sends whatever is pending.
  await kickDeliveries(
    core,
    inserted.map((row) => row.id),
  );
  result.kickMs = Math.round(performance.now() - kicking);
  return result;
}

/**
 * A national plan hashes a few million rows; with PostgreSQL's default 4 MB per sort or hash it
 * spills to disk. The setting lasts only for this transaction. (PGlite has no such limit to raise.)
 */
async function roomToSort(trx: Kysely<DB>): Promise<void> {
  await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
}
