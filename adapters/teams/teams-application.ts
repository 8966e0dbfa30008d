import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, ConfigurationBotFrameworkAuthentication, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { FormValues } from '../../src/core-context.ts';
import { pupilDisplayName } from '../../src/names/normalize-name.ts';
import { getPupilSummary } from '../../src/pupils/pupil-summary.ts';
import { describePupil, parsePupilRef } from '../../src/pupils/resolve-pupil.ts';
import type { FormSpec } from '../../src/reply.ts';
import { BotConnectorClient } from './bot-connector-client.ts';
import { claimInboundEvent, createAddressBook, knownStaffId, PlatformIdentities, releaseInboundEvent } from '../../src/platforms/index.ts';
import { forgetTeamsAddress } from './conversation-refs.ts';
import {
  actionVerb,
  cardMessage,
  formOf,
  formVerb,
  pupilDataset,
  readSubmission,
  renderCard,
  renderMessage,
  textMessage,
  type CardActionData,
} from './render-adaptive-card.ts';
import { activityLogFields, inboundKey, mentionsBot, surfaceOf, tenantOf } from './teams-activity.ts';
import { plainText } from './teams-message-text.ts';
import { tenantIsLinked } from './teams-identity.ts';
import { TeamsTurn, refusals, type CardOutcome, type TeamsEdgeDeps } from './teams-turn.ts';

/**
 * The Teams bot: a teams-ai Application over botbuilder's TeamsAdapter. Every route turns Teams
 * input into a call on the core (handleText, handleAction, submitForm, suggestPupils, home) and
 * renders what comes back; nothing here knows about concerns, meetings or any other feature.
 */
/**
 * The adapter, with one addition: a turn for an activity whose token tutorbot has already checked
 * (authenticate-activity.ts), answering with the invoke response instead of writing it itself.
 */
/** botbuilder's AuthenticateRequestResult, which it does not export by name. */
export type AuthenticatedRequest = Exclude<Parameters<TeamsAdapter['processActivityDirect']>[0], string>;

