import type { App as BoltApp } from '@slack/bolt';
import type { FormOutcome } from '../../src/core-context.ts';
import { textReply, type FormSpec } from '../../src/reply.ts';
import { publishHome } from './conversation-listeners.ts';
import { coreActionId, decodeOpenFormValue, findForm, openFormActionId } from './render-block-kit.ts';
import { decodeFormOrigin, formCallbackId, mapFormErrors, readFormValues, renderModal, type FormOrigin } from './render-modal.ts';
import { afterAck, conversationOf, plainMessageText, slackChannel, type SlackEdgeContext } from './slack-edge-context.ts';
import type { SlackUserRef } from './slack-identity.ts';
import { slackErrorCode, type ReplyTarget } from './slack-replier.ts';

/**
 * Interactivity: shortcuts open forms, buttons dispatch to the core's actions, the pupil picker
 * searches as you type, and modal submissions go to the core's forms. Every interaction is
 * acknowledged within Slack's 3 s; a submission is acknowledged with its field errors when the
 * core finds some, so the modal stays open to correct them.
 */

/** The shortcut callback ids declared in manifest/slack/manifest.yml. */
export const logConcernShortcut = 'log_concern';
export const logAsConcernShortcut = 'log_as_concern';
/** Slack closes a submission after 3 s; past this the modal closes and the outcome goes by DM. */
const submitDeadlineMs = 2_500;

interface InteractionBody {
  type: string;
  user: { id: string; team_id?: string };
  team?: { id: string; enterprise_id?: string } | null;
  enterprise?: { id: string } | null;
  is_enterprise_install?: boolean;
  channel?: { id: string } | null;
  response_url?: string;
  trigger_id?: string;
  callback_id?: string;
  message?: { text?: string };
  container?: { type?: string; is_ephemeral?: boolean };
  view?: {
    type?: string;
    callback_id?: string;
    private_metadata?: string;
    state?: { values: Record<string, Record<string, never>> };
    blocks?: { block_id?: string; type?: string }[];
  };
  actions?: { type: string; action_id: string; block_id?: string; value?: string }[];
  action_id?: string;
  value?: string;
}

function userRef(body: InteractionBody): SlackUserRef {
  return {
    teamId: body.user.team_id ?? body.team?.id ?? null,
    enterpriseId: body.enterprise?.id ?? body.team?.enterprise_id ?? null,
    isEnterpriseInstall: body.is_enterprise_install ?? false,
    userId: body.user.id,
  };
}

