import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { TutorbotError } from '../errors.ts';
import { handbookLimits, type Handbook, type SupportContact } from './handbook.ts';

/**
 * Reads a school's handbook for `tutorbot handbook import FILE`, as CSV or JSON. A file may hold
 * any of the four sections; the sections it holds replace the school's, the others stay as they are.
 *
 * CSV (UTF-8, header row first, columns in any order, blank rows skipped):
 *
 *     section,text,role,name,email,phone,topics
 *     checklist,Wellbeing: how things are going,,,,,
 *     question,What has gone well since we last met?,,,,,
 *     target,Hand in every piece of homework on time,,,,,
 *     contact,,School counsellor,Ms Jo Marsh,j.marsh@school.example,,wellbeing; counselling; anxiety
 *     contact,,Careers adviser,Mr Tariq Aziz,,020 7946 0001,careers; apprenticeships
 *
 * - `section` is `checklist`, `question`, `target` (an idea for the bank of targets) or `contact`
 *   (plurals and "target idea" are forgiven).
 * - checklist / question / target rows need `text` (at most 150 characters).
 * - contact rows need `role` and `name`, and an `email` or a `phone`; `topics` are words a tutor
 *   might ask with (`contacts careers`), separated by ";" — the role's own words count too.
 *
 * JSON: {"checklist": ["…"], "questions": ["…"], "targetIdeas": ["…"],
 *        "contacts": [{"role": "…", "name": "…", "email": "…", "phone": "…", "topics": ["…"]}]}
 *
 * Every problem is a TutorbotError `tutorbot_handbook_invalid` naming the row (CSV) or the
 * entry (JSON) and saying how to fix it; nothing is saved from a file with a problem.
 */
export function parseHandbookFile(fileName: string, content: string): Partial<Handbook> {
  const text = content.replace(/^\uFEFF/, '');
  refuseLostCharacters(fileName, text);
  const extension = extname(fileName).toLowerCase();
  const format = extension === '.json' ? 'json' : extension === '.csv' ? 'csv' : text.trimStart().startsWith('{') ? 'json' : 'csv';
  const sections = format === 'json' ? parseJson(fileName, text) : parseCsv(fileName, text);
  if (Object.keys(sections).length === 0) {
    throw invalid(`${fileName} has no checklist, questions, target ideas or contacts; see \`tutorbot handbook import --help\` for the format.`);
  }
  return sections;
}

/** U+FFFD is what a file not saved as UTF-8 becomes when read: storing it would lose the letters for good. */
function refuseLostCharacters(fileName: string, text: string): void {
  const lost = text.indexOf('\ufffd');
  if (lost === -1) return;
  const line = text.slice(0, lost).split(/\r\n|\n|\r/).length;
  throw invalid(
    `${fileName} row ${line}: holds a character that is not UTF-8 ("\ufffd"); save the file again as UTF-8 (in Excel, "CSV UTF-8 (Comma delimited)"), then import again.`,
  );
}

