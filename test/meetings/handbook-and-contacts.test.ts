import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHandbook } from '../../adapters/cli/commands/handbook-command.ts';
import { parseHandbookFile } from '../../src/handbook/parse-handbook-file.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { engines } from '../support/test-database.ts';

const direct = { platform: 'console', conversation: 'direct' } as const;
const shared = { platform: 'slack', conversation: 'shared' } as const;

const handbookCsv = `section,text,role,name,email,phone,topics
checklist,"Wellbeing, at home and at school",,,,,
question,What are you proud of this term?,,,,,
Target idea,Read a book a month,,,,,
contact,,School counsellor,Ms Jo Marsh,J.Marsh@northbrook.example,,wellbeing; anxiety
contact,,Careers adviser,Mr Tariq Aziz,,020 7946 0001,careers
contact,,EAL co-ordinator,Mrs Lena Novak,l.novak@northbrook.example,,
`;

describe('reading a handbook file', () => {
  it('reads the documented CSV, forgiving case and "target idea"', () => {
    const handbook = parseHandbookFile('handbook.csv', handbookCsv);
    expect(handbook.checklist).toEqual(['Wellbeing, at home and at school']);
    expect(handbook.targetIdeas).toEqual(['Read a book a month']);
    expect(handbook.contacts?.[0]).toEqual({
      role: 'School counsellor',
      name: 'Ms Jo Marsh',
      email: 'j.marsh@northbrook.example',
      phone: null,
      topics: ['wellbeing', 'anxiety'],
    });
  });

  it('reads JSON with only some sections', () => {
    expect(parseHandbookFile('h.json', '{"targetIdeas": ["Be on time"]}')).toEqual({ targetIdeas: ['Be on time'] });
  });

  it('names the row and what to fix, and saves nothing from a bad file', () => {
    expect(() => parseHandbookFile('h.csv', 'section,text\nchecklist,\n')).toThrow('h.csv row 2: the text is empty; write the item, or delete the row.');
    expect(() => parseHandbookFile('h.csv', 'section,role,name\ncontact,Nurse,Ms A\n')).toThrow('h.csv row 2: give Ms A an email or a phone number');
    expect(() => parseHandbookFile('h.csv', 'section,text\nrecipe,Cake\n')).toThrow(
      'h.csv row 2: section "recipe" is not one of checklist, question, target, contact.',
    );
    expect(() => parseHandbookFile('h.json', '{"checklist": "one"}')).toThrow('h.json: "checklist" must be a list of strings.');
    expect(() => parseHandbookFile('h.json', '{"checklist": [')).toThrow(/h.json is not valid JSON/);
    expect(() => parseHandbookFile('h.csv', `section,text\n${'checklist,x\n'.repeat(21)}`)).toThrow(
      /21 checklist items; the meeting form can offer at most 20/,
    );
    expect(() => parseHandbookFile('h.csv', `section,text\nchecklist,${'x'.repeat(151)}\n`)).toThrow(/keep each item to 150/);
  });
});

describe('a handbook file that is hostile or broken', () => {
  it('names a bad row by its line, counting blank lines and line breaks inside quotes', () => {
    const content = 'section,text\nchecklist,"Wellbeing:\nhow things are going"\n\n\nchecklist,\n';
    expect(() => parseHandbookFile('h.csv', content)).toThrow('h.csv row 6: the text is empty; write the item, or delete the row.');
  });

  it('reads a file whose line endings change from CRLF to LF and CR part-way', () => {
    const content = 'section,text\r\nchecklist,"Wellbeing"\nquestion,"What went well?"\rtarget,Be on time\r\n';
    expect(parseHandbookFile('h.csv', content)).toEqual({ checklist: ['Wellbeing'], questions: ['What went well?'], targetIdeas: ['Be on time'] });
  });

  it('refuses constructor, __proto__ and toString as sections', () => {
    for (const word of ['constructor', '__proto__', 'toString']) {
      expect(() => parseHandbookFile('h.csv', `section,text\n${word},Cake\n`)).toThrow(
        `h.csv row 2: section "${word}" is not one of checklist, question, target, contact.`,
      );
    }
  });

  it('refuses text that was not UTF-8 (read as U+FFFD), naming the row', () => {
    expect(() => parseHandbookFile('h.csv', 'section,text\nchecklist,Caf\ufffd visit\n')).toThrow('h.csv row 2: holds a character that is not UTF-8');
  });
});

describe.each(engines)('support contacts, on %s', (engine) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(engine);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("falls back to the school's staff with matching roles when none are set", async () => {
    const tutor = await app.actor('daniel.reid@northbrook.example');
    const answer = await app.bot.handleText(tutor, 'contacts senco', direct);
    expect(answer.text).toMatch(/SENCo\s+Dr Ruth Oyelaran\s+ruth.oyelaran@northbrook.example/);
    expect(answer.text).toContain('has not set its own contacts');
    const none = await app.bot.handleText(tutor, 'contacts careers', direct);
    expect(none.text).toContain('No support contact for "careers"');
  });

  it('answers a topic with the named contacts a school imported, near spellings included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tutorbot-handbook-'));
    const file = join(dir, 'handbook.csv');
    await writeFile(file, handbookCsv);
    const output = await importHandbook(app.core, file, {});
    expect(output).toContain('imported 1 checklist item, 1 question, 1 target idea, 3 support contacts');
    const tutor = await app.actor('daniel.reid@northbrook.example');
    const anxiety = await app.bot.handleText(tutor, 'contacts anxiety', shared);
    expect(anxiety.text).toMatch(/School counsellor\s+Ms Jo Marsh\s+j.marsh@northbrook.example/);
    expect(anxiety.text).not.toContain('Careers');
    expect(anxiety.privacy).toBe('none');
    expect((await app.bot.handleText(tutor, 'contacts councelling', direct)).text).toContain('Ms Jo Marsh');
    expect((await app.bot.handleText(tutor, 'contacts english', direct)).text).toContain('Mrs Lena Novak');
    expect((await app.bot.handleText(tutor, 'contacts careers', direct)).text).toMatch(/Careers adviser\s+Mr Tariq Aziz\s+020 7946 0001/);
    // SENCo still comes from the staff list: the school set no SEN contact of its own.
    const all = await app.bot.handleText(tutor, 'contacts', direct);
    expect(all.text).toContain('Dr Ruth Oyelaran');
    expect(all.text).not.toContain('has not set its own contacts');
    // And the meeting form offers them, with the school's checklist.
    const okafor = await app.actor('grace.okafor@northbrook.example');
    const form = (await app.bot.handleText(okafor, 'meeting Amelia Jones', direct)).blocks.find((block) => block.type === 'form');
    if (!form || form.type !== 'form') throw new Error('no form');
    expect(form.form.fields.find((field) => field.id === 'contacts')?.options?.map((option) => option.value)).toContain('School counsellor: Ms Jo Marsh');
    expect(form.form.fields.find((field) => field.id === 'covered')?.options?.map((option) => option.value)).toEqual(['Wellbeing, at home and at school']);
  });
});
