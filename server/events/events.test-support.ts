import type pg from 'pg'
import { uuidv7 } from '../../shared/domain/ids'
import type { RawEnvelope } from '../../shared/events/envelope'
import { createPool, migrateServer } from '../db'
import { freshDatabase, type TestDatabase } from '../test-db'
import type { Values } from './outbox'

/** A migrated database of its own for an events test, and helpers over it. */
export interface EventsDb {
  db: TestDatabase
  pool: pg.Pool
  close: () => Promise<void>
}

export async function eventsDatabase(): Promise<EventsDb> {
  const db = await freshDatabase()
  const pool = createPool(db.url, db.poolMax)
  await migrateServer(pool)
  return {
    db,
    pool,
    close: async () => {
      await pool.end()
      await db.drop()
    },
  }
}

/** Runs `fn` in a transaction on its own connection, then commits (or rolls back). */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  end: 'COMMIT' | 'ROLLBACK' = 'COMMIT',
): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await fn(client)
    await client.query(end)
    return result
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {})
    throw e
  } finally {
    client.release()
  }
}

export async function storedEvents(pool: pg.Pool): Promise<(RawEnvelope & { seq: string })[]> {
  const { rows } = await pool.query<{ seq: string; envelope: RawEnvelope }>(
    'SELECT d.seq::text AS seq, d.envelope FROM domain_events d ORDER BY d.seq',
  )
  return rows.map((r) => ({ ...r.envelope, seq: r.seq }))
}

export const DEVICE = '01890a5d-ac96-774b-bcce-b30209900001'

/** An appointment's protocol values (ids made up: events do not check references). */
export function jobValues(over: Values = {}): Values {
  return {
    client_id: uuidv7(),
    service_id: uuidv7(),
    team_member_id: uuidv7(),
    scheduled_at: '2026-05-04T14:00:00.000Z',
    duration_minutes: 60,
    status: 'scheduled',
    notes: '',
    price: '55.00',
    deleted_at: null,
    ...over,
  }
}

/** Waits until `check` holds, polling; fails after `ms` with what it last saw. */
export async function eventually<T>(
  check: () => Promise<T>,
  ok: (value: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await check()
    if (ok(value)) return value
    if (Date.now() > until) throw new Error(`timed out; last saw ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
