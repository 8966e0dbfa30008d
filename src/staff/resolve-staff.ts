import type { Request } from '../core-context.ts';
import { reply, type Reply } from '../reply.ts';
import { findStaff, type StaffCandidate } from './find-staff.ts';

/**
 * Turns what someone typed into one member of their school's staff, or a reply that asks them to
 * choose (buttons carrying `pickAction`) or says nobody matched. Staff names are not pupil data,
 * so these replies may be shown anywhere.
 */
export type StaffResolution = { ok: true; staff: StaffCandidate } | { ok: false; reply: Reply };

export function describeStaff(staff: StaffCandidate): string {
  return staff.active ? staff.email : `${staff.email}, has left`;
}

export async function resolveStaff(
  request: Request,
  query: string,
  pickAction: (staff: StaffCandidate) => { id: string; value: string },
  options: { includeInactive?: boolean; role?: string } = {},
): Promise<StaffResolution> {
  const trimmed = query.trim();
  const what = options.role ?? 'member of staff';
  if (!trimmed) return { ok: false, reply: reply([{ type: 'text', text: `Which ${what}? Write their name, for example "Ms Okafor".` }], 'none') };
  if (trimmed.length > 120) return { ok: false, reply: reply([{ type: 'text', text: 'That is too long to be a name.' }], 'none') };
  const match = await findStaff(request.core.db, request.actor.schoolId, trimmed, { includeInactive: options.includeInactive });
  if (match.kind === 'one') return { ok: true, staff: match.staff };
  if (match.kind === 'several') {
    return {
      ok: false,
      reply: reply(
        [
          {
            type: 'choices',
            prompt: `${match.staff.length} members of staff match "${trimmed}". Which one do you mean?`,
            options: match.staff.map((staff) => ({
              label: staff.displayName,
              detail: describeStaff(staff),
              action: { ...pickAction(staff), label: 'Choose' },
            })),
          },
        ],
        'none',
      ),
    };
  }
  const suggestions = match.suggestions.map((staff) => staff.displayName);
  const text =
    suggestions.length > 0
      ? `No ${what} called "${trimmed}" in your school. Did you mean: ${suggestions.join('; ')}?`
      : `No ${what} called "${trimmed}" in your school. Check the spelling, or try their surname alone.`;
  return { ok: false, reply: reply([{ type: 'text', text }], 'none') };
}
