import { randomUUID } from 'node:crypto';
import { recordReads } from '../audit/record-audit.ts';
import { localDateOf } from '../calendar/index.ts';
import type { FormHandler, FormValues, Request } from '../core-context.ts';
import { contactLabel, loadHandbook, loadSupportContacts } from '../handbook/index.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { canLogMeeting } from '../permissions.ts';
import { getPupilSummary, type PupilSummary } from '../pupils/pupil-summary.ts';
import { describePupil, parsePupilRef, pupilRef } from '../pupils/resolve-pupil.ts';
import { reply, type FormField, type Reply } from '../reply.ts';
import { displayDay } from './local-days.ts';
import { defaultReviewDate, limits, logMeeting, meetingRefusal, pupilFacts, type MeetingDraft } from './log-meeting.ts';
import { loadSchoolTimes } from '../schools/load-school-times.ts';
import { meetingTimes } from './meeting-times.ts';
import { loadTargets, openTargetText } from './meeting-store.ts';
import type { TargetOutcome } from './meetings-tables.ts';

/**
 * The meeting form: date, place, what was covered (the school's checklist), notes (with its
 * example questions), up to three targets with review dates (typed, or picked from the school's
 * bank of ideas), a review of the pupil's open targets, and the support contacts given.
 * Adapters render it as a Slack modal or a Teams card; the core only describes it.
 */
export const meetingFormId = 'meeting';

export const outcomeOptions: { value: TargetOutcome; label: string }[] = [
  { value: 'met', label: 'Met' },
  { value: 'partly_met', label: 'Partly met' },
  { value: 'not_met', label: 'Not met' },
  { value: 'carried_over', label: 'Carried over' },
];

interface FormState {
  /** A fresh key per opened form: submitting the same form twice logs one meeting. */
  k: string;
  /** The pupil the target reviews belong to. */
  p: number | null;
}

export async function meetingFormReply(request: Request, pupil: PupilSummary | null): Promise<Reply> {
  const { core, actor, channel } = request;
  if (pupil && !canLogMeeting(actor, pupilFacts(pupil))) return meetingRefusal(pupil);
  const now = core.now();
  const times = await loadSchoolTimes(core.db, actor.schoolId, now, meetingTimes);
  const today = localDateOf(now, times.calendar.timeZone);
  const handbook = await loadHandbook(core.db, actor.schoolId);
  const { contacts } = await loadSupportContacts(core.db, actor.schoolId);
  const reviewDefault = defaultReviewDate(times.calendar, today);

  const fields: FormField[] = [
    {
      id: 'pupil',
      label: 'Pupil',
      kind: 'pupil',
      required: true,
      initial: pupil ? pupilRef(pupil.id) : undefined,
      initialLabel: pupil ? `${pupilDisplayName(pupil)} (${describePupil(pupil)})` : undefined,
      placeholder: 'Start typing a name',
    },
    { id: 'held_on', label: 'Date of the meeting', kind: 'date', required: true, initial: today },
    { id: 'place', label: 'Where', kind: 'text', placeholder: 'e.g. tutor room, library, online', maxLength: limits.place },
  ];
  if (handbook.checklist.length > 0) {
    fields.push({
      id: 'covered',
      label: 'What did you cover?',
      kind: 'multiselect',
      options: handbook.checklist.map((item) => ({ value: item, label: item })),
      hint: "Your school's checklist for tutor meetings.",
    });
  }
  fields.push({
    id: 'notes',
    label: 'Notes',
    kind: 'multiline',
    required: true,
    maxLength: limits.notes,
    hint: handbook.questions.length > 0 ? `Questions to try: ${handbook.questions.slice(0, 4).join(' · ')}` : undefined,
  });

  if (pupil) {
    const open = await loadTargets(core.db, actor.schoolId, pupil.id, { openOnly: true });
    if (open.length > 0) {
      await recordReads(core.db, { actor, channel }, { action: 'target_read', pupilId: pupil.id, subjects: open.map((target) => `target:${target.id}`) });
    }
    for (const target of open.slice(0, 10)) {
      fields.push({
        id: `review_${target.id}`,
        label: `Review: ${openTargetText(core.sealer, target)} (review by ${displayDay(target.reviewOn)})`,
        kind: 'select',
        options: outcomeOptions,
        hint: 'Carried over keeps the target open with a new review date.',
      });
    }
  }

  const ideas = handbook.targetIdeas;
  for (let index = 1; index <= limits.targets; index += 1) {
    fields.push({
      id: `target${index}`,
      label: `Target ${index}`,
      kind: 'text',
      maxLength: limits.target,
      placeholder: ideas[index - 1] ? `e.g. ${ideas[index - 1]}` : undefined,
    });
    fields.push({ id: `target${index}_review`, label: `Review target ${index} by`, kind: 'date', initial: reviewDefault });
  }
  if (ideas.length > 0) {
    fields.push({
      id: 'ideas',
      label: "Or pick targets from your school's ideas",
      kind: 'multiselect',
      options: ideas.map((idea) => ({ value: idea, label: idea })),
      hint: `Picked ideas are reviewed by ${displayDay(reviewDefault)}; three targets at most in all.`,
    });
  }
  if (contacts.length > 0) {
    fields.push({
      id: 'contacts',
      label: 'Support contacts given',
      kind: 'multiselect',
      options: contacts.map((contact) => ({ value: contactLabel(contact), label: contactLabel(contact) })),
    });
  }

  const state: FormState = { k: randomUUID(), p: pupil?.id ?? null };
  return reply(
    [
      {
        type: 'form',
        form: {
          id: meetingFormId,
          title: 'Log a tutor meeting',
          submitLabel: 'Log meeting',
          fields,
          state: JSON.stringify(state),
        },
      },
    ],
    pupil ? 'pupil' : 'none',
  );
}

