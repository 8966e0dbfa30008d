import { sql } from 'kysely';
import type { CoreContext } from '../core-context.ts';

/** How fast one platform scope may be sent to: a rate and the scope's name (see Messenger.pace). */
export interface SendPace {
  /** Sends per second across every instance (under the platform's documented limit). */
  perSecond: number;
  /** The scope the limit applies to: a Slack workspace's bot, a Teams tenant. */
  scope: string;
}

export type SendSlot = { kind: 'reserved'; at: Date } | { kind: 'full'; nextFree: Date };

/**
 * Reserves the next send slot for a platform scope, shared by every instance through the
 * database: the slot is the later of now and the scope's next free slot, and the next free slot
 * moves on by one interval. A slot further ahead than `maxWaitMs` is not reserved (the caller
 * puts the delivery back until then instead of holding a worker), so no slot is wasted.
 */
export async function reserveSendSlot(
  core: CoreContext,
  platform: string,
  pace: SendPace,
  maxWaitMs: number,
  options: { jumpQueue?: boolean } = {},
): Promise<SendSlot> {
  const now = core.now();
  const intervalMs = Math.max(1, Math.round(1000 / pace.perSecond));
  const interval = `${intervalMs} milliseconds`;
  if (options.jumpQueue) {
    // Sends now and moves everyone else's next slot on by one interval: the long-run rate holds,
    // and the platform sees one message early (within the short bursts it allows).
    await sql`
      INSERT INTO send_pace (platform, scope, next_slot) VALUES (${platform}, ${pace.scope}, ${now}::timestamptz + ${interval}::interval)
      ON CONFLICT (platform, scope) DO UPDATE SET next_slot = greatest(send_pace.next_slot, ${now}::timestamptz) + ${interval}::interval`.execute(core.db);
    return { kind: 'reserved', at: now };
  }
  const latest = new Date(now.getTime() + maxWaitMs);
  const reserved = await sql<{ slot: Date }>`
    INSERT INTO send_pace (platform, scope, next_slot) VALUES (${platform}, ${pace.scope}, ${now}::timestamptz + ${interval}::interval)
    ON CONFLICT (platform, scope) DO UPDATE
      SET next_slot = greatest(send_pace.next_slot, ${now}::timestamptz) + ${interval}::interval
      WHERE send_pace.next_slot <= ${latest}::timestamptz
    RETURNING next_slot - ${interval}::interval AS slot`.execute(core.db);
  if (reserved.rows.length > 0) return { kind: 'reserved', at: new Date(reserved.rows[0].slot) };
  const row = await core.db.selectFrom('send_pace').select('next_slot').where('platform', '=', platform).where('scope', '=', pace.scope).executeTakeFirst();
  return { kind: 'full', nextFree: row ? new Date(row.next_slot) : latest };
}
