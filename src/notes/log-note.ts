import type { Request } from '../core-context.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { SchoolCalendar } from '../calendar/index.ts';
import { getPupilSummary, type PupilSummary } from '../pupils/pupil-summary.ts';
import { reply, type Block, type Reply } from '../reply.ts';
import { loadSchoolTimes } from '../schools/load-school-times.ts';
import type { SchoolSettings } from '../schools/school-settings.ts';
import { escalationDeadlines, nextResendSlot } from './escalation-schedule.ts';
import { findRepeatedNote, lockAuthor } from './find-repeated-note.ts';
import { kickDeliveries } from './note-deliveries.ts';
import { escalateQueue, rememberJobId, resendQueue, scheduleNoteJob } from './note-jobs.ts';
import { describePeople, loadRoutingStaff, type RoutedPerson } from './note-people.ts';
import { findNote, insertNote, type NoteRow } from './note-store.ts';
import { capitalise, noteKindLabel, pupilLine, pupilName } from './note-wording.ts';
import { addFollowUpAction } from './note-actions.ts';
import { applyRouting, planRouting, recipientsOf, type RoutePlan } from './route-note.ts';
import type { LoggedNoteKind } from './notes-tables.ts';

/**
 * Saves a concern, success story or safeguarding concern and routes it, all in one transaction:
 * the note, its recipients, their queued messages and its escalation deadline exist together or
 * not at all. The reporter gets a receipt naming who it went to, never the text.
 */
export interface NoteInput {
  kind: LoggedNoteKind;
  pupil: PupilSummary;
  text: string;
  category: string | null;
  urgency: 'routine' | 'urgent' | null;
  source: 'text' | 'form' | 'choice';
  /** Makes saving idempotent across presses of one button: 'pending:<id>'. */
  originKey?: string;
  /** A pending note (disambiguation) to delete once saved, so no second copy of the text remains. */
  pendingNoteId?: number;
}

type Outcome = { status: 'saved'; note: NoteRow; plan: RoutePlan; deliveryIds: number[] } | { status: 'repeated'; note: NoteRow };

export async function logNote(request: Request, input: NoteInput): Promise<Reply> {
  const { core, actor, channel } = request;
  const now = core.now();
  const { settings, calendar } = await loadSchoolTimes(core.db, actor.schoolId, now);
  const urgency = input.kind === 'concern' ? (input.urgency ?? 'routine') : null;

  const outcome = await core.db.transaction().execute(async (trx): Promise<Outcome> => {
    await lockAuthor(trx, actor.staffId);
    if (input.originKey) {
      const saved = await trx.selectFrom('note').selectAll().where('origin_key', '=', input.originKey).executeTakeFirst();
      if (saved) return { status: 'repeated', note: saved };
    }
    const repeated = await findRepeatedNote(trx, core.sealer, now, {
      authorStaffId: actor.staffId,
      pupilId: input.pupil.id,
      kind: input.kind,
      parentNoteId: null,
      text: input.text,
    });
    if (repeated) {
      if (input.pendingNoteId !== undefined) await trx.deleteFrom('pending_note').where('id', '=', input.pendingNoteId).execute();
      return { status: 'repeated', note: repeated };
    }

    const staff = await loadRoutingStaff(trx, actor.schoolId);
    const plan = planRouting({ pupil: input.pupil, kind: input.kind, urgency, reporterStaffId: actor.staffId, staff });
    let note = await insertNote(trx, core.sealer, {
      schoolId: actor.schoolId,
      pupilId: input.pupil.id,
      authorStaffId: actor.staffId,
      kind: input.kind,
      category: input.category,
      urgency,
      safeguarding: input.kind === 'safeguarding',
      text: input.text,
      source: input.source,
      channel: channel.platform,
      originKey: input.originKey ?? null,
      createdAt: now,
    });
    const deliveryIds = await applyRouting(trx, now, note, plan);
    const owned = plan.reporterIsOwner;
    note = await trx
      .updateTable('note')
      .set({
        routed_at: now,
        acknowledged_at: owned ? now : null,
        acknowledged_by: owned ? actor.staffId : null,
        next_escalation_at: !owned && input.kind === 'concern' ? firstEscalation(request, calendar, settings, now) : null,
        next_resend_at: !owned && input.kind === 'safeguarding' && plan.recipients.length > 0 ? firstResend(calendar, settings, now) : null,
      })
      .where('id', '=', note.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.pendingNoteId !== undefined) await trx.deleteFrom('pending_note').where('id', '=', input.pendingNoteId).execute();
    await recordAudit(trx, {
      schoolId: actor.schoolId,
      actorStaffId: actor.staffId,
      action: 'note_logged',
      pupilId: input.pupil.id,
      subject: `note:${note.id}`,
      channel: channel.platform,
    });
    return { status: 'saved', note, plan, deliveryIds };
  });

  if (outcome.status === 'repeated') {
    return receipt(request, outcome.note, input.pupil, await recipientsOf(core.db, outcome.note.id), null, true);
  }
  const { note, plan, deliveryIds } = outcome;
  core.log.info('note_logged', { noteId: note.id, kind: note.kind, staffId: actor.staffId, recipients: plan.recipients.length });
  await kickDeliveries(core, deliveryIds);
  if (note.next_escalation_at) {
    const jobId = await scheduleNoteJob(core, escalateQueue, { noteId: note.id, schoolId: note.school_id, step: 'level-1' }, note.next_escalation_at);
    await rememberJobId(core, note.id, 'escalation_job_id', jobId);
  }
  if (note.next_resend_at) {
    const step = `resend-${note.next_resend_at.toISOString()}`;
    const jobId = await scheduleNoteJob(core, resendQueue, { noteId: note.id, schoolId: note.school_id, step }, note.next_resend_at);
    await rememberJobId(core, note.id, 'resend_job_id', jobId);
  }
  return receipt(request, note, input.pupil, plan.recipients, plan, false);
}

