import type { Request } from '../core-context.ts';
import { isAdmin, isSafeguardingLead } from '../permissions.ts';
import type { Block } from '../reply.ts';
import { loadCaseloadPeriod } from './caseload-period.ts';
import { caseloadByTutor, loadCaseload, type TutorFigures } from './caseload-query.ts';
import { totalsOf } from './caseload-table.ts';
import { canonicalArea, describeArea, leadArea } from './pupil-area.ts';
import { unassignedCount } from './unassigned-pupils.ts';

/**
 * The at-a-glance section of a home (Slack App Home, Teams welcome card): for a pastoral lead,
 * their scope's meeting completion this term as a bar per tutor group; for a tutor, their own
 * group. Counts and staff names only, so it is safe wherever a home is shown to its owner.
 */
export const homeProgressLimit = 30;

function groupLabel(figures: TutorFigures): string {
  return `${figures.group || 'no form'} · ${figures.name}${figures.active ? '' : ' (left)'}`;
}

function openLine(totals: TutorFigures, unassigned: number): string {
  const parts = [
    `${totals.openConcerns} open concern${totals.openConcerns === 1 ? '' : 's'}`,
    `${totals.overdueMeetings} meeting${totals.overdueMeetings === 1 ? '' : 's'} overdue`,
    `${totals.targetsOverdue} target${totals.targetsOverdue === 1 ? '' : 's'} overdue for review`,
  ];
  if (unassigned > 0) parts.push(`${unassigned} without a tutor`);
  return parts.join(' · ');
}

export async function caseloadHome(request: Request): Promise<Block[]> {
  const { core, actor } = request;
  const blocks: Block[] = [];
  const lead = leadArea(actor);
  const isTutor = actor.roles.includes('tutor');
  if (!lead && !isTutor && !isAdmin(actor)) return blocks;
  const period = await loadCaseloadPeriod(core.db, actor.schoolId, core.now());
  const base = { schoolId: actor.schoolId, period, withSafeguarding: isSafeguardingLead(actor) };

  if (lead) {
    const area = await canonicalArea(core.db, actor.schoolId, lead);
    const { tutors, unassigned } = await loadCaseload(core.db, { ...base, area, tutorStaffId: null }, { attentionLimit: null });
    const sorted = [...tutors].sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
    const where = describeArea(area);
    blocks.push({ type: 'heading', text: `Meetings this term in ${where} (${period.termLabel})` });
    if (sorted.length === 0) {
      blocks.push({ type: 'text', text: `No pupils with a tutor in ${where}.` });
    } else {
      blocks.push({
        type: 'progress',
        items: sorted.slice(0, homeProgressLimit).map((figures) => ({ label: groupLabel(figures), done: figures.metThisTerm, total: figures.dueThisTerm })),
      });
      if (sorted.length > homeProgressLimit)
        blocks.push({ type: 'text', text: `…and ${sorted.length - homeProgressLimit} more tutor groups: say "caseload".` });
      blocks.push({ type: 'text', text: `${openLine(totalsOf(sorted), unassigned)}. Say "caseload" for the details.` });
    }
  } else if (isAdmin(actor)) {
    const unassigned = await unassignedCount(core.db, actor.schoolId, 'school');
    if (unassigned > 0) {
      blocks.push({ type: 'text', text: `${unassigned === 1 ? '1 pupil has' : `${unassigned} pupils have`} no active tutor: say "unassigned" to see who.` });
    }
  }

  if (isTutor) {
    const [own] = await caseloadByTutor(core.db, { ...base, area: 'school', tutorStaffId: actor.staffId });
    if (own) {
      blocks.push(
        { type: 'heading', text: `Your tutor group${own.group ? ` ${own.group}` : ''}` },
        { type: 'progress', items: [{ label: `Met this term (${period.termLabel})`, done: own.metThisTerm, total: own.dueThisTerm }] },
        { type: 'text', text: `${openLine(own, 0)}. Say "caseload me" for the details.` },
      );
    }
  }
  return blocks;
}
