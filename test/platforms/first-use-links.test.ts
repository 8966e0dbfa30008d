import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackHarness } from '../support/slack-harness.ts';
import { createTeamsHarness } from '../support/teams-harness.ts';
import { engines } from '../support/test-database.ts';

/**
 * A fresh single-school install links itself to the first workspace or tenant that uses it. When
 * several staff use it at the same moment, every one of them is answered: none is told the
 * workspace is not linked while another request is linking it.
 */
const staff = [
  'grace.okafor@northbrook.example',
  'daniel.reid@northbrook.example',
  'helen.achterberg@northbrook.example',
  'marcus.bello@northbrook.example',
  'niamh.gallagher@northbrook.example',
];

describe.each(engines)('first use of a fresh install (%s)', (engine) => {
  describe('in Slack', () => {
    const slack = new SlackHarness({ engine });
    beforeAll(() => slack.start());
    afterAll(() => slack.close());

    it('answers every one of several concurrent first requests, and links the workspace once', async () => {
      const answers = await Promise.all(staff.flatMap((email) => [slack.say(email, 'help'), slack.say(email, 'help')]));
      const texts = answers.map((replies) => replies.map((reply) => reply.text).join('\n'));
      expect(texts.filter((text) => /not linked/.test(text))).toEqual([]);
      expect(texts.every((text) => text.includes('who tutors'))).toBe(true);
      const links = await slack.app.core.db.selectFrom('platform_link').select(['platform', 'external_id']).execute();
      expect(links).toEqual([{ platform: 'slack', external_id: 'T0NORTHBROOK' }]);
    });
  });

  describe('in Teams', () => {
    const teams = createTeamsHarness(engine);
    beforeAll(() => teams.start());
    afterAll(() => teams.close());

    it('answers every one of several concurrent first messages, and links the tenant once', async () => {
      const answers = await Promise.all(staff.flatMap((email) => [teams.say(email, 'help'), teams.say(email, 'help')]));
      const texts = answers.map((replies) => replies.map((reply) => reply.text).join('\n'));
      expect(texts.filter((text) => /not set up for your organisation/.test(text))).toEqual([]);
      expect(texts.every((text) => text.includes('who tutors'))).toBe(true);
      const links = await teams.app.core.db.selectFrom('platform_link').select('platform').execute();
      expect(links).toEqual([{ platform: 'teams' }]);
    });
  });
});