export class TutorbotTeamsAdapter extends TeamsAdapter {
  runTurn(authenticated: AuthenticatedRequest, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}

export interface TeamsEdge {
  adapter: TutorbotTeamsAdapter;
  application: Application;
  /** Checks inbound tokens, with the same settings as the adapter (see authenticate-activity.ts). */
  authentication: ConfigurationBotFrameworkAuthentication;
}

const claimedEventKey = Symbol('tutorbot.claimedEvent');

const greeting =
  'Hello! I’m tutorbot. Ask me things like “who tutors Amelia Jones”, or say “help” to see everything I can do. ' +
  'When someone logs a concern or praise about one of your tutees, it comes to you here.';
const channelIntro =
  'Hello! I’m tutorbot. Mention me with a command, for example “@tutorbot who tutors Amelia Jones”. ' +
  'Anything about a pupil comes to you in a private chat, never in this conversation.';

/**
 * botbuilder treats any one endpoint setting as a custom cloud and then uses only the settings
 * given, so moving where the signing keys come from means naming the public cloud's other values
 * too (AuthenticationConstants in botframework-connector, which botbuilder does not re-export).
 */
function publicCloudWithKeysFrom(openIdMetadataUrl: string): Record<string, string> {
  return {
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: 'urn:botframework:azure',
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl,
  };
}

export function createTeamsEdge(app: TeamsEdgeDeps['app'], options: { connector?: BotConnectorClient } = {}): TeamsEdge {
  const config = app.config.teams;
  if (!config) throw new Error('Teams is not configured');
  const deps: TeamsEdgeDeps = {
    app,
    config,
    connector: options.connector ?? new BotConnectorClient(config),
    identities: new PlatformIdentities(app.core),
    addresses: createAddressBook(app.core, app.deliveries),
  };
  const { core, bot } = app;

  const authConfig = {
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appType === 'UserAssignedMSI' ? undefined : config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId || undefined,
    ...(config.openIdMetadataUrl ? publicCloudWithKeysFrom(config.openIdMetadataUrl) : {}),
  };
  const adapter = new TutorbotTeamsAdapter(authConfig);
  const authentication = new ConfigurationBotFrameworkAuthentication(authConfig);
  adapter.onTurnError = async (context, error) => {
    const key = context.turnState.get(claimedEventKey) as string | undefined;
    if (key) await releaseInboundEvent(core, 'teams', key).catch(() => {});
    core.log.error('teams_turn_failed', {
      ...activityLogFields(context.activity),
      error: (error as Error)?.name ?? 'unknown',
      status: (error as { statusCode?: number })?.statusCode ?? null,
    });
    const sorry = 'Sorry, something went wrong on my side and nothing was saved. Please try again in a moment.';
    if (context.activity.type === ActivityTypes.Invoke) await sendInvokeMessage(context, sorry).catch(() => {});
    else if (context.activity.type === ActivityTypes.Message) await context.sendActivity(textMessage(sorry)).catch(() => {});
  };

  // No typing indicator: the timer is shared across concurrent turns in teams-ai 1.x, and answers are quick.
  const application = new Application<TurnState>({
    adapter,
    botAppId: config.appId || undefined,
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
  });

  // A redelivered message or card action is answered once only.
  application.turn('beforeTurn', async (context) => {
    const activity = context.activity;
    const deduplicated = activity.type === ActivityTypes.Message || (activity.type === ActivityTypes.Invoke && activity.name === 'adaptiveCard/action');
    const key = deduplicated ? inboundKey(activity) : null;
    if (!key) return true;
    if (await claimInboundEvent(core, 'teams', key)) {
      context.turnState.set(claimedEventKey, key);
      return true;
    }
    core.log.info('teams_duplicate_activity', activityLogFields(activity));
    if (activity.type === ActivityTypes.Invoke) await sendInvokeMessage(context, 'That was already received.');
    return false;
  });

  application.conversationUpdate('membersAdded', async (context) => {
    const activity = context.activity;
    if (!(activity.membersAdded ?? []).some((member) => member.id === activity.recipient.id)) return;
    if (surfaceOf(activity) === 'shared') {
      const tenantId = tenantOf(activity);
      const linked = await tenantIsLinked(core, tenantId, config);
      await context.sendActivity(textMessage(linked ? channelIntro : refusals.notLinked(tenantId)));
      return;
    }
    // Installed in personal scope: remember the chat (releasing queued messages) and say hello.
    const opened = await TeamsTurn.open(context, deps);
    if ('refusal' in opened) {
      await context.sendActivity(textMessage(opened.refusal));
      return;
    }
    const { turn } = opened;
    const home = await bot.home(turn.actor, turn.channel);
    await context.sendActivity(renderMessage({ ...home, blocks: [{ type: 'text', text: greeting }, ...home.blocks] }));
  });

  // The app was removed from someone's personal scope: forget the chat, so their messages wait
  // (as 'unreachable') instead of failing against it, until they install it again.
  application.conversationUpdate('membersRemoved', async (context) => {
    const activity = context.activity;
    if (surfaceOf(activity) !== 'direct') return;
    if (!(activity.membersRemoved ?? []).some((member) => member.id === activity.recipient.id)) return;
    const tenantId = tenantOf(activity);
    if (!tenantId) return;
    const staffId = await knownStaffId(core, { platform: 'teams', workspaceId: tenantId, userId: activity.from.id });
    if (!staffId) return;
    const removed = await forgetTeamsAddress(deps.addresses, staffId, activity.conversation.id);
    if (removed) core.log.info('teams_app_removed', { staffId });
  });

  // Type-ahead for pupil pickers (Input.ChoiceSet with a Data.Query on dataset "pupils").
  application.adaptiveCards.search(pupilDataset, async (context, _state, query) => {
    const opened = await TeamsTurn.open(context, deps, { remember: false });
    if ('refusal' in opened) return [];
    const count = Math.min(Math.max(Number(query.count) || 15, 1), 15);
    const found = await bot.suggestPupils(opened.turn.actor, String(query.parameters.queryText ?? ''), count);
    return found.map((pupil) => ({ title: pupil.label, value: pupil.value }));
  });

  // Action.Execute: the answer goes back in the invoke response (and replaces the card in place).
  application.adaptiveCards.actionExecute(
    async (context) => {
      const activity = context.activity;
      const verb = (activity.value as { action?: { type?: string; verb?: string } } | undefined)?.action;
      return (
        activity.type === ActivityTypes.Invoke &&
        activity.name === 'adaptiveCard/action' &&
        verb?.type === 'Action.Execute' &&
        (verb.verb === actionVerb || verb.verb === formVerb)
      );
    },
    async (context, _state, data) => {
      const opened = await TeamsTurn.open(context, deps);
      if ('refusal' in opened) return opened.refusal;
      const submission = readSubmission(data);
      const outcome = await handleCard(opened.turn, submission.data, submission.values, context.activity.replyToId, true);
      return outcome.kind === 'card' ? outcome.card : outcome.text;
    },
  );

  // Action.Submit (hosts without Universal Actions): a message with `value` and no text.
  application.adaptiveCards.actionSubmit(
    async (context) => {
      const activity = context.activity;
      const value = activity.value as Record<string, unknown> | undefined;
      return (
        activity.type === ActivityTypes.Message &&
        !activity.text &&
        typeof value === 'object' &&
        value !== null &&
        (typeof value.tutorbotAction === 'string' || typeof value.tutorbotForm === 'string')
      );
    },
    async (context, _state, value) => {
      const opened = await TeamsTurn.open(context, deps);
      if ('refusal' in opened) {
        await context.sendActivity(textMessage(opened.refusal));
        return;
      }
      const submission = readSubmission(value);
      const outcome = await handleCard(opened.turn, submission.data, submission.values, context.activity.replyToId, false);
      if (outcome.kind === 'message') await opened.turn.sendText(outcome.text);
      else if (!outcome.updated) await context.sendActivity(cardMessage(outcome.card));
    },
  );

  application.activity(ActivityTypes.Message, async (context) => {
    const activity = context.activity;
    // In channels Teams sends only messages that @mention the bot; anything else is not for us.
    if (surfaceOf(activity) === 'shared' && !mentionsBot(activity)) return;
    const opened = await TeamsTurn.open(context, deps);
    if ('refusal' in opened) {
      await context.sendActivity(textMessage(opened.refusal));
      return;
    }
    const reply = await bot.handleText(opened.turn.actor, plainText(activity.text ?? ''), opened.turn.channel);
    await opened.turn.respond(reply);
  });

  // Invokes no route took (a card action with an unknown verb or a malformed value, a search of
  // another dataset, a kind tutorbot does not serve): botbuilder would answer 501. Each gets an
  // answer instead: the card's "no longer in use", no results, or a clean 400.
  application.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke,
    async (context) => {
      const name = context.activity.name;
      core.log.info('teams_invoke_not_handled', activityLogFields(context.activity));
      if (name === 'adaptiveCard/action') await sendInvokeMessage(context, 'That button is no longer in use. Please run the command again.');
      else if (name === 'application/search')
        await sendInvokeResponse(context, 200, { type: 'application/vnd.microsoft.search.searchResponse', value: { results: [] } });
      else
        await sendInvokeResponse(context, 400, {
          statusCode: 400,
          type: 'application/vnd.microsoft.error',
          value: { code: 'NotSupported', message: 'tutorbot does not handle this kind of request.' },
        });
    },
  );

