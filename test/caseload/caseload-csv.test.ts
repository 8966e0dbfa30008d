import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { csvFileBlock } from '../../src/caseload/caseload-csv.ts';
import { engines } from '../support/test-database.ts';
import { useFixture } from './caseload-fixture.ts';

/** `caseload … csv`: the same table as a CSV file block that parses back to the same figures. */
describe.each(engines)('caseload as CSV on %s', (engine) => {
  const fixture = useFixture(engine);

  const { ask } = fixture;

  function fileOf(reply: Awaited<ReturnType<typeof ask>>) {
    const file = reply.blocks.find((block) => block.type === 'file');
    if (file?.type !== 'file') throw new Error(`no file block in ${JSON.stringify(reply.blocks)}`);
    return file;
  }

  test("a head of year's CSV parses back to the chat table's figures, one numeric column each", async () => {
    const reply = await ask('hughes', 'caseload year 9 csv');
    const file = fileOf(reply);
    expect(file.name).toBe('caseload-year-9-2027-02-03.csv');
    expect(file.mimeType).toBe('text/csv');
    expect(reply.privacy).toBe('pupil');
    const records = parse(file.content, { columns: true }) as Record<string, string>[];
    expect(records).toEqual([
      {
        Tutor: 'Ms Alice Archer',
        Email: 'archer@hollins.example',
        Group: '9A',
        Tutees: '3',
        'Met this term': '1',
        'Due this term': '3',
        'Meetings this year': '4',
        'Due this year': '9',
        'Overdue meetings': '1',
        'Open concerns': '2',
        'Concerns this half term': '2',
        'Praise this half term': '1',
        'Targets overdue for review': '1',
      },
      {
        Tutor: 'Mr Ben Baker',
        Email: 'ben.baker@hollins.example',
        Group: '9B',
        Tutees: '2',
        'Met this term': '1',
        'Due this term': '2',
        'Meetings this year': '1',
        'Due this year': '6',
        'Overdue meetings': '1',
        'Open concerns': '0',
        'Concerns this half term': '0',
        'Praise this half term': '0',
        'Targets overdue for review': '1',
      },
      {
        Tutor: 'Total',
        Email: '',
        Group: '2 tutors',
        Tutees: '5',
        'Met this term': '2',
        'Due this term': '5',
        'Meetings this year': '5',
        'Due this year': '15',
        'Overdue meetings': '2',
        'Open concerns': '2',
        'Concerns this half term': '2',
        'Praise this half term': '1',
        'Targets overdue for review': '2',
      },
    ]);
  });

  test("the DSL's whole-school CSV has the safeguarding column; nobody else's does", async () => {
    const dsl = parse(fileOf(await ask('jones', 'caseload csv')).content, { columns: true }) as Record<string, string>[];
    expect(dsl.map((row) => [row.Tutor, row['Safeguarding open']])).toEqual([
      ['Mrs Cara Cole', '1'],
      ['Ms Beth Baker', '0'],
      ['Ms Alice Archer', '1'],
      ['Mr Ben Baker', '0'],
      ['Total', '2'],
    ]);
    const lead = parse(fileOf(await ask('lee', 'caseload csv')).content, { columns: true }) as Record<string, string>[];
    expect(Object.keys(lead[0])).not.toContain('Safeguarding open');
  });

  test('names with commas, quotes and formula characters survive the round trip without running as formulas', () => {
    const block = csvFileBlock(
      'x.csv',
      ['Tutor', 'Group'],
      [
        ['Dr "Ace", O\'Neil', '=HYPERLINK("http://x")'],
        ['Ms Line\nBreak', '9A'],
      ],
    );
    const rows = parse(block.content) as string[][];
    expect(rows).toEqual([
      ['Tutor', 'Group'],
      ['Dr "Ace", O\'Neil', '\'=HYPERLINK("http://x")'],
      ['Ms Line\nBreak', '9A'],
    ]);
  });
});
