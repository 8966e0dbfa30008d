import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '../support/fake-slack-api.ts';
import { homeTeamId, SlackHarness } from '../support/slack-harness.ts';
import { engines } from '../support/test-database.ts';

const okafor = 'grace.okafor@northbrook.example';

describe.each(engines)('Slack request security (%s)', (engine) => {
  const slack = new SlackHarness({ engine });
  beforeAll(() => slack.start());
  afterAll(() => slack.close());

  async function nothingHappened(mark: number) {
    expect(slack.fake.calls.slice(mark)).toEqual([]);
    const events = await slack.app.core.db.selectFrom('inbound_event').select('event_key').execute();
    return events;
  }

  it('rejects a forged signature with 401 and does nothing', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    const { body } = slack.slashCommandBody(user, 'who tutors Amelia Jones');
    const timestamp = Math.floor(Date.now() / 1000);
    const forged = await slack.post(body, 'application/x-www-form-urlencoded', { signature: slackSignature('not-the-secret', timestamp, body), timestamp });
    expect(forged.status).toBe(401);
    await nothingHappened(mark);
  });

  it('rejects a body altered after signing', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    const { body } = slack.slashCommandBody(user, 'who tutors Amelia Jones');
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = slackSignature(slack.signingSecret, timestamp, body);
    const tampered = await slack.post(body.replace('Amelia', 'Sam'), 'application/x-www-form-urlencoded', { signature, timestamp });
    expect(tampered.status).toBe(401);
    await nothingHappened(mark);
  });

  it('rejects an unsigned request with 401', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    const { body } = slack.slashCommandBody(user, 'help');
    const unsigned = await slack.post(body, 'application/x-www-form-urlencoded', { signature: null });
    expect(unsigned.status).toBe(401);
    await nothingHappened(mark);
  });

  it('rejects a correctly signed but stale request (older than 5 minutes) with 401', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    const staleEvent = slack.eventBody(user, slack.directMessageEvent(user, 'who tutors Amelia Jones'), 'EvSTALE0001');
    const stale = await slack.post(staleEvent, 'application/json', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    const events = await nothingHappened(mark);
    expect(events.map((event) => event.event_key)).not.toContain('event:EvSTALE0001');
  });

  it('rejects a correctly signed request dated an hour ahead with 401 and does nothing', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    const futureEvent = slack.eventBody(user, slack.directMessageEvent(user, 'who tutors Amelia Jones'), 'EvFUTURE001');
    const future = await slack.post(futureEvent, 'application/json', { timestamp: Math.floor(Date.now() / 1000) + 3600 });
    expect(future.status).toBe(401);
    const events = await nothingHappened(mark);
    expect(events.map((event) => event.event_key)).not.toContain('event:EvFUTURE001');
  });

  it('accepts a signed request from a clock a minute ahead', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    const { body } = slack.slashCommandBody(user, 'help');
    const ahead = await slack.post(body, 'application/x-www-form-urlencoded', { timestamp: Math.floor(Date.now() / 1000) + 60 });
    expect(ahead.status).toBe(200);
    expect(slack.repliesTo(user, mark)).toHaveLength(1);
  });

  it('acknowledges a signed event with a null or malformed event without a 5xx or internals in the answer', async () => {
    const user = slack.user(okafor);
    const bodies = [
      JSON.stringify({ ...JSON.parse(slack.eventBody(user, {})), event: null }),
      JSON.stringify({ ...JSON.parse(slack.eventBody(user, {})), event: 'not an object' }),
      JSON.stringify({ ...JSON.parse(slack.eventBody(user, {})), event: { type: 'message', channel: 42, user: null, text: { nested: true } } }),
      JSON.stringify({ type: 'event_callback' }),
    ];
    for (const body of bodies) {
      const sent = await slack.post(body, 'application/json');
      expect(sent.status, body).toBeLessThan(500);
      expect(sent.text).not.toMatch(/error|stack|Cannot read/i);
    }
  });

  it('answers a slash command whose name does not start with a slash instead of leaving it unacknowledged', async () => {
    const user = slack.user(okafor);
    const form = new URLSearchParams(slack.slashCommandBody(user, 'help').body);
    form.set('command', 'tutor');
    const started = Date.now();
    const sent = await slack.post(form.toString(), 'application/x-www-form-urlencoded');
    expect(sent.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("answers Slack's url_verification challenge when signed", async () => {
    const body = JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' });
    const answer = await slack.post(body, 'application/json');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ challenge: 'c-123' });
  });

  it('handles a retried event (same event_id, X-Slack-Retry-Num) once', async () => {
    const user = slack.user(okafor);
    const mark = slack.fake.calls.length;
    const first = await slack.directMessage(okafor, 'who tutors Amelia Jones', { eventId: 'EvRETRY0001' });
    const retry = await slack.post(first.body, 'application/json', { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    const again = await slack.post(first.body, 'application/json', { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } });
    expect([first.status, retry.status, again.status]).toEqual([200, 200, 200]);
    const replies = slack.repliesTo(user, mark);
    expect(replies).toHaveLength(1);
    expect(replies[0].visibleTo).toBe('dm');
    const keys = await slack.app.core.db.selectFrom('inbound_event').select('event_key').where('event_key', '=', 'event:EvRETRY0001').execute();
    expect(keys).toHaveLength(1);
  });

  it('refuses someone who is not on the staff politely, and tells them nothing else', async () => {
    const stranger = slack.fake.addUser({ email: 'parent@gmail.example', teamId: homeTeamId });
    const mark = slack.fake.calls.length;
    const sent = await slack.slashCommand('parent@gmail.example', 'who tutors Amelia Jones');
    expect(sent.status).toBe(200);
    const replies = slack.repliesTo(stranger, mark);
    expect(replies).toHaveLength(1);
    expect(replies[0].visibleTo).toBe('asker');
    expect(replies[0].text).toMatch(/only for staff/i);
    expect(replies[0].text).not.toMatch(/Amelia|Okafor|Year|Form/);
    expect(replies[0].buttons).toEqual([]);
    // Only the identity lookup and the refusal: no DM, no modal, no message to anyone.
    expect(
      slack.fake.calls
        .slice(mark)
        .map((call) => call.method)
        .sort(),
    ).toEqual(['response_url', 'users.info']);
  });

  it('refuses a user with no email on their Slack profile', async () => {
    const hidden = slack.fake.addUser({ email: null, teamId: homeTeamId });
    const mark = slack.fake.calls.length;
    const body = slack.eventBody(hidden, slack.directMessageEvent(hidden, 'tutees'));
    await slack.post(body, 'application/json');
    const replies = slack.repliesTo(hidden, mark);
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toMatch(/only for staff/i);
  });

  it('looks a person up in Slack once and then uses the cached match', async () => {
    const user = slack.user('daniel.reid@northbrook.example');
    await slack.slashCommand(user.email!, 'help');
    const mark = slack.fake.calls.length;
    await slack.slashCommand(user.email!, 'help');
    expect(slack.fake.calls.slice(mark).filter((call) => call.method === 'users.info')).toEqual([]);
    const cached = await slack.app.core.db.selectFrom('platform_identity').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(cached.staff_id).not.toBeNull();
    expect(cached.workspace_id).toBe(homeTeamId);
  });

  it('asks Slack again once a cached match is a day old', async () => {
    const user = slack.user('helen.achterberg@northbrook.example');
    await slack.slashCommand(user.email!, 'help');
    slack.app.clock.advance(25 * 3600_000);
    const mark = slack.fake.calls.length;
    await slack.slashCommand(user.email!, 'help');
    expect(slack.fake.calls.slice(mark).filter((call) => call.method === 'users.info')).toHaveLength(1);
  });

  it('links a single-school install to the first workspace and refuses users of another workspace', async () => {
    await slack.slashCommand(okafor, 'help');
    const link = await slack.app.core.db.selectFrom('platform_link').selectAll().where('platform', '=', 'slack').execute();
    expect(link.map((row) => [row.external_id, row.school_id])).toEqual([[homeTeamId, slack.app.schoolId]]);
    // Same staff email, different workspace: not a workspace this school linked.
    const outsider = slack.user(okafor, 'T0ELSEWHERE');
    const mark = slack.fake.calls.length;
    await slack.slashCommand(okafor, 'who tutors Amelia Jones', { teamId: 'T0ELSEWHERE' });
    const replies = slack.repliesTo(outsider, mark);
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toMatch(/not linked to a school/);
    expect(replies[0].text).toContain('tutorbot link slack T0ELSEWHERE');
    expect(replies[0].text).not.toMatch(/Amelia/);
    expect(slack.fake.calls.slice(mark).map((call) => call.method)).toEqual(['response_url']);
  });
});
