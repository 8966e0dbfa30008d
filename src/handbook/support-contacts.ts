import { distance } from 'fastest-levenshtein';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { StaffRole } from '../staff/staff-tables.ts';
import type { SupportContact } from './handbook.ts';
import { loadHandbook } from './load-handbook.ts';

/**
 * The school's named support contacts, for signposting (`contacts [topic]`, the meeting form).
 * Contacts the school set come first; roles it did not cover (SENCo, safeguarding, pastoral
 * lead) fall back to the staff who hold them, so a tutor always gets a real name.
 */
export interface ContactEntry extends SupportContact {
  /** Topic words from the role as well as the school's own, lower-case. */
  keywords: string[];
  /** True when taken from the staff list because the school set no contact for this role. */
  fromStaff: boolean;
}

// What a tutor might type for each kind of support; a contact whose role or topics mention one
// of these words answers to all of them ("contacts anxiety" finds the school counsellor).
const topicFamilies: string[][] = [
  ['wellbeing', 'counselling', 'counsellor', 'mental health', 'anxiety', 'stress', 'worried', 'low mood', 'emotional'],
  ['careers', 'career', 'jobs', 'apprenticeships', 'university', 'options', 'work experience', 'college'],
  ['senco', 'sen', 'send', 'special educational needs', 'learning support', 'dyslexia', 'autism', 'adhd'],
  ['eal', 'english as an additional language', 'language', 'new arrival', 'translation', 'interpreter'],
  ['attendance', 'absence', 'late', 'punctuality', 'attendance officer'],
  ['nurse', 'school nurse', 'health', 'medical', 'medication', 'first aid'],
  ['safeguarding', 'dsl', 'designated safeguarding lead', 'abuse', 'harm', 'risk'],
  ['bullying', 'anti-bullying', 'online safety', 'friendship'],
  ['young carers', 'carer', 'young carer'],
  ['financial', 'free school meals', 'bursary', 'hardship', 'uniform'],
  ['pastoral', 'pastoral lead', 'behaviour'],
];

const staffFallbacks: { role: StaffRole; label: string; family: string }[] = [
  { role: 'senco', label: 'SENCo', family: 'senco' },
  { role: 'dsl', label: 'Designated Safeguarding Lead', family: 'safeguarding' },
  { role: 'deputy_dsl', label: 'Deputy Safeguarding Lead', family: 'safeguarding' },
  { role: 'pastoral_lead', label: 'Pastoral lead', family: 'pastoral' },
];

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function keywordsFor(contact: SupportContact): string[] {
  const own = [contact.role.toLowerCase(), ...contact.topics];
  const ownWords = new Set(own.flatMap(words));
  const keywords = new Set(own);
  for (const family of topicFamilies) {
    if (family.some((term) => own.some((text) => text.includes(term)) || words(term).every((w) => ownWords.has(w)))) {
      for (const term of family) keywords.add(term);
    }
  }
  return [...keywords];
}

function familyOf(name: string): string[] {
  return topicFamilies.find((family) => family[0] === name) ?? [name];
}

export async function loadSupportContacts(db: Kysely<DB>, schoolId: number): Promise<{ contacts: ContactEntry[]; custom: boolean }> {
  const handbook = await loadHandbook(db, schoolId);
  const contacts: ContactEntry[] = handbook.contacts.map((contact) => ({ ...contact, keywords: keywordsFor(contact), fromStaff: false }));
  const staff = await db
    .selectFrom('staff')
    .select(['display_name', 'email', 'roles'])
    .where('school_id', '=', schoolId)
    .where('active', '=', true)
    .where((eb) => eb.or(staffFallbacks.map((fallback) => eb(eb.val(fallback.role), '=', eb.fn.any('roles')))))
    .orderBy('display_name')
    .execute();
  for (const fallback of staffFallbacks) {
    const family = familyOf(fallback.family);
    const covered = contacts.some((contact) => !contact.fromStaff && contact.keywords.some((keyword) => family.includes(keyword)));
    if (covered) continue;
    for (const member of staff.filter((row) => row.roles.includes(fallback.role))) {
      const contact: SupportContact = { role: fallback.label, name: member.display_name, email: member.email, phone: null, topics: [fallback.family] };
      contacts.push({ ...contact, keywords: keywordsFor(contact), fromStaff: true });
    }
  }
  return { contacts, custom: handbook.custom.includes('contacts') };
}

/** Contacts answering to a topic: exact keyword, a word of it, or a near spelling ("councelling"). */
export function matchContacts(contacts: ContactEntry[], topic: string): ContactEntry[] {
  const wanted = topic.trim().toLowerCase();
  if (!wanted) return contacts;
  const wantedWords = words(wanted);
  return contacts.filter((contact) => {
    const haystack = [...contact.keywords, contact.name.toLowerCase()];
    if (haystack.some((keyword) => keyword === wanted || keyword.includes(wanted) || (wanted.length >= 4 && wanted.includes(keyword) && keyword.length >= 3)))
      return true;
    const keywordWords = haystack.flatMap(words);
    return wantedWords.every((word) => keywordWords.some((candidate) => candidate === word || (word.length >= 5 && distance(word, candidate) <= 2)));
  });
}

export function contactLine(contact: SupportContact): string {
  const how = [contact.email, contact.phone].filter(Boolean).join(', ');
  return `${contact.role}: ${contact.name}${how ? ` (${how})` : ''}`;
}

/** The label a meeting records for "contacts given": kept short enough to be an option value. */
export function contactLabel(contact: SupportContact): string {
  return `${contact.role}: ${contact.name}`.slice(0, 150);
}
