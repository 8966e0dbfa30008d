import { describe, expect, test } from 'vitest';
import { engines } from '../support/test-database.ts';
import { rowsByFirst, tableOf, useFixture } from './caseload-fixture.ts';

/**
 * Every caseload figure against the hand-built school of caseload-fixture.ts, whose right answers
 * are worked out there: spring term 2026-27 (autumn ended, so 1 meeting a pupil is overdue if
 * none was held this year), first half of the spring term for concerns and praise.
 */
describe.each(engines)('caseload figures on %s', (engine) => {
  const fixture = useFixture(engine);

  const { ask } = fixture;

  test('a head of year sees each tutor of the year with meetings, overdue, concerns, praise and targets, and the totals', async () => {
    const reply = await ask('hughes', 'caseload year 9');
    expect(reply.privacy).toBe('pupil');
    const table = tableOf(reply, 'Tutor');
    expect(table.columns).toEqual([
      'Tutor',
      'Group',
      'Tutees',
      'Met this term',
      'This year',
      'Overdue',
      'Open concerns',
      'Concerns ½ term',
      'Praise ½ term',
      'Targets overdue',
    ]);
    expect(rowsByFirst(table)).toEqual({
      'Ms Alice Archer': {
        Tutor: 'Ms Alice Archer',
        Group: '9A',
        Tutees: '3',
        'Met this term': '1/3',
        'This year': '4/9',
        Overdue: '1',
        'Open concerns': '2',
        'Concerns ½ term': '2',
        'Praise ½ term': '1',
        'Targets overdue': '1',
      },
      'Mr Ben Baker': {
        Tutor: 'Mr Ben Baker',
        Group: '9B',
        Tutees: '2',
        'Met this term': '1/2',
        'This year': '1/6',
        Overdue: '1',
        'Open concerns': '0',
        'Concerns ½ term': '0',
        'Praise ½ term': '0',
        'Targets overdue': '1',
      },
      Total: {
        Tutor: 'Total',
        Group: '2 tutors',
        Tutees: '5',
        'Met this term': '2/5',
        'This year': '5/15',
        Overdue: '2',
        'Open concerns': '2',
        'Concerns ½ term': '2',
        'Praise ½ term': '1',
        'Targets overdue': '2',
      },
    });
    // The tutor furthest behind this term comes first.
    expect(table.rows.map((row) => row[0])).toEqual(['Ms Alice Archer', 'Mr Ben Baker', 'Total']);
    expect(reply.text).toContain('1 pupil has no active tutor');
  });

  test('the pupils needing attention come first, most urgent first, with SEN/EAL flags for a lead in scope', async () => {
    const reply = await ask('hughes', 'caseload year 9');
    const headings = reply.blocks.filter((block) => block.type === 'heading').map((block) => (block as { text: string }).text);
    expect(headings[1]).toBe('Needing attention first (5)');
    const attention = tableOf(reply, 'Pupil');
    expect(attention.columns).toEqual(['Pupil', 'Form', 'Tutor', 'Needs', 'Why']);
    expect(attention.rows).toEqual([
      ['Noah Green', '9B', '—', '', 'no tutor; 1 meeting overdue'],
      ['Amelia Jones', '9A', 'Ms Alice Archer', 'SEN', '1 open concern; 1 target overdue for review'],
      ['Sam Patel', '9A', 'Ms Alice Archer', '', '1 open concern'],
      ['José Martínez-López', '9B', 'Mr Ben Baker', '', '1 meeting overdue; 1 target overdue for review'],
      ['Zoë Ní Bhriain', '9A', 'Ms Alice Archer', 'EAL', '1 meeting overdue'],
    ]);
  });

  test('safeguarding notes are never counted for anyone but the safeguarding team', async () => {
    for (const who of ['hughes', 'irwin', 'archer', 'kerr', 'lee']) {
      const reply = await ask(who, who === 'archer' ? 'caseload me' : who === 'irwin' ? 'caseload house Aurora' : 'caseload');
      expect(reply.text, who).not.toMatch(/safeguarding/i);
      expect(tableOf(reply, 'Tutor').columns, who).not.toContain('Safeguarding open');
    }
    // Zoë's open safeguarding concern and Sam Patel-Hughes's reclassified concern: not open concerns.
    const lead = rowsByFirst(tableOf(await ask('lee', 'caseload'), 'Tutor'));
    expect(lead['Mrs Cara Cole']['Open concerns']).toBe('0');
    expect(lead.Total['Open concerns']).toBe('2');
  });

  test('a DSL sees the whole school, with open safeguarding counted per tutor', async () => {
    const reply = await ask('jones', 'caseload');
    const rows = rowsByFirst(tableOf(reply, 'Tutor'));
    expect(Object.keys(rows)).toEqual(['Mrs Cara Cole', 'Ms Beth Baker', 'Ms Alice Archer', 'Mr Ben Baker', 'Total']);
    expect(rows['Mrs Cara Cole']).toMatchObject({
      Tutees: '2',
      'Met this term': '0/2',
      'This year': '1/6',
      Overdue: '1',
      'Open concerns': '0',
      'Safeguarding open': '1',
    });
    expect(rows['Ms Beth Baker']).toMatchObject({ Tutees: '1', 'Met this term': '0/1', 'This year': '0/3', Overdue: '1', 'Safeguarding open': '0' });
    expect(rows['Ms Alice Archer']['Safeguarding open']).toBe('1');
    expect(rows.Total).toMatchObject({
      Tutees: '8',
      'Met this term': '2/8',
      'This year': '6/24',
      Overdue: '4',
      'Open concerns': '2',
      'Safeguarding open': '2',
    });
    const attention = tableOf(reply, 'Pupil');
    expect(attention.rows.slice(0, 2).map((row) => [row[0], row[4]])).toEqual([
      ['Zoë Ní Bhriain', '1 safeguarding open; 1 meeting overdue'],
      ['Sam Patel-Hughes', '1 safeguarding open'],
    ]);
  });

  test('a head of house sees the house, and a tutor only the tutees of theirs in the house', async () => {
    const rows = rowsByFirst(tableOf(await ask('irwin', 'caseload house aurora'), 'Tutor'));
    expect(rows['Ms Alice Archer']).toMatchObject({
      Tutees: '2',
      'Met this term': '1/2',
      'This year': '2/6',
      Overdue: '1',
      'Open concerns': '1',
      'Concerns ½ term': '2',
      'Praise ½ term': '0',
      'Targets overdue': '1',
    });
    expect(rows['Mr Ben Baker']).toMatchObject({ Tutees: '1', 'Met this term': '0/1', Overdue: '1', 'Targets overdue': '1' });
    expect(rows['Mrs Cara Cole']).toMatchObject({ Tutees: '1', 'Met this term': '0/1', 'This year': '1/3', Overdue: '0' });
    expect(rows.Total).toMatchObject({ Tutees: '4', 'Met this term': '1/4' });
  });

  test("tutees per tutor are shown with the school's spread: smallest, median and largest", async () => {
    const reply = await ask('hughes', 'caseload year 9');
    expect(reply.text).toContain('Tutees per tutor across the school: smallest 1, median 2, largest 3 (4 tutors).');
  });

  test("a tutor's own caseload shows their tutees with the needs they may see", async () => {
    const reply = await ask('archer', 'caseload me');
    expect(rowsByFirst(tableOf(reply, 'Tutor'))['Ms Alice Archer']).toMatchObject({ Tutees: '3', 'Met this term': '1/3', 'This year': '4/9' });
    expect(tableOf(reply, 'Pupil').rows.map((row) => [row[0], row[3]])).toEqual([
      ['Amelia Jones', 'SEN'],
      ['Sam Patel', ''],
      ['Zoë Ní Bhriain', 'EAL'],
    ]);
  });

  test('one tutor by name, for a lead in scope', async () => {
    const reply = await ask('hughes', 'caseload Ms Archer');
    const rows = rowsByFirst(tableOf(reply, 'Tutor'));
    expect(Object.keys(rows)).toEqual(['Ms Alice Archer']);
    expect(rows['Ms Alice Archer']).toMatchObject({ Tutees: '3', 'Open concerns': '2' });
  });

  test('meeting policy settings change what is due: two a term, for Year 9 only', async () => {
    await fixture.app.core.db
      .updateTable('school')
      .set({ settings: JSON.stringify({ meetingsPerYear: 6, meetingYearGroups: [9] }) })
      .where('id', '=', fixture.app.schoolId)
      .execute();
    try {
      const rows = rowsByFirst(tableOf(await ask('jones', 'caseload'), 'Tutor'));
      // Archer: p1 1 this term, p2 0, p3 0 → 1/6; this year 2+2+0 of 18; 2 due by now: p1 0, p2 0, p3 2.
      expect(rows['Ms Alice Archer']).toMatchObject({ 'Met this term': '1/6', 'This year': '4/18', Overdue: '2' });
      // Year 10 is outside the policy: nothing due, nothing overdue.
      expect(rows['Mrs Cara Cole']).toMatchObject({ Tutees: '2', 'Met this term': '0/0', 'This year': '0/0', Overdue: '0' });
    } finally {
      await fixture.app.core.db.updateTable('school').set({ settings: '{}' }).where('id', '=', fixture.app.schoolId).execute();
    }
  });

  test('in the second half of the term, concerns and praise of the first half no longer count', async () => {
    const saved = fixture.app.clock.now();
    fixture.app.clock.set('2027-02-22T10:00:00Z');
    try {
      const rows = rowsByFirst(tableOf(await ask('hughes', 'caseload year 9'), 'Tutor'));
      expect(rows['Ms Alice Archer']).toMatchObject({ 'Open concerns': '2', 'Concerns ½ term': '0', 'Praise ½ term': '0' });
    } finally {
      fixture.app.clock.set(saved);
    }
  });
});
