/**
 * Spaces calls per key: Slack allows about one chat.postMessage per second per channel (short
 * bursts are tolerated), so a burst of deliveries to one person goes out a second apart instead
 * of earning a 429. Keys are forgotten once idle, so the map stays small.
 */
export class ChannelPacer {
  readonly #intervalMs: number;
  readonly #next = new Map<string, number>();

  constructor(intervalMs = 1000) {
    this.#intervalMs = intervalMs;
  }

  /** Waits until this key may be used again, and reserves the following slot. */
  async wait(key: string): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.#next.get(key) ?? 0);
    this.#next.set(key, slot + this.#intervalMs);
    if (this.#next.size > 1000) {
      for (const [entry, at] of this.#next) if (at < now) this.#next.delete(entry);
    }
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
