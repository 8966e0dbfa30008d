import { sql } from 'kysely';
import { localDateOf } from '../calendar/index.ts';
import { getStaff } from '../staff/find-staff.ts';
import type { CoreContext } from '../core-context.ts';
import type { DeliveryRenderer } from '../delivery/delivery-renderer.ts';
import { enqueueDelivery } from '../delivery/outbox.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { isAdmin, isWholeSchoolLead, leadsPupil } from '../permissions.ts';
import { selectPupilSummaries, toPupilSummary } from '../pupils/pupil-summary.ts';
import { reply } from '../reply.ts';
import { loadSchoolTimeZone } from '../schools/load-school-times.ts';

/**
 * A roster import deactivated a tutor who still has tutees: the pupils keep that tutor on record
 * (history is not rewritten) but nobody is looking after them. Their heads of house and year are
 * told the same day, once per leaver per recipient per day, with the pupils they lead and the
 * command that moves them. With no head of house/year to tell, whole-school pastoral leads are
 * told, and failing those the school's admins.
 */
export const tutorLeftKind = 'tutor-left-with-tutees';

export async function notifyDeactivatedTutors(core: CoreContext, list: { schoolId: number; staffId: number }[]): Promise<number> {
  let queued = 0;
  for (const { schoolId, staffId } of list) {
    const day = localDateOf(core.now(), await loadSchoolTimeZone(core.db, schoolId));
    const recipients = await recipientsFor(core, schoolId, staffId);
    for (const recipientId of recipients) {
      const result = await enqueueDelivery(core, {
        schoolId,
        staffId: recipientId,
        kind: tutorLeftKind,
        subject: { leaverStaffId: staffId },
        idempotencyKey: `tutor-left:${schoolId}:${staffId}:${recipientId}:${day}`,
      });
      if (result.created) queued += 1;
    }
    core.log.info('deactivated_tutor_notified', { schoolId, staffId, recipients: recipients.length });
  }
  return queued;
}

async function recipientsFor(core: CoreContext, schoolId: number, leaverId: number): Promise<number[]> {
  const leads = await sql<{ id: number }>`
    SELECT s.id FROM staff s
    WHERE s.school_id = ${schoolId} AND s.active AND s.id <> ${leaverId}
      AND EXISTS (
        SELECT 1 FROM tutor_assignment ta JOIN pupil p ON p.id = ta.pupil_id
        WHERE ta.staff_id = ${leaverId} AND ta.valid_to IS NULL AND p.active AND (
          (('head_of_year' = ANY(s.roles) OR 'pastoral_lead' = ANY(s.roles)) AND p.year_group = ANY(s.year_scope))
          OR (('head_of_house' = ANY(s.roles) OR 'pastoral_lead' = ANY(s.roles))
              AND EXISTS (SELECT 1 FROM unnest(s.house_scope) AS h(house) WHERE lower(h.house) = lower(p.house)))))
    ORDER BY s.id`.execute(core.db);
  if (leads.rows.length > 0) return leads.rows.map((row) => row.id);
  for (const role of ['pastoral_lead', 'admin'] as const) {
    const rows = await sql<{ id: number }>`
      SELECT id FROM staff
      WHERE school_id = ${schoolId} AND active AND id <> ${leaverId} AND ${role} = ANY(roles)
        AND (${role} <> 'pastoral_lead' OR (cardinality(year_scope) = 0 AND cardinality(house_scope) = 0))
      ORDER BY id`.execute(core.db);
    if (rows.rows.length > 0) return rows.rows.map((row) => row.id);
  }
  return [];
}

export const renderTutorLeft: DeliveryRenderer = async (core, delivery, recipient) => {
  const leaverId = Number(delivery.subject.leaverStaffId);
  if (!Number.isSafeInteger(leaverId)) return null;
  const leaver = await getStaff(core.db, delivery.schoolId, leaverId);
  // Back in the roster, or already handed over: nothing to ask of anyone.
  if (!leaver || leaver.active) return null;
  const rows = await selectPupilSummaries(core.db)
    .where('p.school_id', '=', delivery.schoolId)
    .where('p.active', '=', true)
    .where('ta.staff_id', '=', leaverId)
    .orderBy('p.year_group')
    .orderBy('p.form')
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
  const seesAll = isAdmin(recipient) || isWholeSchoolLead(recipient);
  const pupils = rows
    .map(toPupilSummary)
    .filter((pupil) => seesAll || leadsPupil(recipient, { yearGroup: pupil.yearGroup, house: pupil.house, tutorStaffId: leaverId }));
  if (pupils.length === 0) return null;
  const shown = pupils.slice(0, 40);
  const others = rows.length - pupils.length;
  return reply(
    [
      { type: 'heading', text: `${leaver.displayName} has left and still tutors ${pupils.length} of your pupils` },
      {
        type: 'text',
        text: `Today's roster import made ${leaver.displayName} inactive, but these pupils have no other tutor yet, so nobody receives their concerns or meeting reminders.`,
      },
      {
        type: 'table',
        columns: ['Pupil', 'Year', 'Form', 'House'],
        rows: shown.map((pupil) => [pupilDisplayName(pupil), pupil.yearGroup !== null ? String(pupil.yearGroup) : '—', pupil.form ?? '—', pupil.house ?? '—']),
      },
      ...(pupils.length > shown.length ? [{ type: 'text' as const, text: `…and ${pupils.length - shown.length} more.` }] : []),
      {
        type: 'text',
        text:
          `Move the whole group with "handover ${leaver.displayName} to <colleague>", or one pupil with "assign <pupil> to <colleague>: <reason>".` +
          (others > 0
            ? ` ${others} other tutee${others === 1 ? ' is' : 's are'} outside the pupils you lead; their heads of house or year have been told.`
            : ''),
      },
    ],
    'pupil',
  );
};
