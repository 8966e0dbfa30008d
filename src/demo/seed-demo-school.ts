import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { applyRoster } from '../roster/apply-roster.ts';
import { demoSchool, type DemoSchoolOptions } from './demo-school.ts';

/** Writes the demo school into an empty database; a database that has a school is left alone. */
export async function seedDemoSchoolIfEmpty(db: Kysely<DB>, options: DemoSchoolOptions = {}): Promise<{ seeded: boolean; schoolId: number }> {
  const existing = await db.selectFrom('school').select('id').orderBy('id').limit(1).executeTakeFirst();
  if (existing) return { seeded: false, schoolId: existing.id };
  const summary = await applyRoster(db, demoSchool(options), { full: true });
  return { seeded: true, schoolId: summary.schoolIds[0] };
}
