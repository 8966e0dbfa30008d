import type { Messenger } from '../../src/delivery/messenger.ts';
import type { Reply } from '../../src/reply.ts';

/**
 * Delivers direct messages to the person chatting in the console, for the demo and for schools
 * trying tutorbot before connecting Slack or Teams. Anyone else is unreachable here, so their
 * messages stay queued until they open a console chat (or a platform can reach them).
 */
export class ConsoleMessenger implements Messenger {
  readonly platform = 'console' as const;
  #session: { staffId: number; print: (message: Reply) => void } | null = null;

  attach(staffId: number, print: (message: Reply) => void): void {
    this.#session = { staffId, print };
  }

  detach(): void {
    this.#session = null;
  }

  async resolveAddress(_db: unknown, contact: { staffId: number }) {
    return this.#session?.staffId === contact.staffId ? { staffId: contact.staffId } : null;
  }

  async send(address: Record<string, unknown>, message: Reply) {
    if (!this.#session || this.#session.staffId !== address.staffId) throw new Error('console session ended');
    this.#session.print(message);
    return { ref: { console: true } };
  }
}
