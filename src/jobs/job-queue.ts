/**
 * The core's port to durable jobs. Production uses pg-boss (pg-boss-queue.ts) on the same
 * database, so a job survives restarts and any instance may run it.
 */
export interface SendOptions {
  /** Do not run before this instant. */
  startAfter?: Date;
  /** At most one queued job with this key: repeated requests collapse into one. */
  singletonKey?: string;
}

export interface JobQueue {
  send(queue: string, data: Record<string, unknown>, options?: SendOptions): Promise<string | null>;
  /** Many jobs for one queue in a few statements (a national reminder sweep kicks 100,000+). */
  sendMany(queue: string, jobs: { data: Record<string, unknown>; options?: SendOptions }[]): Promise<void>;
  cancel(queue: string, jobId: string): Promise<void>;
}

/** For CLI commands that never send jobs (e.g. import): fails loudly if used. */
export const noJobQueue: JobQueue = {
  async send(queue) {
    throw new Error(`No job queue is running; cannot send to ${queue}.`);
  },
  async sendMany(queue) {
    throw new Error(`No job queue is running; cannot send to ${queue}.`);
  },
  async cancel() {},
};