function invalid(message: string): TutorbotError {
  return new TutorbotError('tutorbot_handbook_invalid', message);
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^[+()\d][\d\s()+-]{4,24}$/;

function cleanText(value: unknown): string {
  // Control characters would corrupt a chat message; whitespace runs are collapsed.
  return String(value ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function checkItem(where: string, value: unknown): string {
  const text = cleanText(value);
  if (!text) throw invalid(`${where}: the text is empty; write the item, or delete the row.`);
  if (text.length > handbookLimits.itemLength) {
    throw invalid(`${where}: "${text.slice(0, 40)}…" is ${text.length} characters; keep each item to ${handbookLimits.itemLength}.`);
  }
  return text;
}

function checkContact(where: string, raw: { role?: unknown; name?: unknown; email?: unknown; phone?: unknown; topics?: unknown }): SupportContact {
  const role = cleanText(raw.role);
  const name = cleanText(raw.name);
  const email = cleanText(raw.email).toLowerCase() || null;
  const phone = cleanText(raw.phone) || null;
  if (!role) throw invalid(`${where}: a contact needs a role, e.g. "School counsellor".`);
  if (!name) throw invalid(`${where}: the ${role} contact needs a name.`);
  if (role.length > 80 || name.length > 80) throw invalid(`${where}: keep the role and name to 80 characters each.`);
  if (!email && !phone) throw invalid(`${where}: give ${name} an email or a phone number so a tutor can pass it on.`);
  if (email && !emailPattern.test(email)) throw invalid(`${where}: "${email}" is not an email address.`);
  if (phone && !phonePattern.test(phone)) throw invalid(`${where}: "${phone}" is not a phone number (digits, spaces, +, brackets).`);
  const topicList = Array.isArray(raw.topics) ? raw.topics : String(raw.topics ?? '').split(/[;|,]/);
  const topics = [...new Set(topicList.map((topic) => cleanText(topic).toLowerCase()).filter(Boolean))];
  if (topics.some((topic) => topic.length > 40)) throw invalid(`${where}: keep each topic to 40 characters.`);
  return { role, name, email, phone, topics };
}

function checkCount(fileName: string, label: string, count: number, limit: number): void {
  if (count > limit) throw invalid(`${fileName} has ${count} ${label}; the meeting form can offer at most ${limit}.`);
}

function finish(fileName: string, sections: Partial<Handbook>): Partial<Handbook> {
  checkCount(fileName, 'checklist items', sections.checklist?.length ?? 0, handbookLimits.checklist);
  checkCount(fileName, 'questions', sections.questions?.length ?? 0, handbookLimits.questions);
  checkCount(fileName, 'target ideas', sections.targetIdeas?.length ?? 0, handbookLimits.targetIdeas);
  checkCount(fileName, 'contacts', sections.contacts?.length ?? 0, handbookLimits.contacts);
  for (const key of ['checklist', 'questions', 'targetIdeas'] as const) {
    if (sections[key]) sections[key] = [...new Set(sections[key])];
  }
  return sections;
}

function parseJson(fileName: string, text: string): Partial<Handbook> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new TutorbotError('tutorbot_handbook_invalid', `${fileName} is not valid JSON: ${(cause as Error).message}.`, { cause });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${fileName} must hold one JSON object with "checklist", "questions", "targetIdeas" and/or "contacts".`);
  }
  const record = value as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((key) => !['checklist', 'questions', 'targetIdeas', 'contacts'].includes(key));
  if (unknownKeys.length > 0) {
    throw invalid(`${fileName}: unknown key ${unknownKeys.map((key) => `"${key}"`).join(', ')}; use "checklist", "questions", "targetIdeas", "contacts".`);
  }
  const sections: Partial<Handbook> = {};
  for (const key of ['checklist', 'questions', 'targetIdeas'] as const) {
    if (record[key] === undefined) continue;
    if (!Array.isArray(record[key])) throw invalid(`${fileName}: "${key}" must be a list of strings.`);
    sections[key] = (record[key] as unknown[]).map((item, index) => {
      if (typeof item !== 'string') throw invalid(`${fileName}: ${key}[${index}] must be a string.`);
      return checkItem(`${fileName}: ${key}[${index}]`, item);
    });
  }
  if (record.contacts !== undefined) {
    if (!Array.isArray(record.contacts)) throw invalid(`${fileName}: "contacts" must be a list of objects.`);
    sections.contacts = record.contacts.map((item, index) => {
      if (!item || typeof item !== 'object') throw invalid(`${fileName}: contacts[${index}] must be an object with role, name, email/phone.`);
      return checkContact(`${fileName}: contacts[${index}]`, item as Record<string, unknown>);
    });
  }
  return finish(fileName, sections);
}

// A Map, not an object literal: a section written "constructor" must not find Object's own members.
const sectionWords = new Map<string, 'checklist' | 'questions' | 'targetIdeas' | 'contacts'>(
  Object.entries({
    checklist: 'checklist',
    check: 'checklist',
    question: 'questions',
    questions: 'questions',
    target: 'targetIdeas',
    targets: 'targetIdeas',
    targetidea: 'targetIdeas',
    targetideas: 'targetIdeas',
    idea: 'targetIdeas',
    contact: 'contacts',
    contacts: 'contacts',
  } as const),
);

function parseCsv(fileName: string, text: string): Partial<Handbook> {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      bom: true,
      relax_column_count: true,
      max_record_size: 64 * 1024,
      info: true,
      // Files pasted together from two sources mix Windows and Unix line endings.
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (cause) {
    throw new TutorbotError('tutorbot_handbook_invalid', `${fileName} is not valid CSV: ${(cause as Error).message}.`, { cause });
  }
  // A row is named by the line it starts on (csv-parse counts the line it ends on), blank lines
  // included, so that the number matches what the school sees in the file.
  const rows: { record: string[]; line: number }[] = [];
  let lastLine = 0;
  for (const { record, info } of parsed) {
    const line = lastLine + 1;
    lastLine = info.lines;
    if (record.some((cell) => cell.trim() !== '')) rows.push({ record, line });
  }
  if (rows.length === 0) throw invalid(`${fileName} is empty; its first row must be the header section,text,role,name,email,phone,topics.`);
  const header = rows[0].record.map((cell) =>
    cell
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  const column = (name: string) => header.indexOf(name);
  if (column('section') < 0) {
    throw invalid(`${fileName}: the first row must be a header with a "section" column (section,text,role,name,email,phone,topics).`);
  }
  const sections: Partial<Handbook> = {};
  rows.slice(1).forEach(({ record, line }) => {
    const where = `${fileName} row ${line}`;
    const cell = (name: string) => (column(name) >= 0 ? (record[column(name)] ?? '').trim() : '');
    const word = cell('section')
      .toLowerCase()
      .replace(/[\s_-]+/g, '');
    const section = sectionWords.get(word);
    if (!section) throw invalid(`${where}: section "${cell('section')}" is not one of checklist, question, target, contact.`);
    if (section === 'contacts') {
      (sections.contacts ??= []).push(
        checkContact(where, { role: cell('role'), name: cell('name'), email: cell('email'), phone: cell('phone'), topics: cell('topics') }),
      );
    } else {
      if (column('text') < 0) throw invalid(`${fileName}: a ${cell('section')} row needs a "text" column in the header.`);
      (sections[section] ??= []).push(checkItem(where, cell('text')));
    }
  });
  return finish(fileName, sections);
}
