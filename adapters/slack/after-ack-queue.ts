/**
 * The work Slack requests cause after their ack, a few at a time. Without a bound, a burst of
 * requests would all start work at once and the event loop would spend itself on their replies
 * while new requests wait for their ack (Slack allows 3 s). Each job starts on a fresh turn of the
 * event loop (setImmediate), so acks queued behind it go first; a burst then delays answers,
 * never acknowledgements.
 */
export class AfterAckQueue {
  readonly #concurrency: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(concurrency: number) {
    this.#concurrency = Math.max(1, concurrency);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      return await work();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next job, so the count stays right.
      if (next) next();
      else this.#running -= 1;
    }
  }

  get pending(): number {
    return this.#waiting.length;
  }
}
