import type { FormValues } from '../../src/core-context.ts';
import type { Action, Block, FormField, FormSpec, Reply } from '../../src/reply.ts';
import { escapeCardMarkdown as md } from './escape-card-markdown.ts';

/**
 * Renders the core's platform-neutral Reply as a Teams message: plain text when the reply is only
 * text, otherwise an Adaptive Card. Buttons are Action.Execute (Universal Actions, answered by an
 * `adaptiveCard/action` invoke) with an Action.Submit fallback for hosts without it (the Emulator,
 * old clients); both carry the same data, so the edge handles either the same way.
 *
 * Every text the core wrote is escaped before it goes into markdown (TextBlock text, FactSet
 * titles and values): note text must never become a link or formatting. Input labels, choice
 * titles and button titles are plain text in Adaptive Cards and are left as they are.
 */

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  msteams?: Record<string, unknown>;
}

export interface TeamsMessage {
  type: 'message';
  text?: string;
  textFormat?: 'plain' | 'markdown';
  attachments?: { contentType: string; content: AdaptiveCard }[];
}

export const adaptiveCardContentType = 'application/vnd.microsoft.card.adaptive';
export const actionVerb = 'tutorbot.action';
export const formVerb = 'tutorbot.form';
/** The Data.Query dataset a pupil picker asks for; answered by the `application/search` invoke. */
export const pupilDataset = 'pupils';

/** Keys our cards put into action data; everything else in a submission is an input value. */
export interface CardActionData {
  tutorbotAction?: string;
  value?: string;
  tutorbotForm?: string;
  tutorbotState?: string;
  /** Ids of multiselect inputs: Teams returns their values comma-separated. */
  tutorbotMulti?: string[];
}

const dataKeys = new Set(['tutorbotAction', 'value', 'tutorbotForm', 'tutorbotState', 'tutorbotMulti', 'msteams']);

// Teams refuses messages over about 28 KB; long tables and files are cut well before that.
const maxTableRows = 50;
const maxFileChars = 12_000;
const maxButtonTitle = 60;

export function renderMessage(reply: Reply, options: { formErrors?: Record<string, string>; formValues?: FormValues } = {}): TeamsMessage {
  if (reply.blocks.length > 0 && reply.blocks.every((block) => block.type === 'text')) {
    return { type: 'message', text: reply.blocks.map((block) => (block as { text: string }).text).join('\n\n'), textFormat: 'plain' };
  }
  if (reply.blocks.length === 0) return { type: 'message', text: reply.text, textFormat: 'plain' };
  return cardMessage(renderCard(reply, options));
}

export function cardMessage(card: AdaptiveCard): TeamsMessage {
  return { type: 'message', attachments: [{ contentType: adaptiveCardContentType, content: card }] };
}

export function textMessage(text: string): TeamsMessage {
  return { type: 'message', text, textFormat: 'plain' };
}

export function renderCard(reply: Reply, options: { formErrors?: Record<string, string>; formValues?: FormValues } = {}): AdaptiveCard {
  const body: CardElement[] = [];
  for (const block of reply.blocks) body.push(...renderBlock(block, options));
  if (body.length === 0) body.push(textBlock(reply.text));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    msteams: { width: 'Full' },
  };
}

function renderBlock(block: Block, options: { formErrors?: Record<string, string>; formValues?: FormValues }): CardElement[] {
  switch (block.type) {
    case 'heading':
      return [{ type: 'TextBlock', text: md(block.text), size: 'Medium', weight: 'Bolder', wrap: true }];
    case 'text':
      return [textBlock(block.text)];
    case 'fields':
      return [{ type: 'FactSet', facts: block.fields.map((field) => ({ title: md(field.label), value: md(field.value || '—') })) }];
    case 'choices':
      return [
        textBlock(block.prompt),
        ...block.options.map((option) => ({
          type: 'ColumnSet',
          spacing: 'Small',
          columns: [
            {
              type: 'Column',
              width: 'stretch',
              verticalContentAlignment: 'Center',
              items: [markdownBlock(option.detail ? `**${md(option.label)}** · ${md(option.detail)}` : `**${md(option.label)}**`)],
            },
            { type: 'Column', width: 'auto', items: [{ type: 'ActionSet', actions: [buttonAction(option.action)] }] },
          ],
        })),
      ];
    case 'actions':
      return [{ type: 'ActionSet', actions: block.actions.map(buttonAction) }];
    case 'form':
      return renderForm(block.form, options.formErrors ?? {}, options.formValues);
    case 'table':
      return renderTable(block.columns, block.rows);
    case 'progress':
      return block.items.map((item) => ({
        type: 'TextBlock',
        text: `${md(item.label)}: ${bar(item.done, item.total)} ${item.done}/${item.total}`,
        fontType: 'Monospace',
        wrap: true,
        spacing: 'Small',
      }));
    case 'file': {
      const content =
        block.content.length > maxFileChars ? `${block.content.slice(0, maxFileChars)}\n… (cut: ask in the console or CLI for the whole file)` : block.content;
      return [
        { type: 'TextBlock', text: md(block.name), weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: md(content), fontType: 'Monospace', wrap: true, size: 'Small' },
      ];
    }
  }
}

