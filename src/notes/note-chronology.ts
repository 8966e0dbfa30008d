import { recordAudit } from '../audit/record-audit.ts';
import type { CommandHandler, Request } from '../core-context.ts';
import { canReadNoteText, isAdmin, isSafeguardingLead } from '../permissions.ts';
import { getPupilSummary, type PupilSummary } from '../pupils/pupil-summary.ts';
import { parsePupilRef, pupilRef, resolvePupil } from '../pupils/resolve-pupil.ts';
import { reply, textReply, type Action, type Block, type Reply } from '../reply.ts';
import { acknowledgeAction, addFollowUpAction, noteActionIds, reclassifyAction } from './note-actions.ts';
import { scopeFacts } from './note-card.ts';
import { openNoteText, staffNames, type NoteRow } from './note-store.ts';
import { displayNoteText } from './note-text.ts';
import { capitalise, formatWhen, noteKindLabel, pupilLine, pupilName } from './note-wording.ts';
import { loadSchoolTimeZone } from '../schools/load-school-times.ts';

/**
 * "notes <pupil>" (alias "history"): the pupil's concerns, success stories and follow-ups,
 * newest first, each shown only to those the roles table allows (docs/roles.md): the tutor, heads of
 * house/year in scope and the DSLs; safeguarding ones to the DSLs only; everyone else sees what
 * they logged themselves; admins see counts. Every text shown is an audited read.
 */
export const chronologyPageSize = 15;

type Visibility = 'text' | 'own-safeguarding' | 'count' | 'hidden';

function visibility(request: Request, pupil: PupilSummary, note: NoteRow, root: NoteRow, receivedIds: Set<number>): Visibility {
  const { actor } = request;
  if (note.safeguarding) {
    if (isSafeguardingLead(actor)) return 'text';
    // The author knows what they wrote, but the record now belongs to the safeguarding team.
    return note.author_staff_id === actor.staffId ? 'own-safeguarding' : 'hidden';
  }
  if (receivedIds.has(root.id)) return 'text';
  if (canReadNoteText(actor, scopeFacts(pupil), { authorStaffId: note.author_staff_id, safeguarding: false })) return 'text';
  return isAdmin(actor) ? 'count' : 'hidden';
}

export const notesCommand: CommandHandler<'notes'> = async (request, intent) => {
  const resolution = await resolvePupil(request, intent.pupil, (pupil) => ({ id: noteActionIds.pickNotesPupil, value: pupilRef(pupil.id) }));
  return resolution.ok ? chronology(request, resolution.pupil, 0) : resolution.reply;
};

/** The pupil chosen from a disambiguation list, or "older notes" ("#pupil:12|15"). */
export async function chronologyFromButton(request: Request, value: string): Promise<Reply> {
  const [ref, offsetText] = value.split('|');
  const pupilId = parsePupilRef(ref ?? '');
  const pupil = pupilId === null ? null : await getPupilSummary(request.core.db, request.actor.schoolId, pupilId);
  if (!pupil) return textReply('That pupil is not on the roll of your school.');
  const offset = Math.max(0, Number.parseInt(offsetText ?? '0', 10) || 0);
  return chronology(request, pupil, offset);
}

