import { localDateOf } from '../calendar/index.ts';
import { getStaff } from '../staff/find-staff.ts';
import { openItemsForPupils } from '../caseload/index.ts';
import type { DeliveryRenderer } from '../delivery/delivery-renderer.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { selectPupilSummaries, toPupilSummary } from '../pupils/pupil-summary.ts';
import { reply } from '../reply.ts';
import { loadSchoolTimeZone } from '../schools/load-school-times.ts';
import { needsFlags } from './may-assign.ts';

/**
 * The message a tutor gets when pupils are assigned or handed over to them: who, from whom, and
 * what is still open for each (counts, never note text; "notes <pupil>" shows the rest, audited).
 * Rendered at send time from ids: a pupil who has moved on again by then is left out, and if
 * none is left the message is not sent.
 */
export const tuteesReceivedKind = 'tutees-received';

export const renderTuteesReceived: DeliveryRenderer = async (core, delivery, recipient) => {
  const ids = Array.isArray(delivery.subject.pupilIds) ? delivery.subject.pupilIds.map(Number).filter(Number.isSafeInteger) : [];
  if (ids.length === 0) return null;
  const rows = await selectPupilSummaries(core.db)
    .where('p.school_id', '=', delivery.schoolId)
    .where('p.id', 'in', ids)
    .where('p.active', '=', true)
    .where('ta.staff_id', '=', recipient.staffId)
    .orderBy('p.year_group')
    .orderBy('p.form')
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
  const pupils = rows.map(toPupilSummary);
  if (pupils.length === 0) return null;
  const today = localDateOf(core.now(), await loadSchoolTimeZone(core.db, delivery.schoolId));
  const open = await openItemsForPupils(
    core.db,
    delivery.schoolId,
    pupils.map((pupil) => pupil.id),
    today,
  );
  const fromId = Number(delivery.subject.fromStaffId);
  const byId = Number(delivery.subject.byStaffId);
  const from = Number.isSafeInteger(fromId) && fromId > 0 ? await getStaff(core.db, delivery.schoolId, fromId) : null;
  const by = Number.isSafeInteger(byId) && byId > 0 ? await getStaff(core.db, delivery.schoolId, byId) : null;
  const count = `${pupils.length} new tutee${pupils.length === 1 ? '' : 's'}`;
  const origin = [from ? `from ${from.displayName}` : null, by ? `assigned by ${by.displayName}` : null].filter(Boolean).join(', ');
  return reply(
    [
      { type: 'heading', text: `You have ${count}` },
      { type: 'text', text: `${origin ? `${origin[0].toUpperCase()}${origin.slice(1)}. ` : ''}You are now their named tutor.` },
      {
        type: 'table',
        columns: ['Pupil', 'Year', 'Form', 'Needs', 'Open concerns', 'Open targets', 'Targets overdue'],
        rows: pupils.map((pupil) => {
          const items = open.get(pupil.id)!;
          return [
            pupilDisplayName(pupil),
            pupil.yearGroup !== null ? String(pupil.yearGroup) : '—',
            pupil.form ?? '—',
            needsFlags(pupil) || '—',
            String(items.openConcerns),
            String(items.openTargets),
            String(items.targetsOverdue),
          ];
        }),
      },
      { type: 'text', text: 'Say "notes <pupil>" to read a pupil\'s concerns and "targets <pupil>" for their targets.' },
    ],
    'pupil',
  );
};
