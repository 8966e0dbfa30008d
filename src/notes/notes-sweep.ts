import type { CoreContext } from '../core-context.ts';
import { escalateNote } from './escalate-note.ts';
import { purgeExpiredPendingNotes } from './pending-note.ts';
import { resendSafeguardingNote } from './safeguarding-resend.ts';

/**
 * The safety net under the per-note jobs: every few minutes, whatever escalation or safeguarding
 * re-send is due runs, even if its own job was lost, and held notes past their hour are deleted.
 * The handlers are idempotent, so a note handled by its job and the sweep at once is sent once.
 */
export async function sweepNotes(core: CoreContext, limit = 200): Promise<{ escalated: number; resent: number; purged: number }> {
  const now = core.now();
  const escalations = await core.db
    .selectFrom('note')
    .select(['id', 'school_id'])
    .where('next_escalation_at', '<=', now)
    .where('acknowledged_at', 'is', null)
    .orderBy('next_escalation_at')
    .limit(limit)
    .execute();
  let escalated = 0;
  for (const note of escalations) if ((await escalateNote(core, note.school_id, note.id)) === 'escalated') escalated += 1;
  const resends = await core.db
    .selectFrom('note')
    .select(['id', 'school_id'])
    .where('next_resend_at', '<=', now)
    .where('acknowledged_at', 'is', null)
    .orderBy('next_resend_at')
    .limit(limit)
    .execute();
  let resent = 0;
  for (const note of resends) if ((await resendSafeguardingNote(core, note.school_id, note.id)) === 'resent') resent += 1;
  const purged = await purgeExpiredPendingNotes(core.db, now);
  return { escalated, resent, purged };
}
