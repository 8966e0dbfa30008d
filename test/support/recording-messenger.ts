import type { Messenger } from '../../src/delivery/messenger.ts';
import type { Reply } from '../../src/reply.ts';

/**
 * The recipients' side of a chat platform, for tests: everyone is reachable, every message is
 * kept (with the test clock's time) so a test can read exactly what each person received, and findSent answers from what was kept, as Slack
 * message metadata would after a crash. `crashAfterSend` makes the next send reach the person
 * and then never return, like a process killed before it recorded the send.
 */
export interface RecordedMessage {
  staffId: number;
  deliveryId: number;
  at: Date;
  reply: Reply;
}

export class RecordingMessenger implements Messenger {
  readonly platform = 'console' as const;
  readonly sent: RecordedMessage[] = [];
  readonly now: () => Date;
  crashAfterSend = false;

  constructor(now: () => Date = () => new Date()) {
    this.now = now;
  }

  async resolveAddress(_db: unknown, contact: { staffId: number }) {
    return { staffId: contact.staffId };
  }

  async send(address: Record<string, unknown>, reply: Reply, meta: { deliveryId: number }) {
    this.sent.push({ staffId: Number(address.staffId), deliveryId: meta.deliveryId, at: this.now(), reply });
    if (this.crashAfterSend) {
      this.crashAfterSend = false;
      return new Promise<never>(() => {});
    }
    return { ref: { deliveryId: meta.deliveryId } };
  }

  async findSent(_address: Record<string, unknown>, meta: { deliveryId: number }) {
    return this.sent.some((message) => message.deliveryId === meta.deliveryId) ? { ref: { deliveryId: meta.deliveryId } } : null;
  }

  to(staffId: number): RecordedMessage[] {
    return this.sent.filter((message) => message.staffId === staffId);
  }

  clear(): void {
    this.sent.length = 0;
  }
}