  async function handleCard(turn: TeamsTurn, data: CardActionData, values: FormValues, replyToId: string | undefined, invoke: boolean): Promise<CardOutcome> {
    if (data.tutorbotForm) {
      const outcome = await bot.submitForm(turn.actor, data.tutorbotForm, values, data.tutorbotState, turn.channel);
      if (outcome.ok) return turn.answerInPlace(outcome.reply, replyToId);
      core.log.info('teams_form_rejected', { staffId: turn.actor.staffId, fields: Object.keys(outcome.errors).length });
      const card = await errorCard(turn, data, values, outcome.errors);
      if (!card) return { kind: 'message', text: Object.values(outcome.errors).join('\n') };
      // Action.Execute shows the corrected card to the person who submitted it; Action.Submit can only update the message.
      if (!invoke && replyToId) {
        await turn.context.updateActivity({ ...cardMessage(card), id: replyToId });
        return { kind: 'card', card, updated: true };
      }
      return { kind: 'card', card, updated: false };
    }
    if (data.tutorbotAction) {
      const reply = await bot.handleAction(turn.actor, data.tutorbotAction, data.value ?? '', turn.channel);
      return turn.answerInPlace(reply, replyToId);
    }
    return { kind: 'message', text: 'That button is no longer in use. Please run the command again.' };
  }

  /** The form again, with what the person typed and a message by each field to correct. */
  async function errorCard(turn: TeamsTurn, data: CardActionData, values: FormValues, errors: Record<string, string>) {
    const reopened = await bot.openForm(turn.actor, data.tutorbotForm!, {}, turn.channel);
    const spec = formOf(reopened);
    if (!spec) return null;
    const form: FormSpec = {
      ...spec,
      state: data.tutorbotState ?? spec.state,
      fields: await Promise.all(
        spec.fields.map(async (field) => {
          const value = values[field.id];
          if (field.kind !== 'pupil' || typeof value !== 'string') return field;
          return { ...field, initial: value, initialLabel: await pupilLabel(turn.actor.schoolId, value) };
        }),
      ),
    };
    return renderCard({ text: reopened.text, blocks: [{ type: 'form', form }], privacy: 'none' }, { formErrors: errors, formValues: values });
  }

  async function pupilLabel(schoolId: number, value: string): Promise<string> {
    const id = parsePupilRef(value);
    if (id === null) return value;
    const pupil = await getPupilSummary(core.db, schoolId, id);
    return pupil ? `${pupilDisplayName(pupil)} (${describePupil(pupil)})` : value;
  }

  return { adapter, application, authentication };
}

/** An invoke answered with a short message (shown by Teams next to the card). */
async function sendInvokeMessage(context: TurnContext, text: string): Promise<void> {
  await sendInvokeResponse(context, 200, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });
}

async function sendInvokeResponse(context: TurnContext, status: number, body: unknown): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
}
