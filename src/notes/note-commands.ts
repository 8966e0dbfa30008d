import type { CommandHandler, Request } from '../core-context.ts';
import { getPupilSummary } from '../pupils/pupil-summary.ts';
import { pupilRef, resolvePupil } from '../pupils/resolve-pupil.ts';
import { reply, textReply, type Block, type Reply } from '../reply.ts';
import { logNote, repeatedReceipt } from './log-note.ts';
import { noteActionIds } from './note-actions.ts';
import { checkNoteText } from './note-text.ts';
import { findPendingNote, holdPendingNote, parsePendingChoice, pendingChoiceValue, pendingNoteContext, pendingNoteLifetimeMinutes } from './pending-note.ts';

/**
 * "concern <pupil>: <text>", "praise …", "safeguarding …". The text is checked first, then the
 * pupil resolved; when the name matches several pupils the note is held (sealed, server-side)
 * and the reporter picks one: nothing is saved against a pupil until it is certainly the right one.
 * A concern typed as "concern urgent <pupil>: …" is urgent.
 */
export const noteCommand: CommandHandler<'note'> = async (request, intent) => {
  let pupilQuery = intent.pupil;
  let urgency: 'routine' | 'urgent' | null = intent.noteKind === 'concern' ? 'routine' : null;
  const urgent = /^urgent\b[\s:,-]*/i.exec(pupilQuery);
  if (intent.noteKind === 'concern' && urgent && pupilQuery.length > urgent[0].length) {
    urgency = 'urgent';
    pupilQuery = pupilQuery.slice(urgent[0].length);
  }
  const what = intent.noteKind === 'praise' ? 'success story' : intent.noteKind === 'safeguarding' ? 'safeguarding concern' : 'concern';
  const checked = checkNoteText(intent.text, what);
  if (!checked.ok) return textReply(checked.message);

  const resolution = await resolvePupil(request, pupilQuery, (pupil) => ({ id: noteActionIds.pickPupil, value: pupilRef(pupil.id) }));
  if (resolution.ok) {
    return logNote(request, { kind: intent.noteKind, pupil: resolution.pupil, text: checked.text, category: null, urgency, source: 'text' });
  }
  const choices = resolution.reply.blocks.find((block) => block.type === 'choices');
  if (!choices || choices.type !== 'choices') {
    return reply(
      [...resolution.reply.blocks, { type: 'text', text: `Nothing was saved: send the ${what} again with the pupil's name as it is on the roll.` }],
      resolution.reply.privacy,
    );
  }
  const pendingId = await holdPendingNote(request.core, request.actor, {
    kind: intent.noteKind,
    text: checked.text,
    category: null,
    urgency,
    channel: request.channel.platform,
  });
  const blocks: Block[] = resolution.reply.blocks.map((block) =>
    block.type === 'choices'
      ? {
          ...block,
          options: block.options.map((option) => {
            const pupilId = Number(option.action.value.replace('#pupil:', ''));
            return { ...option, action: { ...option.action, value: pendingChoiceValue(pendingId, pupilId) } };
          }),
        }
      : block,
  );
  blocks.push({ type: 'text', text: `Your ${what} is not saved until you choose; the choice is kept for ${pendingNoteLifetimeMinutes} minutes.` });
  return reply(blocks, 'pupil');
};

/** A pupil chosen for a held note: saves it once, however often the button is pressed. */
export async function pickPupilForNote(request: Request, value: string): Promise<Reply> {
  const { core, actor } = request;
  const choice = parsePendingChoice(value);
  if (!choice) return textReply('That button is not valid any more. Nothing was saved; please send the note again.');
  const originKey = `pending:${choice.pendingId}`;
  const alreadySaved = async () => {
    const saved = await core.db
      .selectFrom('note')
      .select(['id'])
      .where('origin_key', '=', originKey)
      .where('school_id', '=', actor.schoolId)
      .where('author_staff_id', '=', actor.staffId)
      .executeTakeFirst();
    return saved ? repeatedReceipt(request, saved.id) : null;
  };
  const saved = await alreadySaved();
  if (saved) return saved;
  const pending = await findPendingNote(core.db, actor, choice.pendingId, core.now());
  if (!pending) {
    return (
      (await alreadySaved()) ??
      textReply(
        `That choice is no longer open: a note waiting for a pupil is kept for ${pendingNoteLifetimeMinutes} minutes, for the person who wrote it. Please send the note again.`,
      )
    );
  }
  const pupil = await getPupilSummary(core.db, actor.schoolId, choice.pupilId);
  if (!pupil || !pupil.active) return textReply('That pupil is not on the roll of your school. Nothing was saved.');
  const text = core.sealer.open(pending.body, pendingNoteContext(pending.id));
  return logNote(request, {
    kind: pending.kind,
    pupil,
    text,
    category: pending.category,
    urgency: pending.urgency,
    source: 'choice',
    originKey,
    pendingNoteId: pending.id,
  });
}
