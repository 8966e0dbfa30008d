import { sql, type Kysely } from 'kysely';
import { toActor, type Actor } from '../staff/actor.ts';
import type { DB } from '../db/schema.ts';
import { isAdmin, isSafeguardingLead } from '../permissions.ts';
import type { PupilSummary } from '../pupils/pupil-summary.ts';
import type { RecipientReason } from './notes-tables.ts';

/**
 * The people a note can be routed or escalated to, besides the tutor: heads of house and year,
 * pastoral leads, the safeguarding team and admins. A school has a few dozen of them, so they
 * are loaded once and filtered here.
 */
export async function loadRoutingStaff(db: Kysely<DB>, schoolId: number): Promise<Actor[]> {
  const rows = await db
    .selectFrom('staff')
    .select(['id', 'school_id', 'email', 'display_name', 'roles', 'year_scope', 'house_scope'])
    .where('school_id', '=', schoolId)
    .where('active', '=', true)
    .where(sql<boolean>`roles && ARRAY['head_of_house', 'head_of_year', 'pastoral_lead', 'dsl', 'deputy_dsl', 'admin']::text[]`)
    .orderBy('id')
    .execute();
  return rows.map(toActor);
}

export interface RoutedPerson {
  staffId: number;
  name: string;
  reason: RecipientReason;
  /** What to call them in a receipt: "tutor", "head of Aurora", "head of Year 9"… */
  roleLabel: string;
}

/** The head(s) of the pupil's house and of their year group. */
export function headsOf(pupil: PupilSummary, staff: Actor[]): RoutedPerson[] {
  const people: RoutedPerson[] = [];
  for (const member of staff) {
    const labels: string[] = [];
    let reason: RoutedPerson['reason'] | null = null;
    if (
      member.roles.includes('head_of_house') &&
      pupil.house !== null &&
      member.houseScope.some((house) => house.toLowerCase() === pupil.house!.toLowerCase())
    ) {
      labels.push(`head of ${pupil.house}`);
      reason = 'head_of_house';
    }
    if (member.roles.includes('head_of_year') && pupil.yearGroup !== null && member.yearScope.includes(pupil.yearGroup)) {
      labels.push(`head of Year ${pupil.yearGroup}`);
      reason ??= 'head_of_year';
    }
    if (reason) people.push({ staffId: member.staffId, name: member.displayName, reason, roleLabel: labels.join(', ') });
  }
  return people;
}

/** Pastoral leads covering the pupil (by scope, or whole-school): the fallback when there are no heads. */
export function pastoralLeadsOf(pupil: PupilSummary, staff: Actor[]): RoutedPerson[] {
  return staff
    .filter((member) => {
      if (!member.roles.includes('pastoral_lead')) return false;
      if (member.yearScope.length === 0 && member.houseScope.length === 0) return true;
      return (
        (pupil.yearGroup !== null && member.yearScope.includes(pupil.yearGroup)) ||
        (pupil.house !== null && member.houseScope.some((house) => house.toLowerCase() === pupil.house!.toLowerCase()))
      );
    })
    .map((member) => ({ staffId: member.staffId, name: member.displayName, reason: 'pastoral_lead' as const, roleLabel: 'pastoral lead' }));
}

/** The DSL and deputy DSLs. */
export function safeguardingTeam(staff: Actor[], reason: RoutedPerson['reason'] = 'safeguarding'): RoutedPerson[] {
  return staff.filter(isSafeguardingLead).map((member) => ({
    staffId: member.staffId,
    name: member.displayName,
    reason,
    roleLabel: member.roles.includes('dsl') ? 'designated safeguarding lead' : 'deputy safeguarding lead',
  }));
}

export function adminsOf(staff: Actor[]): Actor[] {
  return staff.filter(isAdmin);
}

/** "Ms Okafor (tutor), Mr Hughes (head of Aurora) and Dr Oyelaran (head of Year 9)". */
export function describePeople(people: RoutedPerson[]): string {
  const parts = people.map((person) => `${person.name} (${person.roleLabel})`);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** Keeps the first entry per person: someone who is both tutor and head of year gets one message. */
export function uniquePeople(people: RoutedPerson[]): RoutedPerson[] {
  const seen = new Map<number, RoutedPerson>();
  for (const person of people) {
    const existing = seen.get(person.staffId);
    if (!existing) seen.set(person.staffId, { ...person });
    else if (!existing.roleLabel.includes(person.roleLabel)) existing.roleLabel = `${existing.roleLabel}, ${person.roleLabel}`;
  }
  return [...seen.values()];
}