function single(value: FormValues[string]): string {
  if (Array.isArray(value)) return value[0] ?? '';
  return value ?? '';
}

function many(value: FormValues[string]): string[] {
  if (value === undefined || value === '') return [];
  return (Array.isArray(value) ? value : [value])
    .map((item) => String(item).trim())
    .filter(Boolean)
    .slice(0, 60);
}

function readState(state: string | undefined): FormState | null {
  if (!state) return null;
  try {
    const parsed = JSON.parse(state) as Partial<FormState>;
    if (typeof parsed.k !== 'string' || parsed.k.length > 64) return null;
    return { k: parsed.k, p: typeof parsed.p === 'number' ? parsed.p : null };
  } catch {
    return null;
  }
}

const outcomes = new Set<string>(outcomeOptions.map((option) => option.value));

export const meetingForm: FormHandler = {
  async open(request, prefill) {
    if (prefill.pupilId === undefined) return meetingFormReply(request, null);
    const pupil = await getPupilSummary(request.core.db, request.actor.schoolId, prefill.pupilId);
    if (!pupil || !pupil.active) return reply([{ type: 'text', text: 'That pupil is not on the roll of your school any more.' }], 'none');
    return meetingFormReply(request, pupil);
  },

  async submit(request, values, stateText) {
    const state = readState(stateText);
    const pupilId = parsePupilRef(single(values.pupil).trim());
    if (pupilId === null) return { ok: false, errors: { pupil: 'Choose the pupil from the list.' } };
    const pupil = await getPupilSummary(request.core.db, request.actor.schoolId, pupilId);
    if (!pupil || !pupil.active) return { ok: false, errors: { pupil: 'That pupil is not on the roll of your school any more.' } };

    const errors: Record<string, string> = {};
    const reviews: { targetId: number; outcome: TargetOutcome }[] = [];
    // Reviews shown for another pupil (the picker was changed after opening) do not apply.
    if (state?.p === pupil.id) {
      for (const [field, value] of Object.entries(values)) {
        const match = /^review_(\d{1,15})$/.exec(field);
        const outcome = single(value).trim();
        if (!match || !outcome) continue;
        if (!outcomes.has(outcome)) errors[field] = 'Choose met, partly met, not met or carried over.';
        else reviews.push({ targetId: Number(match[1]), outcome: outcome as TargetOutcome });
      }
    }
    const targets: NonNullable<MeetingDraft['targets']> = [];
    for (let index = 1; index <= limits.targets; index += 1) {
      const text = single(values[`target${index}`]);
      if (text.trim()) targets.push({ text, reviewOn: single(values[`target${index}_review`]) || null, field: `target${index}` });
    }
    for (const idea of many(values.ideas)) targets.push({ text: idea, reviewOn: null, field: 'ideas' });
    if (targets.length > limits.targets) {
      errors[targets[limits.targets].field] = `Three targets at most: you have ${targets.length}. Remove some, then log the meeting.`;
    }
    if (Object.keys(errors).length > 0) return { ok: false, errors };

    const result = await logMeeting(request, pupil, {
      heldOn: single(values.held_on) || null,
      place: single(values.place) || null,
      notes: single(values.notes),
      covered: many(values.covered).map((item) => item.slice(0, 150)),
      contactsGiven: many(values.contacts).map((item) => item.slice(0, 150)),
      targets,
      reviews,
      source: 'form',
      submissionKey: state ? `form:${request.actor.staffId}:${state.k}` : null,
    });
    return result.ok ? { ok: true, reply: result.reply } : { ok: false, errors: result.errors };
  },
};
