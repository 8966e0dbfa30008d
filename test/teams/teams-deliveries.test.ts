import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listUnreachableStaff } from '../../src/delivery/held-deliveries.ts';
import { ConversationLimiter } from '../../adapters/teams/conversation-limiter.ts';
import { TeamsMessenger } from '../../adapters/teams/teams-messenger.ts';
import { createFeatureRegistry } from '../../src/app/feature-registry.ts';
import { createDeliveryService, type DeliveryService } from '../../src/delivery/delivery-service.ts';
import { enqueueDelivery } from '../../src/delivery/outbox.ts';
import { reply } from '../../src/reply.ts';
import { engines } from '../support/test-database.ts';
import { createTeamsHarness, renderActivity } from '../support/teams-harness.ts';

const daniel = 'daniel.reid@northbrook.example';
const helen = 'helen.achterberg@northbrook.example';
const marcus = 'marcus.bello@northbrook.example';
const niamh = 'niamh.gallagher@northbrook.example';

describe.each(engines)('Teams deliveries on %s', (engine) => {
  const harness = createTeamsHarness(engine);
  let deliveries: DeliveryService;
  let messenger: TeamsMessenger;
  let key = 0;

  beforeAll(async () => {
    await harness.start();
    messenger = new TeamsMessenger(harness.app.config.teams!);
    // The real delivery service, with a renderer of its own: the edge must carry any message.
    deliveries = createDeliveryService(harness.app.core, {
      messengers: [messenger],
      kinds: createFeatureRegistry([
        {
          name: 'test-notice',
          deliveries: {
            'test-notice': {
              render: async (_core, delivery, recipient) =>
                reply(
                  [
                    { type: 'text', text: `A notice for ${recipient.displayName} (#${String(delivery.subject.n)})` },
                    { type: 'actions', actions: [{ id: 'notice_ack', label: 'Acknowledge', value: `notice:${String(delivery.subject.n)}` }] },
                  ],
                  'pupil',
                ),
            },
          },
        },
      ]).deliveryKinds,
    });
  });
  afterAll(() => harness.close());

  async function queueFor(email: string) {
    const actor = await harness.app.actor(email);
    key += 1;
    const { id } = await enqueueDelivery(harness.app.core, {
      schoolId: actor.schoolId,
      staffId: actor.staffId,
      kind: 'test-notice',
      subject: { n: key },
      idempotencyKey: `test-notice:${key}`,
    });
    return id!;
  }

  async function status(id: number) {
    return harness.app.core.db
      .selectFrom('delivery')
      .select(['status', 'not_before', 'last_error', 'sent_ref', 'platform'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  test('someone who has not installed the app cannot be reached: the message waits, and an admin can see who', async () => {
    const id = await queueFor(daniel);
    expect(await deliveries.deliver(id)).toBe('unreachable');
    expect(harness.connector.activities({ proactive: true })).toEqual([]);
    const waiting = await listUnreachableStaff(harness.app.core.db, harness.app.schoolId);
    expect(waiting.map((row) => [row.email, row.waiting])).toEqual([[daniel, 1]]);
    expect(waiting[0].reason).toContain('they have not installed tutorbot in Teams');
  });

  test('installing the app releases what waited, and it goes to the 1:1 chat as a card', async () => {
    const [queued] = await harness.app.core.db.selectFrom('delivery').select('id').where('status', '=', 'unreachable').execute();
    await harness.install(daniel);
    expect((await status(queued.id)).status).toBe('pending');
    expect(await deliveries.deliver(queued.id)).toBe('sent');
    const [sent] = harness.connector.activities({ conversationId: harness.personalConversationId(daniel), proactive: true });
    const shown = renderActivity(sent.body!);
    expect(shown.text).toContain('A notice for Mr Daniel Reid');
    expect(shown.buttons).toEqual([{ actionId: 'notice_ack', value: expect.stringMatching(/^notice:\d+$/), label: 'Acknowledge' }]);
    const row = await status(queued.id);
    expect(row.platform).toBe('teams');
    expect(row.sent_ref).toEqual({ serviceUrl: harness.connector.url, conversationId: harness.personalConversationId(daniel), activityId: sent.createdId });
    expect(await listUnreachableStaff(harness.app.core.db, harness.app.schoolId)).toEqual([]);
  });

  test('a sent message can be updated in place', async () => {
    const [row] = await harness.app.core.db.selectFrom('delivery').select('sent_ref').where('status', '=', 'sent').execute();
    await messenger.update(row.sent_ref as Record<string, unknown>, reply([{ type: 'text', text: 'Acknowledged by Ms Grace Okafor' }], 'none'));
    const [put] = harness.connector.activities({ method: 'PUT' });
    expect(put.activityId).toBe((row.sent_ref as { activityId: string }).activityId);
    expect(put.body).toMatchObject({ type: 'message', text: 'Acknowledged by Ms Grace Okafor' });
  });

  test('429 from Teams is retried later, after the Retry-After it gave', async () => {
    await harness.install(helen);
    const id = await queueFor(helen);
    harness.connector.failNext({ method: 'POST', pathIncludes: harness.personalConversationId(helen) }, 429, { retryAfter: '30' });
    expect(await deliveries.deliver(id)).toBe('retry');
    const row = await status(id);
    expect(row.status).toBe('pending');
    expect(new Date(row.not_before).getTime() - harness.app.clock.now().getTime()).toBe(30_000);
    expect(row.last_error).toContain('429');
    harness.app.clock.advance(31_000);
    expect(await deliveries.deliver(id)).toBe('sent');
  });

  test('503 without Retry-After is retried with a backoff; 500 is not retried', async () => {
    const retried = await queueFor(helen);
    harness.connector.failNext({ method: 'POST', pathIncludes: harness.personalConversationId(helen) }, 503);
    expect(await deliveries.deliver(retried)).toBe('retry');
    expect(new Date((await status(retried)).not_before).getTime()).toBeGreaterThan(harness.app.clock.now().getTime());

    const failed = await queueFor(helen);
    harness.connector.failNext({ method: 'POST', pathIncludes: harness.personalConversationId(helen) }, 500);
    expect(await deliveries.deliver(failed)).toBe('failed');
  });

  test('403 (the bot is blocked) and 404 (the chat is gone) leave the person unreachable until they come back', async () => {
    await harness.install(marcus);
    const blocked = await queueFor(marcus);
    harness.connector.failNext({ method: 'POST', pathIncludes: harness.personalConversationId(marcus) }, 403);
    expect(await deliveries.deliver(blocked)).toBe('unreachable');
    expect((await status(blocked)).last_error).toContain('403');

    await harness.install(niamh);
    const gone = await queueFor(niamh);
    harness.connector.failNext({ method: 'POST', pathIncludes: harness.personalConversationId(niamh) }, 404);
    expect(await deliveries.deliver(gone)).toBe('unreachable');

    // Writing to the bot again (after unblocking it) releases the message.
    await harness.personalMessage(marcus, 'help');
    expect((await status(blocked)).status).toBe('pending');
    expect(await deliveries.deliver(blocked)).toBe('sent');
  });
});

describe('the per-conversation send limiter', () => {
  test('allows 7 sends a second to one chat, then waits for a free slot', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new ConversationLimiter({ now: () => now, sleep: async (ms) => void (waits.push(ms), (now += ms)) });
    for (let index = 0; index < 7; index += 1) await limiter.acquire('a:chat');
    expect(waits).toEqual([]);
    await limiter.acquire('a:chat');
    expect(waits).toEqual([1001]);
    await limiter.acquire('a:other-chat');
    expect(waits).toEqual([1001]);
  });

  test('refuses at once, with a time to come back, when a chat has had 60 sends in 30 seconds', async () => {
    let now = 0;
    const limiter = new ConversationLimiter({ now: () => now, sleep: async (ms) => void (now += ms) });
    for (let index = 0; index < 60; index += 1) {
      await limiter.acquire('a:chat');
      now += 300;
    }
    await expect(limiter.acquire('a:chat')).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
    const error = await limiter.acquire('a:chat').catch((caught: { retryAfterSeconds: number }) => caught);
    expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(3);
    expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(30);
  });
});
