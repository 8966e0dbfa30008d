import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueDelivery } from '../../src/delivery/outbox.ts';
import { createAddressBook, type AddressBook } from '../../src/platforms/index.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { engines } from '../support/test-database.ts';

/**
 * One rule, whichever platform learns where someone is: a new or changed address is stored and
 * releases what was held for the person; an unchanged one writes nothing, unless something is held.
 */
describe.each(engines)('the address book (%s)', (engine) => {
  let app: TestApp;
  let book: AddressBook;
  const releases: number[] = [];
  let person: { staffId: number; schoolId: number };
  let key = 0;

  beforeAll(async () => {
    app = await startTestApp(engine);
    book = createAddressBook(app.core, {
      flushFor: (staffId) => {
        releases.push(staffId);
        return app.deliveries.flushFor(staffId);
      },
    });
    const actor = await app.actor('daniel.reid@northbrook.example');
    person = { staffId: actor.staffId, schoolId: actor.schoolId };
  });
  afterAll(() => app.close());

  async function held(): Promise<number> {
    key += 1;
    const { id } = await enqueueDelivery(app.core, { ...person, kind: 'test-notice', subject: { n: key }, idempotencyKey: `address-book:${key}` });
    await app.core.db.updateTable('delivery').set({ status: 'unreachable' }).where('id', '=', id!).execute();
    return id!;
  }

  const status = async (id: number) => (await app.core.db.selectFrom('delivery').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const stored = () =>
    app.core.db
      .selectFrom('conversation_ref')
      .select(['address', 'updated_at'])
      .where('staff_id', '=', person.staffId)
      .where('platform', '=', 'slack')
      .executeTakeFirst();

  it('stores a new address and releases what was held for the person', async () => {
    const waiting = await held();
    expect(await book.remember('slack', person, { userId: 'U0REID', workspaceId: 'T0NORTHBROOK' })).toBe('new');
    expect(await status(waiting)).toBe('pending');
    expect(releases).toEqual([person.staffId]);
    expect(await book.find('slack', person.staffId)).toEqual({ userId: 'U0REID', workspaceId: 'T0NORTHBROOK' });
  });

  it('writes nothing and releases nothing for an unchanged address with nothing held', async () => {
    releases.length = 0;
    const before = await stored();
    app.clock.advance(60_000);
    expect(await book.remember('slack', person, { workspaceId: 'T0NORTHBROOK', userId: 'U0REID' })).toBe('same');
    expect(releases).toEqual([]);
    expect(await stored()).toEqual(before);
  });

  it('releases what is held when the person shows up at an unchanged address', async () => {
    const waiting = await held();
    expect(await book.remember('slack', person, { userId: 'U0REID', workspaceId: 'T0NORTHBROOK' })).toBe('same');
    expect(await status(waiting)).toBe('pending');
  });

  it('stores a changed address (by the fields the platform says matter) and releases what was held', async () => {
    releases.length = 0;
    const same = (address: Record<string, unknown>) => (stored: Record<string, unknown>) => stored.userId === address.userId;
    expect(await book.remember('slack', person, { userId: 'U0REID', workspaceId: 'E0TRUST' }, same({ userId: 'U0REID' }))).toBe('same');
    const waiting = await held();
    releases.length = 0;
    expect(await book.remember('slack', person, { userId: 'U0REID2' }, same({ userId: 'U0REID2' }))).toBe('changed');
    expect(releases).toEqual([person.staffId]);
    expect(await status(waiting)).toBe('pending');
    expect(await book.find('slack', person.staffId)).toEqual({ userId: 'U0REID2' });
  });

  it('forgets an address only if it is the one named', async () => {
    expect(await book.forget('slack', person.staffId, (address) => address.userId === 'U0OTHER')).toBe(false);
    expect(await book.forget('slack', person.staffId, (address) => address.userId === 'U0REID2')).toBe(true);
    expect(await book.find('slack', person.staffId)).toBeNull();
  });
});
