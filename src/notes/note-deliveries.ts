import type { Kysely } from 'kysely';
import type { CoreContext } from '../core-context.ts';
import type { DB } from '../db/schema.ts';
import { kickDelivery, type OutboundMessage } from '../delivery/outbox.ts';

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
export async function queueNoteDelivery(trx: Kysely<DB>, now: Date, message: OutboundMessage): Promise<number | null> {
  const inserted = await trx
    .insertInto('delivery')
    .values({
      school_id: message.schoolId,
      staff_id: message.staffId,
      kind: message.kind,
      subject: JSON.stringify(message.subject),
      idempotency_key: message.idempotencyKey,
      not_before: message.notBefore ?? now,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted ? inserted.id : null;
}

export async function kickDeliveries(core: CoreContext, ids: (number | null)[]): Promise<void> {
  for (const id of ids) if (id !== null) await kickDelivery(core, id);
}
