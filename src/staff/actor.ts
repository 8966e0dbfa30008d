import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Surface } from '../platforms/chat-platform.ts';
import type { StaffProfile } from './staff-profile.ts';
import type { StaffRole } from './staff-tables.ts';

/** The member of staff a request comes from, resolved by an adapter from a platform identity. */
export interface Actor extends StaffProfile {
  staffId: number;
  schoolId: number;
}

/**
 * Where a request came from: which surface, and who else sees the conversation it came in.
 * The core decides from `conversation` whether an answer may carry pupil information (a shared
 * channel never does; docs/roles.md).
 */
export interface RequestOrigin {
  platform: Surface;
  /** 'shared': a channel or group chat; 'direct': only the asker sees the answer. */
  conversation: 'direct' | 'shared';
}

export async function findActorByEmail(db: Kysely<DB>, schoolId: number, email: string): Promise<Actor | null> {
  const row = await db
    .selectFrom('staff')
    .select(['id', 'school_id', 'email', 'display_name', 'roles', 'year_scope', 'house_scope'])
    .where('school_id', '=', schoolId)
    .where('email', '=', email.trim().toLowerCase())
    .where('active', '=', true)
    .executeTakeFirst();
  return row ? toActor(row) : null;
}

export async function findActorById(db: Kysely<DB>, staffId: number): Promise<Actor | null> {
  const row = await db
    .selectFrom('staff')
    .select(['id', 'school_id', 'email', 'display_name', 'roles', 'year_scope', 'house_scope'])
    .where('id', '=', staffId)
    .where('active', '=', true)
    .executeTakeFirst();
  return row ? toActor(row) : null;
}

/** A staff row as the core's Actor. */
export function toActor(row: {
  id: number;
  school_id: number;
  email: string;
  display_name: string;
  roles: StaffRole[];
  year_scope: number[];
  house_scope: string[];
}): Actor {
  return {
    staffId: row.id,
    schoolId: row.school_id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles,
    yearScope: row.year_scope.map(Number),
    houseScope: row.house_scope,
  };
}
