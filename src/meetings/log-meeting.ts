import { recordAudit } from '../audit/record-audit.ts';
import { addSchoolDays, isLocalDate, localDateOf, type SchoolCalendar } from '../calendar/index.ts';
import type { Request } from '../core-context.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { canLogMeeting } from '../permissions.ts';
import type { PupilSummary } from '../pupils/pupil-summary.ts';
import { pupilRef } from '../pupils/resolve-pupil.ts';
import { reply, type Block, type Reply } from '../reply.ts';
import { daysBetween, displayDay, shiftDate } from './local-days.ts';
import { loadSchoolTimes } from '../schools/load-school-times.ts';
import { meetingTimes } from './meeting-times.ts';
import { termForMeeting, termTitle } from './meeting-policy.ts';
import { insertMeeting, insertTarget, loadTargets } from './meeting-store.ts';
import type { TargetOutcome } from './meetings-tables.ts';

/**
 * Logs a tutor meeting with its targets and the review of the pupil's open targets, in one
 * transaction. Used by `meeting <pupil>: <notes>` and by the meeting form; both get the same
 * checks, and a problem names the form field to correct.
 */
export const limits = { notes: 3000, place: 100, target: 200, targets: 3 } as const;

export const showTargetsAction = 'meeting_targets_show';

export interface MeetingDraft {
  heldOn?: string | null;
  place?: string | null;
  notes: string;
  covered?: string[];
  contactsGiven?: string[];
  targets?: { text: string; reviewOn?: string | null; field: string }[];
  reviews?: { targetId: number; outcome: TargetOutcome }[];
  source: 'text' | 'form';
  submissionKey?: string | null;
}

export type LogMeetingResult = { ok: true; reply: Reply; meetingId: number } | { ok: false; errors: Record<string, string> };

export function pupilFacts(pupil: PupilSummary) {
  return { yearGroup: pupil.yearGroup, house: pupil.house, tutorStaffId: pupil.tutor?.staffId ?? null };
}

/** The refusal everyone who may not log a meeting for this pupil gets, naming who may. */
export function meetingRefusal(pupil: PupilSummary): Reply {
  return reply(
    [{ type: 'text', text: `Only ${pupilDisplayName(pupil)}'s tutor, their head of house or year, or the safeguarding team can log a meeting with them.` }],
    'none',
  );
}

/** Review dates default to six school weeks after the meeting (or six calendar weeks past the calendar's end). */
export function defaultReviewDate(calendar: SchoolCalendar, heldOn: string): string {
  try {
    return addSchoolDays(calendar, heldOn, 30);
  } catch {
    return shiftDate(heldOn, 42);
  }
}

