import type { Actor, RequestOrigin } from './staff/actor.ts';
import type { CoreContext, FormOutcome, FormValues, Request } from './core-context.ts';
import { isTutorbotError } from './errors.ts';
import type { FeatureRegistry } from './feature.ts';
import { parseCommand } from './grammar/parse-command.ts';
import { pupilDisplayName } from './names/normalize-name.ts';
import { findPupils, maxPupilQueryLength } from './pupils/find-pupils.ts';
import { describePupil, pupilRef } from './pupils/resolve-pupil.ts';
import { reply, textReply, type Block, type Reply } from './reply.ts';

/**
 * The core's front door. Adapters hand it an actor and what they received (text, a button,
 * a form) and get a platform-neutral Reply back. It knows nothing of Slack or Teams.
 */
export class Tutorbot {
  readonly core: CoreContext;
  readonly #features: FeatureRegistry;

  /** `features` is the registry the composition root built (src/app/feature-registry.ts). */
  constructor(core: CoreContext, features: FeatureRegistry) {
    this.core = core;
    this.#features = features;
  }

  async handleText(actor: Actor, text: string, channel: RequestOrigin): Promise<Reply> {
    const intent = parseCommand(text);
    const request: Request = { core: this.core, actor, channel };
    return this.#guard(request, `command:${intent.kind}`, async () => {
      if (intent.kind === 'empty') return textReply('Say "help" to see what I can do.');
      if (intent.kind === 'unknown') {
        const hint = intent.suggestion ? ` Did you mean "${intent.suggestion}"?` : '';
        return textReply(`Sorry, I did not understand that.${hint} Say "help" for the commands, with examples.`);
      }
      const handler = this.#features.commands.get(intent.kind);
      if (!handler) return textReply(`"${intent.kind}" is not available yet. Say "help" to see what works today.`);
      return handler(request, intent as never);
    });
  }

  async handleAction(actor: Actor, actionId: string, value: string, channel: RequestOrigin): Promise<Reply> {
    const request: Request = { core: this.core, actor, channel };
    return this.#guard(request, `action:${actionId}`, async () => {
      const handler = this.#features.actions.get(actionId);
      if (!handler) return textReply('That button is no longer in use. Please run the command again.');
      return handler(request, value);
    });
  }

  async openForm(actor: Actor, formId: string, prefill: { pupilId?: number; pupilQuery?: string; text?: string }, channel: RequestOrigin): Promise<Reply> {
    const request: Request = { core: this.core, actor, channel };
    return this.#guard(request, `form-open:${formId}`, async () => {
      const form = this.#features.forms.get(formId);
      if (!form) return textReply('That form is not available.');
      return form.open(request, prefill);
    });
  }

  async submitForm(actor: Actor, formId: string, values: FormValues, state: string | undefined, channel: RequestOrigin): Promise<FormOutcome> {
    const request: Request = { core: this.core, actor, channel };
    const form = this.#features.forms.get(formId);
    if (!form) return { ok: true, reply: textReply('That form is no longer in use. Please open it again.') };
    try {
      return await form.submit(request, values, state);
    } catch (error) {
      return { ok: true, reply: this.#failure(request, `form-submit:${formId}`, error) };
    }
  }

  /**
   * Pupils matching what has been typed so far, for type-ahead pickers (Slack external_select,
   * Teams Input.ChoiceSet with a data query). Values are pupil references the forms accept.
   */
  async suggestPupils(actor: Actor, typed: string, limit = 20): Promise<{ value: string; label: string }[]> {
    // Type-ahead runs on every keystroke: a pasted essay is not a name and costs the database nothing.
    if (typed.trim().length < 2 || typed.length > maxPupilQueryLength) return [];
    const match = await findPupils(this.core.db, actor.schoolId, typed);
    const pupils = match.kind === 'one' ? [match.pupil] : match.kind === 'several' ? match.pupils : match.suggestions;
    return pupils.slice(0, limit).map((pupil) => ({
      value: pupilRef(pupil.id),
      label: `${pupilDisplayName(pupil)} (${describePupil(pupil)})`.slice(0, 75),
    }));
  }

  /** The viewer's home: what they need to do, from every feature that contributes a section. */
  async home(actor: Actor, channel: RequestOrigin): Promise<Reply> {
    const request: Request = { core: this.core, actor, channel };
    return this.#guard(request, 'home', async () => {
      const blocks: Block[] = [{ type: 'heading', text: `tutorbot for ${actor.displayName}` }];
      for (const section of this.#features.homeSections) blocks.push(...(await section(request)));
      if (blocks.length === 1) blocks.push({ type: 'text', text: 'Nothing needs you right now. Say "help" to see what I can do.' });
      return reply(blocks, 'pupil');
    });
  }

  async #guard(request: Request, what: string, work: () => Promise<Reply>): Promise<Reply> {
    try {
      return await work();
    } catch (error) {
      return this.#failure(request, what, error);
    }
  }

  // A failure is logged with ids and a code and answered politely; nothing about the pupil leaks.
  #failure(request: Request, what: string, error: unknown): Reply {
    if (isTutorbotError(error) && error.code.startsWith('tutorbot_user_')) return textReply(error.message);
    this.core.log.error('request_failed', {
      what,
      staffId: request.actor.staffId,
      schoolId: request.actor.schoolId,
      code: isTutorbotError(error) ? error.code : 'unexpected',
      // Driver errors can quote row values (names), so only their codes are logged by default.
      sqlState: typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined,
    });
    this.core.log.debug('request_failed_detail', { what, error: error instanceof Error ? error.message : String(error) });
    return textReply('Sorry, something went wrong on my side and nothing was saved. Please try again in a moment.');
  }
}
