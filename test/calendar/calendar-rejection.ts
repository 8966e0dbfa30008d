import { expect } from 'vitest';
import { TutorbotError } from '../../src/errors.ts';

/** The message a calendar file is refused with, after checking it is refused as a calendar problem. */
export function calendarRejection(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(TutorbotError);
    expect((error as TutorbotError).code).toBe('tutorbot_calendar_invalid');
    return (error as TutorbotError).message;
  }
  throw new Error('expected the calendar file to be rejected');
}
