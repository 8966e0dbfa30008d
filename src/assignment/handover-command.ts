import { recordAudit } from '../audit/record-audit.ts';
import { getStaff, staffRef, type StaffCandidate } from '../staff/find-staff.ts';
import { resolveStaff } from '../staff/resolve-staff.ts';
import type { Request } from '../core-context.ts';
import { enqueueDelivery } from '../delivery/outbox.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { canAssign, canSeeNeedsFlags } from '../permissions.ts';
import { selectPupilSummaries, toPupilSummary, type PupilSummary } from '../pupils/pupil-summary.ts';
import { reply, textReply, type Block, type Reply } from '../reply.ts';
import {
  cancelHandoverRequest,
  createHandoverRequest,
  executeHandover,
  getHandoverRequest,
  handoverPreviewLifetimeMs,
  type HandoverRequest,
} from './handover-request.ts';
import { assignRefusal, mayAssignAnyone, needsFlags, scopeFacts } from './may-assign.ts';
import { tuteesReceivedKind } from './tutees-received-message.ts';

/**
 * `handover <staff> to <staff>`: moves all of one tutor's current tutees (a member of staff
 * leaving) in two steps. The preview lists who moves and stores that list; Confirm moves exactly
 * those pupils once, keeps history, and tells the new tutor.
 */
export const handoverPickAction = 'handover_pick';
export const handoverConfirmAction = 'handover_confirm';
export const handoverCancelAction = 'handover_cancel';

export function encodeHandover(value: { from: string; to: string }): string {
  return JSON.stringify({ f: value.from, t: value.to });
}

export function decodeHandover(value: string): { from: string; to: string } | null {
  try {
    const parsed = JSON.parse(value) as { f?: unknown; t?: unknown };
    return typeof parsed.f === 'string' && typeof parsed.t === 'string' ? { from: parsed.f, to: parsed.t } : null;
  } catch {
    return null;
  }
}

async function currentTutees(request: Request, staffId: number): Promise<PupilSummary[]> {
  const rows = await selectPupilSummaries(request.core.db)
    .where('p.school_id', '=', request.actor.schoolId)
    .where('p.active', '=', true)
    .where('ta.staff_id', '=', staffId)
    .orderBy('p.year_group')
    .orderBy('p.form')
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .orderBy('p.id')
    .execute();
  return rows.map(toPupilSummary);
}

function facts(pupil: PupilSummary) {
  return scopeFacts({ ...pupil, tutorStaffId: pupil.tutor?.staffId });
}

