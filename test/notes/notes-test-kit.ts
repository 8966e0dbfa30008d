import type { Actor, RequestOrigin } from '../../src/staff/actor.ts';
import type { Action, Reply } from '../../src/reply.ts';
import { startTestApp, type TestApp, type TestClock } from '../support/test-app.ts';
import type { Engine } from '../support/test-database.ts';
import { notesRoster, people } from './notes-roster.ts';
import { RecordingMessenger, type RecordedMessage } from '../support/recording-messenger.ts';

/**
 * One tutorbot per test file for the notes tests: the real core and database, the notes school,
 * and a recording messenger on the recipients' side. Requests go through app.bot exactly as the
 * console adapter sends them; deliveries are sent when a test says so.
 */
export const consoleChannel: RequestOrigin = { platform: 'console', conversation: 'direct' };
export const slackChannel: RequestOrigin = { platform: 'slack', conversation: 'direct' };

export type Person = keyof typeof people;

export interface NotesKit {
  app: TestApp;
  messenger: RecordingMessenger;
  who: Record<Person, Actor>;
  say(actor: Actor, text: string, channel?: RequestOrigin): Promise<Reply>;
  press(actor: Actor, action: Action, channel?: RequestOrigin): Promise<Reply>;
  /** Sends every queued message that is due, as the delivery worker would. */
  deliver(): Promise<number>;
  inbox(actor: Actor): RecordedMessage[];
  close(): Promise<void>;
}

export async function startNotesKit(engine: Engine, options: { jobs?: 'none' | 'send'; clock?: TestClock } = {}): Promise<NotesKit> {
  const messenger = new RecordingMessenger();
  const app = await startTestApp(engine, { roster: notesRoster(), messengers: [messenger], jobs: options.jobs ?? 'none', clock: options.clock });
  const who = {} as Record<Person, Actor>;
  for (const [key, email] of Object.entries(people)) who[key as Person] = await app.actor(email);
  return {
    app,
    messenger,
    who,
    say: (actor, text, channel = consoleChannel) => app.bot.handleText(actor, text, channel),
    press: (actor, action, channel = consoleChannel) => app.bot.handleAction(actor, action.id, action.value, channel),
    deliver: () => app.deliveries.sweep({ includeUnreachable: true }),
    inbox: (actor) => messenger.to(actor.staffId),
    close: () => app.close(),
  };
}

/** The button with this action id in a reply (action rows and choice lists alike). */
export function findAction(reply: Reply, actionId: string, index = 0): Action {
  const found: Action[] = [];
  for (const block of reply.blocks) {
    if (block.type === 'actions') found.push(...block.actions.filter((action) => action.id === actionId));
    if (block.type === 'choices') found.push(...block.options.map((option) => option.action).filter((action) => action.id === actionId));
  }
  if (!found[index]) throw new Error(`no ${actionId} button in: ${reply.text}`);
  return found[index];
}

export function actionIds(reply: Reply): string[] {
  return reply.blocks.flatMap((block) =>
    block.type === 'actions' ? block.actions.map((action) => action.id) : block.type === 'choices' ? block.options.map((option) => option.action.id) : [],
  );
}

export async function noteRows(app: TestApp) {
  return app.core.db.selectFrom('note').selectAll().orderBy('id').execute();
}

export async function lastNote(app: TestApp) {
  return app.core.db.selectFrom('note').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
}
