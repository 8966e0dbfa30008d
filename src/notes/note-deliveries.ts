import { insertDelivery } from '../delivery/outbox.ts';

/**
 * The notes' outbound messages. They are written in the same transaction as the note (or the
 * escalation) they belong to, so a note never exists without its messages or the other way
 * round; the send is kicked after commit, and the delivery sweep sends any kick that was lost.
 * Subjects hold ids only: the renderers read and audit the text at send time.
 */
export const noteDeliveryKinds = {
  routed: 'note-routed',
  escalated: 'note-escalated',
  safeguardingResend: 'safeguarding-resend',
  acknowledged: 'note-acknowledged',
  reclassified: 'note-reclassified',
  noTutor: 'note-no-tutor',
  noSafeguardingTeam: 'note-no-safeguarding-team',
} as const;

/** Like enqueueDelivery, inside a transaction: returns the new id, or null when the key was already used. */
export const queueNoteDelivery = insertDelivery;

/** Kicks after commit; ids are null where queueNoteDelivery found the message already queued. */
export { kickDeliveries } from '../delivery/outbox.ts';
