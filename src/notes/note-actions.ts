import type { Action } from '../reply.ts';
import { noteActionValue } from './note-store.ts';

/**
 * The notes' button ids. A button's value is "note:<id>" (or a pending note's id with a pupil
 * reference): never anything about the pupil, so a value seen in a platform log reveals nothing.
 */
export const noteActionIds = {
  acknowledge: 'note_ack',
  addFollowUp: 'note_followup',
  quickFollowUp: 'note_followup_quick',
  reclassify: 'note_reclassify',
  show: 'note_show',
  pickPupil: 'note_pick_pupil',
  pickNotesPupil: 'notes_pick_pupil',
} as const;

export const followUpFormId = 'note-followup';

export function acknowledgeAction(noteId: number): Action {
  return { id: noteActionIds.acknowledge, label: 'Acknowledge', value: noteActionValue(noteId), style: 'primary' };
}

export function addFollowUpAction(noteId: number): Action {
  return { id: noteActionIds.addFollowUp, label: 'Add follow-up', value: noteActionValue(noteId) };
}

export function reclassifyAction(noteId: number): Action {
  return { id: noteActionIds.reclassify, label: 'Reclassify as safeguarding', value: noteActionValue(noteId), style: 'danger' };
}

export function showNoteAction(noteId: number): Action {
  return { id: noteActionIds.show, label: 'Show', value: noteActionValue(noteId) };
}
