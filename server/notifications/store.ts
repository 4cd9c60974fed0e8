import type pg from 'pg'
import type { NotificationStore } from '../../notify/engine'
import { readRows, sendContexts } from '../../notify/sql'
import { uuidv7 } from '../../shared/domain/ids'
import type { FieldValue } from '../../shared/sync/merge'
import type { Mutation, SyncedTable } from '../../shared/sync/protocol'
import type { ServerClock } from '../api/clock'
import { push } from '../sync'
import type { Device } from '../tokens'

/**
 * The central send log: the `notifications` table, written through the sync merge (as a
 * device of the server's own, "the notification worker") so every change reaches the
 * laptops like any other, with its versions and change number.
 */
export const WORKER_DEVICE: Device = {
  id: '00000000-0000-4000-8000-00000000a001',
  label: 'Notification worker',
  userName: 'Groundskeeper server',
  role: 'admin',
  teamMemberId: null,
}

/** Registers the worker's device (it has no usable token: only the server writes as it). */
export async function ensureWorkerDevice(pool: pg.Pool): Promise<void> {
  await pool.query(
    `INSERT INTO sync_devices (id, label, user_name, role, team_member_id, token_hash)
     VALUES ($1, $2, $3, $4, NULL, md5(random()::text) || md5(clock_timestamp()::text))
     ON CONFLICT (id) DO NOTHING`,
    [WORKER_DEVICE.id, WORKER_DEVICE.label, WORKER_DEVICE.userName, WORKER_DEVICE.role],
  )
}

/** Writes rows of the send log as the worker's device, through the sync merge. */
export function writeLog(
  pool: pg.Pool,
  clock: ServerClock,
  writes: { id: string; fields: Record<string, FieldValue> }[],
  precheck?: (client: pg.PoolClient) => Promise<void>,
): Promise<void> {
  return writeAsWorker(pool, clock, 'notifications', writes, precheck)
}

/**
 * Writes rows of a synced table as the server's worker device, through the sync merge:
 * they reach the laptops like any other change, with versions and a change number.
 */
export async function writeAsWorker(
  pool: pg.Pool,
  clock: ServerClock,
  table: SyncedTable,
  writes: { id: string; fields: Record<string, FieldValue> }[],
  precheck?: (client: pg.PoolClient) => Promise<void>,
): Promise<void> {
  if (!writes.length) return
  const mutations: Mutation[] = writes.map((w) => ({
    id: uuidv7(),
    table,
    rowId: w.id,
    hlc: clock.now(),
    fields: w.fields,
  }))
  const results = await push(pool, WORKER_DEVICE, mutations, precheck ? { precheck } : {})
  const refused = results.find((r) => r.status === 'rejected')
  if (refused)
    throw new Error(`the ${table.replaceAll('_', ' ')} refused a write: ${refused.reason}`)
}

/** Thrown by a claim's precheck: another sender changed the message first. */
class Taken extends Error {}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

export function serverStore(pool: pg.Pool, clock: ServerClock): NotificationStore {
  return {
    read: (ids) => readRows(pool, ids),
    contexts: (rows) => sendContexts(pool, rows),

    async claim(claims) {
      if (!claims.length) return new Set()
      const write = (some: typeof claims) =>
        writeLog(
          pool,
          clock,
          some.map(({ row, claim }) => ({
            id: row.id,
            fields: {
              status: claim.status,
              attempts: claim.attempts,
              recipient: claim.recipient,
              subject: claim.subject,
              body: claim.body,
              template_version: claim.templateVersion,
              visit_at: iso(claim.visitAtMs),
            },
          })),
          // The claim holds only if each row is still as its sender read it.
          async (client) => {
            const { rows } = await client.query<{ id: string; status: string; attempts: number }>(
              'SELECT id, status, attempts FROM notifications WHERE id = ANY($1::uuid[])',
              [some.map((c) => c.row.id)],
            )
            const now = new Map(rows.map((r) => [r.id, r]))
            for (const { row } of some) {
              const r = now.get(row.id)
              if (!r || r.status !== row.status || r.attempts !== row.attempts) throw new Taken()
            }
          },
        )
      try {
        await write(claims)
        return new Set(claims.map((c) => c.row.id))
      } catch (e) {
        if (!(e instanceof Taken)) throw e
      }
      // Another sender took one of them: each is claimed on its own.
      const taken = new Set<string>()
      for (const c of claims) {
        try {
          await write([c])
          taken.add(c.row.id)
        } catch (e) {
          if (!(e instanceof Taken)) throw e
        }
      }
      return taken
    },

    async finish(finishes) {
      await writeLog(
        pool,
        clock,
        finishes.map(({ row, finish: f }) => ({
          id: row.id,
          fields: (f.status === 'sent'
            ? {
                status: 'sent',
                provider_id: f.providerId,
                sent_at: new Date(f.sentAtMs).toISOString(),
                reason: f.reason,
              }
            : f.status === 'failed' || f.status === 'scheduled'
              ? {
                  status: f.status,
                  reason: f.reason,
                  due_at: new Date(f.dueAtMs).toISOString(),
                  ...(f.attempts !== undefined ? { attempts: f.attempts } : {}),
                }
              : { status: f.status, reason: f.reason }) as Record<string, FieldValue>,
        })),
      )
    },
  }
}
