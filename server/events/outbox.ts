import type pg from 'pg'
import { uuidv7 } from '../../shared/domain/ids'
import { type RowChange as DerivedRowChange, eventsFor } from '../../shared/events/derive'
import { makeEnvelope, type RawEnvelope } from '../../shared/events/envelope'
import type { FieldValue } from '../../shared/sync/merge'
import type { SyncedTable } from '../../shared/sync/protocol'
import { SEQ_LOCK } from '../upgrade'

/**
 * The transactional outbox. Every accepted change writes its domain events into
 * `domain_events` in the transaction that writes the change, so an event exists exactly
 * when its change committed: a rolled-back push leaves none, and no queue is ever told
 * about a change that did not happen. Relays (relay.ts) move the rows on afterwards.
 */
export type Values = Record<string, FieldValue>
export type RowChange = {
  table: SyncedTable
  rowId: string
  before: Values | null
  after: Values
  uploaded?: boolean
}

export interface EventContext {
  /** CloudEvents `source`: where the change came from. Defaults to the device. */
  source?: string
  deviceId: string
  /** Ties the events to the request that caused them; one is made when absent. */
  correlationId?: string
}

/** The `source` of events a device's writes cause. */
export const deviceSource = (deviceId: string) => `/devices/${deviceId}`

/**
 * Derives the events of `changes` (shared/events/derive.ts) and inserts them, in one
 * statement, in the caller's transaction. Every event of one call shares its time and
 * correlation id; their order is the order of `changes`, then the rule's order.
 *
 * Sequence numbers are taken under SEQ_LOCK, which this takes (again, if the caller's
 * push holds it already: an advisory lock is re-entrant within a transaction) and
 * which is released only at the commit. So numbers are handed out in commit order, and
 * a reader that has seen number n will never later find a committed event below n: the
 * feed's and the relays' cursors never skip an event whose transaction commits late.
 * Data that does not match its type's schema throws, and the caller's transaction rolls
 * back: an invalid event is never written.
 */
export async function recordEvents(
  client: pg.PoolClient,
  changes: RowChange[],
  context: EventContext,
): Promise<void> {
  await publishEvents(
    client,
    changes.flatMap((c) => eventsFor(c satisfies DerivedRowChange)),
    context,
  )
}

/**
 * Writes events into the outbox in the caller's transaction: those a change derives
 * (above), or those a service raises of its own (the weather refresh's alerts).
 */
export async function publishEvents(
  client: pg.PoolClient,
  derived: { type: string; subject: string; data: unknown }[],
  context: EventContext,
): Promise<void> {
  if (!derived.length) return
  const source = context.source ?? deviceSource(context.deviceId)
  const correlationId = context.correlationId ?? uuidv7()
  const time = new Date().toISOString()
  const envelopes = derived.map((e) =>
    makeEnvelope({ ...e, id: uuidv7(), source, time, correlationId } as Parameters<
      typeof makeEnvelope
    >[0]),
  )
  await client.query('SELECT pg_advisory_xact_lock($1)', [SEQ_LOCK])
  await client.query(
    `INSERT INTO domain_events (id, type, subject, correlation_id, envelope)
     SELECT (e->>'id')::uuid, e->>'type', e->>'subject', e->>'correlationid', e
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, n)
     ORDER BY n`,
    [JSON.stringify(envelopes)],
  )
}

export interface StoredEvent {
  seq: string
  /** As written: checked against its type's schema then, and again by each subscriber. */
  envelope: RawEnvelope
}

/**
 * Events after `after` (a sequence number), in sequence order, at most `limit`. Numbers
 * grow in commit order (see recordEvents), so "after my cursor" misses nothing.
 */
export async function readEvents(
  db: pg.Pool | pg.PoolClient,
  after: string,
  limit: number,
): Promise<StoredEvent[]> {
  const { rows } = await db.query<{ seq: string; envelope: RawEnvelope }>(
    'SELECT d.seq::text AS seq, d.envelope FROM domain_events d WHERE d.seq > $1::bigint ORDER BY d.seq LIMIT $2',
    [after, limit],
  )
  return rows
}
