import type pg from 'pg'
import type { z } from 'zod'
import type { change } from '../shared/sync/protocol'
import { keyOf } from './push-batch'
import type { Values } from './rows'
import type { Device } from './tokens'
import { valuesOf } from './upgrade'

type Change = z.infer<typeof change>

/**
 * Everything changed after `cursor`, in sequence order; the new cursor is the last
 * sequence number returned. Numbers are taken in commit order (see SEQ_LOCK), so a
 * change that commits later always gets a larger number than any a pull has seen.
 */
export async function pull(pool: pg.Pool, cursor: number, limit: number, device?: Device) {
  const epoch = await epochOf(pool)
  const stamp = epoch ? { epoch } : {}
  if (cursor > 0 && (await restored(pool, cursor)))
    return { changes: [], cursor: 0, more: false, restarted: true as const, ...stamp }
  const { rows } = await pool.query<StoredChange>(
    'SELECT seq, table_name, row_id, versions FROM sync_rows WHERE seq > $1 ORDER BY seq LIMIT $2',
    [cursor, limit + 1],
  )
  const page = rows.slice(0, limit)
  const changes = await withValues(pool, page)
  if (device?.role === 'crew_lead') changes.push(...(await visitsFollowedUp(pool, changes)))
  return {
    changes,
    cursor: page.length ? Number(page.at(-1)?.seq) : cursor,
    more: rows.length > limit,
    ...stamp,
  }
}

/**
 * Which copy of the central database this is (migration 0012): `markRestored` gives it
 * a new epoch once it is restored from a backup, and a device that pulled from another
 * epoch sends and pulls everything again. Null before the migration (a server upgrading).
 */
async function epochOf(pool: pg.Pool): Promise<string | null> {
  try {
    const { rows } = await pool.query<{ epoch: string }>('SELECT epoch::text FROM sync_epoch')
    return rows[0]?.epoch ?? null
  } catch (e) {
    if ((e as { code?: string }).code === '42P01') return null
    throw e
  }
}

/** A new epoch, after the database was restored from a backup: every device starts over. */
export async function markRestored(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ epoch: string }>(
    'UPDATE sync_epoch SET epoch = gen_random_uuid(), changed_at = now() RETURNING epoch::text',
  )
  const epoch = rows[0]?.epoch
  if (!epoch) throw new Error('the database has no epoch: run the server once to migrate it')
  return epoch
}

/**
 * Whether this database was restored from a backup older than what a device pulled, as
 * the device can tell without being told (`markRestored`): it has not numbered a change
 * as far as the device's cursor. Once the restored database has numbered past a cursor,
 * only a new epoch tells.
 */
async function restored(pool: pg.Pool, cursor: number): Promise<boolean> {
  const { rows } = await pool.query<{ n: string }>(
    'SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS n FROM sync_seq',
  )
  return cursor > Number(rows[0]?.n ?? 0)
}

interface StoredChange {
  seq: string
  table_name: Change['table']
  row_id: string
  versions: Record<string, string>
}

/** Stored changes with their rows' values; versions without values never leave. */
async function withValues(pool: pg.Pool, stored: StoredChange[]): Promise<Change[]> {
  const values = new Map<string, Values>()
  for (const table of new Set(stored.map((r) => r.table_name))) {
    const ids = stored.filter((r) => r.table_name === table).map((r) => r.row_id)
    for (const [id, v] of await valuesOf(pool, table, ids)) values.set(keyOf(table, id), v)
  }
  return stored.flatMap((r) => {
    const v = values.get(keyOf(r.table_name, r.row_id))
    return v
      ? [
          {
            seq: Number(r.seq),
            table: r.table_name,
            rowId: r.row_id,
            values: v,
            versions: r.versions,
          },
        ]
      : []
  })
}

/**
 * A crew lead's laptop holds only its crew's recent jobs (its snapshot): a job of the
 * page that follows up a visit the laptop may not hold, or a product line of such a
 * job, comes with that visit (and the visit it follows up, and so on), so that every
 * row it receives can be stored. A visit it already holds merges as a no-op.
 */
async function visitsFollowedUp(pool: pg.Pool, changes: Change[]): Promise<Change[]> {
  const held = new Set(changes.filter((c) => c.table === 'appointments').map((c) => c.rowId))
  const refersTo = (c: Change) =>
    c.table === 'appointments'
      ? c.values.follow_up_of_id
      : c.table === 'appointment_products'
        ? c.values.appointment_id
        : null
  const added: Change[] = []
  let wanted = changes.map(refersTo)
  for (let depth = 0; depth < 20; depth += 1) {
    const ids = [...new Set(wanted)].filter(
      (id): id is string => typeof id === 'string' && !held.has(id),
    )
    if (!ids.length) break
    const { rows } = await pool.query<StoredChange>(
      `SELECT seq, table_name, row_id, versions FROM sync_rows
       WHERE table_name = 'appointments' AND row_id = ANY($1::uuid[])`,
      [ids],
    )
    const found = await withValues(pool, rows)
    for (const c of found) held.add(c.rowId)
    for (const id of ids) held.add(id)
    added.push(...found)
    wanted = found.map(refersTo)
  }
  return added
}
