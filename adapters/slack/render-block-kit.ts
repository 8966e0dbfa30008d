import type { types } from '@slack/bolt';
import { blocksToText, progressBar, type Action, type Block, type FormSpec, type Reply } from '../../src/reply.ts';

/**
 * Reply → Block Kit. The core's blocks map onto header / section / fields / actions / context;
 * tables become preformatted text, progress bars text bars. Everything the core wrote is escaped,
 * so note text can never become an @channel mention or a link.
 *
 * Buttons carry `action_id = <core action id>::<n>` (Slack wants action ids unique within a
 * message, the core's are not) and the core's opaque value unchanged.
 */

type KnownBlock = types.KnownBlock;

/** Where the blocks will be shown: limits differ, and files can only be uploaded into a conversation. */
export type Surface = 'message' | 'dm' | 'home';

export const openFormActionId = 'tutorbot:open_form';
const actionSeparator = '::';
const maxBlocks: Record<Surface, number> = { message: 50, dm: 50, home: 100 };
const sectionLimit = 3000;
const snippetLimit = 2800;

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: clip(text.trim() || ' ', max), emoji: true };
}

/** The core's action id from a Slack action id (drops the per-message suffix). */
export function coreActionId(slackActionId: string): string {
  const at = slackActionId.lastIndexOf(actionSeparator);
  return at >= 0 ? slackActionId.slice(0, at) : slackActionId;
}

/** What an "open the form" button carries: the whole spec when it fits, else the form id to ask the core again. */
export interface OpenFormValue {
  formId: string;
  form?: FormSpec;
}

export function encodeOpenFormValue(form: FormSpec): string {
  const whole = JSON.stringify({ formId: form.id, form } satisfies OpenFormValue);
  return whole.length <= 2000 ? whole : JSON.stringify({ formId: form.id } satisfies OpenFormValue);
}

export function decodeOpenFormValue(value: string): OpenFormValue | null {
  try {
    const parsed = JSON.parse(value) as OpenFormValue;
    return typeof parsed?.formId === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function findForm(reply: Reply): FormSpec | null {
  for (const block of reply.blocks) if (block.type === 'form') return block.form;
  return null;
}

export function fileBlocks(reply: Reply): Extract<Block, { type: 'file' }>[] {
  return reply.blocks.filter((block): block is Extract<Block, { type: 'file' }> => block.type === 'file');
}

function textSections(text: string): KnownBlock[] {
  // Split before escaping so an entity is never cut in half; escaping at most doubles most text.
  const sections: KnownBlock[] = [];
  for (let start = 0; start < text.length; start += 1500) {
    sections.push({ type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(text.slice(start, start + 1500)), sectionLimit) } });
  }
  return sections;
}

function mrkdwnSections(escaped: string): KnownBlock[] {
  const sections: KnownBlock[] = [];
  for (let start = 0; start < escaped.length; start += sectionLimit) {
    sections.push({ type: 'section', text: { type: 'mrkdwn', text: escaped.slice(start, start + sectionLimit) } });
  }
  return sections;
}

function preformatted(text: string, note: string): KnownBlock {
  const body = text.length > snippetLimit ? `${text.slice(0, snippetLimit)}\n…` : text;
  const suffix = text.length > snippetLimit ? `\n${note}` : '';
  return { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${escapeMrkdwn(body.replace(/```/g, "'''"))}\`\`\`${suffix}` } };
}

function tableText(columns: string[], rows: string[][]): string {
  return blocksToText([{ type: 'table', columns, rows }]);
}

export interface RenderOptions {
  surface: Surface;
}

/** Renders a reply's blocks. Form blocks become a button that opens the form (messages have no trigger to open a modal). */
export function renderBlocks(reply: Reply, options: RenderOptions): KnownBlock[] {
  const out: KnownBlock[] = [];
  let counter = 0;
  const button = (action: Action): types.Button => ({
    type: 'button',
    text: plain(action.label, 75),
    action_id: clip(`${action.id}${actionSeparator}${counter++}`, 255),
    value: action.value.slice(0, 2000),
    ...(action.style ? { style: action.style } : {}),
  });
  for (const block of reply.blocks) {
    switch (block.type) {
      case 'heading':
        out.push({ type: 'header', text: plain(block.text, 150) });
        break;
      case 'text':
        out.push(...textSections(block.text));
        break;
      case 'fields':
        for (let start = 0; start < block.fields.length; start += 10) {
          out.push({
            type: 'section',
            fields: block.fields.slice(start, start + 10).map((field) => ({
              type: 'mrkdwn' as const,
              text: clip(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, 2000),
            })),
          });
        }
        break;
      case 'choices':
        out.push(...textSections(block.prompt));
        for (const option of block.options) {
          const detail = option.detail ? ` — ${escapeMrkdwn(option.detail)}` : '';
          out.push({
            type: 'section',
            block_id: `choices-${counter}`,
            text: { type: 'mrkdwn', text: clip(`*${escapeMrkdwn(option.label)}*${detail}`, sectionLimit) },
            accessory: button(option.action),
          });
        }
        break;
      case 'actions':
        if (block.actions.length === 0) break;
        for (let start = 0; start < block.actions.length; start += 25) {
          out.push({ type: 'actions', block_id: `actions-${counter}`, elements: block.actions.slice(start, start + 25).map(button) });
        }
        break;
      case 'form':
        out.push({
          type: 'actions',
          block_id: `form-${counter}`,
          elements: [
            {
              type: 'button',
              style: 'primary',
              text: plain(`Open: ${block.form.title}`, 75),
              action_id: `${openFormActionId}${actionSeparator}${counter++}`,
              value: encodeOpenFormValue(block.form),
            },
          ],
        });
        break;
      case 'table':
        out.push(preformatted(tableText(block.columns, block.rows), '_Shortened: ask for it as CSV in a direct message to get the whole table._'));
        break;
      case 'progress': {
        const lines = block.items.map((item) => `${escapeMrkdwn(item.label)}  \`${progressBar(item.done, item.total)}\` ${item.done}/${item.total}`);
        out.push(...mrkdwnSections(lines.join('\n')));
        break;
      }
      case 'file':
        if (options.surface === 'dm') {
          out.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `:paperclip: ${escapeMrkdwn(block.name)} (attached below)` }] });
        } else {
          out.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `:page_facing_up: ${escapeMrkdwn(block.name)}` }] });
          out.push(preformatted(block.content, '_Shortened: send me the same command in a direct message to get the whole file._'));
        }
        break;
    }
  }
  return limitBlocks(out, maxBlocks[options.surface]);
}

function limitBlocks(blocks: KnownBlock[], max: number): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  return [
    ...blocks.slice(0, max - 1),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `_…and ${blocks.length - (max - 1)} more parts not shown here._` }] },
  ];
}

/** The plain-text fallback Slack shows in notifications: never more than Slack accepts. */
export function fallbackText(reply: Reply): string {
  return clip(escapeMrkdwn(reply.text || ' '), 3000);
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export function renderMessage(reply: Reply, surface: Surface): SlackMessage {
  return { text: fallbackText(reply), blocks: renderBlocks(reply, { surface }) };
}

export function renderHome(reply: Reply): types.HomeView {
  return { type: 'home', blocks: renderBlocks(reply, { surface: 'home' }) };
}
