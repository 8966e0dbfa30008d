import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pruneInboundEvents } from '../../src/platforms/index.ts';
import { engines } from '../support/test-database.ts';
import { createTeamsHarness, otherTenantId, renderActivity, testTenantId } from '../support/teams-harness.ts';

const grace = 'grace.okafor@northbrook.example';
const daniel = 'daniel.reid@northbrook.example';
const peter = 'peter.lindqvist@northbrook.example';

describe.each(engines)('Teams personal chat on %s', (engine) => {
  const harness = createTeamsHarness(engine, { unknownToTeams: [peter] });
  beforeAll(() => harness.start());
  afterAll(() => harness.close());

  test('installing the app stores the 1:1 chat, links the only school to the tenant and says hello', async () => {
    const result = await harness.install(grace);
    expect(result.status).toBe(200);
    const lookups = result.calls.filter((call) => call.method === 'GET');
    expect(lookups.map((call) => call.path)).toEqual([
      `/v3/conversations/${encodeURIComponent(harness.personalConversationId(grace))}/members/${encodeURIComponent(harness.userFor(grace).id)}`,
    ]);
    const [welcome] = result.calls.filter((call) => call.method === 'POST');
    expect(welcome.activityId).toMatch(/^f:/); // an in-turn reply to the conversationUpdate
    expect(renderActivity(welcome.body!).text).toContain('tutorbot');
    const db = harness.app.core.db;
    const link = await db.selectFrom('platform_link').selectAll().where('platform', '=', 'teams').execute();
    expect(link.map((row) => [row.external_id, row.school_id])).toEqual([[testTenantId, harness.app.schoolId]]);
    const actor = await harness.app.actor(grace);
    const stored = await db.selectFrom('conversation_ref').select(['address', 'school_id']).where('staff_id', '=', actor.staffId).executeTakeFirstOrThrow();
    const address = stored.address as Record<string, unknown>;
    expect(address).toMatchObject({
      serviceUrl: harness.connector.url,
      tenantId: testTenantId,
      conversationId: harness.personalConversationId(grace),
      reference: { channelId: 'msteams', conversation: { conversationType: 'personal' }, user: { id: harness.userFor(grace).id } },
    });
  });

  test('a direct message speaks the whole grammar and answers in the same chat', async () => {
    const [card] = await harness.say(grace, 'who tutors Amelia Jones');
    expect(card.visibleTo).toBe('dm');
    expect(card.text).toContain('Amelia Jones');
    expect(card.text).toContain('Tutor: Ms Grace Okafor');
    const [help] = await harness.say(grace, 'help');
    expect(help.text).toContain('who tutors <pupil>');
  });

  test('the member look-up is cached: a second message makes no call to Teams for the user', async () => {
    const result = await harness.personalMessage(grace, 'who tutors Sam Patel-Hughes');
    expect(result.calls.filter((call) => call.method === 'GET')).toEqual([]);
    expect(result.calls.filter((call) => call.method === 'POST')).toHaveLength(1);
  });

  test('a Teams account that matches no member of staff gets a polite refusal and nothing else', async () => {
    harness.addTeamsUser('visitor@elsewhere.example', 'Ms Vera Visitor');
    const result = await harness.personalMessage('visitor@elsewhere.example', 'who tutors Amelia Jones');
    const posts = result.calls.filter((call) => call.method === 'POST');
    expect(posts).toHaveLength(1);
    const text = renderActivity(posts[0].body!).text;
    expect(text).toMatch(/only help members of staff/);
    expect(text).not.toContain('Amelia');
    expect(text).not.toContain('Okafor');
  });

  test('someone Teams does not know (404 from the member look-up) is refused too', async () => {
    const result = await harness.personalMessage(peter, 'who tutors Amelia Jones');
    expect(result.status).toBe(200);
    const [post] = result.calls.filter((call) => call.method === 'POST');
    expect(renderActivity(post.body!).text).toMatch(/could not match your Teams account/);
  });

  test('a user from another tenant is refused: a linked school does not take a second tenant by itself', async () => {
    harness.addTeamsUser('grace.okafor@northbrook.example.other', 'Ms Grace Okafor', { tenantId: otherTenantId });
    const result = await harness.personalMessage('grace.okafor@northbrook.example.other', 'who tutors Amelia Jones', { tenantId: otherTenantId });
    const [post] = result.calls.filter((call) => call.method === 'POST');
    const text = renderActivity(post.body!).text;
    expect(text).toContain(`tutorbot link teams ${otherTenantId}`);
    expect(text).not.toContain('Amelia');
    expect(result.calls.filter((call) => call.method === 'GET')).toEqual([]);
  });

  test('a redelivered message (same activity id) is answered once', async () => {
    const first = await harness.personalMessage(daniel, 'who tutors Amelia James', { id: '1732999000001' });
    const again = await harness.personalMessage(daniel, 'who tutors Amelia James', { id: '1732999000001' });
    expect(first.calls.filter((call) => call.method === 'POST')).toHaveLength(1);
    expect(again.status).toBe(200);
    expect(again.calls).toEqual([]);
  });

  test('a turn that fails on the way out releases its claim, so a redelivery is answered', async () => {
    harness.connector.failNext({ method: 'POST', pathIncludes: '/activities/1732999000002' }, 400);
    const failed = await harness.personalMessage(grace, 'who tutors Amelia Jones', { id: '1732999000002' });
    expect(failed.status).toBe(200);
    const apology = failed.calls.filter((call) => call.method === 'POST' && call.status === 200);
    expect(renderActivity(apology[0].body!).text).toMatch(/something went wrong/);
    const redelivered = await harness.personalMessage(grace, 'who tutors Amelia Jones', { id: '1732999000002' });
    const [card] = redelivered.calls.filter((call) => call.method === 'POST');
    expect(renderActivity(card.body!).text).toContain('Tutor: Ms Grace Okafor');
  });

  test('removing the app forgets the 1:1 chat; installing it again remembers it', async () => {
    const actor = await harness.app.actor(grace);
    const stored = () => harness.app.core.db.selectFrom('conversation_ref').select('staff_id').where('staff_id', '=', actor.staffId).execute();
    expect(await stored()).toHaveLength(1);
    const removed = await harness.uninstall(grace);
    expect(removed.status).toBe(200);
    expect(removed.calls).toEqual([]);
    expect(await stored()).toEqual([]);
    await harness.install(grace);
    expect(await stored()).toHaveLength(1);
  });

  test('HTML that Teams wraps around text is read as plain text', async () => {
    const result = await harness.personalMessage(grace, '<p>who tutors Zoë&nbsp;Ní Bhriain</p>');
    const [post] = result.calls.filter((call) => call.method === 'POST');
    expect(renderActivity(post.body!).text).toContain('Tutor: Ms Grace Okafor');
    const quoted = await harness.personalMessage(grace, '<div>who is Amelia Jones&#39;s tutor?</div>');
    expect(renderActivity(quoted.calls.find((call) => call.method === 'POST')!.body!).text).toContain('Tutor: Ms Grace Okafor');
  });

  test('activity ids older than a week are pruned; other platforms’ are left alone', async () => {
    const db = harness.app.core.db;
    const now = harness.app.clock.now();
    const old = new Date(now.getTime() - 8 * 86_400_000);
    await db
      .insertInto('inbound_event')
      .values([
        { platform: 'teams', event_key: 'old-teams', received_at: old },
        { platform: 'slack', event_key: 'old-slack', received_at: old },
      ])
      .execute();
    const recent = await db.selectFrom('inbound_event').select('event_key').where('platform', '=', 'teams').execute();
    expect(await pruneInboundEvents(harness.app.core, 'teams')).toBe(1);
    const left = await db.selectFrom('inbound_event').select(['platform', 'event_key']).execute();
    expect(left.filter((row) => row.platform === 'teams')).toHaveLength(recent.length - 1);
    expect(left).toContainEqual({ platform: 'slack', event_key: 'old-slack' });
  });

  test('a body that is not an activity is refused with 400 and reaches nobody', async () => {
    const before = harness.connector.calls.length;
    const response = await fetch(`${harness.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(response.status).toBe(400);
    const shapeless = await harness.post({ type: 'message', text: 'help' });
    expect(shapeless.status).toBe(400);
    expect(harness.connector.calls.length).toBe(before);
  });
});

describe.each(engines)('Teams tenants with several schools on %s', (engine) => {
  const harness = createTeamsHarness(engine);
  beforeAll(async () => {
    await harness.start();
    await harness.app.core.db.insertInto('school').values({ name: 'Southfield School (test)' }).execute();
  });
  afterAll(() => harness.close());

  test('an unlinked tenant is refused until an admin links it to a school', async () => {
    const refused = await harness.personalMessage(grace, 'who tutors Amelia Jones');
    const [post] = refused.calls.filter((call) => call.method === 'POST');
    expect(renderActivity(post.body!).text).toContain(`tutorbot link teams ${testTenantId}`);
    expect(await harness.app.core.db.selectFrom('platform_link').selectAll().execute()).toEqual([]);

    await harness.app.core.db.insertInto('platform_link').values({ platform: 'teams', external_id: testTenantId, school_id: harness.app.schoolId }).execute();
    const answered = await harness.personalMessage(grace, 'who tutors Amelia Jones');
    const [card] = answered.calls.filter((call) => call.method === 'POST');
    expect(renderActivity(card.body!).text).toContain('Tutor: Ms Grace Okafor');
  });
});