export async function chronology(request: Request, pupil: PupilSummary, offset: number): Promise<Reply> {
  const { core, actor, channel } = request;
  const notes = await core.db
    .selectFrom('note')
    .selectAll()
    .where('school_id', '=', actor.schoolId)
    .where('pupil_id', '=', pupil.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const byId = new Map(notes.map((note) => [note.id, note]));
  const received = await core.db
    .selectFrom('note_recipient')
    .select('note_id')
    .where('staff_id', '=', actor.staffId)
    .where('note_id', 'in', notes.length > 0 ? notes.map((note) => note.id) : [0])
    .execute();
  const receivedIds = new Set(received.map((row) => row.note_id));

  const shown: { note: NoteRow; root: NoteRow; visibility: 'text' | 'own-safeguarding' }[] = [];
  const counted = { concern: 0, praise: 0, followup: 0 };
  for (const note of notes) {
    const root = (note.parent_note_id !== null ? byId.get(note.parent_note_id) : undefined) ?? note;
    const seen = visibility(request, pupil, note, root, receivedIds);
    if (seen === 'text' || seen === 'own-safeguarding') shown.push({ note, root, visibility: seen });
    else if (seen === 'count') counted[note.kind === 'followup' ? 'followup' : note.kind === 'praise' ? 'praise' : 'concern'] += 1;
  }

  const blocks: Block[] = [{ type: 'heading', text: `Notes about ${pupilLine(pupil)}` }];
  const countedTotal = counted.concern + counted.praise + counted.followup;
  if (shown.length === 0 && countedTotal === 0) {
    blocks.push({
      type: 'text',
      text: `No notes about ${pupilName(pupil)} that you can see. Staff see the notes they logged themselves; the pupil's tutor, heads of house and year, and the safeguarding team see more.`,
    });
    return reply(blocks, 'pupil');
  }

  const timeZone = await loadSchoolTimeZone(core.db, actor.schoolId);
  const page = shown.slice(offset, offset + chronologyPageSize);
  const names = await staffNames(
    core.db,
    page.flatMap(({ note }) => [note.author_staff_id, note.acknowledged_by]),
  );
  const reads = [];
  for (const { note, root, visibility: seen } of page) {
    const kind = capitalise(noteKindLabel(note)) + (note.parent_note_id !== null ? ` to #${root.id}` : '');
    const details = [note.category, note.urgency === 'urgent' ? 'urgent' : null].filter(Boolean).join(', ');
    const author = note.author_staff_id === actor.staffId ? 'you' : (names.get(note.author_staff_id) ?? 'a former member of staff');
    let status = '';
    if (note.kind !== 'followup') {
      status = note.acknowledged_at
        ? ` · acknowledged by ${note.acknowledged_by === actor.staffId ? 'you' : (names.get(note.acknowledged_by ?? -1) ?? 'a former member of staff')}`
        : note.kind === 'praise'
          ? ''
          : ' · not yet acknowledged';
    }
    blocks.push({
      type: 'text',
      text: `${formatWhen(note.created_at, timeZone)} · #${note.id} · ${kind}${details ? ` (${details})` : ''} · by ${author}${status}`,
    });
    if (seen === 'own-safeguarding') {
      blocks.push({ type: 'text', text: 'With the safeguarding team: only they can read it. You can still add to it.' });
      blocks.push({ type: 'actions', actions: [addFollowUpAction(root.id)] });
      continue;
    }
    blocks.push({ type: 'text', text: displayNoteText(openNoteText(core.sealer, note)) });
    reads.push({
      schoolId: actor.schoolId,
      actorStaffId: actor.staffId,
      action: 'note_read',
      pupilId: pupil.id,
      subject: `note:${note.id}`,
      channel: channel.platform,
    });
    if (note.kind !== 'followup') {
      const actions: Action[] = [];
      const canAcknowledge = note.safeguarding ? isSafeguardingLead(actor) : receivedIds.has(note.id);
      if (!note.acknowledged_at && canAcknowledge) actions.push(acknowledgeAction(note.id));
      actions.push(addFollowUpAction(note.id));
      if (note.kind === 'concern' && !note.safeguarding && isSafeguardingLead(actor)) actions.push(reclassifyAction(note.id));
      blocks.push({ type: 'actions', actions });
    }
  }
  // Written before the reply leaves: a read that cannot be audited is not shown.
  await recordAudit(core.db, reads);

  if (offset + chronologyPageSize < shown.length) {
    blocks.push({ type: 'text', text: `Showing ${offset + 1}–${offset + page.length} of ${shown.length}, newest first.` });
    blocks.push({
      type: 'actions',
      actions: [{ id: noteActionIds.pickNotesPupil, label: 'Older notes', value: `${pupilRef(pupil.id)}|${offset + chronologyPageSize}` }],
    });
  }
  if (countedTotal > 0) {
    const parts = [
      counted.concern ? `${counted.concern} concern${counted.concern === 1 ? '' : 's'}` : null,
      counted.praise ? `${counted.praise} success stor${counted.praise === 1 ? 'y' : 'ies'}` : null,
      counted.followup ? `${counted.followup} follow-up${counted.followup === 1 ? '' : 's'}` : null,
    ].filter(Boolean);
    blocks.push({
      type: 'text',
      text: `On record${shown.length > 0 ? ' besides these' : ''}: ${parts.join(', ')}. Admins see counts only, not what was written.`,
    });
  }
  return reply(blocks, 'pupil');
}
