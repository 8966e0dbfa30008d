import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/staff/actor.ts';
import { findPupils, maxPupilQueryLength } from '../../src/pupils/find-pupils.ts';
import { engines } from '../support/test-database.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { smallRoster, smallSchoolEmails } from '../support/small-roster.ts';

describe.each(engines)('the pupil type-ahead length cap, on %s', (engine) => {
  let app: TestApp;
  let asker: Actor;
  beforeAll(async () => {
    app = await startTestApp(engine, { roster: smallRoster() });
    asker = await app.actor(smallSchoolEmails.staff);
  });
  afterAll(async () => app?.close());

  it('offers nothing for a 5,000-character query, even one made of a real pupil’s name', async () => {
    const typed = 'Amelia Jones '.repeat(400).slice(0, 5000);
    expect(await app.bot.suggestPupils(asker, typed)).toEqual([]);
    expect(await findPupils(app.core.db, asker.schoolId, typed)).toEqual({ kind: 'none', suggestions: [] });
  });

  it('still suggests pupils for a query at the cap', async () => {
    const typed = `Amelia${' '.repeat(maxPupilQueryLength - 'Amelia'.length)}`;
    expect((await app.bot.suggestPupils(asker, typed)).length).toBeGreaterThan(0);
  });
});
