import { createHash } from 'node:crypto';
import type { Request } from '../core-context.ts';
import type { Feature } from '../feature.ts';
import { getPupilSummary } from '../pupils/pupil-summary.ts';
import { parsePupilRef, pupilRef, resolvePupil } from '../pupils/resolve-pupil.ts';
import { reply, textReply, type Reply } from '../reply.ts';
import { limits, logMeeting, meetingRefusal, pupilFacts, showTargetsAction } from './log-meeting.ts';
import { meetingForm, meetingFormId, meetingFormReply } from './meeting-form.ts';
import { myTuteesReply, openMeetingFormAction, tuteesAction, tutorHomeBlocks } from './my-tutees.ts';
import { meetingNotesReply, pupilTargetsReply, showMeetingNotesAction } from './pupil-targets.ts';
import { canLogMeeting } from '../permissions.ts';

/**
 * Tutor meetings (docs/product-rules.md): `meeting <pupil>: <notes>`, the meeting form, `targets <pupil>`,
 * `tutees`, and the tutor's home section. Reminders live in reminders/, the handbook in handbook/.
 */
const pickForMeetingAction = 'meeting_pick';

// A name that matched several pupils: the notes travel in the button (Slack allows 2,000
// characters), so choosing the pupil logs the meeting without retyping anything.
const maxCarriedValue = 1900;

async function pupilFromRef(request: Request, value: string) {
  const id = parsePupilRef(value.trim());
  if (id === null) return null;
  const pupil = await getPupilSummary(request.core.db, request.actor.schoolId, id);
  return pupil && pupil.active ? pupil : null;
}

const gone = () => textReply('That pupil is not on the roll of your school any more.');

function errorsReply(errors: Record<string, string>): Reply {
  return reply([{ type: 'text', text: Object.values(errors).join('\n') }], 'none');
}

async function logFromText(request: Request, pupilId: number, notes: string, submissionKey: string | null = null): Promise<Reply> {
  const pupil = await getPupilSummary(request.core.db, request.actor.schoolId, pupilId);
  if (!pupil || !pupil.active) return gone();
  const result = await logMeeting(request, pupil, { notes, source: 'text', submissionKey });
  return result.ok ? result.reply : errorsReply(result.errors);
}

export const meetingsFeature: Feature = {
  name: 'meetings',
  commands: {
    meeting: async (request, intent) => {
      if (intent.text.length > limits.notes)
        return textReply(`Keep meeting notes to ${limits.notes} characters (these are ${intent.text.length}); nothing was saved.`);
      const resolution = await resolvePupil(request, intent.pupil, (pupil) => {
        const carried = JSON.stringify({ p: pupil.id, n: intent.text });
        return carried.length <= maxCarriedValue ? { id: pickForMeetingAction, value: carried } : { id: openMeetingFormAction, value: pupilRef(pupil.id) };
      });
      if (!resolution.ok) return resolution.reply;
      if (!canLogMeeting(request.actor, pupilFacts(resolution.pupil))) return meetingRefusal(resolution.pupil);
      return logFromText(request, resolution.pupil.id, intent.text);
    },
    'meeting-form': async (request, intent) => {
      if (!intent.pupil) return meetingFormReply(request, null);
      const resolution = await resolvePupil(request, intent.pupil, (pupil) => ({ id: openMeetingFormAction, value: pupilRef(pupil.id) }));
      return resolution.ok ? meetingFormReply(request, resolution.pupil) : resolution.reply;
    },
    targets: async (request, intent) => {
      const resolution = await resolvePupil(request, intent.pupil, (pupil) => ({ id: showTargetsAction, value: pupilRef(pupil.id) }));
      return resolution.ok ? pupilTargetsReply(request, resolution.pupil) : resolution.reply;
    },
    tutees: async (request) => myTuteesReply(request),
  },
  actions: {
    [pickForMeetingAction]: async (request, value) => {
      let carried: { p?: unknown; n?: unknown };
      try {
        carried = JSON.parse(value) as { p?: unknown; n?: unknown };
      } catch {
        return textReply('That button is out of date. Please type the meeting again.');
      }
      if (typeof carried.p !== 'number' || typeof carried.n !== 'string') return textReply('That button is out of date. Please type the meeting again.');
      // Pressing the same choice twice (or Slack retrying it) logs one meeting.
      const key = `pick:${request.actor.staffId}:${createHash('sha256').update(value).digest('hex').slice(0, 32)}`;
      return logFromText(request, carried.p, carried.n, key);
    },
    [openMeetingFormAction]: async (request, value) => {
      const pupil = await pupilFromRef(request, value);
      return pupil ? meetingFormReply(request, pupil) : gone();
    },
    [showTargetsAction]: async (request, value) => {
      const pupil = await pupilFromRef(request, value);
      return pupil ? pupilTargetsReply(request, pupil) : gone();
    },
    [showMeetingNotesAction]: async (request, value) => {
      const pupil = await pupilFromRef(request, value);
      return pupil ? meetingNotesReply(request, pupil) : gone();
    },
    [tuteesAction]: async (request) => myTuteesReply(request),
  },
  forms: { [meetingFormId]: meetingForm },
  home: tutorHomeBlocks,
};
