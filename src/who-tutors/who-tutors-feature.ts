import type { Request } from '../core-context.ts';
import type { Feature } from '../feature.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { canSeeNeedsFlags } from '../permissions.ts';
import type { PupilSummary } from '../pupils/pupil-summary.ts';
import { pupilRef, resolvePupil } from '../pupils/resolve-pupil.ts';
import { reply, type Reply } from '../reply.ts';

/** "who tutors <pupil>": the pupil card with the named tutor (docs/product-rules.md). Any member of staff may ask. */
export const pickWhoTutorsAction = 'who_tutors_pick';

export function pupilCard(request: Request, pupil: PupilSummary): Reply {
  const name = pupilDisplayName(pupil);
  const tutor = pupil.tutor && pupil.tutor.active ? `${pupil.tutor.name} (${pupil.tutor.email})` : 'No tutor assigned';
  const fields = [
    { label: 'Year', value: pupil.yearGroup !== null ? String(pupil.yearGroup) : '—' },
    { label: 'Form', value: pupil.form ?? '—' },
    { label: 'House', value: pupil.house ?? '—' },
    { label: 'Tutor', value: tutor },
  ];
  const facts = { yearGroup: pupil.yearGroup, house: pupil.house, tutorStaffId: pupil.tutor?.staffId ?? null };
  if ((pupil.sen || pupil.eal) && canSeeNeedsFlags(request.actor, facts)) {
    fields.push({ label: 'Needs', value: [pupil.sen ? 'SEN' : null, pupil.eal ? 'EAL' : null].filter(Boolean).join(', ') });
  }
  const noTutorNote =
    !pupil.tutor || !pupil.tutor.active ? [{ type: 'text' as const, text: 'This pupil has no active tutor: their head of house or year can assign one.' }] : [];
  // In a shared channel only the name, form and tutor may be shown (docs/product-rules.md, "Privacy on every platform").
  const channelSafe = reply(
    [{ type: 'text', text: `${name} (${pupil.form ?? 'no form'}): tutor ${pupil.tutor?.active ? pupil.tutor.name : 'not assigned'}` }],
    'none',
  );
  return reply([{ type: 'heading', text: name }, { type: 'fields', fields }, ...noTutorNote], 'pupil', channelSafe);
}

export const whoTutorsFeature: Feature = {
  name: 'who-tutors',
  commands: {
    'who-tutors': async (request, intent) => {
      const resolution = await resolvePupil(request, intent.pupil, (pupil) => ({ id: pickWhoTutorsAction, value: pupilRef(pupil.id) }));
      return resolution.ok ? pupilCard(request, resolution.pupil) : resolution.reply;
    },
  },
  actions: {
    [pickWhoTutorsAction]: async (request, value) => {
      const resolution = await resolvePupil(request, value, (pupil) => ({ id: pickWhoTutorsAction, value: pupilRef(pupil.id) }));
      return resolution.ok ? pupilCard(request, resolution.pupil) : resolution.reply;
    },
  },
};
