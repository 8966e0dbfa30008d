/**
 * The platform-neutral reply the core returns. Adapters render it: Block Kit in Slack, Adaptive
 * Cards in Teams, plain text in the console. The core never knows which.
 */

/** A button. `id` is a stable action id; `value` is opaque to adapters and passed back unchanged. */
export interface Action {
  id: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

export type FormFieldKind = 'pupil' | 'text' | 'multiline' | 'select' | 'multiselect' | 'date';

export interface FormField {
  id: string;
  label: string;
  kind: FormFieldKind;
  required?: boolean;
  options?: { value: string; label: string }[];
  initial?: string | string[];
  /** For a pupil field: the pupil already chosen, shown as the initial option. */
  initialLabel?: string;
  placeholder?: string;
  maxLength?: number;
  hint?: string;
}

export interface FormSpec {
  /** The form's id, also its callback id: 'concern', 'praise', 'safeguarding', 'meeting', … */
  id: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
  /** Opaque state the core wants back with the submission. */
  state?: string;
}

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'choices'; prompt: string; options: { label: string; detail?: string; action: Action }[] }
  | { type: 'actions'; actions: Action[] }
  | { type: 'form'; form: FormSpec }
  | { type: 'table'; columns: string[]; rows: string[][] }
  | { type: 'progress'; items: { label: string; done: number; total: number }[] }
  | { type: 'file'; name: string; mimeType: string; content: string };

export interface Reply {
  /** The whole reply as plain text: the console shows it, and platforms use it as a fallback. */
  text: string;
  blocks: Block[];
  /**
   * 'pupil' when the reply carries information about a pupil: adapters show it only to the asker
   * (ephemeral in Slack, personal chat in Teams), never in a shared channel.
   */
  privacy: 'none' | 'pupil';
  /** A reduced version that may be shown in a shared channel, where there is one. */
  channelSafe?: Reply;
}

export function textReply(text: string, privacy: Reply['privacy'] = 'none'): Reply {
  return { text, blocks: [{ type: 'text', text }], privacy };
}

/** Builds the plain-text rendering of blocks, so that `text` and `blocks` never disagree. */
export function blocksToText(blocks: Block[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
      case 'text':
        lines.push(block.text);
        break;
      case 'fields':
        for (const field of block.fields) lines.push(`  ${field.label}: ${field.value}`);
        break;
      case 'choices':
        lines.push(block.prompt);
        for (const [index, option] of block.options.entries()) {
          lines.push(`  ${index + 1}. ${option.label}${option.detail ? ` — ${option.detail}` : ''}`);
        }
        break;
      case 'actions':
        lines.push(block.actions.map((action) => `[${action.label}]`).join(' '));
        break;
      case 'form':
        lines.push(`(${block.form.title}: a form opens here in Slack and Teams)`);
        break;
      case 'table': {
        const widths = block.columns.map((column, index) => Math.max(column.length, ...block.rows.map((row) => (row[index] ?? '').length)));
        const format = (cells: string[]) =>
          cells
            .map((cell, index) => (cell ?? '').padEnd(widths[index]))
            .join('  ')
            .trimEnd();
        lines.push(format(block.columns), widths.map((width) => '-'.repeat(width)).join('  '));
        for (const row of block.rows) lines.push(format(row));
        break;
      }
      case 'progress':
        for (const item of block.items) lines.push(`  ${item.label}: ${progressBar(item.done, item.total)} ${item.done}/${item.total}`);
        break;
      case 'file':
        lines.push(`(file ${block.name})`);
        break;
    }
  }
  return lines.join('\n');
}

export function reply(blocks: Block[], privacy: Reply['privacy'], channelSafe?: Reply): Reply {
  return { text: blocksToText(blocks), blocks, privacy, channelSafe };
}

export function progressBar(done: number, total: number, width = 10): string {
  const filled = total <= 0 ? 0 : Math.round((Math.min(done, total) / total) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}