export async function previewHandover(request: Request, input: { from: string; to: string }): Promise<Reply> {
  const { core, actor } = request;
  if (!mayAssignAnyone(actor)) return textReply(assignRefusal);
  const fromResolution = await resolveStaff(
    request,
    input.from,
    (staff) => ({ id: handoverPickAction, value: encodeHandover({ from: staffRef(staff.id), to: input.to }) }),
    { includeInactive: true, role: 'tutor' },
  );
  if (!fromResolution.ok) return fromResolution.reply;
  const from = fromResolution.staff;
  const toResolution = await resolveStaff(
    request,
    input.to,
    (staff) => ({ id: handoverPickAction, value: encodeHandover({ from: staffRef(from.id), to: staffRef(staff.id) }) }),
    { includeInactive: true, role: 'member of staff' },
  );
  if (!toResolution.ok) return toResolution.reply;
  const to = toResolution.staff;
  if (from.id === to.id) return textReply(`${from.displayName} is on both sides of the handover; name the colleague who takes over the group.`);
  if (!to.active) return textReply(`${to.displayName} is no longer active staff, so they cannot take on tutees. Nothing was changed.`);

  const tutees = await currentTutees(request, from.id);
  if (tutees.length === 0) return textReply(`${from.displayName} has no current tutees, so there is nothing to hand over.`);
  const movable = tutees.filter((pupil) => canAssign(actor, facts(pupil)));
  const outside = tutees.length - movable.length;
  if (movable.length === 0) {
    return textReply(
      `All ${tutees.length} of ${from.displayName}'s tutees are outside the pupils you lead, so you cannot move them. Their head of year or house, or an admin, can.`,
    );
  }
  const id = await createHandoverRequest(core.db, {
    schoolId: actor.schoolId,
    fromStaffId: from.id,
    toStaffId: to.id,
    pupilIds: movable.map((pupil) => pupil.id),
    createdBy: actor.staffId,
    now: core.now(),
  });
  core.log.info('handover_previewed', { schoolId: actor.schoolId, handoverId: id, from: from.id, to: to.id, pupils: movable.length });
  const showNeeds = movable.some((pupil) => (pupil.sen || pupil.eal) && canSeeNeedsFlags(actor, facts(pupil)));
  const columns = ['Pupil', 'Year', 'Form', 'House', ...(showNeeds ? ['Needs'] : [])];
  const rows = movable.map((pupil) => [
    pupilDisplayName(pupil),
    pupil.yearGroup !== null ? String(pupil.yearGroup) : '—',
    pupil.form ?? '—',
    pupil.house ?? '—',
    ...(showNeeds ? [canSeeNeedsFlags(actor, facts(pupil)) ? needsFlags(pupil) : ''] : []),
  ]);
  const blocks: Block[] = [
    { type: 'heading', text: `Handover: ${from.displayName} → ${to.displayName}` },
    { type: 'text', text: `${movable.length} pupil${movable.length === 1 ? '' : 's'} will move to ${to.displayName}:` },
    { type: 'table', columns, rows },
  ];
  if (outside > 0) {
    blocks.push({
      type: 'text',
      text: `${outside} more of ${from.displayName}'s tutees are outside the pupils you lead and will stay with them; their head of year or house, or an admin, can move them.`,
    });
  }
  blocks.push(
    {
      type: 'text',
      text: `Nothing changes until you confirm. The history keeps ${from.displayName} as their tutor until today, and ${to.displayName} gets a message listing them with their open concerns and targets.`,
    },
    {
      type: 'actions',
      actions: [
        { id: handoverConfirmAction, label: 'Confirm', value: String(id), style: 'primary' },
        { id: handoverCancelAction, label: 'Cancel', value: String(id) },
      ],
    },
  );
  return reply(blocks, 'pupil');
}

async function loadOwnRequest(request: Request, value: string): Promise<{ ok: true; handover: HandoverRequest } | { ok: false; reply: Reply }> {
  const id = Number(value);
  const handover = Number.isSafeInteger(id) && id > 0 ? await getHandoverRequest(request.core.db, request.actor.schoolId, id) : null;
  if (!handover) return { ok: false, reply: textReply('That handover is no longer available. Run "handover <staff> to <staff>" again.') };
  if (handover.createdBy !== request.actor.staffId) {
    return { ok: false, reply: textReply('Only the person who prepared this handover can confirm or cancel it.') };
  }
  return { ok: true, handover };
}

async function describeDecided(request: Request, handover: HandoverRequest): Promise<Reply> {
  if (handover.status === 'cancelled') return textReply('This handover was cancelled; nobody was moved. Run "handover <staff> to <staff>" to start again.');
  const to = await getStaff(request.core.db, request.actor.schoolId, handover.toStaffId);
  const skipped = handover.skippedPupilIds.length > 0 ? ` ${handover.skippedPupilIds.length} were skipped.` : '';
  return textReply(
    `This handover was already confirmed: ${handover.movedPupilIds.length} pupil${handover.movedPupilIds.length === 1 ? '' : 's'} moved to ${to?.displayName ?? 'the new tutor'}.${skipped} Nothing more was changed.`,
  );
}

