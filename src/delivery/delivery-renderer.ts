import type { Actor } from '../staff/actor.ts';
import type { CoreContext } from '../core-context.ts';
import type { Reply } from '../reply.ts';

/** A queued message, as its renderer sees it: the subject holds ids, never note text. */
export interface PendingDelivery {
  id: number;
  schoolId: number;
  staffId: number;
  kind: string;
  subject: Record<string, unknown>;
  attempts: number;
}

/**
 * Builds the message at send time from the current state of its subject, so that the text is
 * read (and audited) only when it is actually delivered. Returns null when the message is no
 * longer wanted (e.g. the concern was acknowledged meanwhile): the delivery is cancelled.
 */
export type DeliveryRenderer = (core: CoreContext, delivery: PendingDelivery, recipient: Actor) => Promise<Reply | null>;
