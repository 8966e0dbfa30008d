import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../core-context.ts';
import { getPupilSummary } from '../pupils/pupil-summary.ts';
import { loadSchoolTimes } from '../schools/load-school-times.ts';
import { nextEscalationDeadline } from './escalation-schedule.ts';
import { kickDeliveries, noteDeliveryKinds, queueNoteDelivery } from './note-deliveries.ts';
import { escalateQueue, rememberJobId, scheduleNoteJob } from './note-jobs.ts';
import { headsOf, loadRoutingStaff, pastoralLeadsOf, safeguardingTeam, uniquePeople, type RoutedPerson } from './note-people.ts';
import { findNote } from './note-store.ts';
import { addRecipient } from './route-note.ts';

/**
 * The escalation job (docs/product-rules.md, "Concerns and praise"): a concern still unacknowledged at its deadline
 * climbs once to the heads of house/year, and at the next deadline to the safeguarding team.
 * The note row says what is due, so the job is safe to run late, twice, or after the concern
 * was acknowledged; each step's messages have their own idempotency keys.
 */
export type EscalationOutcome = 'escalated' | 'not-due' | 'acknowledged' | 'finished' | 'not-applicable';

export async function escalateNote(core: CoreContext, schoolId: number, noteId: number): Promise<EscalationOutcome> {
  const now = core.now();
  const { settings, calendar } = await loadSchoolTimes(core.db, schoolId, now);

  const result = await core.db.transaction().execute(async (trx) => {
    const note = await findNote(trx, schoolId, noteId, { lock: true });
    if (!note || note.kind !== 'concern' || note.safeguarding) return { outcome: 'not-applicable' as const };
    if (note.acknowledged_at) return { outcome: 'acknowledged' as const };
    if (!note.next_escalation_at || note.escalation_level >= 2) return { outcome: 'finished' as const };
    if (note.next_escalation_at > now) return { outcome: 'not-due' as const, dueAt: note.next_escalation_at };

    const pupil = await getPupilSummary(trx, schoolId, note.pupil_id);
    const staff = await loadRoutingStaff(trx, schoolId);
    let level = note.escalation_level + 1;
    let people: RoutedPerson[] = [];
    if (level === 1 && pupil) {
      people = uniquePeople(headsOf(pupil, staff));
      if (people.length === 0) people = pastoralLeadsOf(pupil, staff);
      // Nobody leads this pupil: go straight to the safeguarding team rather than nowhere.
      if (people.length === 0) level = 2;
    }
    if (level === 2) people = safeguardingTeam(staff, 'dsl_escalation');
    const reason = level === 1 ? 'escalation' : 'dsl_escalation';
    const deliveryIds: (number | null)[] = [];
    for (const person of people) {
      await addRecipient(trx, note.id, person.staffId, reason, now);
      deliveryIds.push(
        await queueNoteDelivery(trx, now, {
          schoolId,
          staffId: person.staffId,
          kind: noteDeliveryKinds.escalated,
          subject: { noteId: note.id, level },
          idempotencyKey: `note:${note.id}:escalate:${level}:${person.staffId}`,
        }),
      );
    }
    let nextAt: Date | null = null;
    if (level === 1) {
      try {
        nextAt = nextEscalationDeadline(calendar, note.next_escalation_at, settings.escalationSchoolDays);
      } catch (error) {
        core.log.error('note_escalation_unscheduled', { noteId: note.id, error: (error as Error).message });
      }
    }
    await trx.updateTable('note').set({ escalation_level: level, next_escalation_at: nextAt, escalation_job_id: null }).where('id', '=', note.id).execute();
    await recordAudit(trx, {
      schoolId,
      actorStaffId: null,
      action: 'note_escalated',
      pupilId: note.pupil_id,
      subject: `note:${note.id}:level-${level}`,
      channel: 'job',
    });
    return { outcome: 'escalated' as const, level, nextAt, deliveryIds: deliveryIds.filter((id): id is number => id !== null), recipients: people.length };
  });

  if (result.outcome === 'not-due') {
    // Woken early (a clock change, a manual run): come back at the deadline.
    await scheduleNoteJob(core, escalateQueue, { noteId, schoolId, step: `due-${result.dueAt.toISOString()}` }, result.dueAt);
    return 'not-due';
  }
  if (result.outcome !== 'escalated') return result.outcome;
  core.log.info('note_escalated', { noteId, level: result.level, recipients: result.recipients });
  await kickDeliveries(core, result.deliveryIds);
  if (result.nextAt) {
    const jobId = await scheduleNoteJob(core, escalateQueue, { noteId, schoolId, step: `level-${result.level + 1}` }, result.nextAt);
    await rememberJobId(core, noteId, 'escalation_job_id', jobId);
  }
  return 'escalated';
}
