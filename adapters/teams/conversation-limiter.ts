/**
 * Keeps sends to one Teams conversation within the platform's per-bot, per-conversation limits
 * (7 per second, 8 per 2 s, 60 per 30 s, 1,800 per hour). A short wait is absorbed here; a long
 * one is refused with the time to come back, so a durable job retries later instead of holding
 * a worker. The state is per process: several instances each keep their own, which the platform's
 * 429 (handled as retryable) still covers.
 */
export interface LimitWindow {
  milliseconds: number;
  max: number;
}

export const teamsConversationLimits: LimitWindow[] = [
  { milliseconds: 1_000, max: 7 },
  { milliseconds: 2_000, max: 8 },
  { milliseconds: 30_000, max: 60 },
  { milliseconds: 3_600_000, max: 1_800 },
];

export class ConversationBusy extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`This Teams conversation is at its send limit; try again in ${retryAfterSeconds} s.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ConversationLimiter {
  readonly #windows: LimitWindow[];
  readonly #maxWaitMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #sent = new Map<string, number[]>();
  readonly #longest: number;
  #acquired = 0;

  constructor(options: { windows?: LimitWindow[]; maxWaitMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {}) {
    this.#windows = options.windows ?? teamsConversationLimits;
    this.#maxWaitMs = options.maxWaitMs ?? 3_000;
    this.#now = options.now ?? (() => Date.now());
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#longest = Math.max(...this.#windows.map((window) => window.milliseconds));
  }

  /** How long a send to this conversation must wait now (0: go ahead). */
  waitFor(conversationId: string): number {
    const now = this.#now();
    const sent = this.#prune(conversationId, now);
    let wait = 0;
    for (const window of this.#windows) {
      const inWindow = sent.filter((at) => at > now - window.milliseconds);
      if (inWindow.length >= window.max) {
        // The oldest send that keeps the window full must leave it first.
        const leaving = inWindow[inWindow.length - window.max];
        wait = Math.max(wait, leaving + window.milliseconds - now + 1);
      }
    }
    return wait;
  }

  /** Waits for a free slot (briefly) and takes it, or throws ConversationBusy. */
  async acquire(conversationId: string): Promise<void> {
    for (;;) {
      const wait = this.waitFor(conversationId);
      if (wait === 0) break;
      if (wait > this.#maxWaitMs) throw new ConversationBusy(Math.ceil(wait / 1000));
      await this.#sleep(wait);
    }
    const sent = this.#sent.get(conversationId) ?? [];
    sent.push(this.#now());
    this.#sent.set(conversationId, sent);
    // Forget quiet conversations now and then, so the map does not grow with every person ever messaged.
    if (++this.#acquired % 1_000 === 0) for (const key of [...this.#sent.keys()]) this.#prune(key, this.#now());
  }

  #prune(conversationId: string, now: number): number[] {
    const sent = this.#sent.get(conversationId);
    if (!sent) return [];
    const kept = sent.filter((at) => at > now - this.#longest);
    if (kept.length === 0) this.#sent.delete(conversationId);
    else this.#sent.set(conversationId, kept);
    return kept;
  }
}
