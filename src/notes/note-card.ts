import type { Actor } from '../staff/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../core-context.ts';
import { TutorbotError } from '../errors.ts';
import { canReadNoteText, isSafeguardingLead, type PupilScopeFacts } from '../permissions.ts';
import type { PupilSummary } from '../pupils/pupil-summary.ts';
import type { Action, Block } from '../reply.ts';
import { acknowledgeAction, addFollowUpAction, reclassifyAction } from './note-actions.ts';
import { openNoteText, type NoteDetails, type NoteRow } from './note-store.ts';
import { displayNoteText } from './note-text.ts';
import { capitalise, formatWhen, noteKindLabel, pupilLine } from './note-wording.ts';

/**
 * A note as its reader sees it: pupil, kind, category, urgency, reporter, the text and the
 * buttons that reader may press. Opening the text here always writes the audit row for it.
 */
export function scopeFacts(pupil: PupilSummary): PupilScopeFacts {
  return { yearGroup: pupil.yearGroup, house: pupil.house, tutorStaffId: pupil.tutor?.active ? pupil.tutor.staffId : null };
}

/**
 * Whether `viewer` may read this note's text: the roles table, plus the people it was sent to
 * (a pastoral lead who received it because the pupil had no tutor). Safeguarding: the team only.
 */
export function mayReadNote(viewer: Actor, pupil: PupilSummary, note: Pick<NoteRow, 'author_staff_id' | 'safeguarding'>, isRecipient: boolean): boolean {
  if (note.safeguarding) return isSafeguardingLead(viewer);
  return isRecipient || canReadNoteText(viewer, scopeFacts(pupil), { authorStaffId: note.author_staff_id, safeguarding: false });
}

export interface NoteCardOptions {
  intro: string;
  /** Where the text is read, for the audit row: the viewer's platform, or 'delivery'. */
  channel: string;
  isRecipient: boolean;
  timeZone: string;
}

export async function noteCard(core: CoreContext, details: NoteDetails, viewer: Actor, options: NoteCardOptions): Promise<Block[]> {
  const { note, pupil } = details;
  if (!mayReadNote(viewer, pupil, note, options.isRecipient)) {
    throw new TutorbotError('tutorbot_note_forbidden', 'This note is not yours to read.');
  }
  const text = openNoteText(core.sealer, note);
  await recordAudit(core.db, {
    schoolId: note.school_id,
    actorStaffId: viewer.staffId,
    action: 'note_read',
    pupilId: note.pupil_id,
    subject: `note:${note.id}`,
    channel: options.channel,
  });
  const fields = [
    { label: 'Pupil', value: `${pupilLine(pupil)}${pupil.house ? `, ${pupil.house}` : ''}` },
    { label: 'Type', value: capitalise(noteKindLabel(note)) + (details.parent ? ` to #${details.parent.id}` : '') },
  ];
  if (note.category) fields.push({ label: 'Category', value: note.category });
  if (note.urgency) fields.push({ label: 'Urgency', value: note.urgency });
  fields.push(
    { label: 'Logged by', value: details.authorName },
    { label: 'Logged', value: formatWhen(note.created_at, options.timeZone) },
    { label: 'Reference', value: `#${note.id}` },
  );
  const blocks: Block[] = [
    { type: 'heading', text: options.intro },
    { type: 'fields', fields },
    { type: 'text', text: displayNoteText(text) },
  ];
  if (note.acknowledged_at && details.acknowledgedByName) {
    blocks.push({ type: 'text', text: `Acknowledged by ${details.acknowledgedByName}, ${formatWhen(note.acknowledged_at, options.timeZone)}.` });
  }
  const actions: Action[] = [];
  const canAcknowledge = note.safeguarding ? isSafeguardingLead(viewer) : options.isRecipient;
  if (note.kind !== 'followup' && !note.acknowledged_at && canAcknowledge) actions.push(acknowledgeAction(note.id));
  actions.push(addFollowUpAction(note.parent_note_id ?? note.id));
  if (note.kind === 'concern' && !note.safeguarding && isSafeguardingLead(viewer)) actions.push(reclassifyAction(note.id));
  blocks.push({ type: 'actions', actions });
  return blocks;
}
