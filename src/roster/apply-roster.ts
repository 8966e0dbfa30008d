import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { writePupils } from './apply-pupils.ts';
import { loadExistingStaff, planStaff, staffIdsByEmail, writeStaff, type ExistingStaff, type StaffPlan } from './apply-staff.ts';
import { ImportProblems } from './import-problems.ts';
import { mergeSearchIndexes } from './merge-search-indexes.ts';
import { schoolHasNoPupils } from './insert-new-pupils.ts';
import { preparePupils } from './pupil-batch.ts';
import { applyUpnPlan, planUpns, type UpnPlan } from './reconcile-upns.ts';
import { shorten } from './roster-cells.ts';
import type { Roster, RosterSchool, RosterSummary } from './roster.ts';
import { validateRoster } from './validate-roster.ts';

/**
 * Writes a roster, all of it or nothing, in one transaction. Everything that could make the
 * write fail part-way (duplicates, unknown tutors, emails and UPNs held by other records) is
 * checked first and reported together as tutorbot_import_invalid. Tutor changes keep history:
 * the current assignment is ended and a new one started. A full import deactivates (never
 * deletes) the staff and pupils it does not list; a departed tutor's tutees keep them until a
 * head of house or year reassigns them, so those tutors are reported rather than unassigned.
 */

export interface ApplyRosterOptions {
  /** Deactivate staff and pupils of the roster's schools that it does not list. */
  full: boolean;
  now?: Date;
  /** Pupils written so far, of all the roster's pupils. */
  onProgress?: (done: number, total: number) => void;
  batchSize?: number;
}

export interface DeactivatedTutor {
  schoolId: number;
  staffId: number;
  email: string;
  displayName: string;
  /** How many current tutees they still have. */
  tutees: number;
}

export type ApplyRosterResult = RosterSummary & { schoolIds: number[]; deactivatedTutorsWithTutees: DeactivatedTutor[] };

