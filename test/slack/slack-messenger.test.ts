import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatUnreachableStaff } from '../../adapters/cli/commands/unreachable-command.ts';
import { ConsoleMessenger } from '../../adapters/console/console-messenger.ts';
import { SlackMessenger } from '../../adapters/slack/slack-messenger.ts';
import { createFeatureRegistry } from '../../src/app/feature-registry.ts';
import { parseConfig } from '../../src/config.ts';
import { createDeliveryService } from '../../src/delivery/delivery-service.ts';
import { listUnreachableStaff } from '../../src/delivery/held-deliveries.ts';
import { DeliveryFailure } from '../../src/delivery/messenger.ts';
import { enqueueDelivery } from '../../src/delivery/outbox.ts';
import { createAddressBook, linkWorkspace } from '../../src/platforms/index.ts';
import { reply, textReply } from '../../src/reply.ts';
import { SlackHarness } from '../support/slack-harness.ts';
import { engines } from '../support/test-database.ts';

const reid = 'daniel.reid@northbrook.example';
const okafor = 'grace.okafor@northbrook.example';

describe.each(engines)('Slack direct messages for routed deliveries (%s)', (engine) => {
  const slack = new SlackHarness({ engine });
  beforeAll(() => slack.start());
  afterAll(() => slack.close());

  const addresses = () => createAddressBook(slack.app.core, slack.app.deliveries);

  async function contact(email: string) {
    const actor = await slack.app.actor(email);
    return { staffId: actor.staffId, schoolId: actor.schoolId, email: actor.email };
  }

  async function failureOf(work: Promise<unknown>): Promise<DeliveryFailure> {
    const error = await work.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DeliveryFailure);
    return error as DeliveryFailure;
  }

  it('finds someone who never used tutorbot by their email, and remembers them', async () => {
    const who = await contact(reid);
    const address = await slack.messenger.resolveAddress(addresses(), who);
    expect(address).toEqual({ userId: slack.user(reid).id });
    const mark = slack.fake.calls.length;
    expect(await slack.messenger.resolveAddress(addresses(), who)).toEqual(address);
    expect(slack.fake.calls.slice(mark)).toEqual([]);
  });

  it('cannot reach someone Slack does not know', async () => {
    const ghost = { staffId: (await contact(okafor)).staffId, schoolId: slack.app.schoolId, email: 'nobody@northbrook.example' };
    await slack.app.core.db.deleteFrom('conversation_ref').execute();
    await slack.app.core.db.deleteFrom('platform_identity').execute();
    expect(await slack.messenger.resolveAddress(addresses(), ghost)).toBeNull();
  });

  it('sends a DM with Block Kit and the delivery id in message metadata', async () => {
    const user = slack.user(reid);
    const mark = slack.fake.calls.length;
    const message = reply(
      [
        { type: 'heading', text: 'Concern about a tutee' },
        { type: 'actions', actions: [{ id: 'ack', label: 'Acknowledge', value: 'n:1' }] },
      ],
      'pupil',
    );
    const sent = await slack.messenger.send({ userId: user.id }, message, { deliveryId: 900041 });
    const calls = slack.fake.calls.slice(mark);
    expect(calls.map((call) => call.method)).toEqual(['conversations.open', 'chat.postMessage']);
    expect(calls[1].args.metadata).toEqual({ event_type: 'tutorbot_delivery', event_payload: { delivery_id: 900041 } });
    expect(calls[1].args.channel).toBe(slack.fake.dmChannelFor(user.id));
    expect(JSON.stringify(calls[1].args.blocks)).toContain('"action_id":"ack::0"');
    expect(sent.ref).toEqual({ channel: slack.fake.dmChannelFor(user.id), ts: expect.any(String) });
  });

  it('finds a sent delivery again by its metadata, and updates it in place', async () => {
    const user = slack.user(reid);
    const sent = await slack.messenger.send({ userId: user.id }, textReply('first'), { deliveryId: 900077 });
    await slack.messenger.send({ userId: user.id }, textReply('second'), { deliveryId: 900078 });
    expect(await slack.messenger.findSent!({ userId: user.id }, { deliveryId: 900077 })).toEqual(sent);
    expect(await slack.messenger.findSent!({ userId: user.id }, { deliveryId: 900079 })).toBeNull();
    const history = slack.fake.callsOf('conversations.history').at(-1)!;
    expect(history.args.include_all_metadata).toBe('true');
    await slack.messenger.update!(sent.ref, textReply('Acknowledged by Mr Reid'));
    const update = slack.fake.callsOf('chat.update').at(-1)!;
    expect(update.args).toMatchObject({ channel: sent.ref.channel, ts: sent.ref.ts, text: 'Acknowledged by Mr Reid' });
  });

  it('turns a 429 into a retryable failure carrying Retry-After, without retrying itself', async () => {
    const user = slack.user(reid);
    slack.fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const mark = slack.fake.calls.length;
    const failure = await failureOf(slack.messenger.send({ userId: user.id }, textReply('x'), { deliveryId: 900090 }));
    expect(failure).toMatchObject({ retryable: true, retryAfterSeconds: 7, unreachable: false });
    expect(slack.fake.calls.slice(mark).filter((call) => call.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('retries server errors and network failures, gives up on platform errors, and marks missing people unreachable', async () => {
    const user = slack.user(reid);
    slack.fake.failNext('chat.postMessage', { status: 503 });
    expect(await failureOf(slack.messenger.send({ userId: user.id }, textReply('x'), { deliveryId: 900091 }))).toMatchObject({
      retryable: true,
      unreachable: false,
    });
    slack.fake.failNext('chat.postMessage', { error: 'invalid_blocks' });
    expect(await failureOf(slack.messenger.send({ userId: user.id }, textReply('x'), { deliveryId: 900092 }))).toMatchObject({
      retryable: false,
      unreachable: false,
    });
    slack.fake.failNext('chat.postMessage', { error: 'account_inactive' });
    expect(await failureOf(slack.messenger.send({ userId: user.id }, textReply('x'), { deliveryId: 900093 }))).toMatchObject({ unreachable: true });
    const offline = new SlackMessenger(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api/' }).slack!);
    expect(await failureOf(offline.send({ userId: user.id }, textReply('x'), { deliveryId: 900094 }))).toMatchObject({ retryable: true });
  });

  it('spaces posts to one person about a second apart, without delaying others', async () => {
    const paced = new SlackMessenger(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.fake.apiUrl }).slack!);
    const a = slack.user(reid);
    const b = slack.user(okafor);
    const started = Date.now();
    const times: Record<string, number> = {};
    await Promise.all([
      paced.send({ userId: a.id }, textReply('1'), { deliveryId: 1 }).then(() => (times.a1 = Date.now() - started)),
      paced.send({ userId: a.id }, textReply('2'), { deliveryId: 2 }).then(() => (times.a2 = Date.now() - started)),
      paced.send({ userId: b.id }, textReply('3'), { deliveryId: 3 }).then(() => (times.b1 = Date.now() - started)),
    ]);
    expect(times.a2).toBeGreaterThanOrEqual(950);
    expect(times.b1).toBeLessThan(900);
  });

  describe('through the delivery service', () => {
    const kinds = createFeatureRegistry([
      { name: 'probe', deliveries: { probe: { render: async () => textReply('A concern about your tutee needs you.') } } },
    ]).deliveryKinds;

    it('delivers once, and after a crash between sending and recording finds the message instead of sending again', async () => {
      const service = createDeliveryService(slack.app.core, { messengers: [slack.messenger], kinds });
      const recipient = await contact(reid);
      const queued = await enqueueDelivery(slack.app.core, { ...recipient, kind: 'probe', subject: { noteId: 1 }, idempotencyKey: 'probe:crash:1' });
      const id = queued.id!;
      expect(await service.deliver(id)).toBe('sent');
      expect(await service.deliver(id)).toBe('already-sent');
      // Simulate the crash: the message went out but the row still says 'sending', long ago.
      await slack.app.core.db
        .updateTable('delivery')
        .set({ status: 'sending', updated_at: new Date(slack.app.clock.now().getTime() - 3600_000) })
        .where('id', '=', id)
        .execute();
      const mark = slack.fake.calls.length;
      expect(await service.deliver(id)).toBe('already-sent');
      expect(slack.fake.calls.slice(mark).filter((call) => call.method === 'chat.postMessage')).toEqual([]);
      expect(slack.fake.calls.slice(mark).map((call) => call.method)).toContain('conversations.history');
      const direct = await slack.directMessagesTo(reid);
      expect(direct.filter((message) => message.text === 'A concern about your tutee needs you.')).toHaveLength(1);
    });

    it('leaves a delivery that a console-only process cannot send for one that can, attempt unspent, instead of parking it as unreachable', async () => {
      await linkWorkspace(slack.app.core.db, { platform: 'slack', workspaceId: slack.user(reid).teamId, schoolId: slack.app.schoolId });
      const consoleOnly = createDeliveryService(slack.app.core, { messengers: [new ConsoleMessenger()], kinds });
      const recipient = await contact(reid);
      const queued = await enqueueDelivery(slack.app.core, { ...recipient, kind: 'probe', subject: { noteId: 5 }, idempotencyKey: 'probe:console-only:1' });
      expect(await consoleOnly.deliver(queued.id!)).toBe('deferred');
      const row = await slack.app.core.db.selectFrom('delivery').selectAll().where('id', '=', queued.id!).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      expect(row.last_error).toContain('slack');
      // Nor does its minute's sweep park it, even once the hand-back delay has passed.
      slack.app.clock.advance(31_000);
      await consoleOnly.sweep({ includeUnreachable: true });
      expect((await slack.app.core.db.selectFrom('delivery').select('status').where('id', '=', queued.id!).executeTakeFirstOrThrow()).status).toBe('pending');
      slack.app.clock.advance(31_000);
      const server = createDeliveryService(slack.app.core, { messengers: [slack.messenger, new ConsoleMessenger()], kinds });
      expect(await server.deliver(queued.id!)).toBe('sent');
    });

    it('holds a message for a deactivated Slack account and tells the admin that, not that an app is missing', async () => {
      const service = createDeliveryService(slack.app.core, { messengers: [slack.messenger], kinds });
      const recipient = await contact(okafor);
      const queued = await enqueueDelivery(slack.app.core, { ...recipient, kind: 'probe', subject: { noteId: 6 }, idempotencyKey: 'probe:inactive:1' });
      slack.fake.failNext('chat.postMessage', { error: 'account_inactive' });
      expect(await service.deliver(queued.id!)).toBe('unreachable');
      const held = (await listUnreachableStaff(slack.app.core.db, slack.app.schoolId)).find((row) => row.email === okafor);
      expect(held?.reason).toBe('slack: account_inactive: their Slack account is deactivated');
      const listed = formatUnreachableStaff(held ? [held] : [], 'Hollybank');
      expect(listed).toContain('their Slack account is deactivated');
      expect(listed).not.toMatch(/install/i);
      await slack.app.core.db.deleteFrom('delivery').where('id', '=', queued.id!).execute();
    });

    it('paces sends to the workspace: a delivery whose slot is too far ahead goes back to the queue until then, attempt unspent', async () => {
      await slack.app.core.db.deleteFrom('send_pace').execute();
      const config = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.fake.apiUrl }).slack!;
      const paced = new SlackMessenger(config, { perWorkspacePerSecond: 2 });
      const service = createDeliveryService(slack.app.core, { messengers: [paced], kinds, paceMaxWaitMs: 600 });
      const recipient = await contact(reid);
      const ids: number[] = [];
      for (const n of [1, 2, 3]) {
        ids.push((await enqueueDelivery(slack.app.core, { ...recipient, kind: 'probe', subject: { noteId: 10 + n }, idempotencyKey: `probe:paced:${n}` })).id!);
      }
      // The clock stands still: the first slot is now, the second half a second on (waited for),
      // the third a second on, past the longest wait.
      expect(await service.deliver(ids[0])).toBe('sent');
      expect(await service.deliver(ids[1])).toBe('sent');
      expect(await service.deliver(ids[2])).toBe('paced');
      const row = await slack.app.core.db.selectFrom('delivery').selectAll().where('id', '=', ids[2]).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      expect(new Date(row.not_before).getTime() - slack.app.clock.now().getTime()).toBe(1000);
      slack.app.clock.advance(1000);
      expect(await service.deliver(ids[2])).toBe('sent');
    });

    it('keeps its claim while a slow send is in flight, so another worker never sends it too, and takes over a dead worker’s claim', async () => {
      const first = createDeliveryService(slack.app.core, { messengers: [slack.messenger], kinds, staleClaimSeconds: 3 });
      const second = createDeliveryService(slack.app.core, { messengers: [slack.messenger], kinds, staleClaimSeconds: 3 });
      const recipient = await contact(reid);
      const queued = await enqueueDelivery(slack.app.core, { ...recipient, kind: 'probe', subject: { noteId: 20 }, idempotencyKey: 'probe:slow:1' });
      const posts = () =>
        slack.fake
          .callsOf('chat.postMessage')
          .filter((call) => (call.args.metadata as { event_payload?: { delivery_id?: number } })?.event_payload?.delivery_id === queued.id).length;
      const release = slack.fake.holdNext('chat.postMessage');
      const sending = first.deliver(queued.id!);
      await vi.waitFor(() => expect(posts()).toBe(1), { timeout: 10_000 });
      // Longer than the stale window passes while Slack holds the post; the worker renews its claim.
      slack.app.clock.advance(4_000);
      const advanced = slack.app.clock.now().getTime();
      await vi.waitFor(
        async () => {
          const row = await slack.app.core.db.selectFrom('delivery').select('updated_at').where('id', '=', queued.id!).executeTakeFirstOrThrow();
          expect(new Date(row.updated_at).getTime()).toBe(advanced);
        },
        { timeout: 10_000 },
      );
      expect(await second.recoverStaleClaims()).toBe(0);
      release();
      expect(await sending).toBe('sent');
      expect(posts()).toBe(1);

      // A worker that died mid-send renews nothing: once its claim is stale, a survivor takes it over.
      const orphan = await enqueueDelivery(slack.app.core, { ...recipient, kind: 'probe', subject: { noteId: 21 }, idempotencyKey: 'probe:orphan:1' });
      await slack.app.core.db
        .updateTable('delivery')
        .set({ status: 'sending', attempts: 1, updated_at: new Date(slack.app.clock.now().getTime() - 4_000) })
        .where('id', '=', orphan.id!)
        .execute();
      expect(await second.recoverStaleClaims()).toBe(1);
      expect((await slack.app.core.db.selectFrom('delivery').select('status').where('id', '=', orphan.id!).executeTakeFirstOrThrow()).status).toBe('sent');
    });

    it('does not send a dead worker’s message twice when the first look for it after the takeover fails with a server error', async () => {
      const survivor = createDeliveryService(slack.app.core, { messengers: [slack.messenger], kinds, staleClaimSeconds: 3 });
      const recipient = await contact(reid);
      const orphan = await enqueueDelivery(slack.app.core, { ...recipient, kind: 'probe', subject: { noteId: 22 }, idempotencyKey: 'probe:orphan:posted' });
      const posts = () =>
        slack.fake
          .callsOf('chat.postMessage')
          .filter((call) => (call.args.metadata as { event_payload?: { delivery_id?: number } })?.event_payload?.delivery_id === orphan.id).length;
      // The dead worker posted the message and was killed before it recorded the send.
      await slack.messenger.send({ userId: slack.user(reid).id }, textReply('posted by a worker that died'), { deliveryId: orphan.id! });
      await slack.app.core.db
        .updateTable('delivery')
        .set({ status: 'sending', attempts: 1, updated_at: new Date(slack.app.clock.now().getTime() - 4_000) })
        .where('id', '=', orphan.id!)
        .execute();
      slack.fake.failNext('conversations.history', { status: 503 });
      expect(await survivor.recoverStaleClaims()).toBe(0);
      expect((await slack.app.core.db.selectFrom('delivery').select('status').where('id', '=', orphan.id!).executeTakeFirstOrThrow()).status).toBe('pending');
      slack.app.clock.advance(60_000);
      expect(await survivor.deliver(orphan.id!)).toBe('already-sent');
      expect(posts()).toBe(1);
    });

    it('retries a delivery whose address look-up failed with a server error, instead of leaving it sending', async () => {
      const service = createDeliveryService(slack.app.core, { messengers: [slack.messenger], kinds });
      const recipient = await contact(okafor);
      await slack.app.core.db.deleteFrom('conversation_ref').where('staff_id', '=', recipient.staffId).execute();
      await slack.app.core.db.deleteFrom('platform_identity').where('staff_id', '=', recipient.staffId).execute();
      const queued = await enqueueDelivery(slack.app.core, { ...recipient, kind: 'probe', subject: { noteId: 3 }, idempotencyKey: 'probe:lookup-500:1' });
      slack.fake.failNext('users.lookupByEmail', { status: 500 });
      expect(await service.deliver(queued.id!)).toBe('retry');
      const row = await slack.app.core.db.selectFrom('delivery').selectAll().where('id', '=', queued.id!).executeTakeFirstOrThrow();
      expect(row.status).toBe('pending');
      expect(new Date(row.not_before).getTime() - slack.app.clock.now().getTime()).toBeLessThanOrEqual(10_000);
      slack.app.clock.advance(10_000);
      expect(await service.deliver(queued.id!)).toBe('sent');
    });

    it('does not spend an attempt on a rate limit, so rate limits never dead-letter a message', async () => {
      const service = createDeliveryService(slack.app.core, { messengers: [slack.messenger], kinds, maxAttempts: 2 });
      const recipient = await contact(reid);
      const queued = await enqueueDelivery(slack.app.core, { ...recipient, kind: 'probe', subject: { noteId: 4 }, idempotencyKey: 'probe:429:many' });
      for (let round = 0; round < 4; round += 1) {
        slack.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
        expect(await service.deliver(queued.id!)).toBe('retry');
        slack.app.clock.advance(1_000);
      }
      const row = await slack.app.core.db.selectFrom('delivery').selectAll().where('id', '=', queued.id!).executeTakeFirstOrThrow();
      expect(row.attempts).toBe(0);
      expect(await service.deliver(queued.id!)).toBe('sent');
    });

    it('puts a rate-limited delivery back in the queue until Retry-After has passed', async () => {
      const service = createDeliveryService(slack.app.core, { messengers: [slack.messenger], kinds });
      const recipient = await contact(reid);
      const queued = await enqueueDelivery(slack.app.core, { ...recipient, kind: 'probe', subject: { noteId: 2 }, idempotencyKey: 'probe:429:1' });
      slack.fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
      expect(await service.deliver(queued.id!)).toBe('retry');
      const row = await slack.app.core.db.selectFrom('delivery').selectAll().where('id', '=', queued.id!).executeTakeFirstOrThrow();
      expect(row.status).toBe('pending');
      expect(new Date(row.not_before).getTime() - slack.app.clock.now().getTime()).toBe(30_000);
      expect(await service.deliver(queued.id!)).toBe('not-claimed');
      slack.app.clock.advance(30_000);
      expect(await service.deliver(queued.id!)).toBe('sent');
    });
  });
});
