/**
 * `npm run bench:sync [-- --json] [--appointments N] [--devices N] [--seconds N]`: sync
 * against a real server process on a fresh PostgreSQL database:
 * - a laptop pushing 10,000 local changes;
 * - a new laptop's first pull of N appointments (with their clients, services, crew), by
 *   snapshot, and page by page as before snapshots (unless --skip-paged);
 * - a laptop holding a business of 3,000 appointments joining the server, then leaving and
 *   joining it again (every row sent again, the server keeping what it has);
 * - N simulated laptops syncing for a while: each round pushes a few edits and pulls
 *   everything new, then waits a second, as a busy office would.
 * Prints a human summary, or one JSON object (the last line) with --json.
 */
import type { ChildProcess } from 'node:child_process'
import pg from 'pg'
import type { z } from 'zod'
import { closeCore, openCore } from '../../electron/main/core/app-core'
import type { AppContext } from '../../electron/main/core/context'
import { dispatch } from '../../electron/main/core/dispatch'
import { sourceResources } from '../../electron/main/core/paths'
import { DEMO_PIN } from '../../electron/main/core/seed/demo-pin'
import { seed } from '../../electron/main/core/seed/seed'
import { tempDir } from '../../electron/main/core/test/helpers'
import { freshDatabase } from '../../server/test-db'
import { createDevice } from '../../server/tokens'
import { deviceStamps } from '../../shared/sync/device-stamps.test-support'
import { PROTOCOL_VERSION, type pushResult } from '../../shared/sync/protocol'
import { parseFlags, runCommand } from '../lib/cli'
import { startServerProcess } from './server-process'
import { percentile, round } from './stats'
import { populate } from './sync-data'

const USAGE =
  'npm run bench:sync -- [--json] [--appointments N] [--devices N] [--seconds N] [--skip-paged]'

async function rpc(ctx: AppContext, channel: string, input: unknown) {
  const r = await dispatch(ctx, channel, input)
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
  return r.data as Record<string, unknown>
}

async function laptop(serverUrl: string, token: string, snapshot = true) {
  const dir = tempDir('gk-bench-sync-')
  const ctx = await openCore({
    dataDir: dir.path,
    resources: sourceResources(),
    version: 'bench',
    sync: { auto: false, snapshot },
  })
  await rpc(ctx, 'session.createUser', { name: 'Bench Admin', role: 'admin', pin: '2468' })
  await rpc(ctx, 'sync.configure', { serverUrl, token })
  return {
    ctx,
    close: async () => {
      await closeCore(ctx)
      dir.cleanup()
    },
  }
}

async function push10k(serverUrl: string, token: string) {
  const device = await laptop(serverUrl, token)
  try {
    await device.ctx.db.pg.exec(`INSERT INTO clients (id, name, notes)
      SELECT gen_random_uuid(), 'Pushed client ' || g, 'n' FROM generate_series(1, 10000) g`)
    const pending = (await rpc(device.ctx, 'sync.status', {})).pending as number
    const t = performance.now()
    await rpc(device.ctx, 'sync.now', {})
    const ms = performance.now() - t
    const after = (await rpc(device.ctx, 'sync.status', {})).pending as number
    if (after !== 0) throw new Error(`${after} changes were left unpushed`)
    return { mutations: pending, ms: round(ms), perSecond: Math.round(pending / (ms / 1000)) }
  } finally {
    await device.close()
  }
}

/**
 * A laptop that holds a business (seeded) joins the server: every row goes up. It leaves
 * and joins again: every row goes up again, with the versions it has, while the outbox
 * fills with thousands of entries that each row's own waiting writes are looked up in.
 */
type SeededUser = { id: string; role: string }