export async function confirmHandover(request: Request, value: string): Promise<Reply> {
  const { core, actor } = request;
  if (!mayAssignAnyone(actor)) return textReply(assignRefusal);
  const loaded = await loadOwnRequest(request, value);
  if (!loaded.ok) return loaded.reply;
  const handover = loaded.handover;
  if (handover.status !== 'pending') return describeDecided(request, handover);
  if (core.now().getTime() - handover.createdAt.getTime() > handoverPreviewLifetimeMs) {
    await cancelHandoverRequest(core.db, handover.id, core.now());
    return textReply('This preview is more than a day old, so it was not used; nobody was moved. Run the handover again to confirm an up-to-date list.');
  }
  const [from, to] = await Promise.all([getStaff(core.db, actor.schoolId, handover.fromStaffId), getStaff(core.db, actor.schoolId, handover.toStaffId)]);
  if (!from || !to) return textReply('That handover is no longer available. Run "handover <staff> to <staff>" again.');
  if (!to.active) {
    await cancelHandoverRequest(core.db, handover.id, core.now());
    return textReply(`${to.displayName} is no longer active staff, so the handover was cancelled; nobody was moved.`);
  }
  // Permissions are checked again at confirmation: a pupil who changed year or house may have left the actor's scope.
  const pupils = await pupilsById(request, handover.pupilIds);
  const mayMove = new Set(pupils.filter((pupil) => canAssign(actor, facts(pupil))).map((pupil) => pupil.id));
  const execution = await executeHandover(core.db, handover, {
    now: core.now(),
    actorStaffId: actor.staffId,
    reason: `handover from ${from.displayName} to ${to.displayName}`.slice(0, 300),
    mayMove,
  });
  if (execution.outcome === 'not-pending') {
    const current = await getHandoverRequest(core.db, actor.schoolId, handover.id);
    return current ? describeDecided(request, current) : textReply('That handover is no longer available.');
  }
  await afterHandover(request, handover, from, to, execution.moved);
  const byId = new Map(pupils.map((pupil) => [pupil.id, pupil]));
  const blocks: Block[] = [
    {
      type: 'text',
      text: `Handover confirmed: ${execution.moved.length} pupil${execution.moved.length === 1 ? '' : 's'} moved from ${from.displayName} to ${to.displayName}. ${to.displayName} will get a message listing them.`,
    },
  ];
  if (execution.skipped.length > 0) {
    const currentTutors = new Map<number, string>();
    for (const entry of execution.skipped) {
      if (entry.currentStaffId !== null && !currentTutors.has(entry.currentStaffId)) {
        currentTutors.set(entry.currentStaffId, (await getStaff(core.db, actor.schoolId, entry.currentStaffId))?.displayName ?? 'another tutor');
      }
    }
    blocks.push({
      type: 'table',
      columns: ['Skipped', 'Why'],
      rows: execution.skipped.map((entry) => {
        const pupil = byId.get(entry.pupilId);
        const why =
          entry.reason === 'left'
            ? 'no longer on roll'
            : entry.reason === 'out-of-scope'
              ? 'now outside the pupils you lead'
              : entry.currentStaffId === null
                ? 'has no tutor now (changed since the preview)'
                : `now tutored by ${currentTutors.get(entry.currentStaffId)} (changed since the preview)`;
        return [pupil ? pupilDisplayName(pupil) : `pupil ${entry.pupilId}`, why];
      }),
    });
  }
  return reply(blocks, 'pupil');
}

async function pupilsById(request: Request, ids: number[]): Promise<PupilSummary[]> {
  if (ids.length === 0) return [];
  const rows = await selectPupilSummaries(request.core.db).where('p.school_id', '=', request.actor.schoolId).where('p.id', 'in', ids).execute();
  return rows.map(toPupilSummary);
}

async function afterHandover(request: Request, handover: HandoverRequest, from: StaffCandidate, to: StaffCandidate, moved: number[]): Promise<void> {
  const { core, actor } = request;
  await recordAudit(
    core.db,
    moved.map((pupilId) => ({
      schoolId: actor.schoolId,
      actorStaffId: actor.staffId,
      action: 'tutor_handover',
      pupilId,
      subject: `handover_request:${handover.id}`,
      channel: request.channel.platform,
    })),
  );
  core.log.info('handover_confirmed', { schoolId: actor.schoolId, handoverId: handover.id, moved: moved.length, from: from.id, to: to.id });
  if (moved.length > 0 && to.id !== actor.staffId) {
    await enqueueDelivery(core, {
      schoolId: actor.schoolId,
      staffId: to.id,
      kind: tuteesReceivedKind,
      subject: { pupilIds: moved, fromStaffId: from.id, byStaffId: actor.staffId, handoverId: handover.id },
      idempotencyKey: `handover:${handover.id}`,
    });
  }
}

export async function cancelHandover(request: Request, value: string): Promise<Reply> {
  const loaded = await loadOwnRequest(request, value);
  if (!loaded.ok) return loaded.reply;
  if (await cancelHandoverRequest(request.core.db, loaded.handover.id, request.core.now())) {
    return textReply('Handover cancelled; nobody was moved.');
  }
  const current = await getHandoverRequest(request.core.db, request.actor.schoolId, loaded.handover.id);
  return current ? describeDecided(request, current) : textReply('That handover is no longer available.');
}
