import type { Request } from '../core-context.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { reply, type Reply } from '../reply.ts';
import { findPupils } from './find-pupils.ts';
import { getPupilSummary, type PupilSummary } from './pupil-summary.ts';

/**
 * Turns what someone typed into one pupil of their school, or a reply that asks them to choose
 * (a disambiguation list whose buttons carry `pickAction`) or says nobody matched.
 * A reference of the form "#pupil:123" (from a button or a form's pupil picker) is taken by id,
 * and only within the asker's school.
 */
export type PupilResolution = { ok: true; pupil: PupilSummary } | { ok: false; reply: Reply };

export const pupilRefPrefix = '#pupil:';

export function pupilRef(pupilId: number): string {
  return `${pupilRefPrefix}${pupilId}`;
}

export function parsePupilRef(value: string): number | null {
  if (!value.startsWith(pupilRefPrefix)) return null;
  const id = Number(value.slice(pupilRefPrefix.length));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function describePupil(pupil: PupilSummary): string {
  const parts = [pupil.yearGroup !== null ? `Year ${pupil.yearGroup}` : null, pupil.form ? `form ${pupil.form}` : null];
  return parts.filter(Boolean).join(', ');
}

export async function resolvePupil(
  request: Request,
  query: string,
  pickAction: (pupil: PupilSummary) => { id: string; value: string },
): Promise<PupilResolution> {
  const { core, actor } = request;
  const byId = parsePupilRef(query.trim());
  if (byId !== null) {
    const pupil = await getPupilSummary(core.db, actor.schoolId, byId);
    if (pupil && pupil.active) return { ok: true, pupil };
    return { ok: false, reply: reply([{ type: 'text', text: 'That pupil is not on the roll of your school any more.' }], 'none') };
  }
  const trimmed = query.trim();
  if (!trimmed) {
    return { ok: false, reply: reply([{ type: 'text', text: 'Which pupil? Write their name, for example "who tutors Amelia Jones".' }], 'none') };
  }
  if (trimmed.length > 120) {
    return { ok: false, reply: reply([{ type: 'text', text: "That is too long to be a name: write the pupil's name, then a colon and your note." }], 'none') };
  }
  const match = await findPupils(core.db, actor.schoolId, trimmed);
  if (match.kind === 'one') return { ok: true, pupil: match.pupil };
  if (match.kind === 'several') {
    return {
      ok: false,
      reply: reply(
        [
          {
            type: 'choices',
            prompt: `${match.pupils.length} pupils match "${trimmed}". Which one do you mean?`,
            options: match.pupils.map((pupil) => {
              const action = pickAction(pupil);
              return { label: pupilDisplayName(pupil), detail: describePupil(pupil), action: { ...action, label: 'Choose' } };
            }),
          },
        ],
        'pupil',
      ),
    };
  }
  const suggestions = match.suggestions.map((pupil) => `${pupilDisplayName(pupil)} (${describePupil(pupil)})`);
  const text =
    suggestions.length > 0
      ? `No pupil called "${trimmed}" in your school. Did you mean: ${suggestions.join('; ')}?`
      : `No pupil called "${trimmed}" in your school. Check the spelling, or try their surname alone.`;
  return { ok: false, reply: reply([{ type: 'text', text }], suggestions.length > 0 ? 'pupil' : 'none') };
}
