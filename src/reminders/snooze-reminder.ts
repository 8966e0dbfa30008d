import { sql } from 'kysely';
import { localDateOf, nextSchoolDay, isSchoolDay } from '../calendar/index.ts';
import type { ActionHandler } from '../core-context.ts';
import { displayDay, meetingTimes, shiftDate } from '../meetings/index.ts';
import { loadSchoolTimes } from '../schools/load-school-times.ts';
import { textReply } from '../reply.ts';
import { periodPattern, reminderKey, tutorReminderKinds, type ReminderKind } from './reminder-kinds.ts';

/**
 * "Snooze for a week" on a tutor's reminder. The weekly digest skips the next week; a one-off
 * reminder (start of term, two weeks left) comes back once, a week later, if anyone is still
 * waiting for a meeting. Only the person the reminder was sent to can snooze it.
 */
export const snoozeDays = 7;

export const snoozeReminder: ActionHandler = async (request, value) => {
  const { core, actor } = request;
  const [kindText, period] = value.split('|');
  const kind = kindText as ReminderKind;
  if (!tutorReminderKinds.includes(kind) || !period || !periodPattern.test(period)) {
    return textReply('That button is out of date; nothing was snoozed.');
  }
  const base = reminderKey(actor.schoolId, actor.staffId, kind, period);
  const sent = await core.db
    .selectFrom('delivery')
    .select('id')
    .where('staff_id', '=', actor.staffId)
    .where((eb) => eb.or([eb('idempotency_key', '=', base), eb('idempotency_key', 'like', `${base}:snoozed-%`)]))
    .executeTakeFirst();
  if (!sent) return textReply('That reminder was not sent to you, so there is nothing to snooze.');

  const now = core.now();
  const times = await loadSchoolTimes(core.db, actor.schoolId, now, meetingTimes);
  const today = localDateOf(now, times.calendar.timeZone);
  const untilOn = shiftDate(today, snoozeDays);
  await core.db
    .insertInto('reminder_snooze')
    .values({ school_id: actor.schoolId, staff_id: actor.staffId, kind, period, snoozed_on: today, until_on: untilOn, created_at: now })
    .onConflict((conflict) =>
      conflict.columns(['staff_id', 'kind', 'period']).doUpdateSet({ snoozed_on: sql`excluded.snoozed_on`, until_on: sql`excluded.until_on`, created_at: now }),
    )
    .execute();
  core.log.info('reminder_snoozed', { staffId: actor.staffId, kind, period, untilOn });
  if (kind === 'digest') {
    return textReply(`Snoozed: no weekly digest until after ${displayDay(untilOn)}.`);
  }
  let back = untilOn;
  try {
    if (!isSchoolDay(times.calendar, back)) back = nextSchoolDay(times.calendar, back);
  } catch {
    // Past the calendar's end: say the plain date.
  }
  return textReply(`Snoozed for a week: I will remind you again on ${displayDay(back)} if any tutee still needs a meeting this term.`);
};