export async function applyRoster(db: Kysely<DB>, roster: Roster, options: ApplyRosterOptions): Promise<ApplyRosterResult> {
  const work = (trx: Kysely<DB>) => apply(trx, roster, options);
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

interface SchoolPlan {
  school: RosterSchool;
  existing: { id: number; name: string; urn: string | null; time_zone: string } | null;
  staff: StaffPlan;
  upns: UpnPlan;
}

async function apply(db: Kysely<DB>, roster: Roster, options: ApplyRosterOptions): Promise<ApplyRosterResult> {
  const now = options.now ?? new Date();
  const plans = await plan(db, roster, options.full);
  const summary: ApplyRosterResult = {
    schools: roster.schools.length,
    staff: { added: 0, changed: 0, deactivated: 0, unchanged: 0 },
    pupils: { added: 0, changed: 0, deactivated: 0, unchanged: 0 },
    assignments: { started: 0, ended: 0, changed: 0 },
    schoolIds: [],
    deactivatedTutorsWithTutees: [],
  };
  const total = roster.schools.reduce((sum, school) => sum + school.pupils.length, 0);
  let done = 0;
  options.onProgress?.(0, total);
  const batchSize = options.batchSize ?? 5000;
  // Each school's pupil arrays are built while the server writes the previous school's pupils,
  // so the two take turns less: the server's work is most of an import's time.
  let prepared = plans.length > 0 ? preparePupils(plans[0].school.pupils, batchSize) : [];
  for (const [index, { school, existing, staff, upns }] of plans.entries()) {
    const schoolId = await writeSchool(db, school, existing);
    summary.schoolIds.push(schoolId);
    await writeStaff(db, schoolId, staff, now);
    summary.staff.added += staff.inserts.length;
    summary.staff.changed += staff.updates.length;
    summary.staff.deactivated += staff.deactivate.length;
    summary.staff.unchanged += staff.unchanged;

    const rekeyed = await applyUpnPlan(db, schoolId, upns, now);
    const tutorIds = await staffIdsByEmail(db, schoolId);
    const writing = writePupils(db, schoolId, prepared, tutorIds, {
      full: options.full,
      now,
      rekeyed,
      // A school created just now has none; an existing one may still have none (staff imported first).
      firstImport: !existing || (await schoolHasNoPupils(db, schoolId)),
      onBatch: (rows) => options.onProgress?.((done += rows), total),
    });
    if (index + 1 < plans.length) {
      // Awaited below; the handler only keeps a failure meanwhile from counting as unhandled.
      writing.catch(() => {});
      // Lets the statement go out before the thread is busy building the next school's arrays.
      await new Promise((resolve) => setImmediate(resolve));
      prepared = preparePupils(plans[index + 1].school.pupils, batchSize);
    }
    const counts = await writing;
    summary.pupils.added += counts.added;
    summary.pupils.changed += counts.changed;
    summary.pupils.deactivated += counts.deactivated;
    summary.pupils.unchanged += school.pupils.length - counts.added - counts.changed;
    summary.assignments.started += counts.started;
    summary.assignments.ended += counts.ended;
    summary.assignments.changed += counts.tutorChanges;
    summary.deactivatedTutorsWithTutees.push(...(await tutorsWithTutees(db, schoolId, staff.deactivate)));
  }
  if (summary.pupils.added + summary.pupils.changed + summary.staff.added + summary.staff.changed > 0) await mergeSearchIndexes(db);
  return summary;
}

/** Reads only: matches schools and staff, and collects every problem before anything is written. */
async function plan(db: Kysely<DB>, roster: Roster, full: boolean): Promise<SchoolPlan[]> {
  const problems = new ImportProblems();
  const schools = await db.selectFrom('school').select(['id', 'name', 'urn', 'time_zone']).execute();
  // By URN; else by name, which also finds a school first imported by name and now given its URN.
  const existing = roster.schools.map(
    (school) =>
      (school.urn ? schools.find((row) => row.urn === school.urn) : undefined) ??
      schools.find((row) => row.name === school.name && (row.urn === null || school.urn === null)) ??
      null,
  );
  existing.forEach((row, index) => {
    if (row && existing.indexOf(row) !== index) {
      problems.add(
        `The roster lists the school "${shorten(row.name)}" twice (as "${shorten(roster.schools[existing.indexOf(row)].name)}" and "${shorten(roster.schools[index].name)}"); give each school its own URN, or merge them into one.`,
      );
    }
  });
  const staffBySchool = await loadExistingStaff(
    db,
    existing.flatMap((row) => (row ? [row.id] : [])),
  );
  const staffOf = (index: number): ExistingStaff[] => (existing[index] ? staffBySchool.get(existing[index].id)! : []);
  validateRoster(roster, problems, {
    existingStaffEmails: full
      ? undefined
      : (index) =>
          new Set(
            staffOf(index)
              .filter((row) => row.active)
              .map((row) => row.email),
          ),
  });
  const plans: SchoolPlan[] = [];
  for (const [index, school] of roster.schools.entries()) {
    const staff = planStaff(school.staff, staffOf(index), full, problems);
    const upns = existing[index] ? await planUpns(db, existing[index].id, school.pupils, problems) : { release: [], rekey: [] };
    plans.push({ school, existing: existing[index], staff, upns });
  }
  problems.throwIfAny();
  return plans;
}

async function writeSchool(db: Kysely<DB>, school: RosterSchool, existing: SchoolPlan['existing']): Promise<number> {
  if (!existing) {
    const created = await db
      .insertInto('school')
      .values({ name: school.name, urn: school.urn, ...(school.timeZone ? { time_zone: school.timeZone } : {}) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return created.id;
  }
  const changes = {
    ...(existing.name !== school.name ? { name: school.name } : {}),
    ...(school.urn && existing.urn !== school.urn ? { urn: school.urn } : {}),
    ...(school.timeZone && existing.time_zone !== school.timeZone ? { time_zone: school.timeZone } : {}),
  };
  if (Object.keys(changes).length > 0) await db.updateTable('school').set(changes).where('id', '=', existing.id).execute();
  return existing.id;
}

async function tutorsWithTutees(db: Kysely<DB>, schoolId: number, staffIds: number[]): Promise<DeactivatedTutor[]> {
  if (staffIds.length === 0) return [];
  const rows = await sql<{ id: number; email: string; display_name: string; tutees: number }>`
    SELECT s.id, s.email, s.display_name, count(*)::int AS tutees
    FROM tutor_assignment a JOIN staff s ON s.id = a.staff_id
    WHERE a.valid_to IS NULL AND a.staff_id = ANY(${staffIds}::int[])
    GROUP BY s.id, s.email, s.display_name ORDER BY s.display_name`.execute(db);
  return rows.rows.map((row) => ({ schoolId, staffId: row.id, email: row.email, displayName: row.display_name, tutees: row.tutees }));
}
