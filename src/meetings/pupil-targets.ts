import { recordReads } from '../audit/record-audit.ts';
import type { Request } from '../core-context.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { canReadPupilNotes } from '../permissions.ts';
import type { PupilSummary } from '../pupils/pupil-summary.ts';
import { pupilRef } from '../pupils/resolve-pupil.ts';
import { reply, type Block, type Reply } from '../reply.ts';
import { displayDay } from './local-days.ts';
import { pupilFacts } from './log-meeting.ts';
import { loadMeetings, loadTargets, openMeetingNotes, openTargetText } from './meeting-store.ts';

/**
 * `targets <pupil>` and "Show meeting notes": for those who may read the pupil's notes (their
 * tutor, heads of house/year in scope, the safeguarding team). Every text shown is audited.
 */
export const showMeetingNotesAction = 'meeting_notes_show';

const statusLabels: Record<string, string> = { open: 'open', met: 'met', partly_met: 'partly met', not_met: 'not met' };

function refusal(pupil: PupilSummary): Reply {
  return reply(
    [
      {
        type: 'text',
        text: `Only ${pupilDisplayName(pupil)}'s tutor, their head of house or year, or the safeguarding team can see their targets and meeting notes.`,
      },
    ],
    'none',
  );
}

const privately = reply([{ type: 'text', text: 'I have sent you the details privately.' }], 'none');

export async function pupilTargetsReply(request: Request, pupil: PupilSummary): Promise<Reply> {
  const { core, actor } = request;
  if (!canReadPupilNotes(actor, pupilFacts(pupil))) return refusal(pupil);
  const name = pupilDisplayName(pupil);
  const targets = await loadTargets(core.db, actor.schoolId, pupil.id);
  const meetings = await loadMeetings(core.db, actor.schoolId, pupil.id, 50);
  const blocks: Block[] = [{ type: 'heading', text: `Targets for ${name}${pupil.form ? ` (${pupil.form})` : ''}` }];
  if (targets.length === 0) {
    blocks.push({ type: 'text', text: `${name} has no targets yet. Set up to three in the meeting form (type "meeting ${name}").` });
  } else {
    await recordReads(core.db, request, { action: 'target_read', pupilId: pupil.id, subjects: targets.map((target) => `target:${target.id}`) });
    const open = targets.filter((target) => target.status === 'open').length;
    blocks.push({ type: 'text', text: `${open} open, ${targets.length - open} reviewed.` });
    blocks.push({
      type: 'table',
      columns: ['Target', 'Set', 'Review by', 'Outcome'],
      rows: targets.map((target) => [
        openTargetText(core.sealer, target),
        `${displayDay(target.setOn)}, ${target.setByName}`,
        target.status === 'open' ? displayDay(target.reviewOn) : '—',
        target.status === 'open'
          ? target.lastOutcome === 'carried_over'
            ? 'open (carried over)'
            : 'open'
          : `${statusLabels[target.status]} (${displayDay(target.closedOn ?? target.reviewOn)})`,
      ]),
    });
  }
  if (meetings.length > 0) {
    const last = meetings[0];
    blocks.push({
      type: 'text',
      text: `${meetings.length} meeting${meetings.length === 1 ? '' : 's'} logged; the last on ${displayDay(last.heldOn)} with ${last.staffName} (${last.term} term ${last.academicYear}).`,
    });
    blocks.push({ type: 'actions', actions: [{ id: showMeetingNotesAction, label: 'Show meeting notes', value: pupilRef(pupil.id) }] });
  } else {
    blocks.push({ type: 'text', text: 'No meetings logged yet.' });
  }
  return reply(blocks, 'pupil', privately);
}

export async function meetingNotesReply(request: Request, pupil: PupilSummary, limit = 5): Promise<Reply> {
  const { core, actor } = request;
  if (!canReadPupilNotes(actor, pupilFacts(pupil))) return refusal(pupil);
  const name = pupilDisplayName(pupil);
  const meetings = await loadMeetings(core.db, actor.schoolId, pupil.id, limit);
  if (meetings.length === 0) return reply([{ type: 'text', text: `No meetings with ${name} have been logged yet.` }], 'pupil', privately);
  await recordReads(core.db, request, { action: 'meeting_read', pupilId: pupil.id, subjects: meetings.map((meeting) => `meeting:${meeting.id}`) });
  const blocks: Block[] = [{ type: 'heading', text: `Meetings with ${name} (latest ${meetings.length})` }];
  for (const meeting of meetings) {
    const details = [meeting.place ? `at ${meeting.place}` : null, `${meeting.term} term ${meeting.academicYear}`].filter(Boolean).join(', ');
    blocks.push({ type: 'text', text: `${displayDay(meeting.heldOn)}, ${meeting.staffName} (${details})\n${openMeetingNotes(core.sealer, meeting)}` });
    const extras = [
      meeting.covered.length > 0 ? `Covered: ${meeting.covered.join('; ')}` : null,
      meeting.contactsGiven.length > 0 ? `Contacts given: ${meeting.contactsGiven.join('; ')}` : null,
    ].filter(Boolean);
    if (extras.length > 0) blocks.push({ type: 'text', text: extras.join('\n') });
  }
  return reply(blocks, 'pupil', privately);
}
