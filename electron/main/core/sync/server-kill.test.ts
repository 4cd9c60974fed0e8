import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPool, migrateServer } from '../../../../server/db'
import { freshDatabase, type TestDatabase } from '../../../../server/test-db'
import { createDevice } from '../../../../server/tokens'
import {
  connect,
  type Device,
  deviceState,
  openDevice,
  serverState,
  type TestServer,
} from '../../../../testing/sync-harness'
import { dispatch } from '../dispatch'
import { sourceRoot } from '../paths'
import { call } from '../test/helpers'
import type { SyncEngineOptions } from './engine'
import { readOutbox } from './store'

/**
 * The real server, as `npm run server` starts it, in a process of its own on a fresh
 * database, killed with SIGKILL (no shutdown, no reply, transactions cut wherever they
 * were) in the middle of a push and of a pull, then started again on the same database.
 * The laptops finish with every change applied exactly once, and a pull picks up where
 * the stored cursor left it instead of starting over.
 */
let db: TestDatabase
let pool: pg.Pool
let port = 0
let child: ChildProcess | null = null
const devices: Device[] = []
const url = () => `http://127.0.0.1:${port}`

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject()))
    })
  })
}

async function startServer(): Promise<void> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/server.ts', '--database-url', db.url, '--port', String(port)],
    { cwd: sourceRoot(), stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => {
    stderr += c
  })
  child = proc
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`the server exited: ${stderr}`)
    const up = await fetch(`${url()}/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (up) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('the server did not start')
}

/** SIGKILL, as a crash or the OOM killer would: nothing runs in the server after it. */
async function killServer(): Promise<void> {
  const proc = child
  child = null
  if (!proc || proc.exitCode !== null) return
  const exited = new Promise((r) => proc.once('exit', r))
  proc.kill('SIGKILL')
  await exited
}

beforeAll(async () => {
  db = await freshDatabase()
  pool = createPool(db.url, 2)
  await migrateServer(pool)
  port = await freePort()
  await startServer()
}, 120_000)

afterAll(async () => {
  await killServer()
  for (const d of devices) await d.close()
  await pool?.end()
  await db?.drop()
})

type Fetch = typeof fetch
const path = (input: Parameters<Fetch>[0]) => new URL(String(input)).pathname

/** A laptop connected to the server process, its later requests going through `wrap`. */
async function laptop(name: string, wrap: (next: Fetch) => Fetch, opts: SyncEngineOptions = {}) {
  let active: Fetch = (...args) => globalThis.fetch(...args)
  const d = await openDevice(name, { fetch: (...args) => active(...args), ...opts })
  devices.push(d)
  const { token } = await createDevice(pool, {
    label: name,
    userName: `${name} user`,
    role: 'admin',
    teamMemberId: null,
  })
  await connect(d, { url: url() } as TestServer, token)
  active = wrap(active)
  return d
}

async function writeClients(d: Device, n: number, prefix: string): Promise<string[]> {
  for (let i = 0; i < n; i++) await call(d.ctx, 'clients.create', { name: `${prefix} ${i}` })
  return (await readOutbox(d.ctx.db.pg, 10_000)).map((e) => e.mutation.id)
}

async function agree(...ds: Device[]) {
  const central = await serverState(pool)
  for (const d of ds) expect(await deviceState(d.ctx), d.name).toEqual(central)
}

describe('the server process killed mid-round', () => {
  it('mid-push: after a restart every change is applied exactly once', async () => {
    let pushes = 0
    let killed: Promise<void> | null = null
    const d = await laptop(
      'kill-push',
      (next) => async (input, init) => {
        if (path(input) !== '/v1/sync/push' || ++pushes !== 4) return next(input, init)
        // The fourth batch is on its way when the server dies.
        const reply = next(input, init)
        await new Promise((r) => setTimeout(r, 5))
        killed = killServer()
        return reply
      },
      { pushBatch: 25 },
    )
    const ids = await writeClients(d, 200, 'Killed push')
    const cut = await dispatch(d.ctx, 'sync.now', {})
    expect(cut.ok).toBe(false)
    await killed
    const { rows: before } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sync_mutations WHERE id = ANY($1::uuid[])',
      [ids],
    )
    expect(before[0]?.n).toBeGreaterThanOrEqual(75)
    expect(before[0]?.n).toBeLessThan(ids.length)

    await startServer()
    expect((await call(d.ctx, 'sync.now', {})).pending).toBe(0)
    const { rows } = await pool.query<{ id: string; status: string }>(
      'SELECT id, status FROM sync_mutations WHERE id = ANY($1::uuid[])',
      [ids],
    )
    expect(rows).toHaveLength(ids.length)
    expect(rows.filter((r) => r.status !== 'applied')).toEqual([])
    const { rows: named } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM clients WHERE name LIKE 'Killed push %'",
    )
    expect(named[0]?.n).toBe(200)
    await agree(d)
  })

  it('mid-pull: after a restart the pull resumes from the stored cursor', async () => {
    const writer = await laptop('pull-source', (next) => next)
    await writeClients(writer, 240, 'Pulled')
    await call(writer.ctx, 'sync.now', {})

    const pulls: { cursor: number; served: number }[] = []
    let killAt: number | null = 4
    /** How the pull in flight when the server died ended. */
    let cutPull: { res: Response } | { error: unknown } | null = null
    const reader = await laptop(
      'kill-pull',
      (next) => async (input, init) => {
        if (path(input) !== '/v1/sync/pull') return next(input, init)
        const { cursor } = JSON.parse(String(init?.body)) as { cursor: number }
        const pull = { cursor, served: 0 }
        pulls.push(pull)
        let res: Response
        if (pulls.length === killAt) {
          killAt = null
          // Settled into a value at once: the request fails (ECONNRESET) while the kill
          // is awaited, and a rejection with no handler yet would be an unhandled one.
          const outcome = next(input, init).then(
            (r) => ({ res: r }),
            (error: unknown) => ({ error }),
          )
          await killServer()
          cutPull = await outcome
          if ('error' in cutPull) throw cutPull.error
          res = cutPull.res
        } else {
          res = await next(input, init)
        }
        const body = (await res.clone().json()) as { changes?: unknown[] }
        pull.served = body.changes?.length ?? 0
        return res
      },
      // Page by page: a first pull by snapshot resumes by its own progress (snapshot.test.ts).
      { pullLimit: 25, snapshot: false },
    )
    const cut = await dispatch(reader.ctx, 'sync.now', {})
    expect(cut.ok).toBe(false)
    // The kill was sent before the request left: it cannot have been answered.
    expect(cutPull).toEqual({ error: expect.objectContaining({ message: 'fetch failed' }) })
    const { rows } = await reader.ctx.db.pg.query<{ value: number }>(
      "SELECT value FROM sync_state WHERE key = 'cursor'",
    )
    const stored = Number(rows[0]?.value ?? 0)
    // Three pages (at least) were stored before the server died.
    expect(stored).toBeGreaterThan(0)
    const before = pulls.length

    await startServer()
    await call(reader.ctx, 'sync.now', {})
    const after = pulls.slice(before)
    // The first request after the restart asks from where the laptop had got to...
    expect(after[0]?.cursor).toBe(stored)
    // ...and nothing already stored is served again.
    const total = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_rows'))
      .rows[0]?.n as number
    const servedBefore = pulls.slice(0, before).reduce((n, p) => n + p.served, 0)
    expect(after.reduce((n, p) => n + p.served, 0)).toBeLessThanOrEqual(total - servedBefore)
    await agree(writer, reader)
  })
})
