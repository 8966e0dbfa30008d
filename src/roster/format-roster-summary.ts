import type { ApplyRosterResult } from './apply-roster.ts';

/** What `tutorbot import` prints: one line per import, then anything an admin must act on. */
export function formatRosterSummary(summary: ApplyRosterResult & { schoolNames?: string[] }): string {
  const n = (value: number) => value.toLocaleString('en-GB');
  const schools = summary.schoolNames?.length ? summary.schoolNames.join(', ') : `${n(summary.schools)} school${summary.schools === 1 ? '' : 's'}`;
  const { pupils, staff, assignments } = summary;
  const lines: string[] = [];
  if (pupils.added + pupils.changed + pupils.deactivated + staff.added + staff.changed + staff.deactivated + assignments.started + assignments.ended === 0) {
    lines.push(`Imported ${schools}: no changes (${n(pupils.unchanged)} pupils, ${n(staff.unchanged)} staff).`);
  } else {
    lines.push(
      `Imported ${schools}: pupils ${n(pupils.added)} added, ${n(pupils.changed)} changed, ${n(pupils.deactivated)} deactivated, ${n(pupils.unchanged)} unchanged; ` +
        `staff ${n(staff.added)} added, ${n(staff.changed)} changed, ${n(staff.deactivated)} deactivated, ${n(staff.unchanged)} unchanged; ` +
        `tutor changes ${n(assignments.changed)} (assignments ${n(assignments.started)} started, ${n(assignments.ended)} ended).`,
    );
  }
  if (summary.deactivatedTutorsWithTutees.length > 0) {
    lines.push('These tutors are no longer on the roster but still have tutees; their heads of house or year should reassign them:');
    for (const tutor of summary.deactivatedTutorsWithTutees) {
      lines.push(`- ${tutor.displayName} (${tutor.email}): ${n(tutor.tutees)} tutee${tutor.tutees === 1 ? '' : 's'}`);
    }
  }
  return lines.join('\n');
}
