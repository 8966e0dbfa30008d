import type { CommandHandler, FormHandler, FormValues, Request } from '../core-context.ts';
import { findPupils } from '../pupils/find-pupils.ts';
import { getPupilSummary, type PupilSummary } from '../pupils/pupil-summary.ts';
import { parsePupilRef, pupilRef } from '../pupils/resolve-pupil.ts';
import { reply, type FormField, type Reply } from '../reply.ts';
import { loadSchoolSettings } from '../schools/load-school-times.ts';
import { logNote } from './log-note.ts';
import { checkNoteText, maxNoteLength } from './note-text.ts';
import { pupilLine } from './note-wording.ts';
import type { LoggedNoteKind } from './notes-tables.ts';

/**
 * The concern, praise and safeguarding forms (a Slack modal, a Teams card). They add what a
 * one-line command cannot: a category from the school's list, and for concerns the urgency and
 * the safeguarding choice. A form is checked whole and answers field by field.
 */

const titles: Record<LoggedNoteKind, { title: string; submit: string; intro: string }> = {
  concern: { title: 'Log a concern', submit: 'Send', intro: "Log a concern: it goes to the pupil's tutor (and their heads of house and year when urgent)." },
  praise: { title: 'Share a success story', submit: 'Send', intro: "Share a success story: it goes to the pupil's tutor." },
  safeguarding: {
    title: 'Safeguarding concern',
    submit: 'Send to safeguarding team',
    intro: 'Log a safeguarding concern: it goes to the designated safeguarding lead and deputies only.',
  },
};

function single(value: FormValues[string]): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

async function findPrefill(request: Request, prefill: { pupilId?: number; pupilQuery?: string }): Promise<PupilSummary | null> {
  const { core, actor } = request;
  if (prefill.pupilId) return getPupilSummary(core.db, actor.schoolId, prefill.pupilId);
  if (!prefill.pupilQuery?.trim()) return null;
  const match = await findPupils(core.db, actor.schoolId, prefill.pupilQuery);
  return match.kind === 'one' ? match.pupil : null;
}

export async function openNoteForm(request: Request, kind: LoggedNoteKind, prefill: { pupilId?: number; pupilQuery?: string; text?: string }): Promise<Reply> {
  const settings = await loadSchoolSettings(request.core.db, request.actor.schoolId);
  const pupil = await findPrefill(request, prefill);
  const fields: FormField[] = [
    {
      id: 'pupil',
      label: 'Pupil',
      kind: 'pupil',
      required: true,
      initial: pupil && pupil.active ? pupilRef(pupil.id) : undefined,
      initialLabel: pupil && pupil.active ? pupilLine(pupil) : undefined,
      placeholder: 'Start typing a name',
    },
    {
      id: 'category',
      label: 'Category',
      kind: 'select',
      required: kind !== 'safeguarding',
      options: settings.noteCategories.map((category) => ({ value: category, label: category.charAt(0).toUpperCase() + category.slice(1) })),
    },
  ];
  if (kind === 'concern') {
    fields.push(
      {
        id: 'urgency',
        label: 'Urgency',
        kind: 'select',
        required: true,
        initial: 'routine',
        options: [
          { value: 'routine', label: 'Routine' },
          { value: 'urgent', label: 'Urgent: also tell the heads of house and year now' },
        ],
      },
      {
        id: 'safeguarding',
        label: 'Is this a safeguarding concern?',
        kind: 'select',
        required: true,
        initial: 'no',
        options: [
          { value: 'no', label: 'No: a pastoral concern for the tutor' },
          { value: 'yes', label: 'Yes: send it to the safeguarding team only' },
        ],
        hint: 'A child at risk of harm: choose yes. Only the DSL and deputies will see it.',
      },
    );
  }
  fields.push({
    id: 'text',
    label: kind === 'praise' ? 'What happened' : 'What you saw or heard',
    kind: 'multiline',
    required: true,
    maxLength: maxNoteLength,
    initial: prefill.text,
  });
  const { title, submit, intro } = titles[kind];
  return reply(
    [
      { type: 'text', text: intro },
      { type: 'form', form: { id: kind, title, submitLabel: submit, fields } },
    ],
    pupil ? 'pupil' : 'none',
  );
}

export const noteFormCommand: CommandHandler<'note-form'> = async (request, intent) => openNoteForm(request, intent.noteKind, { pupilQuery: intent.pupil });

function noteForm(kind: LoggedNoteKind): FormHandler {
  return {
    open: (request, prefill) => openNoteForm(request, kind, prefill),
    async submit(request, values) {
      const { core, actor } = request;
      const errors: Record<string, string> = {};
      const settings = await loadSchoolSettings(core.db, actor.schoolId);

      let pupil: PupilSummary | null = null;
      const pupilValue = single(values.pupil);
      const byId = parsePupilRef(pupilValue);
      if (byId !== null) {
        pupil = await getPupilSummary(core.db, actor.schoolId, byId);
        if (!pupil || !pupil.active) errors.pupil = 'That pupil is not on the roll of your school.';
      } else if (pupilValue) {
        const match = await findPupils(core.db, actor.schoolId, pupilValue);
        if (match.kind === 'one') pupil = match.pupil;
        else
          errors.pupil =
            match.kind === 'several' ? 'Several pupils match: choose one from the list.' : `No pupil called "${pupilValue.slice(0, 60)}" in your school.`;
      } else {
        errors.pupil = 'Choose a pupil.';
      }

      const categoryValue = single(values.category).toLowerCase();
      const category = categoryValue ? (settings.noteCategories.find((known) => known === categoryValue) ?? null) : null;
      if (categoryValue && !category) errors.category = `Choose one of: ${settings.noteCategories.join(', ')}.`;
      else if (!category && kind !== 'safeguarding') errors.category = 'Choose a category.';

      let urgency: 'routine' | 'urgent' | null = null;
      let finalKind: LoggedNoteKind = kind;
      if (kind === 'concern') {
        const urgencyValue = single(values.urgency) || 'routine';
        if (urgencyValue === 'routine' || urgencyValue === 'urgent') urgency = urgencyValue;
        else errors.urgency = 'Choose routine or urgent.';
        const safeguardingValue = single(values.safeguarding) || 'no';
        if (safeguardingValue === 'yes') finalKind = 'safeguarding';
        else if (safeguardingValue !== 'no') errors.safeguarding = 'Choose yes or no.';
      }

      const what = finalKind === 'praise' ? 'success story' : finalKind === 'safeguarding' ? 'safeguarding concern' : 'concern';
      const checked = checkNoteText(Array.isArray(values.text) ? values.text.join('\n') : values.text, what);
      if (!checked.ok) errors.text = checked.message;

      if (Object.keys(errors).length > 0 || !pupil || !checked.ok) return { ok: false, errors };
      return {
        ok: true,
        reply: await logNote(request, {
          kind: finalKind,
          pupil,
          text: checked.text,
          category,
          urgency: finalKind === 'concern' ? urgency : null,
          source: 'form',
        }),
      };
    },
  };
}

export const noteForms: Record<LoggedNoteKind, FormHandler> = {
  concern: noteForm('concern'),
  praise: noteForm('praise'),
  safeguarding: noteForm('safeguarding'),
};
