import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** One recorded read or change of a pupil's record, with who did it (null: tutorbot itself). */
export interface AuditEntry {
  at: Date;
  action: string;
  channel: string | null;
  subject: string | null;
  actorName: string | null;
  actorEmail: string | null;
}

/** Every audit entry about one pupil, oldest first (`tutorbot audit`). */
export async function pupilAuditTrail(db: Kysely<DB>, schoolId: number, pupilId: number): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log as a')
    .leftJoin('staff as s', 's.id', 'a.actor_staff_id')
    .select(['a.at', 'a.action', 'a.channel', 'a.subject', 's.display_name', 's.email'])
    .where('a.school_id', '=', schoolId)
    .where('a.pupil_id', '=', pupilId)
    .orderBy('a.at')
    .orderBy('a.id')
    .execute();
  return rows.map((row) => ({
    at: new Date(row.at),
    action: row.action,
    channel: row.channel,
    subject: row.subject,
    actorName: row.display_name,
    actorEmail: row.email,
  }));
}
