import { describe, expect, test } from 'vitest';
import { unassignedCount } from '../../src/caseload/caseload-feature.ts';
import { applyRoster } from '../../src/roster/apply-roster.ts';
import { engines } from '../support/test-database.ts';
import { fixtureRoster, tableOf, useFixture } from './caseload-fixture.ts';

/** `unassigned`: active pupils with no (active) tutor, for admins and for leads in their scope. */
describe.each(engines)('unassigned pupils on %s', (engine) => {
  const fixture = useFixture(engine, { withFigures: false });

  const { ask } = fixture;

  test('an admin sees every pupil without a tutor, with their needs, and how to fix it', async () => {
    const reply = await ask('kerr', 'unassigned');
    expect(reply.privacy).toBe('pupil');
    expect(tableOf(reply, 'Pupil').rows).toEqual([['Noah Green', '9', '9B', 'Cygnus', 'never assigned']]);
    expect(reply.text).toContain('assign <pupil> to <staff>: <reason>');
  });

  test('a head of year sees those in their year; a head of house with none is told all is well', async () => {
    expect(tableOf(await ask('hughes', 'unassigned'), 'Pupil').rows.map((row) => row[0])).toEqual(['Noah Green']);
    expect((await ask('irwin', 'unassigned')).text).toBe('Every pupil in Aurora house has an active tutor.');
    expect((await ask('osei', 'unassigned')).text).toBe('Every pupil in Year 10 has an active tutor.');
  });

  test('tutors and other staff are refused', async () => {
    for (const who of ['archer', 'moss', 'north']) {
      const reply = await ask(who, 'unassigned');
      expect(reply.text).toMatch(/^The list of pupils without a tutor is for admins and pastoral leads/);
      expect(reply.text).not.toContain('Noah');
    }
  });

  test('unassignedCount counts by area for the weekly digest', async () => {
    const { db } = fixture.app.core;
    expect(await unassignedCount(db, fixture.app.schoolId, 'school')).toBe(1);
    expect(await unassignedCount(db, fixture.app.schoolId, { years: [9], houses: [] })).toBe(1);
    expect(await unassignedCount(db, fixture.app.schoolId, { years: [10], houses: [] })).toBe(0);
    expect(await unassignedCount(db, fixture.app.schoolId, { years: [], houses: ['Cygnus'] })).toBe(1);
    expect(await unassignedCount(db, fixture.app.schoolId, { years: [], houses: [] })).toBe(0);
  });

  test('pupils whose tutor left the roster count as unassigned until someone takes them on', async () => {
    await applyRoster(fixture.app.core.db, fixtureRoster({ withoutStaff: ['beth.baker'] }), { full: true, now: fixture.app.clock.now() });
    const reply = await ask('kerr', 'unassigned');
    expect(tableOf(reply, 'Pupil').rows).toEqual([
      ['Noah Green', '9', '9B', 'Cygnus', 'never assigned'],
      ['Isla Brown', '10', '10B', 'Cygnus', 'tutor has left (Ms Beth Baker)'],
    ]);
    expect(await unassignedCount(fixture.app.core.db, fixture.app.schoolId, { years: [10], houses: [] })).toBe(1);
  });
});
