import { TutorbotError } from '../errors.ts';
import type { AddressBook } from '../platforms/address-book.ts';
import type { Surface } from '../platforms/chat-platform.ts';
import type { Reply } from '../reply.ts';
import type { SendPace } from './send-pacer.ts';

/**
 * The port each platform adapter implements so the core can reach a member of staff directly.
 * The core picks the first messenger that can address the person; SDK types stay in the adapter.
 */
export interface StaffContact {
  staffId: number;
  schoolId: number;
  email: string;
}

export type MessengerAddress = Record<string, unknown>;

export interface SentMessage {
  /** Enough for the adapter to update the message in place later (channel + ts, activity id…). */
  ref: Record<string, unknown>;
}

export interface Messenger {
  /** Only the CLI has no messenger: it answers its one command and exits. */
  readonly platform: Exclude<Surface, 'cli'>;
  /**
   * What it means, in words an admin can act on, when resolveAddress finds nobody: kept with a
   * held message so `tutorbot unreachable` says why (Teams: the app is not installed for them).
   */
  readonly notFoundMeans?: string;
  /**
   * The platform's rate for sends to this address's scope (a Slack workspace, a Teams tenant),
   * kept by every instance together through the database; none means unpaced (the console).
   */
  pace?(address: MessengerAddress): SendPace;
  /** Where to reach this person (from the address book, or learnt into it), or null when this platform cannot reach them (yet). */
  resolveAddress(addresses: AddressBook, contact: StaffContact): Promise<MessengerAddress | null>;
  send(address: MessengerAddress, message: Reply, meta: { deliveryId: number }): Promise<SentMessage>;
  /**
   * After a crash between sending and recording, whether this delivery already reached the
   * person (e.g. Slack message metadata). Without it, a stale send is retried.
   */
  findSent?(address: MessengerAddress, meta: { deliveryId: number }): Promise<SentMessage | null>;
  /** Replace a sent message in place (e.g. "Acknowledged by …"). */
  update?(ref: Record<string, unknown>, message: Reply): Promise<void>;
}

/** A failed send. `retryable` failures are tried again after `retryAfterSeconds` or a backoff. */
export class DeliveryFailure extends TutorbotError {
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | null;
  /** The person cannot be reached on this platform (blocked the bot, not installed). */
  readonly unreachable: boolean;

  constructor(message: string, options: { retryable: boolean; retryAfterSeconds?: number | null; unreachable?: boolean; cause?: unknown }) {
    super('tutorbot_delivery_failed', message, { cause: options.cause });
    this.retryable = options.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
    this.unreachable = options.unreachable ?? false;
  }
}