export function registerInteractionListeners(bolt: BoltApp, edge: SlackEdgeContext): void {
  const { app, identity, replier } = edge;

  // One listener per kind, so that an unknown callback id is still acknowledged exactly once.
  bolt.shortcut(/.*/, async ({ body: raw, ack }) => {
    await ack();
    const body = raw as unknown as InteractionBody;
    const fromMessage = body.type === 'message_action';
    const conversation = fromMessage ? conversationOf(body.channel?.id) : 'direct';
    const target: ReplyTarget =
      fromMessage && body.response_url
        ? { kind: 'response_url', url: body.response_url, conversation, channelId: conversation === 'direct' ? body.channel?.id : undefined }
        : { kind: 'dm', userId: body.user.id };
    await afterAck(edge, `shortcut:${body.callback_id}`, target, async () => {
      const who = await identity.resolve(userRef(body));
      if (!who.ok) return void (await replier.send(who.reply, target));
      if (body.callback_id !== logConcernShortcut && body.callback_id !== logAsConcernShortcut) {
        return void (await replier.send(textReply('That shortcut is not in use any more.'), target));
      }
      const prefill = fromMessage ? { text: plainMessageText(body.message?.text, 'drop') || undefined } : {};
      const reply = await app.bot.openForm(who.actor, 'concern', prefill, slackChannel(conversation));
      await replier.send(reply, target, {
        triggerId: body.trigger_id,
        formOrigin: { conversation, responseUrl: target.kind === 'response_url' ? target.url : undefined },
      });
    });
  });

  bolt.action({ type: 'block_actions' }, async ({ body: raw, ack }) => {
    await ack();
    const body = raw as unknown as InteractionBody;
    const pressed = body.actions?.[0];
    // Only buttons act; select menus in our messages are answered when their form is submitted.
    if (!pressed || pressed.type !== 'button') return;
    const inHome = body.view?.type === 'home';
    const conversation = conversationOf(body.channel?.id);
    const target: ReplyTarget = body.response_url
      ? {
          kind: 'response_url',
          url: body.response_url,
          conversation,
          // A pick from a list has done its job: the answer replaces the list.
          replaceOriginal: pressed.block_id?.startsWith('choices-') ?? false,
          channelId: conversation === 'direct' ? body.channel?.id : undefined,
        }
      : { kind: 'dm', userId: body.user.id };
    await afterAck(edge, 'block_actions', target, async () => {
      const who = await identity.resolve(userRef(body));
      if (!who.ok) return void (await replier.send(who.reply, { ...target, ...(target.kind === 'response_url' ? { replaceOriginal: false } : {}) }));
      const actionId = coreActionId(pressed.action_id);
      const channel = slackChannel(conversation);
      const formOrigin = { conversation, responseUrl: target.kind === 'response_url' ? target.url : undefined };
      if (actionId === openFormActionId) {
        const wanted = decodeOpenFormValue(pressed.value ?? '');
        if (!wanted) return;
        const form: FormSpec | null = wanted.form ?? findForm(await app.bot.openForm(who.actor, wanted.formId, {}, channel));
        if (form && body.trigger_id && (await replier.openModal(form, formOrigin, body.trigger_id))) return;
        await replier.send(textReply('Sorry, the form could not be opened. Please try again.'), {
          ...target,
          ...(target.kind === 'response_url' ? { replaceOriginal: false } : {}),
        });
        return;
      }
      const reply = await app.bot.handleAction(who.actor, actionId, pressed.value ?? '', channel);
      await replier.send(reply, target, { triggerId: body.trigger_id, formOrigin });
      if (inHome) await publishHome(edge, userRef(body), body.user.id);
    });
  });

  bolt.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ body: raw, ack }) => {
    const body = raw as unknown as InteractionBody;
    try {
      const who = await identity.resolve(userRef(body));
      const pupils = who.ok ? await app.bot.suggestPupils(who.actor, String(body.value ?? '')) : [];
      await ack({ options: pupils.map((pupil) => ({ text: { type: 'plain_text' as const, text: pupil.label }, value: pupil.value })) });
    } catch (error) {
      app.core.log.error('slack_request_failed', { what: 'block_suggestion', error: slackErrorCode(error) });
      await ack({ options: [] });
    }
  });

  bolt.view(/.*/, async ({ body: raw, ack }) => {
    const body = raw as unknown as InteractionBody;
    const origin = body.view?.callback_id === formCallbackId ? decodeFormOrigin(body.view?.private_metadata) : null;
    if (body.type !== 'view_submission' || !origin) return void (await ack());
    const who = await identity.resolve(userRef(body));
    if (!who.ok) {
      await ack({
        response_action: 'update',
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: 'tutorbot' },
          blocks: [{ type: 'section', text: { type: 'plain_text', text: who.reply.text } }],
        },
      });
      return;
    }
    const channel = slackChannel(origin.conversation);
    const submitting = app.bot.submitForm(who.actor, origin.formId, readFormValues(body.view?.state?.values ?? {}), origin.state, channel);
    const outcome = await Promise.race([submitting, delay(submitDeadlineMs).then(() => null)]);
    const blockIds = (body.view?.blocks ?? []).filter((block) => block.type === 'input' && block.block_id).map((block) => block.block_id as string);
    if (outcome && !outcome.ok) {
      await ack({ response_action: 'errors', errors: mapFormErrors(outcome.errors, blockIds) });
      return;
    }
    const next = outcome?.ok ? findForm(outcome.reply) : null;
    if (next) {
      await ack({ response_action: 'update', view: renderModal(next, { conversation: origin.conversation, responseUrl: origin.responseUrl }) });
      return;
    }
    await ack();
    await afterAck(edge, 'view_submission', { kind: 'dm', userId: body.user.id }, async () => {
      await sendOutcome(edge, outcome ?? (await submitting), origin, body.user.id);
    });
  });

  bolt.error(async (error) => {
    app.core.log.error('slack_listener_failed', { error: slackErrorCode(error) });
  });
}

/** The submission's answer, privately: where the form was opened from, else (or if that expired) by DM. */
async function sendOutcome(edge: SlackEdgeContext, outcome: FormOutcome, origin: FormOrigin, userId: string): Promise<void> {
  const reply = outcome.ok ? outcome.reply : textReply(`Nothing was saved: ${Object.values(outcome.errors).join(' ')} Please open the form again.`);
  if (origin.responseUrl) {
    try {
      await edge.replier.send(reply, { kind: 'response_url', url: origin.responseUrl, conversation: origin.conversation });
      return;
    } catch (error) {
      // response_urls expire after 30 minutes; a slow form-filler still gets the answer.
      edge.app.core.log.info('slack_response_url_expired', { error: slackErrorCode(error) });
    }
  }
  await edge.replier.send(reply, { kind: 'dm', userId });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