/** The receipt again, for a note already saved (a second press of the same button). */
export async function repeatedReceipt(request: Request, noteId: number): Promise<Reply> {
  const note = await findNote(request.core.db, request.actor.schoolId, noteId);
  const pupil = note ? await getPupilSummary(request.core.db, request.actor.schoolId, note.pupil_id) : null;
  if (!note || !pupil) return reply([{ type: 'text', text: 'That note was already saved.' }], 'none');
  return receipt(request, note, pupil, await recipientsOf(request.core.db, note.id), null, true);
}

function firstEscalation(request: Request, calendar: SchoolCalendar, settings: SchoolSettings, now: Date): Date | null {
  try {
    return escalationDeadlines(calendar, now, settings.escalationSchoolDays).heads;
  } catch (error) {
    // A calendar that has run out cannot place the deadline; the concern is still routed and saved.
    request.core.log.error('note_escalation_unscheduled', { schoolId: request.actor.schoolId, error: (error as Error).message });
    return null;
  }
}

function firstResend(calendar: SchoolCalendar, settings: SchoolSettings, now: Date): Date {
  try {
    return nextResendSlot(calendar, now, { start: settings.schoolDayStart, end: settings.schoolDayEnd });
  } catch {
    // Better a re-send out of hours than none at all.
    return new Date(now.getTime() + 30 * 60_000);
  }
}

function receipt(request: Request, note: NoteRow, pupil: PupilSummary, recipients: RoutedPerson[], plan: RoutePlan | null, repeated: boolean): Reply {
  const kind = noteKindLabel(note);
  const about = note.kind === 'praise' ? `for ${pupilLine(pupil)}` : `about ${pupilLine(pupil)}`;
  const blocks: Block[] = [{ type: 'heading', text: repeated ? `${capitalise(kind)} already logged` : `${capitalise(kind)} logged` }];
  const lines: string[] = [];
  if (repeated) lines.push(`You logged this ${kind} ${about} a moment ago (reference #${note.id}); nothing new was saved and nobody was sent it twice.`);
  const went = recipients.length > 0 ? describePeople(recipients) : null;
  if (note.safeguarding) {
    if (went) lines.push(`Your safeguarding concern ${about} reached the safeguarding team: ${went}. Only they can read it.`);
    else if (plan?.reporterIsOwner || note.acknowledged_by === request.actor.staffId)
      lines.push(`Your safeguarding concern ${about} is recorded. You are the safeguarding team, so nobody else was sent it.`);
    else
      lines.push(
        `Your safeguarding concern ${about} is saved, but tutorbot has no designated safeguarding lead for your school, so it could not be sent. Tell your DSL in person now. The admin has been told to set one up.`,
      );
  } else {
    if (went) lines.push(`Your ${kind} ${about} went to ${went}.`);
    else if (note.acknowledged_by === request.actor.staffId)
      lines.push(`Your ${kind} ${about} is recorded. It is yours to follow up, so nobody else needed it.`);
    else lines.push(`Your ${kind} ${about} is saved, but nobody could be found to receive it. Please tell the pastoral team in person.`);
    if (plan?.adminAlert?.kind === 'no-tutor')
      lines.push(
        `${pupilName(pupil)} has no active tutor, so it went to their pastoral leads instead; the admin has been told so that a tutor can be assigned.`,
      );
    if (note.kind === 'concern' && !note.acknowledged_at && went) lines.push('You will hear when it is acknowledged.');
  }
  blocks.push({ type: 'text', text: lines.join('\n') });
  const fields = [{ label: 'Reference', value: `#${note.id}` }];
  if (note.category) fields.push({ label: 'Category', value: note.category });
  if (note.urgency) fields.push({ label: 'Urgency', value: note.urgency });
  blocks.push({ type: 'fields', fields });
  if (request.channel.conversation === 'shared') {
    blocks.push({ type: 'text', text: 'Only you can see this. Next time, log notes in a direct message with me, so nobody else sees what you type.' });
  }
  blocks.push({ type: 'actions', actions: [{ ...addFollowUpAction(note.id), label: 'Add follow-up or correction' }] });
  return reply(blocks, 'pupil');
}
