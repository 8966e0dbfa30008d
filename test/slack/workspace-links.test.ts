import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSchool } from '../../src/demo/demo-school.ts';
import { SlackHarness } from '../support/slack-harness.ts';
import { engines } from '../support/test-database.ts';

const northbrook = demoSchool({ pupils: 120 });
const westfield = demoSchool({ pupils: 120, seed: 7, name: 'Westfield School (demo)', urn: '999002', domain: 'westfield.example' });
const northbrookHead = 'grace.okafor@northbrook.example';
const westfieldHead = 'grace.okafor@westfield.example';

describe.each(engines)('Slack workspaces and schools when a database holds several schools (%s)', (engine) => {
  const slack = new SlackHarness({ engine, roster: { schools: [...northbrook.schools, ...westfield.schools] } });
  beforeAll(() => slack.start());
  afterAll(() => slack.close());

  async function schoolId(name: string) {
    return (await slack.app.core.db.selectFrom('school').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  }

  it('refuses a workspace nobody linked, and links nothing by itself', async () => {
    const user = slack.user(northbrookHead, 'T0NORTH');
    const mark = slack.fake.calls.length;
    await slack.slashCommand(northbrookHead, 'who tutors Amelia Jones', { teamId: 'T0NORTH' });
    const replies = slack.repliesTo(user, mark);
    expect(replies.map((reply) => reply.text)).toEqual([expect.stringContaining('tutorbot link slack T0NORTH --school')]);
    expect(await slack.app.core.db.selectFrom('platform_link').selectAll().execute()).toEqual([]);
  });

  it("serves a linked workspace, matching people only against that school's staff", async () => {
    await slack.app.core.db
      .insertInto('platform_link')
      .values({ platform: 'slack', external_id: 'T0NORTH', school_id: await schoolId('Northbrook Academy (demo)') })
      .execute();
    const replies = await slack.slashCommand(northbrookHead, 'help', { teamId: 'T0NORTH' }).then((sent) => slack.repliesTo(sent.user, 0));
    expect(replies.at(-1)!.text).toContain('who tutors');
    // A Westfield address in Northbrook's workspace is not Northbrook staff.
    const visitor = slack.user(westfieldHead, 'T0NORTH');
    const mark = slack.fake.calls.length;
    await slack.slashCommand(westfieldHead, 'help', { teamId: 'T0NORTH' });
    expect(slack.repliesTo(visitor, mark).map((reply) => reply.text)).toEqual([expect.stringMatching(/only for staff/)]);
  });

  it('links an org-wide (enterprise) install by its enterprise id', async () => {
    await slack.app.core.db
      .insertInto('platform_link')
      .values({ platform: 'slack', external_id: 'E0WESTTRUST', school_id: await schoolId('Westfield School (demo)') })
      .execute();
    const user = slack.user(westfieldHead, 'T0WESTCAMPUS');
    const request = slack.slashCommandBody(user, 'help');
    const body = new URLSearchParams(request.body);
    body.set('enterprise_id', 'E0WESTTRUST');
    body.set('is_enterprise_install', 'true');
    const mark = slack.fake.calls.length;
    await slack.post(body.toString(), 'application/x-www-form-urlencoded');
    expect(slack.repliesTo(user, mark).map((reply) => reply.text)).toEqual([expect.stringContaining('who tutors')]);
    const identity = await slack.app.core.db.selectFrom('platform_identity').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(identity.workspace_id).toBe('E0WESTTRUST');
  });
});
