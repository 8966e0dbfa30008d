import { recordAudit } from '../audit/record-audit.ts';
import { staffRef } from '../staff/find-staff.ts';
import { resolveStaff } from '../staff/resolve-staff.ts';
import type { Request } from '../core-context.ts';
import { enqueueDelivery } from '../delivery/outbox.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { canAssign } from '../permissions.ts';
import { describePupil, pupilRef, resolvePupil } from '../pupils/resolve-pupil.ts';
import { reply, textReply, type Reply } from '../reply.ts';
import { assignTutor } from './assign-tutor.ts';
import { assignRefusal, mayAssignAnyone, needsFlags, scopeFacts } from './may-assign.ts';
import { tuteesReceivedKind } from './tutees-received-message.ts';

/**
 * `assign <pupil> to <staff>: <reason>`. Both names may need a choice (buttons), and a pupil with
 * SEN or EAL needs is shown with those needs and a Confirm button before anything changes, so that
 * the person assigning considers them (as the statutory guidance asks). Buttons carry the request
 * itself; every press re-checks permissions, so a replayed button can do no more than typing.
 */
export const assignPickAction = 'assign_pick';
export const assignConfirmAction = 'assign_confirm';
export const assignCancelAction = 'assign_cancel';

export const maxReasonLength = 300;

export interface AssignRequest {
  pupil: string;
  staff: string;
  reason: string;
  /** On a Confirm button: the tutor the person saw (null: none), so a change meanwhile is caught. */
  from?: number | null;
}

export function encodeAssign(value: AssignRequest): string {
  return JSON.stringify({ p: value.pupil, s: value.staff, r: value.reason, ...(value.from !== undefined ? { f: value.from } : {}) });
}

export function decodeAssign(value: string): AssignRequest | null {
  try {
    const parsed = JSON.parse(value) as { p?: unknown; s?: unknown; r?: unknown; f?: unknown };
    if (typeof parsed.p !== 'string' || typeof parsed.s !== 'string' || typeof parsed.r !== 'string') return null;
    const from = parsed.f === undefined ? undefined : typeof parsed.f === 'number' && Number.isSafeInteger(parsed.f) ? parsed.f : null;
    return { pupil: parsed.p, staff: parsed.s, reason: parsed.r, from };
  } catch {
    return null;
  }
}

