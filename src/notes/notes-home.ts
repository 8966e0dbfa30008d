import type { Request } from '../core-context.ts';
import { isSafeguardingLead } from '../permissions.ts';
import { getPupilSummary } from '../pupils/pupil-summary.ts';
import { reply, textReply, type Block, type Reply } from '../reply.ts';
import { acknowledgeAction, showNoteAction } from './note-actions.ts';
import { mayReadNote, noteCard } from './note-card.ts';
import { loadNoteDetails, parseNoteActionValue, staffNames } from './note-store.ts';
import { formatWhen, noteKindLabel, pupilLine } from './note-wording.ts';
import { loadSchoolTimeZone } from '../schools/load-school-times.ts';
import { isNoteRecipient } from './route-note.ts';

/**
 * The viewer's open concerns on their home: sent to them and not yet acknowledged (for the
 * safeguarding team, every unacknowledged safeguarding concern). Names and dates only; the text
 * is one "Show" away, so that opening the home is not a read of every note on it.
 */
export const homeLimit = 10;

export async function notesHome(request: Request): Promise<Block[]> {
  const { core, actor } = request;
  const dsl = isSafeguardingLead(actor);
  const rows = await core.db
    .selectFrom('note')
    .selectAll()
    .where('school_id', '=', actor.schoolId)
    .where('acknowledged_at', 'is', null)
    .where('kind', '<>', 'followup')
    .where('kind', '<>', 'praise')
    .where((eb) => {
      const received = eb.exists(
        eb
          .selectFrom('note_recipient')
          .select('note_recipient.note_id')
          .whereRef('note_recipient.note_id', '=', 'note.id')
          .where('note_recipient.staff_id', '=', actor.staffId),
      );
      const visible = dsl ? eb.or([received, eb('safeguarding', '=', true)]) : eb.and([received, eb('safeguarding', '=', false)]);
      return visible;
    })
    .orderBy('created_at', 'desc')
    .limit(homeLimit + 1)
    .execute();
  if (rows.length === 0) return [];
  const timeZone = await loadSchoolTimeZone(core.db, actor.schoolId);
  const names = await staffNames(
    core.db,
    rows.map((row) => row.author_staff_id),
  );
  const blocks: Block[] = [{ type: 'heading', text: `Open concerns (${rows.length > homeLimit ? `${homeLimit}+` : rows.length})` }];
  for (const note of rows.slice(0, homeLimit)) {
    const pupil = await getPupilSummary(core.db, actor.schoolId, note.pupil_id);
    if (!pupil) continue;
    const detail = [note.urgency === 'urgent' ? 'urgent' : null, note.category].filter(Boolean).join(', ');
    blocks.push({
      type: 'text',
      text: `${pupilLine(pupil)}: ${noteKindLabel(note)}${detail ? ` (${detail})` : ''} from ${names.get(note.author_staff_id) ?? 'a former member of staff'}, ${formatWhen(note.created_at, timeZone)} · #${note.id}`,
    });
    blocks.push({ type: 'actions', actions: [showNoteAction(note.id), acknowledgeAction(note.id)] });
  }
  return blocks;
}

/** "Show" on the home: the whole note, for someone who may read it, audited. */
export async function showNote(request: Request, value: string): Promise<Reply> {
  const { core, actor } = request;
  const noteId = parseNoteActionValue(value);
  const details = noteId === null ? null : await loadNoteDetails(core.db, actor.schoolId, noteId);
  if (!details) return textReply('That note is not available to you.');
  const isRecipient = await isNoteRecipient(core.db, details.note.id, actor.staffId);
  if (!mayReadNote(actor, details.pupil, details.note, isRecipient)) return textReply('That note is not available to you.');
  const timeZone = await loadSchoolTimeZone(core.db, actor.schoolId);
  const intro = `${noteKindLabel(details.note)} about ${pupilLine(details.pupil)}`;
  const blocks = await noteCard(core, details, actor, {
    intro: intro.charAt(0).toUpperCase() + intro.slice(1),
    channel: request.channel.platform,
    isRecipient,
    timeZone,
  });
  return reply(blocks, 'pupil');
}
