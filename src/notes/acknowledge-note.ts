import { recordAudit } from '../audit/record-audit.ts';
import type { Request } from '../core-context.ts';
import { isSafeguardingLead } from '../permissions.ts';
import { reply, textReply, type Reply } from '../reply.ts';
import { addFollowUpAction } from './note-actions.ts';
import { kickDeliveries, noteDeliveryKinds, queueNoteDelivery } from './note-deliveries.ts';
import { cancelNoteJob, escalateQueue, resendQueue } from './note-jobs.ts';
import { findNote, loadNoteDetails, parseNoteActionValue, staffNames, type NoteRow } from './note-store.ts';
import { formatWhen, noteKindLabel, pupilName } from './note-wording.ts';
import { loadSchoolTimeZone } from '../schools/load-school-times.ts';
import { isNoteRecipient } from './route-note.ts';

/**
 * "Acknowledge": one of the people a note was sent to says they have it. That stops its
 * escalation (or the safeguarding re-sends) and tells the reporter, once, however often the
 * button is pressed. Safeguarding concerns are acknowledged by the safeguarding team only.
 */
export async function acknowledgeFromButton(request: Request, value: string): Promise<Reply> {
  const noteId = parseNoteActionValue(value);
  if (noteId === null) return textReply('That button is not valid any more. Nothing was changed.');
  return acknowledgeNote(request, noteId);
}

export async function mayAcknowledge(request: Request, note: NoteRow): Promise<boolean> {
  if (note.safeguarding) return isSafeguardingLead(request.actor);
  return isNoteRecipient(request.core.db, note.id, request.actor.staffId);
}

export async function acknowledgeNote(request: Request, noteId: number): Promise<Reply> {
  const { core, actor, channel } = request;
  const existing = await findNote(core.db, actor.schoolId, noteId);
  if (!existing || existing.kind === 'followup') return textReply('That note is not available to you. Nothing was changed.');
  const kind = noteKindLabel(existing);
  if (!(await mayAcknowledge(request, existing))) {
    return textReply(
      existing.safeguarding
        ? 'Only the safeguarding team can acknowledge a safeguarding concern. Nothing was changed.'
        : `Only the people this ${kind} was sent to can acknowledge it. Nothing was changed.`,
    );
  }
  const now = core.now();
  const result = await core.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('note')
      .set({ acknowledged_at: now, acknowledged_by: actor.staffId, next_escalation_at: null, next_resend_at: null })
      .where('id', '=', noteId)
      .where('acknowledged_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!updated) return null;
    await recordAudit(trx, {
      schoolId: actor.schoolId,
      actorStaffId: actor.staffId,
      action: 'note_acknowledged',
      pupilId: updated.pupil_id,
      subject: `note:${updated.id}`,
      channel: channel.platform,
    });
    const deliveryId =
      updated.author_staff_id === actor.staffId
        ? null
        : await queueNoteDelivery(trx, now, {
            schoolId: actor.schoolId,
            staffId: updated.author_staff_id,
            kind: noteDeliveryKinds.acknowledged,
            subject: { noteId: updated.id },
            idempotencyKey: `note:${updated.id}:acknowledged`,
          });
    return { updated, deliveryId };
  });

  const timeZone = await loadSchoolTimeZone(core.db, actor.schoolId);
  if (!result) {
    const current = await findNote(core.db, actor.schoolId, noteId);
    const names = await staffNames(core.db, [current?.acknowledged_by ?? null]);
    const by = current?.acknowledged_by === actor.staffId ? 'you' : (names.get(current?.acknowledged_by ?? -1) ?? 'someone');
    const when = current?.acknowledged_at ? `, ${formatWhen(current.acknowledged_at, timeZone)}` : '';
    return textReply(`This ${kind} was already acknowledged by ${by}${when}. Nothing was changed.`, 'pupil');
  }
  await kickDeliveries(core, [result.deliveryId]);
  await cancelNoteJob(core, escalateQueue, result.updated.escalation_job_id);
  await cancelNoteJob(core, resendQueue, result.updated.resend_job_id);
  core.log.info('note_acknowledged', { noteId, staffId: actor.staffId });
  const details = await loadNoteDetails(core.db, actor.schoolId, noteId);
  const subject = details ? ` ${details.note.kind === 'praise' ? 'for' : 'about'} ${pupilName(details.pupil)}` : '';
  const told = result.deliveryId !== null ? ` ${details?.authorName ?? 'The reporter'} will be told.` : '';
  return reply(
    [
      { type: 'text', text: `Acknowledged: the ${kind}${subject} (#${noteId}) is with you.${told}` },
      { type: 'actions', actions: [addFollowUpAction(noteId)] },
    ],
    'pupil',
  );
}