export async function runAssign(
  request: Request,
  input: { pupil: string; staff: string; reason?: string; from?: number | null },
  confirmed: boolean,
): Promise<Reply> {
  const { core, actor } = request;
  if (!mayAssignAnyone(actor)) return textReply(assignRefusal);
  const reason = (input.reason ?? '').replace(/\s+/g, ' ').trim();
  if (!reason) {
    return textReply(
      `Say why after a colon, for example "assign ${input.pupil || 'Sam Patel'} to ${input.staff || 'Ms Okafor'}: moved form". The reason is kept in the pupil's tutor history.`,
    );
  }
  if (reason.length > maxReasonLength) return textReply(`Please keep the reason under ${maxReasonLength} characters; nothing was changed.`);

  const pupilResolution = await resolvePupil(request, input.pupil, (pupil) => ({
    id: assignPickAction,
    value: encodeAssign({ pupil: pupilRef(pupil.id), staff: input.staff, reason }),
  }));
  if (!pupilResolution.ok) return pupilResolution.reply;
  const pupil = pupilResolution.pupil;
  const name = pupilDisplayName(pupil);
  if (!canAssign(actor, scopeFacts({ ...pupil, tutorStaffId: pupil.tutor?.staffId }))) {
    return textReply(
      `${name} (${describePupil(pupil) || 'no year group'}${pupil.house ? `, ${pupil.house}` : ''}) is outside the pupils you lead, so you cannot change their tutor. Their head of year or house, or an admin, can.`,
    );
  }

  const staffResolution = await resolveStaff(
    request,
    input.staff,
    (staff) => ({ id: assignPickAction, value: encodeAssign({ pupil: pupilRef(pupil.id), staff: staffRef(staff.id), reason }) }),
    { includeInactive: true, role: 'member of staff' },
  );
  if (!staffResolution.ok) return staffResolution.reply;
  const staff = staffResolution.staff;
  if (!staff.active) {
    return textReply(`${staff.displayName} is no longer active staff (they are not in the current roster), so they cannot be a tutor. Nothing was changed.`);
  }
  if (pupil.tutor?.staffId === staff.id) return textReply(`${staff.displayName} is already ${name}'s tutor; nothing to change.`, 'pupil');

  const flags = needsFlags(pupil);
  const from = pupil.tutor ? `${pupil.tutor.name}${pupil.tutor.active ? '' : ' (has left)'}` : 'no tutor';
  if (flags && !confirmed) {
    const value = encodeAssign({ pupil: pupilRef(pupil.id), staff: staffRef(staff.id), reason, from: pupil.tutor?.staffId ?? null });
    return reply(
      [
        { type: 'heading', text: `Assign ${name} to ${staff.displayName}?` },
        {
          type: 'fields',
          fields: [
            { label: 'Pupil', value: `${name} (${describePupil(pupil) || 'no year group'})` },
            { label: 'Needs', value: flags },
            { label: 'Tutor now', value: from },
            { label: 'New tutor', value: staff.displayName },
            { label: 'Reason', value: reason },
          ],
        },
        { type: 'text', text: `${name} has ${flags} needs recorded: please consider them in choosing the tutor (and tell the SENCo if needed).` },
        {
          type: 'actions',
          actions: [
            { id: assignConfirmAction, label: 'Confirm', value, style: 'primary' },
            { id: assignCancelAction, label: 'Cancel', value: pupilRef(pupil.id) },
          ],
        },
      ],
      'pupil',
    );
  }

  const outcome = await assignTutor(core.db, {
    schoolId: actor.schoolId,
    pupilId: pupil.id,
    staffId: staff.id,
    reason,
    createdBy: actor.staffId,
    now: core.now(),
    // What the person saw is what changes: a tutor changed by someone else meanwhile is reported.
    expectedFromStaffId: confirmed ? input.from : undefined,
  });
  if (outcome.outcome === 'already') return textReply(`${staff.displayName} is already ${name}'s tutor; nothing to change.`, 'pupil');
  if (outcome.outcome === 'pupil-gone') return textReply('That pupil is not on the roll of your school any more; nothing was changed.');
  if (outcome.outcome === 'changed-meanwhile')
    return textReply(`${name}'s tutor changed a moment ago; run the command again to see the current tutor.`, 'pupil');

  await recordAudit(core.db, {
    schoolId: actor.schoolId,
    actorStaffId: actor.staffId,
    action: 'tutor_assigned',
    pupilId: pupil.id,
    subject: `tutor_assignment:${outcome.assignmentId}`,
    channel: request.channel.platform,
  });
  if (staff.id !== actor.staffId) {
    await enqueueDelivery(core, {
      schoolId: actor.schoolId,
      staffId: staff.id,
      kind: tuteesReceivedKind,
      subject: { pupilIds: [pupil.id], fromStaffId: outcome.previousStaffId, byStaffId: actor.staffId },
      idempotencyKey: `tutor-assignment:${outcome.assignmentId}`,
    });
  }
  core.log.info('tutor_assigned', { schoolId: actor.schoolId, pupilId: pupil.id, staffId: staff.id, by: actor.staffId });
  const fields = [
    { label: 'Pupil', value: `${name} (${describePupil(pupil) || 'no year group'})` },
    { label: 'Tutor', value: `${staff.displayName} (${staff.email})` },
    { label: 'Before', value: from },
    { label: 'Reason', value: reason },
  ];
  if (flags) fields.push({ label: 'Needs', value: flags });
  return reply(
    [
      { type: 'text', text: `Done: ${staff.displayName} is now ${name}'s tutor. The change and its reason are kept in the tutor history.` },
      { type: 'fields', fields },
    ],
    'pupil',
  );
}
