import { describe, expect, test } from 'vitest';
import { engines } from '../support/test-database.ts';
import { direct, email, rowsByFirst, tableOf, useFixture } from './caseload-fixture.ts';

/** Caseload queries are limited to what the asker's role covers (docs/roles.md). */
describe.each(engines)('caseload scope limits on %s', (engine) => {
  const fixture = useFixture(engine);

  const { ask } = fixture;
  const tutorsIn = async (who: string, text: string) => Object.keys(rowsByFirst(tableOf(await ask(who, text), 'Tutor'))).filter((name) => name !== 'Total');
  const pupilNames = ['Amelia Jones', 'Sam Patel', 'Ní Bhriain', 'Amelia James', 'Martínez-López', 'Patel-Hughes', 'Oliver Smith', 'Isla Brown', 'Noah Green'];

  test('a member of staff with no pastoral role is refused, and told who caseloads are for', async () => {
    for (const text of ['caseload', 'caseload me', 'caseload year 9', 'caseload Ms Archer']) {
      const reply = await ask('moss', text);
      expect(reply.text).toContain('Caseloads are for tutors, heads of house and year');
      expect(reply.blocks.some((block) => block.type === 'table')).toBe(false);
    }
  });

  test('a SENCo without a pastoral role is refused', async () => {
    const reply = await ask('north', 'caseload year 9');
    expect(reply.text).toContain('Caseloads are for');
  });

  test('a tutor sees only their own tutees, however they ask', async () => {
    expect(await tutorsIn('archer', 'caseload me')).toEqual(['Ms Alice Archer']);
    expect(await tutorsIn('archer', 'caseload')).toEqual(['Ms Alice Archer']);
    expect(await tutorsIn('archer', 'caseload Alice Archer')).toEqual(['Ms Alice Archer']);
    for (const text of ['caseload year 9', 'caseload house Aurora', 'caseload Mr Ben Baker']) {
      const reply = await ask('archer', text);
      expect(reply.text, text).toMatch(/^You cannot see the caseload of .*As a tutor you can see your own tutees: say "caseload me"\.$/);
      expect(reply.text).not.toContain('Amelia James');
    }
  });

  test("a tutor with no tutees gets an empty caseload, not someone else's", async () => {
    const reply = await ask('dhillon', 'caseload me');
    expect(reply.text).toContain('You have no tutees at the moment.');
    expect(reply.blocks.some((block) => block.type === 'table' && block.columns[0] === 'Tutor')).toBe(false);
  });

  test('a head of year sees their year by default and by name, and is refused other years and houses', async () => {
    expect(await tutorsIn('hughes', 'caseload')).toEqual(['Ms Alice Archer', 'Mr Ben Baker']);
    expect(await tutorsIn('hughes', 'caseload year 9')).toEqual(['Ms Alice Archer', 'Mr Ben Baker']);
    expect(await tutorsIn('hughes', 'caseload Mr Ben Baker')).toEqual(['Mr Ben Baker']);
    const otherYear = await ask('hughes', 'caseload year 10');
    expect(otherYear.text).toBe(
      'You cannot see the caseload of Year 10. You lead Year 9: try "caseload year 9", or "caseload <tutor\'s name>" for one of its tutors.',
    );
    expect((await ask('hughes', 'caseload house Aurora')).text).toMatch(/^You cannot see the caseload of Aurora house\./);
    const otherTutor = await ask('hughes', 'caseload Mrs Cole');
    expect(otherTutor.text).toMatch(/^You cannot see the caseload of Mrs Cara Cole's tutees\./);
    expect(otherTutor.text).not.toContain('Oliver Smith');
  });

  test("a head of house sees their house (any case) and its tutors' tutees in the house only", async () => {
    expect(await tutorsIn('irwin', 'caseload house AURORA')).toEqual(['Mr Ben Baker', 'Mrs Cara Cole', 'Ms Alice Archer']);
    expect(await tutorsIn('irwin', 'caseload')).toEqual(['Mr Ben Baker', 'Mrs Cara Cole', 'Ms Alice Archer']);
    const archer = rowsByFirst(tableOf(await ask('irwin', 'caseload Ms Archer'), 'Tutor'));
    expect(archer['Ms Alice Archer'].Tutees).toBe('2');
    expect((await ask('irwin', 'caseload year 9')).text).toMatch(/^You cannot see the caseload of Year 9\. You lead Aurora house: try "caseload house Aurora"/);
    expect((await ask('irwin', 'caseload Ms Beth Baker')).text).toMatch(/^You cannot see the caseload of Ms Beth Baker's tutees\./);
  });

  test('a DSL and a whole-school pastoral lead see the whole school and any part of it', async () => {
    for (const who of ['jones', 'lee']) {
      expect(await tutorsIn(who, 'caseload')).toEqual(['Mrs Cara Cole', 'Ms Beth Baker', 'Ms Alice Archer', 'Mr Ben Baker']);
      expect(await tutorsIn(who, 'caseload year 10')).toEqual(['Mrs Cara Cole', 'Ms Beth Baker']);
      expect(await tutorsIn(who, 'caseload house Cygnus')).toEqual(['Ms Beth Baker']);
      expect(await tutorsIn(who, 'caseload Mrs Cole')).toEqual(['Mrs Cara Cole']);
    }
  });

  test("an admin gets counts only: tutors and figures, never a pupil's name", async () => {
    for (const text of ['caseload', 'caseload year 9', 'caseload house Aurora', 'caseload Ms Archer', 'caseload year 9 csv']) {
      const reply = await ask('kerr', text);
      for (const name of pupilNames) expect(reply.text, `${text}: ${name}`).not.toContain(name);
      expect(JSON.stringify(reply.blocks), text).not.toMatch(/Amelia|Noah|Zoë|Oliver/);
      if (!text.endsWith('csv')) {
        expect(reply.text, text).toContain('Counts only');
        expect(tableOf(reply, 'Tutor').rows.length).toBeGreaterThan(0);
      }
    }
  });

  test('a name matching several members of staff asks which one, and the choice answers', async () => {
    const reply = await ask('jones', 'caseload Baker');
    const choices = reply.blocks.find((block) => block.type === 'choices');
    expect(choices?.type === 'choices' && choices.options.map((option) => option.label)).toEqual(['Mr Ben Baker', 'Ms Beth Baker']);
    if (choices?.type !== 'choices') throw new Error('no choices');
    const picked = await fixture.app.bot.handleAction(
      await fixture.app.actor(email('jones')),
      choices.options[1].action.id,
      choices.options[1].action.value,
      direct,
    );
    expect(Object.keys(rowsByFirst(tableOf(picked, 'Tutor')))).toEqual(['Ms Beth Baker']);
  });

  test('unknown houses, years and names get a clear answer; a bare year or house name is understood', async () => {
    expect((await ask('jones', 'caseload house Narnia')).text).toBe('There is no house called "Narnia". The school\'s houses are Aurora, Beacon, Cygnus.');
    expect((await ask('jones', 'caseload year 15')).text).toContain('There is no Year 15');
    expect((await ask('jones', 'caseload Professor Zzyzx')).text).toContain('No member of staff called "Professor Zzyzx"');
    expect(await tutorsIn('hughes', 'caseload 9')).toEqual(['Ms Alice Archer', 'Mr Ben Baker']);
    expect(await tutorsIn('irwin', 'caseload aurora')).toEqual(['Mr Ben Baker', 'Mrs Cara Cole', 'Ms Alice Archer']);
    const typo = await ask('jones', 'caseload Mrs Archr');
    expect(Object.keys(rowsByFirst(tableOf(typo, 'Tutor')))).toEqual(['Ms Alice Archer']);
  });
});
