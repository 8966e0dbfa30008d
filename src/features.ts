import type { Feature } from './core-context.ts';
import { helpFeature } from './commands/help.ts';
import { whoTutorsFeature } from './commands/who-tutors.ts';

/** Every feature the core offers. A new feature is one line here. */
export const features: Feature[] = [helpFeature, whoTutorsFeature];
