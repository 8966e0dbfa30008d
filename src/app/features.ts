import type { Feature } from '../feature.ts';
import { helpFeature } from '../help/help-feature.ts';
import { whoTutorsFeature } from '../who-tutors/who-tutors-feature.ts';
import { caseloadFeature } from '../caseload/caseload-feature.ts';
import { assignmentFeature } from '../assignment/assignment-feature.ts';
import { notesFeature } from '../notes/notes-feature.ts';
import { meetingsFeature } from '../meetings/meetings-feature.ts';
import { remindersFeature } from '../reminders/reminders-feature.ts';
import { handbookFeature } from '../handbook/handbook-feature.ts';

/** Every feature the core offers. A new feature is one line here. */
export const features: Feature[] = [
  helpFeature,
  whoTutorsFeature,
  caseloadFeature,
  assignmentFeature,
  notesFeature,
  meetingsFeature,
  remindersFeature,
  handbookFeature,
];
