import type { Feature } from '../feature.ts';
import { reply, type Block } from '../reply.ts';
import { loadSupportContacts, matchContacts, type ContactEntry } from './support-contacts.ts';

/**
 * `contacts [topic]`: the school's named support contacts, so a tutor can point a pupil to a
 * real person. Staff details only, no pupil information: safe to answer in a shared channel.
 */
export const handbookFeature: Feature = {
  name: 'handbook',
  commands: {
    contacts: async (request, intent) => {
      const { contacts, custom } = await loadSupportContacts(request.core.db, request.actor.schoolId);
      const topic = intent.topic?.trim().slice(0, 60);
      const blocks: Block[] = [];
      if (contacts.length === 0) {
        blocks.push({
          type: 'text',
          text: 'Your school has not set its support contacts yet. An admin can add them with `tutorbot handbook import FILE`.',
        });
        return reply(blocks, 'none');
      }
      let shown: ContactEntry[] = contacts;
      if (topic) {
        const matched = matchContacts(contacts, topic);
        if (matched.length > 0) {
          shown = matched;
          blocks.push({ type: 'heading', text: `Support contacts for "${topic}"` });
        } else {
          blocks.push({ type: 'text', text: `No support contact for "${topic}". Here are all of your school's contacts:` });
          blocks.push({ type: 'heading', text: 'Support contacts' });
        }
      } else {
        blocks.push({ type: 'heading', text: 'Support contacts' });
      }
      blocks.push({
        type: 'table',
        columns: ['Role', 'Name', 'Contact'],
        rows: shown.map((contact) => [contact.role, contact.name, [contact.email, contact.phone].filter(Boolean).join(', ') || '—']),
      });
      if (!custom) {
        blocks.push({
          type: 'text',
          text: 'These come from staff roles because your school has not set its own contacts (counselling, careers, EAL, attendance, school nurse…). An admin can add them with `tutorbot handbook import FILE`.',
        });
      }
      return reply(blocks, 'none');
    },
  },
};
