import type { Kysely } from 'kysely';
import type { Actor } from '../staff/actor.ts';
import type { DB } from '../db/schema.ts';
import type { PupilSummary } from '../pupils/pupil-summary.ts';
import { noteDeliveryKinds, queueNoteDelivery } from './note-deliveries.ts';
import { adminsOf, headsOf, pastoralLeadsOf, safeguardingTeam, uniquePeople, type RoutedPerson } from './note-people.ts';
import type { NoteRow } from './note-store.ts';
import type { LoggedNoteKind } from './notes-tables.ts';

/**
 * Who a new note goes to (docs/product-rules.md, "Concerns and praise"): concerns and praise to the pupil's current
 * tutor, urgent concerns to the heads of house and year as well; with no active tutor, to the
 * heads of house/year (or pastoral leads, or the safeguarding team when there are none) and the
 * admins are told; safeguarding concerns to the DSL and deputies only.
 */
export interface RoutePlan {
  recipients: RoutedPerson[];
  /** The reporter is who it would go to (the tutor writing about a tutee, a DSL): it needs no acknowledging. */
  reporterIsOwner: boolean;
  /** Admins to tell (never the text) that the note could not go where it should. */
  adminAlert: { kind: 'no-tutor' | 'no-safeguarding-team'; adminIds: number[] } | null;
}

export interface RouteInput {
  pupil: PupilSummary;
  kind: LoggedNoteKind;
  urgency: 'routine' | 'urgent' | null;
  reporterStaffId: number;
  /** Active heads, pastoral leads, DSLs and admins of the school (loadRoutingStaff). */
  staff: Actor[];
}

export function planRouting(input: RouteInput): RoutePlan {
  const { pupil, reporterStaffId, staff } = input;
  const admins = adminsOf(staff)
    .map((admin) => admin.staffId)
    .filter((id) => id !== reporterStaffId);
  if (input.kind === 'safeguarding') {
    const team = safeguardingTeam(staff);
    return {
      recipients: team.filter((person) => person.staffId !== reporterStaffId),
      reporterIsOwner: team.some((person) => person.staffId === reporterStaffId),
      adminAlert: team.length === 0 ? { kind: 'no-safeguarding-team', adminIds: admins } : null,
    };
  }
  const tutor = pupil.tutor && pupil.tutor.active ? pupil.tutor : null;
  const heads = headsOf(pupil, staff);
  let owners: RoutedPerson[];
  let people: RoutedPerson[];
  if (tutor) {
    owners = [{ staffId: tutor.staffId, name: tutor.name, reason: 'tutor', roleLabel: 'tutor' }];
    people = input.kind === 'concern' && input.urgency === 'urgent' ? [...owners, ...heads] : owners;
  } else {
    owners = heads.length > 0 ? heads : pastoralLeadsOf(pupil, staff);
    if (owners.length === 0) owners = safeguardingTeam(staff, 'dsl_escalation');
    people = owners;
  }
  return {
    recipients: uniquePeople(people).filter((person) => person.staffId !== reporterStaffId),
    reporterIsOwner: owners.some((person) => person.staffId === reporterStaffId),
    adminAlert: tutor ? null : { kind: 'no-tutor', adminIds: admins },
  };
}

/** Records the recipients and queues their messages, in the note's own transaction. */
export async function applyRouting(trx: Kysely<DB>, now: Date, note: NoteRow, plan: RoutePlan, keyPrefix = 'route'): Promise<number[]> {
  const ids: (number | null)[] = [];
  for (const person of plan.recipients) {
    await addRecipient(trx, note.id, person.staffId, person.reason, now);
    ids.push(
      await queueNoteDelivery(trx, now, {
        schoolId: note.school_id,
        staffId: person.staffId,
        kind: noteDeliveryKinds.routed,
        subject: { noteId: note.id },
        idempotencyKey: `note:${note.id}:${keyPrefix}:${person.staffId}`,
      }),
    );
  }
  if (plan.adminAlert) {
    const kind = plan.adminAlert.kind === 'no-tutor' ? noteDeliveryKinds.noTutor : noteDeliveryKinds.noSafeguardingTeam;
    for (const adminId of plan.adminAlert.adminIds) {
      ids.push(
        await queueNoteDelivery(trx, now, {
          schoolId: note.school_id,
          staffId: adminId,
          kind,
          subject: { noteId: note.id },
          idempotencyKey: `note:${note.id}:admin:${adminId}`,
        }),
      );
    }
  }
  return ids.filter((id): id is number => id !== null);
}

export async function addRecipient(trx: Kysely<DB>, noteId: number, staffId: number, reason: RoutedPerson['reason'], now: Date): Promise<void> {
  await trx
    .insertInto('note_recipient')
    .values({ note_id: noteId, staff_id: staffId, reason, added_at: now })
    .onConflict((conflict) => conflict.columns(['note_id', 'staff_id']).doNothing())
    .execute();
}

export async function isNoteRecipient(db: Kysely<DB>, noteId: number, staffId: number): Promise<boolean> {
  const row = await db.selectFrom('note_recipient').select('staff_id').where('note_id', '=', noteId).where('staff_id', '=', staffId).executeTakeFirst();
  return row !== undefined;
}

const reasonLabels: Record<RoutedPerson['reason'], string> = {
  tutor: 'tutor',
  head_of_house: 'head of house',
  head_of_year: 'head of year',
  pastoral_lead: 'pastoral lead',
  safeguarding: 'safeguarding team',
  escalation: 'escalated: head of house/year',
  dsl_escalation: 'escalated: safeguarding team',
};

/** The recipients of a saved note, for a receipt given again (a repeated command or button). */
export async function recipientsOf(db: Kysely<DB>, noteId: number): Promise<RoutedPerson[]> {
  const rows = await db
    .selectFrom('note_recipient as r')
    .innerJoin('staff as s', 's.id', 'r.staff_id')
    .select(['r.staff_id', 'r.reason', 's.display_name'])
    .where('r.note_id', '=', noteId)
    .orderBy('r.added_at')
    .orderBy('r.staff_id')
    .execute();
  return rows.map((row) => ({ staffId: row.staff_id, name: row.display_name, reason: row.reason, roleLabel: reasonLabels[row.reason] }));
}
