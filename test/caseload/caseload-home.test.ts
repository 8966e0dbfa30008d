import { describe, expect, test } from 'vitest';
import type { Block } from '../../src/reply.ts';
import { engines } from '../support/test-database.ts';
import { direct, email, useFixture } from './caseload-fixture.ts';

/** At a glance: a completion bar per tutor group for a lead's scope, and a tutor's own group. */
describe.each(engines)('caseload at a glance on %s', (engine) => {
  const fixture = useFixture(engine);

  const home = async (who: string) => fixture.app.bot.home(await fixture.app.actor(email(who)), direct);
  const progress = (blocks: Block[]) =>
    blocks.filter((block): block is Extract<Block, { type: 'progress' }> => block.type === 'progress').map((block) => block.items);

  test('a head of year sees a bar per tutor group of the year, with what is open', async () => {
    const reply = await home('hughes');
    expect(reply.privacy).toBe('pupil');
    expect(progress(reply.blocks)).toEqual([
      [
        { label: '9A · Ms Alice Archer', done: 1, total: 3 },
        { label: '9B · Mr Ben Baker', done: 1, total: 2 },
      ],
    ]);
    expect(reply.text).toContain('Meetings this term in Year 9 (spring term 2026-27)');
    expect(reply.text).toContain('2 open concerns · 2 meetings overdue · 2 targets overdue for review · 1 without a tutor');
  });

  test('a head of house sees the tutor groups of the house', async () => {
    expect(progress((await home('irwin')).blocks)).toEqual([
      [
        { label: '10A · Mrs Cara Cole', done: 0, total: 1 },
        { label: '9A · Ms Alice Archer', done: 1, total: 2 },
        { label: '9B · Mr Ben Baker', done: 0, total: 1 },
      ],
    ]);
  });

  test('a tutor sees their own group', async () => {
    const reply = await home('archer');
    expect(progress(reply.blocks)).toEqual([[{ label: 'Met this term (spring term 2026-27)', done: 1, total: 3 }]]);
    expect(reply.text).toContain('Your tutor group 9A');
    expect(reply.text).toContain('2 open concerns · 1 meeting overdue · 1 target overdue for review');
  });

  test('an admin is told how many pupils have no tutor; other staff see no caseload at all', async () => {
    expect((await home('kerr')).text).toContain('1 pupil has no active tutor');
    const staff = await home('moss');
    expect(progress(staff.blocks)).toEqual([]);
    expect(staff.text).not.toMatch(/tutor group|Meetings this term/);
  });
});
