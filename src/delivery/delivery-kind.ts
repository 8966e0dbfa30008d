import type { CoreContext } from '../core-context.ts';
import type { DeliveryRenderer, PendingDelivery } from './delivery-renderer.ts';

/**
 * A kind of outbound message, as the feature that owns it registers it: how it is rendered at
 * send time and, optionally, when a failed send may be tried again. The delivery service knows
 * kinds only through these, never by their names.
 */
export interface DeliveryKind {
  render: DeliveryRenderer;
  /** Without one, a retry comes back when the service proposes (its backoff, or the platform's Retry-After). */
  retryAt?: RetryRule;
}

/**
 * Decides when a failed send is tried again, given the moment the service proposes. A rule
 * should only keep or delay that moment (a platform's Retry-After must still be honoured), e.g.
 * to keep a message to the hours it was planned for.
 */
export type RetryRule = (core: CoreContext, delivery: PendingDelivery, proposedRetryAt: Date) => Promise<Date>;
