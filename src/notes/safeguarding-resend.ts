import type { CoreContext } from '../core-context.ts';
import { loadSchoolTimes } from '../schools/load-school-times.ts';
import { nextResendSlot, resendIntervalMinutes } from './escalation-schedule.ts';
import { kickDeliveries, noteDeliveryKinds, queueNoteDelivery } from './note-deliveries.ts';
import { rememberJobId, resendQueue, scheduleNoteJob } from './note-jobs.ts';
import { loadRoutingStaff, safeguardingTeam } from './note-people.ts';
import { findNote } from './note-store.ts';
import { addRecipient } from './route-note.ts';

/**
 * Until a DSL acknowledges a safeguarding concern, it is re-sent to the whole safeguarding team
 * every 30 minutes of the school day. Each run sends the slot that is due (idempotency key per
 * slot and person) and books the next one, so the chain survives restarts and never doubles.
 */
export type ResendOutcome = 'resent' | 'not-due' | 'acknowledged' | 'not-applicable';

export async function resendSafeguardingNote(core: CoreContext, schoolId: number, noteId: number): Promise<ResendOutcome> {
  const now = core.now();
  const { settings, calendar } = await loadSchoolTimes(core.db, schoolId, now);

  const result = await core.db.transaction().execute(async (trx) => {
    const note = await findNote(trx, schoolId, noteId, { lock: true });
    if (!note || !note.safeguarding || note.kind === 'followup') return { outcome: 'not-applicable' as const };
    if (note.acknowledged_at) return { outcome: 'acknowledged' as const };
    if (!note.next_resend_at) return { outcome: 'not-applicable' as const };
    if (note.next_resend_at > now) return { outcome: 'not-due' as const, dueAt: note.next_resend_at };

    const slot = note.next_resend_at.toISOString();
    const team = safeguardingTeam(await loadRoutingStaff(trx, schoolId));
    const deliveryIds: (number | null)[] = [];
    for (const person of team) {
      await addRecipient(trx, note.id, person.staffId, 'safeguarding', now);
      deliveryIds.push(
        await queueNoteDelivery(trx, now, {
          schoolId,
          staffId: person.staffId,
          kind: noteDeliveryKinds.safeguardingResend,
          subject: { noteId: note.id, slot },
          idempotencyKey: `note:${note.id}:resend:${slot}:${person.staffId}`,
        }),
      );
    }
    // Counted from now, not from the missed slot: after downtime one reminder, not a burst.
    let nextAt: Date;
    try {
      nextAt = nextResendSlot(calendar, now, { start: settings.schoolDayStart, end: settings.schoolDayEnd });
    } catch {
      nextAt = new Date(now.getTime() + resendIntervalMinutes * 60_000);
    }
    await trx.updateTable('note').set({ next_resend_at: nextAt, resend_job_id: null }).where('id', '=', note.id).execute();
    return { outcome: 'resent' as const, nextAt, deliveryIds: deliveryIds.filter((id): id is number => id !== null) };
  });

  if (result.outcome === 'not-due') {
    await scheduleNoteJob(core, resendQueue, { noteId, schoolId, step: `resend-${result.dueAt.toISOString()}` }, result.dueAt);
    return 'not-due';
  }
  if (result.outcome !== 'resent') return result.outcome;
  await kickDeliveries(core, result.deliveryIds);
  const jobId = await scheduleNoteJob(core, resendQueue, { noteId, schoolId, step: `resend-${result.nextAt.toISOString()}` }, result.nextAt);
  await rememberJobId(core, noteId, 'resend_job_id', jobId);
  return 'resent';
}
