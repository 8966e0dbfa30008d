import type { CoreContext } from '../core-context.ts';

/**
 * The durable jobs behind escalation and safeguarding re-sends. A note row stores when its next
 * step is due (next_escalation_at, next_resend_at) and the pg-boss job id; the job carries only
 * the note id. Handlers re-check the row, so a job that runs late, twice, or after the concern
 * was acknowledged does nothing wrong, and the sweep (notes-sweep) catches any job that was lost.
 */
export const escalateQueue = 'note-escalate';
export const resendQueue = 'safeguarding-resend';
export const sweepQueue = 'notes-sweep';

/** Sends a job; a queue that is down is logged, not fatal: the sweep will find the due note. */
export async function scheduleNoteJob(
  core: CoreContext,
  queue: string,
  data: { noteId: number; schoolId: number; step: string },
  startAfter: Date,
): Promise<string | null> {
  try {
    return await core.queue.send(queue, data, { startAfter, singletonKey: `note:${data.noteId}:${queue}:${data.step}` });
  } catch (error) {
    core.log.warn('note_job_not_scheduled', { queue, noteId: data.noteId, error: (error as Error).message });
    return null;
  }
}

export async function cancelNoteJob(core: CoreContext, queue: string, jobId: string | null): Promise<void> {
  if (!jobId) return;
  try {
    await core.queue.cancel(queue, jobId);
  } catch (error) {
    // The handler no-ops on an acknowledged note anyway; cancelling only saves it a wake-up.
    core.log.debug('note_job_not_cancelled', { queue, jobId, error: (error as Error).message });
  }
}

export async function rememberJobId(core: CoreContext, noteId: number, column: 'escalation_job_id' | 'resend_job_id', jobId: string | null): Promise<void> {
  if (!jobId) return;
  await core.db
    .updateTable('note')
    .set({ [column]: jobId } as never)
    .where('id', '=', noteId)
    .execute();
}
