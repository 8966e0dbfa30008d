import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** One row a read or change of a pupil's record: who, what, which pupil, from where. */
export interface AuditEntry {
  schoolId: number;
  actorStaffId: number | null;
  action: string;
  pupilId?: number | null;
  /** An id of what was read or changed (e.g. "note:42"), never its content. */
  subject?: string | null;
  channel?: string | null;
}

export async function recordAudit(db: Kysely<DB>, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const rows = (Array.isArray(entries) ? entries : [entries]).map((entry) => ({
    school_id: entry.schoolId,
    actor_staff_id: entry.actorStaffId,
    action: entry.action,
    pupil_id: entry.pupilId ?? null,
    subject: entry.subject ?? null,
    channel: entry.channel ?? null,
  }));
  if (rows.length > 0) await db.insertInto('audit_log').values(rows).execute();
}

/** One audit row for each record of a pupil's that `actor` has just been shown. */
export async function recordReads(
  db: Kysely<DB>,
  reader: { actor: { schoolId: number; staffId: number }; channel: { platform: string } },
  read: { action: string; pupilId: number; subjects: string[] },
): Promise<void> {
  await recordAudit(
    db,
    read.subjects.map((subject) => ({
      schoolId: reader.actor.schoolId,
      actorStaffId: reader.actor.staffId,
      action: read.action,
      pupilId: read.pupilId,
      subject,
      channel: reader.channel.platform,
    })),
  );
}
