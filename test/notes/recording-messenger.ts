import type { Messenger } from '../../src/delivery/messenger.ts';
import type { Reply } from '../../src/reply.ts';

/**
 * The recipients' side of a platform, for tests: everyone is reachable, and every message sent
 * is kept so a test can read exactly what each person received. The database stays real.
 */
export interface RecordedMessage {
  staffId: number;
  deliveryId: number;
  reply: Reply;
}

export class RecordingMessenger implements Messenger {
  readonly platform = 'console' as const;
  readonly sent: RecordedMessage[] = [];

  async resolveAddress(_db: unknown, contact: { staffId: number }) {
    return { staffId: contact.staffId };
  }

  async send(address: Record<string, unknown>, reply: Reply, meta: { deliveryId: number }) {
    this.sent.push({ staffId: Number(address.staffId), deliveryId: meta.deliveryId, reply });
    return { ref: { n: this.sent.length } };
  }

  to(staffId: number): RecordedMessage[] {
    return this.sent.filter((message) => message.staffId === staffId);
  }

  clear(): void {
    this.sent.length = 0;
  }
}
