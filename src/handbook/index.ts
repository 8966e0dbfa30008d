/** What the handbook feature offers the others (the meeting form); the feature itself is ./handbook-feature.ts. */
export { loadHandbook } from './load-handbook.ts';
export { contactLabel, loadSupportContacts } from './support-contacts.ts';
