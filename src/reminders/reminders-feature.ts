import type { Feature } from '../feature.ts';
import { reminderRenderers, snoozeAction } from './render-reminders.ts';
import { retryWithinSchoolHours } from './retry-within-school-hours.ts';
import { snoozeReminder } from './snooze-reminder.ts';
import { reminderSweepQueue, sweepReminders } from './sweep-reminders.ts';

/**
 * Reminders to tutors and heads of house/year (docs/product-rules.md): a sweep every 15 minutes writes due
 * reminders to the delivery outbox; the delivery service renders and sends them exactly once.
 */
export const remindersFeature: Feature = {
  name: 'reminders',
  actions: { [snoozeAction]: snoozeReminder },
  // Planned for school hours, so a failed send is retried within them too.
  deliveries: Object.fromEntries(Object.entries(reminderRenderers).map(([kind, render]) => [kind, { render, retryAt: retryWithinSchoolHours }])),
  jobs: {
    [reminderSweepQueue]: async (core) => {
      await sweepReminders(core);
    },
  },
  schedules: [{ queue: reminderSweepQueue, cron: '*/15 * * * *' }],
};
