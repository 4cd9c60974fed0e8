import type pg from 'pg'
import { readEvents, type StoredEvent } from './outbox'

/**
 * Moves outbox events on to one destination (a subscriber's pg-boss queue, NATS), from
 * a cursor kept in `event_cursors`. Each pass runs in one transaction that locks the
 * destination's cursor row (SKIP LOCKED: another server instance busy with the same
 * destination makes this pass a no-op, never a second copy), hands the events after the
 * cursor to `deliver`, and moves the cursor past them. If `deliver` throws, the cursor
 * stays and the same events are offered again on the next pass: at least once.
 */
export interface RelayTarget {
  /** The cursor's name in event_cursors. */
  consumer: string
  /** Which event types the destination takes; the cursor passes over the others. */
  accepts: (type: string) => boolean
  /**
   * Moves a batch on. `client` is in the transaction holding the cursor: a destination in
   * the same database (pg-boss) writes with it, so the events and the cursor commit together.
   */
  deliver: (client: pg.PoolClient, events: StoredEvent[]) => Promise<void>
}

/**
 * Creates a destination's cursor at the current end of the stream if it has none: a new
 * subscriber receives the events from its first start on (older ones are in the feed).
 */
export async function ensureCursor(pool: pg.Pool, consumer: string): Promise<void> {
  await pool.query(
    `INSERT INTO event_cursors (consumer, seq)
     SELECT $1, coalesce(max(seq), 0) FROM domain_events
     ON CONFLICT (consumer) DO NOTHING`,
    [consumer],
  )
}

export interface RelayPass {
  /** Events delivered (those the target accepts). */
  relayed: number
  /** Whether more events wait after this batch. */
  more: boolean
  /** Another instance held the cursor: this pass did nothing. */
  busy: boolean
}

export async function relayOnce(
  pool: pg.Pool,
  target: RelayTarget,
  limit = 500,
): Promise<RelayPass> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    try {
      const { rows } = await client.query<{ seq: string }>(
        'SELECT seq::text AS seq FROM event_cursors WHERE consumer = $1 FOR UPDATE SKIP LOCKED',
        [target.consumer],
      )
      const cursor = rows[0]?.seq
      if (cursor === undefined) {
        await client.query('ROLLBACK')
        return { relayed: 0, more: false, busy: true }
      }
      const events = await readEvents(client, cursor, limit)
      const last = events.at(-1)
      if (!last) {
        await client.query('ROLLBACK')
        return { relayed: 0, more: false, busy: false }
      }
      const accepted = events.filter((e) => target.accepts(e.envelope.type))
      if (accepted.length) await target.deliver(client, accepted)
      await client.query(
        'UPDATE event_cursors SET seq = $2::bigint, updated_at = now() WHERE consumer = $1',
        [target.consumer, last.seq],
      )
      await client.query('COMMIT')
      return { relayed: accepted.length, more: events.length === limit, busy: false }
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {})
      throw e
    }
  } finally {
    client.release()
  }
}

/** Relays until the destination has caught up (or another instance holds it). */
export async function relayAll(pool: pg.Pool, target: RelayTarget, limit = 500): Promise<number> {
  let total = 0
  for (;;) {
    const pass = await relayOnce(pool, target, limit)
    total += pass.relayed
    if (!pass.more || pass.busy) return total
  }
}
