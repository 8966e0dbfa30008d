import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/logger.ts';
import type { Reply } from '../../src/reply.ts';
import { fileBlocks, findForm, renderMessage, type Surface } from './render-block-kit.ts';
import { renderModal, type FormOrigin } from './render-modal.ts';

/**
 * Sends a reply where it belongs. Nothing is ever posted for the whole channel to see: answers
 * to slash commands, @mentions and buttons in channels are ephemeral; direct messages are
 * answered in the DM. A reply holding a form opens it as a modal when Slack gave us a trigger
 * (valid for 3 s, single use); otherwise it shows a button that opens it.
 */
export type ReplyTarget =
  /** A slash command's, shortcut's or button's response_url; `channelId` when it is a DM. */
  | { kind: 'response_url'; url: string; conversation: 'direct' | 'shared'; replaceOriginal?: boolean; channelId?: string }
  /** A direct message to the user (App Home, global shortcuts, modal submissions). */
  | { kind: 'dm'; userId: string; channelId?: string }
  /** Only this user sees it, in this channel (@mentions). */
  | { kind: 'ephemeral'; channelId: string; userId: string };

export interface ReplyContext {
  triggerId?: string;
  /** Where the form's submission should answer. */
  formOrigin?: Omit<FormOrigin, 'formId' | 'state'>;
}

export type ReplyOutcome = 'modal' | 'message';

export class SlackReplier {
  readonly #client: webApi.WebClient;
  readonly #log: Logger;

  constructor(client: webApi.WebClient, log: Logger) {
    this.#client = client;
    this.#log = log;
  }

  async send(reply: Reply, target: ReplyTarget, context: ReplyContext = {}): Promise<ReplyOutcome> {
    const form = findForm(reply);
    if (form && context.triggerId) {
      const origin = context.formOrigin ?? defaultOrigin(target);
      if (await this.openModal(form, origin, context.triggerId)) return 'modal';
    }
    await this.#post(reply, target);
    return 'message';
  }

  /** Opens the form; false when Slack refused (the trigger expired): the caller falls back to a button. */
  async openModal(form: NonNullable<ReturnType<typeof findForm>>, origin: Omit<FormOrigin, 'formId' | 'state'>, triggerId: string): Promise<boolean> {
    try {
      await this.#client.views.open({ trigger_id: triggerId, view: renderModal(form, origin) });
      return true;
    } catch (error) {
      this.#log.warn('slack_modal_open_failed', { formId: form.id, error: slackErrorCode(error) });
      return false;
    }
  }

  async #post(reply: Reply, target: ReplyTarget): Promise<void> {
    const direct = target.kind === 'dm' || (target.kind === 'response_url' && target.conversation === 'direct');
    const surface: Surface = direct ? 'dm' : 'message';
    const message = renderMessage(reply, surface);
    let channelId: string | undefined;
    switch (target.kind) {
      case 'response_url':
        await postToResponseUrl(target.url, {
          // In a DM everyone who can see it is the asker; in a channel only the asker may.
          response_type: target.conversation === 'direct' ? 'in_channel' : 'ephemeral',
          replace_original: target.replaceOriginal ?? false,
          ...message,
        });
        channelId = target.channelId;
        break;
      case 'dm':
        channelId = target.channelId ?? (await this.openDm(target.userId));
        await this.#client.chat.postMessage({ channel: channelId, ...message });
        break;
      case 'ephemeral':
        await this.#client.chat.postEphemeral({ channel: target.channelId, user: target.userId, ...message });
        break;
    }
    if (surface === 'dm' && channelId) {
      for (const file of fileBlocks(reply)) {
        await this.#client.filesUploadV2({ channel_id: channelId, filename: file.name, title: file.name, content: file.content });
      }
    }
  }

  async openDm(userId: string): Promise<string> {
    const opened = await this.#client.conversations.open({ users: userId });
    const id = opened.channel?.id;
    if (!id) throw new Error('conversations.open returned no channel');
    return id;
  }
}

function defaultOrigin(target: ReplyTarget): Omit<FormOrigin, 'formId' | 'state'> {
  if (target.kind === 'response_url') return { conversation: target.conversation, responseUrl: target.url };
  return { conversation: 'direct' };
}

/** Bolt's respond() without a listener: view submissions keep the opener's response_url themselves. */
export async function postToResponseUrl(url: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw Object.assign(new Error(`response_url answered ${response.status}`), { code: 'tutorbot_slack_response_url_failed' });
  await response.arrayBuffer();
}

export function slackErrorCode(error: unknown): string {
  const typed = error as { code?: string; data?: { error?: string } };
  return typed?.data?.error ?? typed?.code ?? 'unexpected';
}
