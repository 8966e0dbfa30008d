import { recordAudit } from '../audit/record-audit.ts';
import type { FormHandler, Request } from '../core-context.ts';
import { isSafeguardingLead } from '../permissions.ts';
import { reply, textReply, type Block, type Reply } from '../reply.ts';
import { findRepeatedNote, lockAuthor } from './find-repeated-note.ts';
import { mayReadNote } from './note-card.ts';
import { followUpFormId, noteActionIds } from './note-actions.ts';
import { kickDeliveries, noteDeliveryKinds, queueNoteDelivery } from './note-deliveries.ts';
import { cancelNoteJob, escalateQueue, resendQueue } from './note-jobs.ts';
import { findNote, insertNote, loadNoteDetails, noteActionValue, parseNoteActionValue, type NoteDetails } from './note-store.ts';
import { checkNoteText, maxNoteLength } from './note-text.ts';
import { noteKindLabel, pupilName } from './note-wording.ts';
import { isNoteRecipient } from './route-note.ts';

/**
 * Follow-ups: what was done about a note, or a correction to it. The original is never changed;
 * a follow-up is a new note pointing at it, readable by whoever may read the original. Where a
 * form can open (Slack, Teams) the button opens one; everywhere, a few common follow-ups are
 * offered as buttons, which is how the console adds them.
 */
export const quickFollowUps = ['Spoke with the pupil.', 'Contacted home.', 'Passed to the head of year or house.', 'Monitoring; no further action for now.'];

interface FollowUpTarget {
  details: NoteDetails;
  isRecipient: boolean;
}

/** The top-level note a follow-up attaches to, if this person may add one (its author, a reader, a recipient). */
async function followUpTarget(request: Request, noteId: number): Promise<FollowUpTarget | null> {
  const { core, actor } = request;
  let details = await loadNoteDetails(core.db, actor.schoolId, noteId);
  if (details?.note.parent_note_id) details = await loadNoteDetails(core.db, actor.schoolId, details.note.parent_note_id);
  if (!details) return null;
  const isRecipient = await isNoteRecipient(core.db, details.note.id, actor.staffId);
  const isAuthor = details.note.author_staff_id === actor.staffId;
  if (!isAuthor && !mayReadNote(actor, details.pupil, details.note, isRecipient)) return null;
  return { details, isRecipient };
}

const notAvailable = 'That note is not available to you, so no follow-up can be added to it. Nothing was saved.';

function canOpenForms(request: Request): boolean {
  return request.channel.platform === 'slack' || request.channel.platform === 'teams';
}

export async function offerFollowUp(request: Request, value: string): Promise<Reply> {
  const noteId = parseNoteActionValue(value);
  const target = noteId === null ? null : await followUpTarget(request, noteId);
  if (!target) return textReply(notAvailable);
  const { note, pupil } = target.details;
  const subject = `the ${noteKindLabel(note)} ${note.kind === 'praise' ? 'for' : 'about'} ${pupilName(pupil)} (#${note.id})`;
  const blocks: Block[] = [{ type: 'text', text: `Add a follow-up to ${subject}: what was done, or a correction. The original stays as it was.` }];
  if (canOpenForms(request)) {
    blocks.push({
      type: 'form',
      form: {
        id: followUpFormId,
        title: 'Add follow-up',
        submitLabel: 'Save',
        state: noteActionValue(note.id),
        fields: [
          { id: 'text', label: 'Follow-up', kind: 'multiline', required: true, maxLength: maxNoteLength, placeholder: 'What was done, or what to correct' },
        ],
      },
    });
  }
  blocks.push({
    type: 'choices',
    prompt: canOpenForms(request) ? 'Or choose a common one:' : 'Choose one (forms with your own words open in Slack and Teams):',
    options: quickFollowUps.map((text, index) => ({
      label: text,
      action: { id: noteActionIds.quickFollowUp, label: 'Add', value: `${noteActionValue(note.id)}|${index}` },
    })),
  });
  return reply(blocks, 'pupil');
}

export async function addQuickFollowUp(request: Request, value: string): Promise<Reply> {
  const [noteValue, indexText] = value.split('|');
  const text = quickFollowUps[Number(indexText)];
  const noteId = parseNoteActionValue(noteValue);
  if (noteId === null || text === undefined || !/^\d+$/.test(indexText ?? '')) return textReply('That button is not valid any more. Nothing was saved.');
  return saveFollowUp(request, noteId, text, 'button');
}

