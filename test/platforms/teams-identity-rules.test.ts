import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsHarness } from '../support/teams-harness.ts';
import { engines } from '../support/test-database.ts';

/**
 * Teams follows the core's identity and address rules (src/platforms), as Slack does: a known
 * member of staff is not locked out when Teams cannot be asked who they are, and a personal-chat
 * turn in an unchanged chat, with nothing held for the person, releases nothing.
 */
const grace = 'grace.okafor@northbrook.example';
const daniel = 'daniel.reid@northbrook.example';

describe.each(engines)('Teams identity and address rules on %s', (engine) => {
  const harness = createTeamsHarness(engine);
  const releases: number[] = [];

  beforeAll(async () => {
    await harness.start();
    // Count the delivery service's releases (and still release): the edge reaches it through the address book.
    const flushFor = harness.app.deliveries.flushFor.bind(harness.app.deliveries);
    harness.app.deliveries.flushFor = async (staffId) => {
      releases.push(staffId);
      return flushFor(staffId);
    };
  });
  afterAll(() => harness.close());

  it('answers a known member of staff when Teams cannot say who they are, and refuses someone unknown', async () => {
    await harness.install(grace);
    harness.app.clock.advance(25 * 3600_000);
    // Teams refuses the member lookup (the SDK retries 5xx answers on its own for seconds, and a 401 once).
    const memberCalls = () => harness.connector.calls.filter((call) => call.method === 'GET' && call.path.includes('/members/'));
    let mark = memberCalls().length;
    harness.connector.failNext({ method: 'GET', pathIncludes: '/members/' }, 401);
    const known = await harness.say(grace, 'who tutors Amelia Jones');
    expect(known.map((reply) => reply.text).join('\n')).toContain('Tutor: Ms Grace Okafor');
    expect(
      memberCalls()
        .slice(mark)
        .map((call) => call.status),
    ).toEqual([401]);
    mark = memberCalls().length;
    harness.connector.failNext({ method: 'GET', pathIncludes: '/members/' }, 401, { count: 2 });
    const unknown = await harness.say(daniel, 'who tutors Amelia Jones');
    expect(
      memberCalls()
        .slice(mark)
        .map((call) => call.status),
    ).toEqual([401, 401]);
    expect(unknown.map((reply) => reply.text).join('\n')).toMatch(/could not check who you are/);
  });

  it('releases nothing on a personal-chat turn in an unchanged chat with nothing held', async () => {
    await harness.say(grace, 'help');
    releases.length = 0;
    const answered = await harness.say(grace, 'who tutors Amelia Jones');
    expect(answered.map((reply) => reply.text).join('\n')).toContain('Tutor: Ms Grace Okafor');
    expect(releases).toEqual([]);
  });
});
