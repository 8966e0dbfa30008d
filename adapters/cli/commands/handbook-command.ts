import type { Command } from 'commander';
import type { CoreContext } from '../../../src/core-context.ts';
import { loadHandbook, saveHandbook } from '../../../src/handbook/load-handbook.ts';
import { parseHandbookFile } from '../../../src/handbook/parse-handbook-file.ts';
import { contactLine, loadSupportContacts } from '../../../src/handbook/support-contacts.ts';
import { findSchool } from '../../../src/schools/find-school.ts';
import { withApp } from '../cli-app.ts';
import { readAdminFile } from './calendar-command.ts';

/**
 * `tutorbot handbook import FILE [--school …] [--replace]` and `tutorbot handbook show`: the
 * school's meeting checklist, example questions, bank of target ideas and support contacts.
 */
const formatHelp = `
File format (CSV, header first; or JSON {"checklist": [...], "questions": [...], "targetIdeas": [...], "contacts": [{...}]}):

  section,text,role,name,email,phone,topics
  checklist,Wellbeing: how things are going,,,,,
  question,What has gone well since we last met?,,,,,
  target,Hand in every piece of homework on time,,,,,
  contact,,School counsellor,Ms Jo Marsh,j.marsh@school.example,,wellbeing; anxiety
  contact,,Careers adviser,Mr Tariq Aziz,,020 7946 0001,careers

The sections in the file replace the school's; the others stay as they are (--replace resets
them to the built-in default). A contact needs a role, a name and an email or phone.
`;

export async function importHandbook(core: CoreContext, path: string, options: { school?: string; replace?: boolean }): Promise<string> {
  const content = await readAdminFile(path, 'handbook file (.csv or .json)');
  const sections = parseHandbookFile(path, content);
  const school = await findSchool(core.db, options.school);
  const reset = options.replace ? { checklist: undefined, questions: undefined, targetIdeas: undefined, contacts: undefined } : {};
  const saved = await saveHandbook(core.db, school.id, { ...reset, ...sections }, 'cli');
  const count = (items: unknown[] | undefined, one: string, many: string) => (items ? `${items.length} ${items.length === 1 ? one : many}` : null);
  const parts = [
    count(sections.checklist, 'checklist item', 'checklist items'),
    count(sections.questions, 'question', 'questions'),
    count(sections.targetIdeas, 'target idea', 'target ideas'),
    count(sections.contacts, 'support contact', 'support contacts'),
  ].filter(Boolean);
  const kept = (['checklist', 'questions', 'targetIdeas', 'contacts'] as const).filter((section) => !(section in sections));
  const note = kept.length > 0 ? ` Unchanged${options.replace ? ' (reset to the default)' : ''}: ${kept.join(', ')}.` : '';
  return `${school.name}: imported ${parts.join(', ')}.${note}\n\n${await describeHandbook(core, school.id, saved.custom)}`;
}

async function describeHandbook(core: CoreContext, schoolId: number, custom?: string[]): Promise<string> {
  const handbook = await loadHandbook(core.db, schoolId);
  const mark = (section: string) => ((custom ?? handbook.custom).includes(section) ? '' : ' (built-in default)');
  const list = (items: string[]) => (items.length === 0 ? ['  (none)'] : items.map((item) => `  - ${item}`));
  const { contacts } = await loadSupportContacts(core.db, schoolId);
  return [
    `Checklist${mark('checklist')}:`,
    ...list(handbook.checklist),
    '',
    `Example questions${mark('questions')}:`,
    ...list(handbook.questions),
    '',
    `Target ideas${mark('targetIdeas')}:`,
    ...list(handbook.targetIdeas),
    '',
    `Support contacts${handbook.custom.includes('contacts') ? '' : ' (none set: staff with matching roles are offered)'}:`,
    ...list(contacts.map((contact) => `${contactLine(contact)}${contact.fromStaff ? ' [from staff roles]' : ''}`)),
  ].join('\n');
}

export async function showHandbook(core: CoreContext, options: { school?: string }): Promise<string> {
  const school = await findSchool(core.db, options.school);
  return `${school.name}\n\n${await describeHandbook(core, school.id)}`;
}

export function registerHandbookCommand(program: Command): void {
  const handbook = program.command('handbook').description('the meeting handbook: checklist, example questions, target ideas, support contacts');
  handbook
    .command('import')
    .description('set the handbook from a CSV or JSON file')
    .argument('<file>', 'a .csv or .json file')
    .option('--school <name>', 'the school (name, URN or id); optional when there is only one')
    .option('--replace', 'reset the sections the file does not give to the built-in default')
    .addHelpText('after', formatHelp)
    .action(async (file: string, options: { school?: string; replace?: boolean }) =>
      withApp({ jobs: 'none' }, async (app) => {
        process.stdout.write(`${await importHandbook(app.core, file, options)}\n`);
      }),
    );
  handbook
    .command('show')
    .description('print the handbook in use')
    .option('--school <name>', 'the school (name, URN or id); optional when there is only one')
    .action(async (options: { school?: string }) =>
      withApp({ jobs: 'none' }, async (app) => {
        process.stdout.write(`${await showHandbook(app.core, options)}\n`);
      }),
    );
}
