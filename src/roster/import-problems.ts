import { TutorbotError } from '../errors.ts';

/**
 * The problems found in a roster before anything is written. Parsers keep going after the first
 * one so that a school fixing its export sees everything wrong at once, not one error per attempt;
 * past a limit the rest are only counted, since a wholly wrong file would otherwise print
 * thousands of lines.
 */
export class ImportProblems {
  readonly limit: number;
  readonly messages: string[] = [];
  count = 0;

  constructor(limit = 20) {
    this.limit = limit;
  }

  add(message: string): void {
    this.count += 1;
    if (this.messages.length < this.limit) this.messages.push(message);
  }

  throwIfAny(): void {
    if (this.count > 0) throw importInvalid(this.messages, this.count);
  }
}

export function importInvalid(messages: string[], count = messages.length, cause?: unknown): TutorbotError {
  const more = count - messages.length;
  const message =
    count === 1
      ? `${messages[0]} Nothing was imported.`
      : `The roster was not imported (nothing was changed); fix these ${count} problems and import again:\n` +
        messages.map((line) => `- ${line}`).join('\n') +
        (more > 0 ? `\n- …and ${more} more like these.` : '');
  return new TutorbotError('tutorbot_import_invalid', message, { cause });
}
