import type { Feature } from '../feature.ts';
import { acknowledgeFromButton } from './acknowledge-note.ts';
import { addQuickFollowUp, followUpForm, offerFollowUp } from './add-follow-up.ts';
import { escalateNote } from './escalate-note.ts';
import { followUpFormId, noteActionIds } from './note-actions.ts';
import { chronologyFromButton, notesCommand } from './note-chronology.ts';
import { noteCommand, pickPupilForNote } from './note-commands.ts';
import { noteFormCommand, noteForms } from './note-forms.ts';
import { escalateQueue, resendQueue, sweepQueue } from './note-jobs.ts';
import { noteRenderers } from './note-renderers.ts';
import { notesHome, showNote } from './notes-home.ts';
import { sweepNotes } from './notes-sweep.ts';
import { reclassifyFromButton } from './reclassify-note.ts';
import { resendSafeguardingNote } from './safeguarding-resend.ts';

/** Concerns and success stories (docs/product-rules.md): logged, routed, acknowledged, escalated, and kept. */
function ids(data: Record<string, unknown>): { schoolId: number; noteId: number } | null {
  const schoolId = Number(data.schoolId);
  const noteId = Number(data.noteId);
  return Number.isSafeInteger(schoolId) && Number.isSafeInteger(noteId) ? { schoolId, noteId } : null;
}

export const notesFeature: Feature = {
  name: 'notes',
  commands: {
    note: noteCommand,
    'note-form': noteFormCommand,
    notes: notesCommand,
  },
  actions: {
    [noteActionIds.pickPupil]: pickPupilForNote,
    [noteActionIds.acknowledge]: acknowledgeFromButton,
    [noteActionIds.addFollowUp]: offerFollowUp,
    [noteActionIds.quickFollowUp]: addQuickFollowUp,
    [noteActionIds.reclassify]: reclassifyFromButton,
    [noteActionIds.show]: showNote,
    [noteActionIds.pickNotesPupil]: chronologyFromButton,
  },
  forms: { ...noteForms, [followUpFormId]: followUpForm },
  // No retry rule: someone is waiting for a concern, so a failed send comes back as soon as the backoff allows.
  deliveries: Object.fromEntries(Object.entries(noteRenderers).map(([kind, render]) => [kind, { render }])),
  jobs: {
    [escalateQueue]: async (core, data) => {
      const job = ids(data);
      if (job) await escalateNote(core, job.schoolId, job.noteId);
    },
    [resendQueue]: async (core, data) => {
      const job = ids(data);
      if (job) await resendSafeguardingNote(core, job.schoolId, job.noteId);
    },
    [sweepQueue]: async (core) => void (await sweepNotes(core)),
  },
  schedules: [{ queue: sweepQueue, cron: '*/5 * * * *' }],
  home: notesHome,
};
