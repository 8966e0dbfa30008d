import { tz } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { pupilDisplayName } from '../names/normalize-name.ts';
import type { PupilSummary } from '../pupils/pupil-summary.ts';
import { describePupil } from '../pupils/resolve-pupil.ts';
import type { NoteRow } from './note-store.ts';

/** How notes are named in messages, so that receipts, cards and lists say the same thing. */
export function noteKindLabel(note: Pick<NoteRow, 'kind' | 'safeguarding'>): string {
  if (note.kind === 'followup') return 'follow-up';
  if (note.kind === 'safeguarding' || note.safeguarding) return 'safeguarding concern';
  return note.kind === 'praise' ? 'success story' : 'concern';
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Amelia Jones (Year 9, form 9A)". */
export function pupilLine(pupil: PupilSummary): string {
  const detail = describePupil(pupil);
  return detail ? `${pupilDisplayName(pupil)} (${detail})` : pupilDisplayName(pupil);
}

export function pupilName(pupil: PupilSummary): string {
  return pupilDisplayName(pupil);
}

/** "Mon 23 Nov 2026, 10:00" in the school's time zone. */
export function formatWhen(instant: Date, timeZone: string): string {
  return format(instant, 'EEE d MMM yyyy, HH:mm', { in: tz(timeZone) });
}