/** A TextBlock showing the core's text as written. */
function textBlock(text: string): CardElement {
  return markdownBlock(md(text));
}

/** A TextBlock of markdown this renderer composed, every piece of the core's text in it already escaped. */
function markdownBlock(markdown: string): CardElement {
  return { type: 'TextBlock', text: markdown, wrap: true };
}

function bar(done: number, total: number): string {
  const filled = total <= 0 ? 0 : Math.round((Math.min(done, total) / total) * 10);
  return '█'.repeat(filled) + '░'.repeat(10 - filled);
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** A button: Action.Execute for Teams, Action.Submit for hosts without Universal Actions. */
export function buttonAction(action: Action): CardElement {
  const data: CardActionData = { tutorbotAction: action.id, value: action.value };
  const title = truncate(action.label, maxButtonTitle);
  const style = action.style === 'primary' ? 'positive' : action.style === 'danger' ? 'destructive' : undefined;
  return {
    type: 'Action.Execute',
    title,
    verb: actionVerb,
    data,
    associatedInputs: 'none',
    ...(style ? { style } : {}),
    fallback: { type: 'Action.Submit', title, data, associatedInputs: 'none' },
  };
}

function renderTable(columns: string[], rows: string[][]): CardElement[] {
  const shown = rows.slice(0, maxTableRows);
  const cell = (text: string, header = false) => ({
    type: 'TableCell',
    items: [{ type: 'TextBlock', text: md(text) || ' ', wrap: true, ...(header ? { weight: 'Bolder' } : {}) }],
  });
  const elements: CardElement[] = [
    {
      type: 'Table',
      gridStyle: 'accent',
      firstRowAsHeader: true,
      columns: columns.map(() => ({ width: 1 })),
      rows: [
        { type: 'TableRow', cells: columns.map((column) => cell(column, true)) },
        ...shown.map((row) => ({ type: 'TableRow', cells: columns.map((_, index) => cell(row[index] ?? '')) })),
      ],
    },
  ];
  if (rows.length > shown.length) {
    elements.push({
      type: 'TextBlock',
      text: `… and ${rows.length - shown.length} more rows (add "csv" to the command for all of them).`,
      isSubtle: true,
      wrap: true,
    });
  }
  return elements;
}

function renderForm(form: FormSpec, errors: Record<string, string>, values: FormValues | undefined): CardElement[] {
  const elements: CardElement[] = [];
  const errorCount = Object.keys(errors).length;
  elements.push({ type: 'TextBlock', text: md(form.title), size: 'Medium', weight: 'Bolder', wrap: true });
  if (errorCount > 0) {
    elements.push({ type: 'TextBlock', text: 'Please check the fields marked below. Nothing has been saved yet.', color: 'Attention', wrap: true });
  }
  for (const field of form.fields) {
    const submitted = values?.[field.id];
    elements.push(renderInput(field, submitted));
    if (field.hint) elements.push({ type: 'TextBlock', text: md(field.hint), isSubtle: true, size: 'Small', wrap: true, spacing: 'None' });
    const error = errors[field.id];
    if (error) elements.push({ type: 'TextBlock', text: md(error), color: 'Attention', size: 'Small', wrap: true, spacing: 'None' });
  }
  // Errors that name no field of this form still reach the person.
  for (const [fieldId, message] of Object.entries(errors)) {
    if (!form.fields.some((field) => field.id === fieldId)) elements.push({ type: 'TextBlock', text: md(message), color: 'Attention', wrap: true });
  }
  const multi = form.fields.filter((field) => field.kind === 'multiselect').map((field) => field.id);
  const data: CardActionData = {
    tutorbotForm: form.id,
    ...(form.state !== undefined ? { tutorbotState: form.state } : {}),
    ...(multi.length ? { tutorbotMulti: multi } : {}),
  };
  const title = truncate(form.submitLabel, maxButtonTitle);
  elements.push({
    type: 'ActionSet',
    actions: [
      {
        type: 'Action.Execute',
        title,
        verb: formVerb,
        data,
        associatedInputs: 'auto',
        style: 'positive',
        fallback: { type: 'Action.Submit', title, data, associatedInputs: 'auto' },
      },
    ],
  });
  return elements;
}

function initialValue(field: FormField, submitted: string | string[] | undefined): string | undefined {
  const value = submitted ?? field.initial;
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

function renderInput(field: FormField, submitted: string | string[] | undefined): CardElement {
  const common = {
    id: field.id,
    label: field.label,
    isRequired: field.required ?? false,
    ...(field.required ? { errorMessage: `${field.label} is required.` } : {}),
  };
  const value = initialValue(field, submitted);
  switch (field.kind) {
    case 'text':
    case 'multiline':
      return {
        type: 'Input.Text',
        ...common,
        isMultiline: field.kind === 'multiline',
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(value !== undefined ? { value } : {}),
      };
    case 'select':
    case 'multiselect':
      return {
        type: 'Input.ChoiceSet',
        ...common,
        style: field.kind === 'multiselect' ? 'expanded' : 'compact',
        isMultiSelect: field.kind === 'multiselect',
        choices: (field.options ?? []).map((option) => ({ title: option.label, value: option.value })),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(value !== undefined ? { value } : {}),
      };
    case 'date':
      return { type: 'Input.Date', ...common, ...(value !== undefined ? { value } : {}) };
    case 'pupil': {
      // Type-ahead over the whole school: Teams asks the bot (application/search, dataset "pupils").
      const initial = typeof value === 'string' && value ? [{ title: field.initialLabel ?? value, value }] : [];
      return {
        type: 'Input.ChoiceSet',
        ...common,
        style: 'filtered',
        placeholder: field.placeholder ?? 'Start typing a pupil’s name',
        choices: initial,
        'choices.data': { type: 'Data.Query', dataset: pupilDataset, count: 15 },
        ...(initial.length ? { value } : {}),
      };
    }
  }
}

/** Splits a card submission into our action data and the form's input values. */
export function readSubmission(raw: unknown): { data: CardActionData; values: FormValues } {
  const record = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const data: CardActionData = {
    tutorbotAction: typeof record.tutorbotAction === 'string' ? record.tutorbotAction : undefined,
    value: typeof record.value === 'string' ? record.value : undefined,
    tutorbotForm: typeof record.tutorbotForm === 'string' ? record.tutorbotForm : undefined,
    tutorbotState: typeof record.tutorbotState === 'string' ? record.tutorbotState : undefined,
    tutorbotMulti: Array.isArray(record.tutorbotMulti) ? record.tutorbotMulti.filter((id): id is string => typeof id === 'string') : undefined,
  };
  const multi = new Set(data.tutorbotMulti ?? []);
  // Input ids are the card's own field ids; a submitted `__proto__` or `constructor` is then just
  // a key no form asks for, never the object's prototype or a value every object seems to have.
  const values: FormValues = Object.create(null);
  for (const [key, rawValue] of Object.entries(record)) {
    if (dataKeys.has(key)) continue;
    if (typeof rawValue !== 'string' && typeof rawValue !== 'number' && typeof rawValue !== 'boolean') continue;
    const text = String(rawValue);
    if (text.trim() === '') continue;
    values[key] = multi.has(key)
      ? text
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : text;
  }
  return { data, values };
}

/** The form block of a reply, if it has one. */
export function formOf(reply: Reply): FormSpec | null {
  for (const block of reply.blocks) if (block.type === 'form') return block.form;
  return null;
}