async function rejoin(serverUrl: string, token: string) {
  const dir = tempDir('gk-bench-rejoin-')
  const ctx = await openCore({
    dataDir: dir.path,
    resources: sourceResources(),
    version: 'bench',
    sync: { auto: false },
  })
  try {
    await seed(ctx.db.pg, { appointments: 3000 })
    // The seeded business's admin, with the demo PIN.
    const { users } = (await rpc(ctx, 'session.users', {})) as { users: SeededUser[] }
    const admin = users.find((u) => u.role === 'admin')
    if (!admin) throw new Error('the seeded business has no admin')
    await rpc(ctx, 'session.switch', { userId: admin.id, pin: DEMO_PIN })
    const join = async () => {
      const t = performance.now()
      await rpc(ctx, 'sync.configure', { serverUrl, token })
      await rpc(ctx, 'sync.now', {})
      const left = (await rpc(ctx, 'sync.status', {})).pending as number
      if (left !== 0) throw new Error(`${left} changes were left unpushed`)
      return round((performance.now() - t) / 1000, 1)
    }
    const firstSeconds = await join()
    await rpc(ctx, 'sync.disconnect', {})
    const againSeconds = await join()
    const { rows } = await ctx.db.pg.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sync_versions',
    )
    return { rows: rows[0]?.n ?? 0, firstSeconds, againSeconds }
  } finally {
    await closeCore(ctx)
    dir.cleanup()
  }
}

/**
 * A new laptop's first pull: by snapshot (the server streams every row, the laptop loads
 * it in bulk), or, with `snapshot` false, page by page as before snapshots.
 */
