import type pg from 'pg'
import type { z } from 'zod'
import type { change } from '../shared/sync/protocol'
import { LAST_CHANGE_NUMBER } from './db'
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
  const { epoch, last } = await copyOf(pool)
  const stamp = epoch ? { epoch } : {}
  // Restored from a backup older than what the device pulled, as it can tell without
  // being told (`markRestored`): nothing numbered as far as its cursor yet. Once the
  // restored database numbers past a cursor, only a new epoch tells.
  if (cursor > last)
    return { changes: [], cursor: 0, more: false, restarted: true as const, ...stamp }
  const { rows } = await pool.query<StoredChange>(
    'SELECT seq, table_name, row_id, versions FROM sync_rows WHERE seq > $1 ORDER BY seq LIMIT $2',
    [cursor, limit + 1],
  )
  const page = rows.slice(0, limit)
  let changes = await withValues(pool, page)
  if (device?.role === 'crew_lead') {
    changes = await withinCrew(pool, changes, device.teamMemberId)
    changes.push(...(await visitsFollowedUp(pool, changes)))
    changes = await withClients(pool, changes, device.teamMemberId)
  }
  return {
    changes,
    cursor: page.length ? Number(page.at(-1)?.seq) : cursor,
    more: rows.length > limit,
    ...stamp,
  }
}

/**
 * Which copy of the central database this is (migration 0012; null before it, on a
 * server upgrading): `markRestored` gives it a new epoch once it is restored from a
 * backup, and a device that pulled from another epoch sends and pulls everything again.
 * With the last change number handed out, in one round trip.
 */
async function copyOf(pool: pg.Pool): Promise<{ epoch: string | null; last: number }> {
  const read = async (epoch: string) => {
    const { rows } = await pool.query<{ epoch: string | null; last: string }>(
      `SELECT ${epoch} AS epoch, ${LAST_CHANGE_NUMBER} AS last`,
    )
    return { epoch: rows[0]?.epoch ?? null, last: Number(rows[0]?.last ?? 0) }
  }
  try {
    return await read('(SELECT epoch::text FROM sync_epoch)')
  } catch (e) {
    if ((e as { code?: string }).code === '42P01') return read('NULL')
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
 * A crew lead's laptop holds its crew's jobs (its snapshot), and its later pulls bring
 * the jobs that are or were its crew's (`appointment_crews`, kept by each push): a job
 * moved to another crew reaches the laptop that held it, and another crew's jobs, their
 * product lines and the messages to their clients never do. Clients and series follow
 * (`withClients`); the rest (services, crew members, settings) comes whole, as in the
 * snapshot.
 *
 * A server still moving its rows out of the JSON store has no such record yet: until
 * it does, jobs and product lines come whole as before, messages only about jobs that
 * are the crew's now.
 */
async function withinCrew(pool: pg.Pool, changes: Change[], crew: string | null) {
  /** The job a change is about; undefined: not about one. */
  const jobOf = (c: Change): string | null | undefined =>
    c.table === 'appointments'
      ? c.rowId
      : c.table === 'appointment_products' || c.table === 'notifications'
        ? typeof c.values.appointment_id === 'string'
          ? c.values.appointment_id
          : null
        : undefined
  const about = [
    ...new Set(changes.map(jobOf).filter((id): id is string => typeof id === 'string')),
  ]
  if (!changes.some((c) => jobOf(c) !== undefined)) return changes
  const ours = new Set<string>()
  let kept = true
  if (crew && about.length) {
    try {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT appointment_id AS id FROM appointment_crews
         WHERE team_member_id = $2 AND appointment_id = ANY($1::uuid[])`,
        [about, crew],
      )
      for (const r of rows) ours.add(r.id)
    } catch (e) {
      if ((e as { code?: string }).code !== '42P01') throw e
      kept = false
      const { rows } = await pool.query<{ id: string }>(
        'SELECT id FROM appointments WHERE id = ANY($1::uuid[]) AND team_member_id = $2',
        [about, crew],
      )
      for (const r of rows) ours.add(r.id)
    }
  }
  return changes.filter((c) => {
    const job = jobOf(c)
    if (job === undefined) return true
    if (!kept && c.table !== 'notifications') return true
    return typeof job === 'string' && ours.has(job)
  })
}

/**
 * A crew lead's laptop holds only its crew's recent jobs (its snapshot): a job of the
 * page that follows up a visit the laptop may not hold, a product line of such a job or
 * a message about one comes with that visit (and the visit it follows up, and so on),
 * so that every row it receives can be stored; without it, the row would wait on the
 * laptop for a job that never comes, retried every round. A visit it already holds
 * merges as a no-op.
 */
async function visitsFollowedUp(pool: pg.Pool, changes: Change[]): Promise<Change[]> {
  const held = new Set(changes.filter((c) => c.table === 'appointments').map((c) => c.rowId))
  const refersTo = (c: Change) =>
    c.table === 'appointments'
      ? c.values.follow_up_of_id
      : c.table === 'appointment_products' || c.table === 'notifications'
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

/** The client a client's or a series' change is about; undefined: neither. */
const clientOf = (c: Change): string | undefined =>
  c.table === 'clients'
    ? c.rowId
    : c.table === 'series' && typeof c.values.client_id === 'string'
      ? c.values.client_id
      : undefined

/**
 * A crew lead's laptop holds the clients of its jobs and their series (its snapshot). A
 * change to a client, or to a series, reaches it when the client is one of the jobs'
 * that are or were the crew's; another client's never does. A job of the page brings
 * its client and the client's series, which the laptop may not hold yet (a job newly
 * the crew's, for a client new to it); one it holds merges as a no-op.
 */
async function withClients(pool: pg.Pool, changes: Change[], crew: string | null) {
  const asked = [...new Set(changes.map(clientOf).filter((id): id is string => !!id))]
  const ours = new Set<string>()
  if (crew && asked.length) {
    try {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT DISTINCT a.client_id::text AS id FROM appointments a
         JOIN appointment_crews c ON c.appointment_id = a.id
         WHERE c.team_member_id = $2 AND a.client_id = ANY($1::uuid[])`,
        [asked, crew],
      )
      for (const r of rows) ours.add(r.id)
    } catch (e) {
      if ((e as { code?: string }).code !== '42P01') throw e
      // A server still moving its rows out of the JSON store: whole, as before.
      for (const id of asked) ours.add(id)
    }
  }
  const kept = changes.filter((c) => {
    const client = clientOf(c)
    return client === undefined || ours.has(client)
  })
  const needed = [
    ...new Set(
      kept
        .filter((c) => c.table === 'appointments' && typeof c.values.client_id === 'string')
        .map((c) => c.values.client_id as string),
    ),
  ]
  if (!needed.length) return kept
  const present = new Set(kept.map((c) => keyOf(c.table, c.rowId)))
  const { rows } = await pool.query<StoredChange>(
    `SELECT s.seq, s.table_name, s.row_id, s.versions FROM sync_rows s
     WHERE s.table_name = 'clients' AND s.row_id = ANY($1::uuid[])
     UNION ALL
     SELECT s.seq, s.table_name, s.row_id, s.versions FROM sync_rows s
     JOIN series d ON d.id = s.row_id
     WHERE s.table_name = 'series' AND d.client_id = ANY($1::uuid[])`,
    [needed],
  )
  const added = await withValues(
    pool,
    rows.filter((r) => !present.has(keyOf(r.table_name, r.row_id))),
  )
  return [...added, ...kept]
}
