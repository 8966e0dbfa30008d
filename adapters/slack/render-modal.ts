import type { types } from '@slack/bolt';
import type { FormValues } from '../../src/core-context.ts';
import { TutorbotError } from '../../src/errors.ts';
import type { FormField, FormSpec } from '../../src/reply.ts';

/**
 * FormSpec ↔ Slack modal. Each field is an input block whose block id and action id are the
 * field id, so submitted values and the core's field errors map one to one. Pupil fields are
 * external_selects answered by block_suggestion. What the submission needs later (form id, the
 * core's opaque state, where to answer) rides in private_metadata.
 */
export const formCallbackId = 'tutorbot_form';

/** Where the form was opened from, so the submission's reply goes back there privately. */
export interface FormOrigin {
  formId: string;
  state?: string;
  conversation: 'direct' | 'shared';
  /** A slash command's or message shortcut's response_url: the reply goes there as an ephemeral. */
  responseUrl?: string;
}

const maxMetadata = 3000;

function plain(text: string, max: number): types.PlainTextElement {
  const trimmed = text.trim() || ' ';
  return { type: 'plain_text', text: trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1)}…`, emoji: true };
}

function option(value: string, label: string): types.PlainTextOption {
  return { text: plain(label, 75), value: value.slice(0, 150) };
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function element(field: FormField): types.InputBlock['element'] {
  const placeholder = field.placeholder ? { placeholder: plain(field.placeholder, 150) } : {};
  switch (field.kind) {
    case 'pupil': {
      const initial = firstOf(field.initial);
      return {
        type: 'external_select',
        action_id: field.id,
        min_query_length: 2,
        placeholder: plain(field.placeholder ?? 'Type a pupil’s name', 150),
        ...(initial ? { initial_option: option(initial, field.initialLabel ?? initial) } : {}),
      };
    }
    case 'text':
    case 'multiline': {
      const initial = firstOf(field.initial);
      return {
        type: 'plain_text_input',
        action_id: field.id,
        multiline: field.kind === 'multiline',
        ...(field.maxLength ? { max_length: Math.min(field.maxLength, 3000) } : {}),
        ...(initial ? { initial_value: initial.slice(0, field.maxLength ?? 3000) } : {}),
        ...placeholder,
      };
    }
    case 'select': {
      const options = (field.options ?? []).slice(0, 100).map((entry) => option(entry.value, entry.label));
      const initial = options.find((entry) => entry.value === firstOf(field.initial));
      return { type: 'static_select', action_id: field.id, options, ...(initial ? { initial_option: initial } : {}), ...placeholder };
    }
    case 'multiselect': {
      const options = (field.options ?? []).slice(0, 100).map((entry) => option(entry.value, entry.label));
      const wanted = new Set(Array.isArray(field.initial) ? field.initial : field.initial ? [field.initial] : []);
      const initial = options.filter((entry) => wanted.has(entry.value ?? ''));
      return { type: 'multi_static_select', action_id: field.id, options, ...(initial.length ? { initial_options: initial } : {}), ...placeholder };
    }
    case 'date': {
      const initial = firstOf(field.initial);
      return {
        type: 'datepicker',
        action_id: field.id,
        ...(initial && /^\d{4}-\d{2}-\d{2}$/.test(initial) ? { initial_date: initial } : {}),
        ...placeholder,
      };
    }
  }
}

export function encodeFormOrigin(origin: FormOrigin): string {
  const compact = JSON.stringify({ f: origin.formId, s: origin.state, c: origin.conversation, r: origin.responseUrl });
  if (compact.length <= maxMetadata) return compact;
  // Without the response_url the reply goes by direct message instead; the core's state must fit.
  const smaller = JSON.stringify({ f: origin.formId, s: origin.state, c: origin.conversation });
  if (smaller.length <= maxMetadata) return smaller;
  throw new TutorbotError('tutorbot_slack_form_state_too_large', `The state of form ${origin.formId} does not fit in a Slack modal.`);
}

export function decodeFormOrigin(metadata: string | undefined): FormOrigin | null {
  if (!metadata) return null;
  try {
    const raw = JSON.parse(metadata) as { f?: unknown; s?: unknown; c?: unknown; r?: unknown };
    if (typeof raw.f !== 'string') return null;
    return {
      formId: raw.f,
      state: typeof raw.s === 'string' ? raw.s : undefined,
      conversation: raw.c === 'shared' ? 'shared' : 'direct',
      responseUrl: typeof raw.r === 'string' ? raw.r : undefined,
    };
  } catch {
    return null;
  }
}

export function renderModal(form: FormSpec, origin: Omit<FormOrigin, 'formId' | 'state'>): types.ModalView {
  const blocks: types.KnownBlock[] = form.fields.map((field) => ({
    type: 'input',
    block_id: field.id,
    label: plain(field.label, 2000),
    optional: !field.required,
    ...(field.hint ? { hint: plain(field.hint, 2000) } : {}),
    element: element(field),
  }));
  return {
    type: 'modal',
    callback_id: formCallbackId,
    title: plain(form.title, 24),
    submit: plain(form.submitLabel || 'Submit', 24),
    close: plain('Cancel', 24),
    private_metadata: encodeFormOrigin({ ...origin, formId: form.id, state: form.state }),
    blocks,
  };
}

interface ViewStateValue {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_date?: string | null;
}

/** A view_submission's state.values → the core's FormValues (by field id). Empty inputs are absent. */
export function readFormValues(values: Record<string, Record<string, ViewStateValue>>): FormValues {
  // No prototype: an action id is data, and "__proto__" must not replace the object's prototype.
  const out: FormValues = Object.create(null);
  for (const block of Object.values(values ?? {})) {
    for (const [actionId, state] of Object.entries(block ?? {})) {
      if (state.selected_options) out[actionId] = state.selected_options.map((entry) => entry.value);
      else if (state.selected_option !== undefined) out[actionId] = state.selected_option?.value ?? undefined;
      else if (state.selected_date !== undefined) out[actionId] = state.selected_date ?? undefined;
      else out[actionId] = state.value?.trim() ? state.value : undefined;
    }
  }
  return out;
}

/**
 * The core's field errors keyed by the modal's input block ids. Slack rejects unknown block ids,
 * so an error about something that is not a field is shown on the first field.
 */
export function mapFormErrors(errors: Record<string, string>, blockIds: string[]): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [fieldId, message] of Object.entries(errors)) {
    const blockId = blockIds.includes(fieldId) ? fieldId : blockIds[0];
    if (!blockId) continue;
    mapped[blockId] = mapped[blockId] ? `${mapped[blockId]} ${message}` : message;
  }
  return mapped;
}
