import type { Actor } from '../staff/actor.ts';
import { leadArea } from '../caseload/index.ts';
import { isAdmin, isPastoralLead } from '../permissions.ts';
import type { PupilSummary } from '../pupils/pupil-summary.ts';
import type { PupilScopeFacts } from '../permissions.ts';

/**
 * Assignment and handover are for admins and for heads of house / year (pupil by pupil, through
 * permissions.canAssign). This is the first gate: whether the actor may assign anybody at all.
 */
export function mayAssignAnyone(actor: Actor): boolean {
  return isAdmin(actor) || (isPastoralLead(actor) && leadArea(actor) !== null);
}

export const assignRefusal =
  'Only admins and heads of house or year can assign tutors. Ask your head of year or house, or the school office, to make the change.';

export function scopeFacts(pupil: Pick<PupilSummary, 'yearGroup' | 'house'> & { tutorStaffId?: number | null }): PupilScopeFacts {
  return { yearGroup: pupil.yearGroup, house: pupil.house, tutorStaffId: pupil.tutorStaffId ?? null };
}

export function needsFlags(pupil: { sen: boolean; eal: boolean }): string {
  return [pupil.sen ? 'SEN' : null, pupil.eal ? 'EAL' : null].filter(Boolean).join(', ');
}
