import type { Request } from '../core-context.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { canSeeNeedsFlags, isAdmin, isSafeguardingLead, isWholeSchoolLead } from '../permissions.ts';
import { reply, textReply, type Block, type Reply } from '../reply.ts';
import { canonicalArea, describeArea, leadArea, type PupilArea } from './pupil-area.ts';
import { listUnassigned, unassignedCount } from './unassigned-pupils.ts';

/**
 * `unassigned`: the active pupils with no active tutor, for admins (the whole school: they assign)
 * and pastoral leads (their scope). Each is a broken promise, so the reply says how to fix it.
 */
export const unassignedListLimit = 50;

export async function unassignedArea(request: Request): Promise<PupilArea | null> {
  const { actor } = request;
  if (isAdmin(actor) || isWholeSchoolLead(actor) || isSafeguardingLead(actor)) return 'school';
  const lead = leadArea(actor);
  return lead ? canonicalArea(request.core.db, actor.schoolId, lead) : null;
}

export async function unassignedCommand(request: Request): Promise<Reply> {
  const { core, actor } = request;
  const area = await unassignedArea(request);
  if (!area)
    return textReply(
      'The list of pupils without a tutor is for admins and pastoral leads. If you know of a pupil without a tutor, tell their head of year or house.',
    );
  const [count, pupils] = await Promise.all([
    unassignedCount(core.db, actor.schoolId, area),
    listUnassigned(core.db, actor.schoolId, area, unassignedListLimit),
  ]);
  const where = describeArea(area);
  if (count === 0) return textReply(`Every pupil in ${where} has an active tutor.`);
  const flags = pupils.map((pupil) =>
    canSeeNeedsFlags(actor, { yearGroup: pupil.yearGroup, house: pupil.house, tutorStaffId: null })
      ? [pupil.sen ? 'SEN' : null, pupil.eal ? 'EAL' : null].filter(Boolean).join(', ')
      : '',
  );
  const showNeeds = flags.some(Boolean);
  const blocks: Block[] = [
    { type: 'heading', text: `${count === 1 ? '1 pupil' : `${count} pupils`} in ${where} without an active tutor` },
    {
      type: 'table',
      columns: ['Pupil', 'Year', 'Form', 'House', ...(showNeeds ? ['Needs'] : []), 'Why'],
      rows: pupils.map((pupil, index) => [
        pupilDisplayName(pupil),
        pupil.yearGroup !== null ? String(pupil.yearGroup) : '—',
        pupil.form ?? '—',
        pupil.house ?? '—',
        ...(showNeeds ? [flags[index]] : []),
        pupil.formerTutor ? `tutor has left (${pupil.formerTutor.name})` : 'never assigned',
      ]),
    },
  ];
  if (count > pupils.length) blocks.push({ type: 'text', text: `…and ${count - pupils.length} more.` });
  blocks.push({
    type: 'text',
    text: 'Give each a tutor with "assign <pupil> to <staff>: <reason>", or move a leaver\'s whole group with "handover <leaver> to <colleague>".',
  });
  return reply(blocks, 'pupil');
}
