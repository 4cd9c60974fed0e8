import type { AddressInfo } from 'node:net'
import type pg from 'pg'
import { closeCore, openCore } from '../electron/main/core/app-core'
import type { AppContext } from '../electron/main/core/context'
import { sourceResources } from '../electron/main/core/paths'
import type { SyncEngineOptions } from '../electron/main/core/sync/engine'
import { TEST_PIN } from '../electron/main/core/test/fixture'
import { call, tempDir } from '../electron/main/core/test/helpers'
import { buildServer } from '../server/app'
import { createPool, migrateServer } from '../server/db'
import { rowValuesSql } from '../server/rows'
import { freshDatabase, type TestDatabase } from '../server/test-db'
import { createDevice } from '../server/tokens'
import type { UserRole } from '../shared/domain/enums'
import { MONEY_FIELDS } from '../shared/sync/columns'
import { SYNCED_FIELDS, SYNCED_TABLES, type SyncedTable } from '../shared/sync/protocol'

/**
 * A sync server on a fresh database and laptops (cores on their own data folders) that
 * talk to it over real HTTP on loopback: what the sync tests and benchmarks run on.
 */
export interface TestServer {
  url: string
  pool: pg.Pool
  db: TestDatabase
  token(role: UserRole, opts?: { label?: string; teamMemberId?: string | null }): Promise<string>
  /** Stops the HTTP server (requests in flight are cut) and starts a new one on the same port. */
  restart(): Promise<void>
  stopHttp(): Promise<void>
  startHttp(): Promise<void>
  close(): Promise<void>
}

export async function startTestServer(
  opts: { rateLimit?: { max: number; windowMs: number } } = {},
): Promise<TestServer> {
  const db = await freshDatabase()
  const pool = createPool(db.url, db.poolMax)
  await migrateServer(pool)
  let port = 0
  let app: ReturnType<typeof buildServer> | null = null
  const startHttp = async () => {
    app = buildServer({ pool, rateLimit: opts.rateLimit ?? { max: 100_000, windowMs: 60_000 } })
    await app.listen({ port, host: '127.0.0.1' })
    port = (app.server.address() as AddressInfo).port
  }
  const stopHttp = async () => {
    const running = app
    app = null
    if (!running) return
    running.server.closeAllConnections?.()
    await running.close()
  }
  await startHttp()
  let n = 0
  return {
    get url() {
      return `http://127.0.0.1:${port}`
    },
    pool,
    db,
    async token(role, o = {}) {
      n += 1
      const label = o.label ?? `laptop-${n}`
      return (
        await createDevice(pool, {
          label,
          userName: `${label} user`,
          role,
          teamMemberId: o.teamMemberId ?? null,
        })
      ).token
    },
    restart: async () => {
      await stopHttp()
      await startHttp()
    },
    stopHttp,
    startHttp,
    close: async () => {
      await stopHttp()
      await pool.end()
      await db.drop()
    },
  }
}

export interface Device {
  name: string
  ctx: AppContext
  adminId: string
  close(): Promise<void>
}

/** A laptop with its own data folder and an admin signed in; not connected yet. */
export async function openDevice(name: string, sync: SyncEngineOptions = {}): Promise<Device> {
  const dir = tempDir(`gk-${name}-`)
  const ctx = await openCore({
    dataDir: dir.path,
    resources: sourceResources(),
    version: 'test',
    durability: 'os',
    sync: { auto: false, ...sync },
  })
  const { user } = await call(ctx, 'session.createUser', {
    name: `${name} admin`,
    role: 'admin',
    pin: TEST_PIN,
  })
  return {
    name,
    ctx,
    adminId: user.id,
    close: async () => {
      await closeCore(ctx)
      dir.cleanup()
    },
  }
}

/** Connects a laptop as its admin would (the session is put back afterwards). */
export async function connect(device: Device, server: TestServer, token?: string) {
  const { ctx } = device
  const previous = ctx.session.userId
  await call(ctx, 'session.switch', { userId: device.adminId, pin: TEST_PIN })
  try {
    return await call(ctx, 'sync.configure', {
      serverUrl: server.url,
      token: token ?? (await server.token('admin', { label: device.name })),
    })
  } finally {
    // Users the sync tests make have the fixture's PIN or none (crew leads).
    if (previous) await call(ctx, 'session.switch', { userId: previous, pin: TEST_PIN })
  }
}

type Canonical = Record<SyncedTable, Record<string, Record<string, unknown>>>

/** A value as every side must agree on it, whatever way it was stored. */
function normalize(field: string, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (MONEY_FIELDS.has(field)) return Number(value).toFixed(2)
  if (field === 'latitude' || field === 'longitude') return Number(value)
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value))
    return new Date(value).toISOString()
  return value
}

function canonicalRow(table: SyncedTable, values: Record<string, unknown>) {
  const out: Record<string, unknown> = {}
  for (const field of Object.keys(SYNCED_FIELDS[table]))
    out[field] = normalize(field, values[field])
  return out
}

/** Every synced row of a laptop, by table and id, in comparable form. */
export async function deviceState(ctx: AppContext): Promise<Canonical> {
  const state = {} as Canonical
  for (const table of SYNCED_TABLES) {
    const { rows } = await ctx.db.pg.query<{ id: string; row: Record<string, unknown> }>(
      `SELECT id, to_jsonb(t) AS row FROM "${table}" t ORDER BY id`,
    )
    state[table] = Object.fromEntries(rows.map((r) => [r.id, canonicalRow(table, r.row)]))
  }
  return state
}

/** The server's merged rows in the same form: every row the server hands out. */
export async function serverState(pool: pg.Pool): Promise<Canonical> {
  const state = Object.fromEntries(SYNCED_TABLES.map((t) => [t, {}])) as Canonical
  for (const table of SYNCED_TABLES) {
    const { rows } = await pool.query<{ id: string; values: Record<string, unknown> }>(
      `SELECT d.id, ${rowValuesSql(table, 'd')} AS values FROM "${table}" d
       JOIN sync_rows s ON s.table_name = $1 AND s.row_id = d.id ORDER BY d.id`,
      [table],
    )
    for (const r of rows) state[table][r.id] = canonicalRow(table, r.values)
  }
  return state
}
