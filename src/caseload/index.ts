/** What the caseload feature offers the others (assignment); the feature itself is ./caseload-feature.ts. */
export { leadArea } from './pupil-area.ts';
export { openItemsForPupils } from './pupil-open-items.ts';
