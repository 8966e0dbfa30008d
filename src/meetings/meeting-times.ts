import type { SchoolTimesOptions } from '../schools/load-school-times.ts';

/**
 * How meetings and reminders load a school's times. The default calendar reaches back a year, so
 * "the term just ended" (the heads' list in September) and "next term" are both there; a bad
 * stored setting must not stop every school's reminders, so the defaults stand in for it
 * (`tutorbot settings show` reports it).
 */
export const meetingTimes: SchoolTimesOptions = { defaultCalendarYears: 'last-this-and-next', invalidSettings: 'use-defaults' };
