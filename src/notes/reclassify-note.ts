import { recordAudit } from '../audit/record-audit.ts';
import type { Request } from '../core-context.ts';
import { isSafeguardingLead } from '../permissions.ts';
import { reply, textReply, type Reply } from '../reply.ts';
import { kickDeliveries, noteDeliveryKinds, queueNoteDelivery } from './note-deliveries.ts';
import { cancelNoteJob, escalateQueue } from './note-jobs.ts';
import { describePeople, loadRoutingStaff, safeguardingTeam } from './note-people.ts';
import { findNote, parseNoteActionValue } from './note-store.ts';
import { applyRouting } from './route-note.ts';

/**
 * A DSL decides a concern is a safeguarding matter. From then on it (and its follow-ups) is
 * readable by the safeguarding team only; messages to anyone else still queued are dropped at
 * send time by the renderers; the rest of the team is sent it; the reporter is told it reached
 * the safeguarding team. The DSL who reclassified it has it in hand, so it is not re-sent.
 */
export async function reclassifyFromButton(request: Request, value: string): Promise<Reply> {
  const { core, actor, channel } = request;
  if (!isSafeguardingLead(actor)) return textReply('Only the designated safeguarding lead or a deputy can reclassify a concern. Nothing was changed.');
  const noteId = parseNoteActionValue(value);
  const existing = noteId === null ? null : await findNote(core.db, actor.schoolId, noteId);
  if (!existing) return textReply('That note is not available. Nothing was changed.');
  if (existing.kind !== 'concern') return textReply('Only a concern can be reclassified as safeguarding. Nothing was changed.');
  if (existing.safeguarding) return textReply(`Concern #${existing.id} is already with the safeguarding team. Nothing was changed.`, 'pupil');

  const now = core.now();
  const result = await core.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('note')
      .set((eb) => ({
        safeguarding: true,
        reclassified_at: now,
        reclassified_by: actor.staffId,
        next_escalation_at: null,
        acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(now)),
        acknowledged_by: eb.fn.coalesce('acknowledged_by', eb.val(actor.staffId)),
      }))
      .where('id', '=', existing.id)
      .where('safeguarding', '=', false)
      .returningAll()
      .executeTakeFirst();
    if (!updated) return null;
    await trx.updateTable('note').set({ safeguarding: true }).where('parent_note_id', '=', updated.id).execute();
    const team = safeguardingTeam(await loadRoutingStaff(trx, actor.schoolId)).filter((person) => person.staffId !== actor.staffId);
    // The team is sent it as if it had been routed to them in the first place.
    const ids: (number | null)[] = await applyRouting(trx, now, updated, { recipients: team, reporterIsOwner: false, adminAlert: null }, 'reclassified');
    if (updated.author_staff_id !== actor.staffId) {
      ids.push(
        await queueNoteDelivery(trx, now, {
          schoolId: actor.schoolId,
          staffId: updated.author_staff_id,
          kind: noteDeliveryKinds.reclassified,
          subject: { noteId: updated.id },
          idempotencyKey: `note:${updated.id}:reclassified:reporter`,
        }),
      );
    }
    await recordAudit(trx, {
      schoolId: actor.schoolId,
      actorStaffId: actor.staffId,
      action: 'note_reclassified',
      pupilId: updated.pupil_id,
      subject: `note:${updated.id}`,
      channel: channel.platform,
    });
    return { updated, team, ids };
  });
  if (!result) return textReply(`Concern #${existing.id} is already with the safeguarding team. Nothing was changed.`, 'pupil');
  await kickDeliveries(core, result.ids);
  await cancelNoteJob(core, escalateQueue, result.updated.escalation_job_id);
  core.log.info('note_reclassified', { noteId: existing.id, staffId: actor.staffId });
  const sent = result.team.length > 0 ? ` ${describePeople(result.team)} ${result.team.length === 1 ? 'has' : 'have'} been sent it.` : '';
  const told = result.updated.author_staff_id !== actor.staffId ? ' The reporter has been told it reached the safeguarding team.' : '';
  return reply(
    [{ type: 'text', text: `Concern #${existing.id} is now a safeguarding concern: only the safeguarding team can read it from now on.${sent}${told}` }],
    'pupil',
  );
}