export const followUpForm: FormHandler = {
  // A follow-up belongs to a note, so it starts from the note's Add follow-up button, not from a command.
  async open() {
    return textReply('Press Add follow-up on the note you want to add to (in its message, or under "notes <pupil>").');
  },
  async submit(request, values, state) {
    const noteId = parseNoteActionValue(state);
    if (noteId === null) return { ok: false, errors: { text: 'This form has expired: press Add follow-up on the note again.' } };
    const checked = checkNoteText(values.text, 'follow-up');
    if (!checked.ok) return { ok: false, errors: { text: checked.message } };
    return { ok: true, reply: await saveFollowUp(request, noteId, checked.text, 'form') };
  },
};

export async function saveFollowUp(request: Request, noteId: number, text: string, source: string): Promise<Reply> {
  const { core, actor, channel } = request;
  const checked = checkNoteText(text, 'follow-up');
  if (!checked.ok) return textReply(checked.message);
  const target = await followUpTarget(request, noteId);
  if (!target) return textReply(notAvailable);
  const root = target.details.note;
  const now = core.now();
  const outcome = await core.db.transaction().execute(async (trx) => {
    await lockAuthor(trx, actor.staffId);
    const current = await findNote(trx, actor.schoolId, root.id, { lock: true });
    if (!current) return null;
    const repeated = await findRepeatedNote(trx, core.sealer, now, {
      authorStaffId: actor.staffId,
      pupilId: current.pupil_id,
      kind: 'followup',
      parentNoteId: current.id,
      text: checked.text,
    });
    if (repeated) return { followUp: repeated, repeated: true, acknowledged: false, deliveryId: null };
    const followUp = await insertNote(trx, core.sealer, {
      schoolId: actor.schoolId,
      pupilId: current.pupil_id,
      authorStaffId: actor.staffId,
      kind: 'followup',
      parentNoteId: current.id,
      safeguarding: current.safeguarding,
      text: checked.text,
      source,
      channel: channel.platform,
      createdAt: now,
    });
    await recordAudit(trx, {
      schoolId: actor.schoolId,
      actorStaffId: actor.staffId,
      action: 'note_logged',
      pupilId: current.pupil_id,
      subject: `note:${followUp.id}`,
      channel: channel.platform,
    });
    // A recipient writing what they did has plainly seen the note: that acknowledges it too.
    const acknowledges = !current.acknowledged_at && (current.safeguarding ? isSafeguardingLead(actor) : target.isRecipient);
    let deliveryId: number | null = null;
    if (acknowledges) {
      await trx
        .updateTable('note')
        .set({ acknowledged_at: now, acknowledged_by: actor.staffId, next_escalation_at: null, next_resend_at: null })
        .where('id', '=', current.id)
        .execute();
      await recordAudit(trx, {
        schoolId: actor.schoolId,
        actorStaffId: actor.staffId,
        action: 'note_acknowledged',
        pupilId: current.pupil_id,
        subject: `note:${current.id}`,
        channel: channel.platform,
      });
      if (current.author_staff_id !== actor.staffId) {
        deliveryId = await queueNoteDelivery(trx, now, {
          schoolId: actor.schoolId,
          staffId: current.author_staff_id,
          kind: noteDeliveryKinds.acknowledged,
          subject: { noteId: current.id },
          idempotencyKey: `note:${current.id}:acknowledged`,
        });
      }
    }
    return { followUp, repeated: false, acknowledged: acknowledges, deliveryId };
  });
  if (!outcome) return textReply(notAvailable);
  if (outcome.acknowledged) {
    await kickDeliveries(core, [outcome.deliveryId]);
    await cancelNoteJob(core, escalateQueue, root.escalation_job_id);
    await cancelNoteJob(core, resendQueue, root.resend_job_id);
  }
  const subject = `the ${noteKindLabel(root)} ${root.kind === 'praise' ? 'for' : 'about'} ${pupilName(target.details.pupil)} (#${root.id})`;
  const message = outcome.repeated
    ? `You added this follow-up to ${subject} a moment ago (#${outcome.followUp.id}); it was not saved twice.`
    : `Follow-up #${outcome.followUp.id} added to ${subject}.${outcome.acknowledged ? ' That also acknowledged it.' : ''}`;
  return textReply(message, 'pupil');
}
