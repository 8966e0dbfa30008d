import type { Actor } from '../staff/actor.ts';
import type { CoreContext } from '../core-context.ts';
import type { DeliveryRenderer, PendingDelivery } from '../delivery/delivery-renderer.ts';
import { isSafeguardingLead } from '../permissions.ts';
import { reply, type Reply } from '../reply.ts';
import { noteCard } from './note-card.ts';
import { noteDeliveryKinds } from './note-deliveries.ts';
import { loadNoteDetails, type NoteDetails } from './note-store.ts';
import { capitalise, formatWhen, noteKindLabel, pupilLine, pupilName } from './note-wording.ts';
import { loadSchoolTimeZone } from '../schools/load-school-times.ts';
import { recipientsOf } from './route-note.ts';
import { describePeople } from './note-people.ts';

/**
 * The notes' direct messages, built at send time from the note as it is then: a concern
 * acknowledged meanwhile is not escalated, a concern reclassified as safeguarding is not shown
 * to anyone outside the safeguarding team, and every text put in a message is audited.
 */
async function detailsFor(core: CoreContext, delivery: PendingDelivery): Promise<NoteDetails | null> {
  const noteId = Number(delivery.subject.noteId);
  if (!Number.isSafeInteger(noteId)) return null;
  return loadNoteDetails(core.db, delivery.schoolId, noteId);
}

async function recipientReason(core: CoreContext, noteId: number, staffId: number): Promise<string | null> {
  const row = await core.db.selectFrom('note_recipient').select('reason').where('note_id', '=', noteId).where('staff_id', '=', staffId).executeTakeFirst();
  return row?.reason ?? null;
}

function about(details: NoteDetails): string {
  return details.note.kind === 'praise' ? `for ${pupilName(details.pupil)}` : `about ${pupilName(details.pupil)}`;
}

const routed: DeliveryRenderer = async (core, delivery, recipient) => {
  const details = await detailsFor(core, delivery);
  if (!details) return null;
  const { note, pupil } = details;
  const reason = await recipientReason(core, note.id, recipient.staffId);
  if (!reason || (note.safeguarding && !isSafeguardingLead(recipient))) return null;
  const kind = noteKindLabel(note);
  let intro = `${note.urgency === 'urgent' ? 'Urgent ' : ''}${note.urgency === 'urgent' ? kind : capitalise(kind)} ${about(details)} from ${details.authorName}`;
  if (note.safeguarding) intro += ': for the safeguarding team only';
  else if (reason !== 'tutor' && !(pupil.tutor?.active ?? false)) intro += ` (sent to you because ${pupilName(pupil)} has no active tutor)`;
  return cardReply(core, details, recipient, intro);
};

const escalated: DeliveryRenderer = async (core, delivery, recipient) => {
  const details = await detailsFor(core, delivery);
  if (!details || details.note.acknowledged_at) return null;
  if (details.note.safeguarding && !isSafeguardingLead(recipient)) return null;
  const timeZone = await loadSchoolTimeZone(core.db, delivery.schoolId);
  const level = Number(delivery.subject.level) === 2 ? 'the safeguarding team' : 'head of house/year';
  const intro = `Not yet acknowledged: ${noteKindLabel(details.note)} ${about(details)}, logged ${formatWhen(details.note.created_at, timeZone)}. Escalated to you as ${level}.`;
  return cardReply(core, details, recipient, intro);
};

const safeguardingResend: DeliveryRenderer = async (core, delivery, recipient) => {
  const details = await detailsFor(core, delivery);
  if (!details || details.note.acknowledged_at || !details.note.safeguarding || !isSafeguardingLead(recipient)) return null;
  return cardReply(core, details, recipient, `Reminder: safeguarding concern ${about(details)} is not yet acknowledged by the safeguarding team`);
};

async function cardReply(core: CoreContext, details: NoteDetails, recipient: Actor, intro: string): Promise<Reply> {
  const timeZone = await loadSchoolTimeZone(core.db, details.note.school_id);
  const blocks = await noteCard(core, details, recipient, { intro, channel: 'delivery', isRecipient: true, timeZone });
  return reply(blocks, 'pupil');
}

const acknowledged: DeliveryRenderer = async (core, delivery) => {
  const details = await detailsFor(core, delivery);
  if (!details || !details.note.acknowledged_at) return null;
  const timeZone = await loadSchoolTimeZone(core.db, delivery.schoolId);
  const by = details.note.safeguarding ? `the safeguarding team (${details.acknowledgedByName})` : details.acknowledgedByName;
  const text = `Your ${noteKindLabel(details.note)} ${about(details)} (#${details.note.id}, logged ${formatWhen(details.note.created_at, timeZone)}) was acknowledged by ${by}.`;
  return reply([{ type: 'text', text }], 'pupil');
};

const reclassified: DeliveryRenderer = async (core, delivery) => {
  const details = await detailsFor(core, delivery);
  if (!details || !details.note.safeguarding) return null;
  const text = `The concern you logged ${about(details)} (#${details.note.id}) has been passed to the safeguarding team, who will take it from here.`;
  return reply([{ type: 'text', text }], 'pupil');
};

const noTutor: DeliveryRenderer = async (core, delivery) => {
  const details = await detailsFor(core, delivery);
  if (!details || details.note.safeguarding) return null;
  const people = (await recipientsOf(core.db, details.note.id)).filter((person) => person.reason !== 'escalation' && person.reason !== 'dsl_escalation');
  const went = people.length > 0 ? `it went to ${describePeople(people)} instead` : 'nobody could be found to receive it';
  const text =
    `A ${noteKindLabel(details.note)} ${about(details)} (#${details.note.id}) was logged, but ${pupilLine(details.pupil)} has no active tutor, so ${went}. ` +
    `Please assign a tutor, for example: assign ${pupilName(details.pupil)} to <tutor's name>.`;
  return reply([{ type: 'text', text }], 'pupil');
};

const noSafeguardingTeam: DeliveryRenderer = async (core, delivery) => {
  const details = await detailsFor(core, delivery);
  if (!details) return null;
  // No pupil name: that a child is the subject of a safeguarding concern is itself for the team only.
  const text =
    `A safeguarding concern (reference #${details.note.id}) was logged, but nobody in tutorbot has the DSL or deputy DSL role, so it could not be sent. ` +
    'Give the designated safeguarding lead their role in the roster and import it again; the concern will be there for them.';
  return reply([{ type: 'text', text }], 'none');
};

export const noteRenderers: Record<string, DeliveryRenderer> = {
  [noteDeliveryKinds.routed]: routed,
  [noteDeliveryKinds.escalated]: escalated,
  [noteDeliveryKinds.safeguardingResend]: safeguardingResend,
  [noteDeliveryKinds.acknowledged]: acknowledged,
  [noteDeliveryKinds.reclassified]: reclassified,
  [noteDeliveryKinds.noTutor]: noTutor,
  [noteDeliveryKinds.noSafeguardingTeam]: noSafeguardingTeam,
};
