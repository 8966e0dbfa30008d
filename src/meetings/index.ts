/**
 * What the meetings feature offers the other features (reminders, caseload); the other files in
 * this folder are its internals. The feature itself is registered from ./meetings-feature.ts.
 */
export { displayDay, isoWeekdayOf, shiftDate } from './local-days.ts';
export { meetingsRequiredInTerm, termForMeeting, termKey, termTitle } from './meeting-policy.ts';
export { meetingTimes } from './meeting-times.ts';
export { openMeetingFormAction, tuteesAction } from './my-tutees.ts';
export { byAttention, loadTuteeStatus, type TuteeStatus } from './tutee-status.ts';