export async function logMeeting(request: Request, pupil: PupilSummary, draft: MeetingDraft): Promise<LogMeetingResult> {
  const { core, actor, channel } = request;
  if (!canLogMeeting(actor, pupilFacts(pupil))) return { ok: false, errors: { pupil: meetingRefusal(pupil).text } };
  const now = core.now();
  const times = await loadSchoolTimes(core.db, actor.schoolId, now, meetingTimes);
  const today = localDateOf(now, times.calendar.timeZone);
  const errors: Record<string, string> = {};

  const heldOn = draft.heldOn?.trim() || today;
  if (!isLocalDate(heldOn)) errors.held_on = 'Write the date as YYYY-MM-DD, e.g. 2026-11-23.';
  else if (heldOn > today) errors.held_on = 'A meeting cannot be logged before it happens: choose today or an earlier day.';
  else if (daysBetween(heldOn, today) > 366) errors.held_on = 'That is more than a year ago; choose a date in the last twelve months.';
  const term = errors.held_on ? undefined : termForMeeting(times.calendar, heldOn);
  if (!errors.held_on && !term)
    errors.held_on = 'The school calendar has no term near that date; an admin can import term dates with `tutorbot calendar import FILE`.';

  const notes = draft.notes.trim();
  if (!notes) errors.notes = 'Write a few words about the meeting.';
  else if (notes.length > limits.notes) errors.notes = `Keep the notes to ${limits.notes} characters (they are ${notes.length}).`;
  const place = draft.place?.trim() || null;
  if (place && place.length > limits.place) errors.place = `Keep the place to ${limits.place} characters.`;

  const targets = (draft.targets ?? []).map((target) => ({ ...target, text: target.text.trim() })).filter((target) => target.text);
  if (targets.length > limits.targets) errors[targets[limits.targets].field] = `Set at most ${limits.targets} targets in one meeting.`;
  const newTargets: { text: string; reviewOn: string }[] = [];
  for (const target of targets.slice(0, limits.targets)) {
    if (target.text.length > limits.target) errors[target.field] = `Keep each target to ${limits.target} characters.`;
    const reviewOn = target.reviewOn?.trim() || (errors.held_on ? today : defaultReviewDate(times.calendar, heldOn));
    if (!isLocalDate(reviewOn)) errors[`${target.field}_review`] = 'Write the review date as YYYY-MM-DD.';
    else if (!errors.held_on && reviewOn <= heldOn) errors[`${target.field}_review`] = 'The review date must come after the meeting.';
    else if (!errors.held_on && daysBetween(heldOn, reviewOn) > 400) errors[`${target.field}_review`] = 'Choose a review date within a year of the meeting.';
    newTargets.push({ text: target.text, reviewOn });
  }

  const open = await loadTargets(core.db, actor.schoolId, pupil.id, { openOnly: true });
  const openIds = new Set(open.map((target) => target.id));
  const reviews = draft.reviews ?? [];
  for (const review of reviews) {
    if (!openIds.has(review.targetId)) errors[`review_${review.targetId}`] = 'This target is no longer open (it was reviewed meanwhile).';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const meetingTerm = term!;
  const carryTo = defaultReviewDate(times.calendar, heldOn);
  const outcome = await core.db.transaction().execute(async (trx) => {
    const meetingId = await insertMeeting(trx, core.sealer, {
      schoolId: actor.schoolId,
      pupilId: pupil.id,
      staffId: actor.staffId,
      heldOn,
      academicYear: meetingTerm.academicYear,
      term: meetingTerm.name,
      place,
      notes,
      covered: draft.covered ?? [],
      contactsGiven: draft.contactsGiven ?? [],
      source: draft.source,
      channel: channel.platform,
      submissionKey: draft.submissionKey ?? null,
      createdAt: now,
    });
    if (meetingId === null) return null;
    const targetIds: number[] = [];
    for (const target of newTargets) {
      targetIds.push(
        await insertTarget(trx, core.sealer, {
          schoolId: actor.schoolId,
          pupilId: pupil.id,
          meetingId,
          setBy: actor.staffId,
          text: target.text,
          setOn: heldOn,
          reviewOn: target.reviewOn,
          createdAt: now,
        }),
      );
    }
    for (const review of reviews) {
      const carried = review.outcome === 'carried_over';
      await trx
        .updateTable('target')
        .set(
          carried
            ? { review_on: carryTo, updated_at: now }
            : { status: review.outcome as 'met' | 'partly_met' | 'not_met', closed_on: heldOn, updated_at: now },
        )
        .where('id', '=', review.targetId)
        .where('status', '=', 'open')
        .execute();
      await trx
        .insertInto('target_review')
        .values({
          school_id: actor.schoolId,
          target_id: review.targetId,
          meeting_id: meetingId,
          outcome: review.outcome,
          reviewed_on: heldOn,
          reviewed_by: actor.staffId,
          next_review_on: carried ? carryTo : null,
        })
        .execute();
    }
    await recordAudit(trx, [
      {
        schoolId: actor.schoolId,
        actorStaffId: actor.staffId,
        action: 'meeting_logged',
        pupilId: pupil.id,
        subject: `meeting:${meetingId}`,
        channel: channel.platform,
      },
      ...targetIds.map((id) => ({
        schoolId: actor.schoolId,
        actorStaffId: actor.staffId,
        action: 'target_set',
        pupilId: pupil.id,
        subject: `target:${id}`,
        channel: channel.platform,
      })),
      ...reviews.map((review) => ({
        schoolId: actor.schoolId,
        actorStaffId: actor.staffId,
        action: 'target_reviewed',
        pupilId: pupil.id,
        subject: `target:${review.targetId}`,
        channel: channel.platform,
      })),
    ]);
    return { meetingId, targetIds };
  });

  if (!outcome) {
    return { ok: true, meetingId: 0, reply: reply([{ type: 'text', text: 'That meeting is already logged (it was sent twice); nothing was added.' }], 'none') };
  }
  core.log.info('meeting_logged', {
    meetingId: outcome.meetingId,
    pupilId: pupil.id,
    staffId: actor.staffId,
    targets: outcome.targetIds.length,
    reviews: reviews.length,
  });
  const stillOpen = open.length - reviews.filter((review) => review.outcome !== 'carried_over').length;
  return {
    ok: true,
    meetingId: outcome.meetingId,
    reply: receipt(pupil, { heldOn, term: termTitle(meetingTerm), place, newTargets, reviews: reviews.length, stillOpen, source: draft.source }),
  };
}

function receipt(
  pupil: PupilSummary,
  logged: {
    heldOn: string;
    term: string;
    place: string | null;
    newTargets: { text: string; reviewOn: string }[];
    reviews: number;
    stillOpen: number;
    source: 'text' | 'form';
  },
): Reply {
  const name = pupilDisplayName(pupil);
  const fields = [
    { label: 'Pupil', value: `${name}${pupil.form ? ` (${pupil.form})` : ''}` },
    { label: 'Held', value: displayDay(logged.heldOn) },
    { label: 'Counts for', value: logged.term },
  ];
  if (logged.place) fields.push({ label: 'Where', value: logged.place });
  const blocks: Block[] = [
    { type: 'heading', text: `Meeting with ${name} logged` },
    { type: 'fields', fields },
  ];
  if (logged.newTargets.length > 0) {
    blocks.push({
      type: 'text',
      text: `Targets set:\n${logged.newTargets.map((target) => `• ${target.text} (review by ${displayDay(target.reviewOn)})`).join('\n')}`,
    });
  }
  if (logged.reviews > 0) blocks.push({ type: 'text', text: `${logged.reviews} earlier target${logged.reviews === 1 ? '' : 's'} reviewed.` });
  const hints: string[] = [];
  if (logged.stillOpen > 0) hints.push(`${name} has ${logged.stillOpen} open target${logged.stillOpen === 1 ? '' : 's'} from earlier meetings to review.`);
  if (logged.source === 'text') hints.push(`To set targets or review earlier ones, open the meeting form with "meeting ${name}".`);
  if (hints.length > 0) blocks.push({ type: 'text', text: hints.join(' ') });
  blocks.push({ type: 'actions', actions: [{ id: showTargetsAction, label: 'Show targets', value: pupilRef(pupil.id) }] });
  return reply(blocks, 'pupil', reply([{ type: 'text', text: 'Meeting logged. The details were sent to you privately.' }], 'none'));
}
