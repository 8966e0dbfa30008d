import type { FormValues } from '../../src/core-context.ts';
import type { Feature } from '../../src/feature.ts';
import { parsePupilRef } from '../../src/pupils/resolve-pupil.ts';
import { reply, textReply, type FormSpec } from '../../src/reply.ts';

/**
 * Small core features for the Slack edge's tests: they produce every kind of block the edge must
 * render (forms, files, tables, progress, buttons, home sections) without depending on how the
 * real features word things. Added after the real features, they win where ids clash.
 */
export const probeState = 'probe-state-7f3a';

export function probeConcernForm(prefill: { pupilId?: number; text?: string } = {}): FormSpec {
  return {
    id: 'concern',
    title: 'Log a concern about a pupil',
    submitLabel: 'Log concern',
    state: probeState,
    fields: [
      {
        id: 'pupil',
        label: 'Pupil',
        kind: 'pupil',
        required: true,
        ...(prefill.pupilId ? { initial: `#pupil:${prefill.pupilId}`, initialLabel: 'Chosen pupil' } : {}),
      },
      { id: 'text', label: 'What happened?', kind: 'multiline', required: true, maxLength: 2000, ...(prefill.text ? { initial: prefill.text } : {}) },
      {
        id: 'urgency',
        label: 'How urgent',
        kind: 'select',
        options: [
          { value: 'low', label: 'Not urgent' },
          { value: 'high', label: 'Today' },
        ],
        initial: 'low',
      },
      { id: 'seen', label: 'When', kind: 'date' },
    ],
  };
}

/** What the probe form received, for assertions. */
export const submissions: { staffId: number; values: FormValues; state: string | undefined; conversation: string }[] = [];

export const probeFormFeature: Feature = {
  name: 'probe-forms',
  commands: {
    'note-form': async () => reply([{ type: 'form', form: probeConcernForm() }], 'none'),
  },
  forms: {
    concern: {
      open: async (_request, prefill) => reply([{ type: 'form', form: probeConcernForm(prefill) }], 'none'),
      submit: async (request, values, state) => {
        if (state !== probeState) return { ok: false, errors: { form: 'The form was tampered with.' } };
        const errors: Record<string, string> = {};
        const pupilId = typeof values.pupil === 'string' ? parsePupilRef(values.pupil) : null;
        if (!pupilId) errors.pupil = 'Choose a pupil.';
        if (!values.text) errors.text = 'Write what happened.';
        if (Object.keys(errors).length > 0) return { ok: false, errors };
        submissions.push({ staffId: request.actor.staffId, values, state, conversation: request.channel.conversation });
        return { ok: true, reply: reply([{ type: 'text', text: `Concern logged for pupil ${pupilId}.` }], 'pupil') };
      },
    },
  },
};

export const probeFilesFeature: Feature = {
  name: 'probe-files',
  commands: {
    caseload: async (_request, intent) =>
      reply(
        [
          { type: 'heading', text: 'Caseload' },
          { type: 'progress', items: [{ label: 'Meetings this term', done: 3, total: 10 }] },
          {
            type: 'table',
            columns: ['Tutor', 'Tutees'],
            rows: [
              ['Ms Okafor', '28'],
              ['Mr Reid', '27'],
            ],
          },
          ...(intent.csv ? [{ type: 'file' as const, name: 'caseload.csv', mimeType: 'text/csv', content: 'tutor,tutees\nMs Okafor,28\nMr Reid,27\n' }] : []),
        ],
        'pupil',
      ),
  },
};

export const probeHomeFeature: Feature = {
  name: 'probe-home',
  home: async (request) => [
    { type: 'text', text: `Your tutees, staff ${request.actor.staffId}` },
    { type: 'actions', actions: [{ id: 'probe_refresh', label: 'Refresh', value: 'home-1' }] },
  ],
  actions: {
    probe_refresh: async (_request, value) => textReply(`Refreshed ${value}`),
  },
};
