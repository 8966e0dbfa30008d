/**
 * Every error tutorbot raises on purpose carries a stable string code (for logs, tests and
 * support) and, where it wraps something else, a `cause`. Messages are written for the person
 * who has to fix the problem: they say what was wrong and what to do.
 */
export class TutorbotError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TutorbotError';
    this.code = code;
  }
}

export function isTutorbotError(error: unknown, code?: string): error is TutorbotError {
  return error instanceof TutorbotError && (code === undefined || error.code === code);
}