async function initialPull(
  serverUrl: string,
  token: string,
  appointments: number,
  snapshot: boolean,
) {
  const device = await laptop(serverUrl, token, snapshot)
  try {
    // Meanwhile the user keeps using the app: a list page every 100 ms, timed.
    const reads: number[] = []
    let pulling = true
    const user = (async () => {
      while (pulling) {
        const r = performance.now()
        await rpc(device.ctx, 'appointments.list', { limit: 20 })
        reads.push(performance.now() - r)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
    const t = performance.now()
    await rpc(device.ctx, 'sync.now', {}).finally(() => {
      pulling = false
    })
    const ms = performance.now() - t
    await user
    const { rows } = await device.ctx.db.pg.query<{ appointments: number; rows: number }>(
      `SELECT (SELECT count(*)::int FROM appointments) AS appointments,
        (SELECT count(*)::int FROM sync_versions) AS rows`,
    )
    const counted = rows[0] ?? { appointments: 0, rows: 0 }
    if (counted.appointments < appointments)
      throw new Error('the pull did not bring every appointment')
    return {
      appointments: counted.appointments,
      /** Every row pulled: the appointments, their clients, services and crew. */
      rows: counted.rows,
      ms: round(ms),
      seconds: round(ms / 1000, 2),
      rowsPerSecond: Math.round(counted.rows / (ms / 1000)),
      rssMb: round(process.memoryUsage().rss / 2 ** 20),
      listDuringPullMs: {
        p50: round(percentile(reads, 50)),
        p95: round(percentile(reads, 95)),
        max: round(Math.max(...reads)),
      },
    }
  } finally {
    await device.close()
  }
}

/** Lightweight laptops: the protocol's requests, without a local database each. */
async function fleet(
  serverUrl: string,
  pool: pg.Pool,
  devices: number,
  seconds: number,
  appointments: number,
) {
  const { rows } = await pool.query<{ max: string }>('SELECT max(seq) AS max FROM sync_rows')
  const startCursor = Number(rows[0]?.max ?? 0)
  const push: number[] = []
  const pull: number[] = []
  let mutations = 0
  /** What the server did with the pushed mutations: only `applied` is work done. */
  const outcome = { applied: 0, duplicate: 0, rejected: 0 }
  const reasons = new Map<string, number>()
  let pulled = 0
  let rounds = 0
  let errors = 0
  const until = Date.now() + seconds * 1000
  /** Why rounds failed: an HTTP status, or the network. */
  const failures = new Map<string, number>()
  const post = async (
    token: string,
    address: string,
    path: string,
    body: unknown,
    into: number[],
  ) => {
    const t = performance.now()
    const res = await fetch(`${serverUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-forwarded-for': address,
      },
      body: JSON.stringify(body),
    })
    const json = (await res.json()) as { ok: boolean; data: never }
    into.push(performance.now() - t)
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    return json.data
  }
  const run = async (n: number) => {
    const token = (
      await createDevice(pool, { label: `sim-${n}`, userName: `Sim ${n}`, role: 'office_manager' })
    ).token
    const clock = deviceStamps(`sim${n}`)
    const address = `10.0.${n}.1`
    let cursor = startCursor
    let k = 0
    while (Date.now() < until) {
      try {
        const batch = Array.from({ length: 1 + ((n + k) % 10) }, (_, j) => {
          const i = 1 + ((n * 7919 + k * 104_729 + j * 31) % appointments)
          const id = `00000000-0000-7000-b000-${i.toString(16).padStart(12, '0')}`
          const fields =
            j % 3 === 0
              ? { notes: `round ${k} from sim ${n}` }
              : j % 3 === 1
                ? // Back and forth between two states any office manager may set, each
                  // with the start time it needs (none while scheduled).
                  (k + j) % 2
                  ? { status: 'in_progress', started_at: new Date().toISOString() }
                  : { status: 'scheduled', started_at: null }
                : { duration_minutes: 60 + ((k + j) % 4) * 15 }
          return {
            id: crypto.randomUUID(),
            table: 'appointments',
            rowId: id,
            hlc: clock(),
            fields,
          }
        })
        k += 1
        const { results } = (await post(
          token,
          address,
          '/v1/sync/push',
          { protocol: PROTOCOL_VERSION, mutations: batch },
          push,
        )) as { results: z.infer<typeof pushResult>[] }
        mutations += batch.length
        for (const r of results) {
          outcome[r.status] += 1
          if (r.status === 'rejected') {
            const reason = r.reason ?? 'no reason'
            reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
          }
        }
        for (;;) {
          const page = (await post(
            token,
            address,
            '/v1/sync/pull',
            { protocol: PROTOCOL_VERSION, cursor, limit: 1000 },
            pull,
          )) as { changes: unknown[]; cursor: number; more: boolean }
          pulled += page.changes.length
          cursor = page.cursor
          if (!page.more) break
        }
        rounds += 1
      } catch (e) {
        errors += 1
        const why = e instanceof Error ? e.message : 'unknown'
        failures.set(why, (failures.get(why) ?? 0) + 1)
      }
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
  const t = performance.now()
  await Promise.all(Array.from({ length: devices }, (_, n) => run(n)))
  const wallSeconds = (performance.now() - t) / 1000
  return {
    devices,
    seconds: round(wallSeconds),
    rounds,
    errors,
    failures: Object.fromEntries(failures),
    mutationsPushed: mutations,
    mutationsApplied: outcome.applied,
    mutationsRefused: outcome.rejected,
    mutationsDuplicate: outcome.duplicate,
    refusedReasons: Object.fromEntries(reasons),
    appliedPerSecond: Math.round(outcome.applied / wallSeconds),
    changesPulled: pulled,
    pushMs: { p50: round(percentile(push, 50), 1), p95: round(percentile(push, 95), 1) },
    pullMs: { p50: round(percentile(pull, 50), 1), p95: round(percentile(pull, 95), 1) },
  }
}

export interface SyncBench {
  database: string
  push10k: Awaited<ReturnType<typeof push10k>>
  /** By snapshot, as a new laptop pulls now. */
  initialPull: Awaited<ReturnType<typeof initialPull>>
  /** Page by page (the pull before snapshots), when not skipped. */
  pagedPull: Awaited<ReturnType<typeof initialPull>> | null
  rejoin: Awaited<ReturnType<typeof rejoin>>
  fleet: Awaited<ReturnType<typeof fleet>>
}

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    json: { type: 'boolean' },
    appointments: { type: 'int', default: 100_000, min: 1000, max: 1_000_000 },
    devices: { type: 'int', default: 20, min: 1, max: 200 },
    seconds: { type: 'int', default: 60, min: 5, max: 3600 },
    'skip-paged': { type: 'boolean' },
  })
  const log = (msg: string) => {
    if (!flags.json) console.log(msg)
  }
  const db = await freshDatabase()
  const pool = new pg.Pool({ connectionString: db.url, max: db.poolMax })
  let server: { url: string; child: ChildProcess } | null = null
  try {
    log(`sync server on a fresh ${db.kind} database…`)
    server = await startServerProcess(db.url)
    const token = async (label: string) =>
      (await createDevice(pool, { label, userName: label, role: 'admin' })).token

    log('push of 10,000 local changes…')
    const pushed = await push10k(server.url, await token('bench-push'))

    log('a laptop with 3,000 appointments joins, leaves and joins again…')
    const rejoined = await rejoin(server.url, await token('bench-rejoin'))

    log(`server rows for ${flags.appointments.toLocaleString('en-US')} appointments…`)
    await populate(pool, flags.appointments)
    log('first pull on a new laptop, by snapshot…')
    const pulledFirst = await initialPull(
      server.url,
      await token('bench-pull'),
      flags.appointments,
      true,
    )
    let paged: SyncBench['pagedPull'] = null
    if (!flags['skip-paged']) {
      log('first pull on a new laptop, page by page…')
      paged = await initialPull(server.url, await token('bench-paged'), flags.appointments, false)
    }

    log(`${flags.devices} laptops syncing for ${flags.seconds} s…`)
    const busy = await fleet(server.url, pool, flags.devices, flags.seconds, flags.appointments)

    const result: SyncBench = {
      database: db.kind,
      push10k: pushed,
      initialPull: pulledFirst,
      pagedPull: paged,
      rejoin: rejoined,
      fleet: busy,
    }
    if (flags.json) console.log(JSON.stringify(result))
    else
      console.log(`
push ${pushed.mutations} changes          ${pushed.ms} ms (${pushed.perSecond} changes/s)
join with ${rejoined.rows} rows        ${rejoined.firstSeconds} s; leave and join again ${rejoined.againSeconds} s
first pull, ${pulledFirst.appointments} appts   ${pulledFirst.seconds} s for ${pulledFirst.rows} rows (${pulledFirst.rowsPerSecond} rows/s, snapshot), RSS ${pulledFirst.rssMb} MiB
  a list page meanwhile       p50 ${pulledFirst.listDuringPullMs.p50} / p95 ${pulledFirst.listDuringPullMs.p95} / max ${pulledFirst.listDuringPullMs.max} ms${
    paged
      ? `
  page by page, as before     ${paged.seconds} s (${paged.rowsPerSecond} rows/s); a list page meanwhile p50 ${paged.listDuringPullMs.p50} / p95 ${paged.listDuringPullMs.p95} ms`
      : ''
  }
${busy.devices} laptops for ${busy.seconds} s      ${busy.rounds} rounds, ${busy.mutationsPushed} changes pushed, ${busy.changesPulled} pulled, ${busy.errors} failed rounds${Object.entries(
        busy.failures,
      )
        .map(([why, n]) => ` (${n}: ${why})`)
        .join('')}
  applied / refused / repeats ${busy.mutationsApplied} (${busy.appliedPerSecond}/s) / ${busy.mutationsRefused} / ${busy.mutationsDuplicate}${Object.entries(
    busy.refusedReasons,
  )
    .map(([r, n]) => `\n    refused ${n}: ${r}`)
    .join('')}
  push p50 / p95              ${busy.pushMs.p50} / ${busy.pushMs.p95} ms
  pull p50 / p95              ${busy.pullMs.p50} / ${busy.pullMs.p95} ms`)
  } finally {
    server?.child.kill('SIGTERM')
    await pool.end()
    await db.drop()
  }
})
