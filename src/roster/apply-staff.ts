import { sql, type Kysely } from 'kysely';
import { staffRoles, type StaffRole } from '../staff/staff-tables.ts';
import type { DB } from '../db/schema.ts';
import { normalizeName } from '../names/normalize-name.ts';
import type { ImportProblems } from './import-problems.ts';
import { shorten } from './roster-cells.ts';
import type { RosterStaff } from './roster.ts';

/**
 * Staff lists are small (a few hundred per school), so they are matched in memory: by the MIS id
 * when both sides have one, else by email, which lets a school move from the simple CSV pair
 * (no ids) to OneRoster without duplicating anyone. The writes are still one statement each.
 */

export interface ExistingStaff extends StaffValues {
  id: number;
  active: boolean;
}

interface StaffValues {
  source_id: string | null;
  email: string;
  display_name: string;
  name_key: string;
  roles: StaffRole[];
  year_scope: number[];
  house_scope: string[];
}

export interface StaffPlan {
  inserts: StaffValues[];
  updates: (StaffValues & { id: number })[];
  deactivate: number[];
  unchanged: number;
}

export async function loadExistingStaff(db: Kysely<DB>, schoolIds: number[]): Promise<Map<number, ExistingStaff[]>> {
  const bySchool = new Map<number, ExistingStaff[]>(schoolIds.map((id) => [id, []]));
  if (schoolIds.length === 0) return bySchool;
  const rows = await db
    .selectFrom('staff')
    .select(['id', 'school_id', 'source_id', 'email', 'display_name', 'name_key', 'roles', 'year_scope', 'house_scope', 'active'])
    .where('school_id', 'in', schoolIds)
    .execute();
  for (const row of rows) bySchool.get(row.school_id)!.push(row);
  return bySchool;
}

export function planStaff(roster: RosterStaff[], existing: ExistingStaff[], full: boolean, problems: ImportProblems): StaffPlan {
  const bySource = new Map(existing.filter((row) => row.source_id !== null).map((row) => [row.source_id!, row]));
  const byEmail = new Map(existing.map((row) => [row.email, row]));
  const claimed = new Set<ExistingStaff>();
  const plan: StaffPlan = { inserts: [], updates: [], deactivate: [], unchanged: 0 };
  for (const member of roster) {
    const values = staffValues(member);
    const match = (member.sourceId !== null ? bySource.get(member.sourceId) : undefined) ?? byEmail.get(member.email);
    const holder = byEmail.get(member.email);
    if (match && (claimed.has(match) || (holder !== undefined && holder !== match))) {
      const at = member.origin
        ? `${member.origin.file} row ${member.origin.row}, column "${member.origin.columns.email ?? 'email'}"`
        : `staff "${shorten(member.email)}"`;
      problems.add(
        `${at}: "${shorten(member.email)}" is already the email of another member of staff in tutorbot; correct the email or the staff id so each person keeps one record.`,
      );
      continue;
    }
    if (!match) {
      plan.inserts.push(values);
      continue;
    }
    claimed.add(match);
    values.source_id ??= match.source_id;
    if (match.active && sameStaff(match, values)) plan.unchanged += 1;
    else plan.updates.push({ ...values, id: match.id });
  }
  if (full) plan.deactivate = existing.filter((row) => row.active && !claimed.has(row)).map((row) => row.id);
  return plan;
}

function staffValues(member: RosterStaff): StaffValues {
  return {
    source_id: member.sourceId,
    email: member.email,
    display_name: member.displayName,
    name_key: normalizeName(member.displayName),
    // A canonical order, so that the same roles listed differently are not a change.
    roles: staffRoles.filter((role) => member.roles.includes(role)),
    year_scope: [...new Set(member.yearScope)].sort((a, b) => a - b),
    house_scope: [...new Set(member.houseScope)].sort(),
  };
}

function sameStaff(row: ExistingStaff, values: StaffValues): boolean {
  const same = <T>(a: T[], b: T[]) => a.length === b.length && a.every((item, index) => item === b[index]);
  return (
    row.source_id === values.source_id &&
    row.email === values.email &&
    row.display_name === values.display_name &&
    row.name_key === values.name_key &&
    same(row.roles, values.roles) &&
    same(row.year_scope.map(Number), values.year_scope) &&
    same(row.house_scope, values.house_scope)
  );
}

const recordColumns = 'source_id text, email text, display_name text, name_key text, roles text[], year_scope smallint[], house_scope text[]';

export async function writeStaff(db: Kysely<DB>, schoolId: number, plan: StaffPlan, now: Date): Promise<void> {
  if (plan.inserts.length > 0) {
    await sql`
      INSERT INTO staff (school_id, source_id, email, display_name, name_key, roles, year_scope, house_scope, created_at, updated_at)
      SELECT ${schoolId}::int, r.source_id, r.email, r.display_name, r.name_key, r.roles, r.year_scope, r.house_scope, ${now}::timestamptz, ${now}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(plan.inserts)}::jsonb) AS r(${sql.raw(recordColumns)})`.execute(db);
  }
  if (plan.updates.length > 0) {
    await sql`
      UPDATE staff AS s SET source_id = r.source_id, email = r.email, display_name = r.display_name, name_key = r.name_key,
        roles = r.roles, year_scope = r.year_scope, house_scope = r.house_scope, active = true, updated_at = ${now}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(plan.updates)}::jsonb) AS r(id integer, ${sql.raw(recordColumns)})
      WHERE s.id = r.id AND s.school_id = ${schoolId}`.execute(db);
  }
  if (plan.deactivate.length > 0) {
    await sql`UPDATE staff SET active = false, updated_at = ${now}::timestamptz WHERE school_id = ${schoolId} AND id = ANY(${plan.deactivate}::int[])`.execute(
      db,
    );
  }
}

export async function staffIdsByEmail(db: Kysely<DB>, schoolId: number): Promise<Map<string, number>> {
  const rows = await db.selectFrom('staff').select(['id', 'email']).where('school_id', '=', schoolId).execute();
  return new Map(rows.map((row) => [row.email, row.id]));
}
