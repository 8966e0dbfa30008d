import readline from 'node:readline';
import type { Actor, RequestOrigin } from '../../src/staff/actor.ts';
import type { Action, Reply } from '../../src/reply.ts';
import type { Tutorbot } from '../../src/tutorbot.ts';
import type { ConsoleMessenger } from './console-messenger.ts';
import { renderConsoleReply } from './render-console.ts';

/**
 * `tutorbot chat --as <email>`: the same grammar as Slack and Teams, at a prompt. When standard
 * input is not a terminal it reads one command a line, so it can be scripted.
 */
export interface ConsoleChatOptions {
  bot: Tutorbot;
  actor: Actor;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
  banner?: string;
  /** Delivers the actor's direct messages into this chat while it runs. */
  messenger?: ConsoleMessenger;
  /** Called once the chat is listening (e.g. to flush messages queued for this person). */
  onReady?: () => Promise<void>;
}

const channel: RequestOrigin = { platform: 'console', conversation: 'direct' };

export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const { bot, actor, output } = options;
  const write = (text: string) => output.write(text.endsWith('\n') ? text : `${text}\n`);
  let numbered: Action[] = [];
  const show = (reply: Reply) => {
    const rendered = renderConsoleReply(reply);
    if (rendered.actions.length > 0) numbered = rendered.actions;
    write(rendered.text);
  };

  const rl = readline.createInterface({ input: options.input, output: options.interactive ? output : undefined, terminal: options.interactive });
  if (options.banner) write(options.banner);
  const prompt = () => {
    if (options.interactive) rl.prompt();
  };
  rl.setPrompt('tutorbot> ');
  options.messenger?.attach(actor.staffId, (message) => {
    write('');
    show(message);
    prompt();
  });
  // Lines are collected from here on: piped input can arrive while onReady works, and readline
  // does not keep lines for an iterator that is not there yet.
  const lines = rl[Symbol.asyncIterator]();
  await options.onReady?.();
  prompt();
  for await (const line of { [Symbol.asyncIterator]: () => lines }) {
    const text = line.trim();
    if (['quit', 'exit', 'bye'].includes(text.toLowerCase())) break;
    if (text) {
      const choice = /^\d{1,2}$/.test(text) ? numbered[Number(text) - 1] : undefined;
      if (/^\d{1,2}$/.test(text) && !choice) write('There is no choice with that number.');
      else show(choice ? await bot.handleAction(actor, choice.id, choice.value, channel) : await bot.handleText(actor, text, channel));
    }
    if (!options.interactive) write('');
    prompt();
  }
  rl.close();
  options.messenger?.detach();
}
