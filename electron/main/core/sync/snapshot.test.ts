import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../../../shared/domain/ids'
import { APPLY_ORDER } from '../../../../shared/sync/columns'
import { deviceStamps } from '../../../../shared/sync/device-stamps.test-support'
import { PROTOCOL_VERSION } from '../../../../shared/sync/protocol'
import { connect, type Device, openDevice } from '../../../../testing/sync-harness'
import { indexDefinitions } from '../db/deferred-indexes.test-support'
import { seed } from '../seed/seed'
import { call, callError } from '../test/helpers'
import type { SyncEngineOptions } from './engine'
import { syncTestBed } from './test-bed.test-support'
import { readVersions } from './versions.test-support'

/**
 * A new laptop's first pull by snapshot, against a real server: it ends holding exactly
 * the server's rows and versions, with nothing recorded as a local write; local writes
 * (before and during the load) survive; a cut load resumes where it stopped and still
 * misses no change.
 */
const bed = syncTestBed()

type Fetch = typeof fetch
const path = (input: Parameters<Fetch>[0]) => new URL(String(input)).pathname

/** The server's data: a seeded laptop, connected, plus edits and a deletion. */
let source: Device
afterAll(async () => {
  await source?.close()
})
beforeAll(async () => {
  // Opened here, not by the bed, so that it stays open for every test.
  source = await openDevice('source')
  await seed(source.ctx.db.pg, { appointments: 150, clients: 40, teamMembers: 4 })
  await call(source.ctx, 'settings.update', {
    workingHours: { start: '06:30', end: '17:00', days: [1, 2, 3, 4, 5] },
  })
  await connect(source, bed.server)
  await call(source.ctx, 'sync.now', {})
  // Versions that differ per column, a deleted job.
  await source.ctx.db.pg.exec(`
    UPDATE clients SET notes = 'gate code 1234' WHERE id = (SELECT id FROM clients ORDER BY id LIMIT 1);
    UPDATE appointments SET deleted_at = now() WHERE id = (SELECT id FROM appointments ORDER BY id DESC LIMIT 1);`)
  await call(source.ctx, 'sync.now', {})
  // A row from a laptop whose clock runs two minutes ahead (within what the server takes).
  const ahead = deviceStamps('ahead', () => Date.now() + 120_000)
  const res = await fetch(`${bed.server.url}/v1/sync/push`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await bed.server.token('office_manager')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      protocol: PROTOCOL_VERSION,
      mutations: [
        {
          id: uuidv7(),
          table: 'clients',
          rowId: uuidv7(),
          hlc: ahead(),
          fields: { name: 'From a clock ahead', notes: '' },
        },
      ],
    }),
  })
  expect(res.status).toBe(200)
  await call(source.ctx, 'sync.now', {})
}, 120_000)

/** What went over the wire: each request's path and body, and snapshot replies as text. */
interface Traffic {
  requests: { path: string; body: Record<string, unknown> }[]
}

/**
 * A laptop whose snapshot replies pass through `tap` (after `connect`, which uses the
 * real network). `tap` sees each reply's text as it streams and may hold it or cut it.
 */
async function laptop(
  name: string,
  tap: (text: string, attempt: number) => Promise<'cut' | undefined> = async () => undefined,
  opts: SyncEngineOptions & { absent?: boolean } = {},
) {
  const { absent, ...engine } = opts
  const traffic: Traffic = { requests: [] }
  let wrapped = false
  let attempts = 0
  const d = await bed.device(name, {
    snapshotChunk: 7,
    ...engine,
    fetch: async (input, init) => {
      if (wrapped)
        traffic.requests.push({ path: path(input), body: JSON.parse(String(init?.body ?? '{}')) })
      // A server from before snapshots.
      if (wrapped && absent && path(input) === '/v1/sync/snapshot')
        return Response.json({ ok: false, error: { code: 'NOT_FOUND' } }, { status: 404 })
      const res = await globalThis.fetch(input, init)
      if (!wrapped) return res
      if (path(input) !== '/v1/sync/snapshot' || !res.body) return res
      const attempt = ++attempts
      const decoder = new TextDecoder()
      const body = res.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          async transform(bytes, controller) {
            if ((await tap(decoder.decode(bytes, { stream: true }), attempt)) === 'cut')
              controller.error(new TypeError('connection reset'))
            else controller.enqueue(bytes)
          },
        }),
      )
      return new Response(body, { status: res.status, headers: res.headers })
    },
  })
  return {
    d,
    traffic,
    async connect() {
      await connect(d, bed.server)
      wrapped = true
    },
  }
}

async function versionsAgree(d: Device) {
  const { rows: server } = await bed.server.pool.query<{ k: string; versions: unknown }>(
    "SELECT table_name || ':' || row_id AS k, versions FROM sync_rows ORDER BY 1",
  )
  expect(await readVersions(d.ctx.db.pg)).toEqual(server)
}

const one = async <T>(d: Device, sql: string) =>
  (await d.ctx.db.pg.query<{ v: T }>(sql)).rows[0]?.v as T

describe('a first pull by snapshot', () => {
  it("loads the server's rows and versions, records no local write, and sets the cursor", async () => {
    const { d, traffic, connect: go } = await laptop('fresh')
    await go()
    await call(d.ctx, 'sync.now', {})
    await bed.agree(d, source)
    await versionsAgree(d)
    const snapshots = traffic.requests.filter((r) => r.path === '/v1/sync/snapshot')
    expect(snapshots).toHaveLength(1)
    // No page-by-page pull from the start: pulls go on from the snapshot's cursor.
    const pulls = traffic.requests.filter((r) => r.path === '/v1/sync/pull')
    expect(pulls.every((p) => Number(p.body.cursor) > 0)).toBe(true)
    const max = await bed.server.pool.query<{ n: string }>('SELECT max(seq) AS n FROM sync_rows')
    expect(await one(d, "SELECT value AS v FROM sync_state WHERE key = 'cursor'")).toBe(
      Number(max.rows[0]?.n),
    )
    expect(await one(d, "SELECT count(*)::int AS v FROM sync_state WHERE key = 'snapshot'")).toBe(0)
    // Indexes put aside while the tables loaded are all back.
    expect(await indexDefinitions(d.ctx.db.pg)).toEqual(await indexDefinitions(source.ctx.db.pg))
    expect(await one(d, 'SELECT count(*)::int AS v FROM sync_outbox')).toBe(0)
    expect(await one(d, 'SELECT count(*)::int AS v FROM sync_inbox')).toBe(0)
    // What the triggers keep, kept: the job counts, and a clock past every version loaded.
    const counts = await d.ctx.db.pg.query(
      `SELECT status, n FROM appointment_counts WHERE n <> 0
       EXCEPT SELECT status, count(*)::int FROM appointments WHERE deleted_at IS NULL GROUP BY 1`,
    )
    expect(counts.rows).toEqual([])
    expect(await one(d, 'SELECT count(*)::int AS v FROM appointment_counts WHERE n <> 0')).toBe(
      await one(
        d,
        'SELECT count(DISTINCT status)::int AS v FROM appointments WHERE deleted_at IS NULL',
      ),
    )
    const clock = await one<string>(d, 'SELECT last AS v FROM sync_clock')
    const newest = (await readVersions(d.ctx.db.pg))
      .flatMap((r) => Object.values(r.versions))
      .sort()
      .at(-1) as string
    expect(newest.slice(0, 15) > String(Date.now()).padStart(15, '0')).toBe(true)
    expect(clock.slice(0, 21) >= newest.slice(0, 21)).toBe(true)
    // A write after the load is an ordinary local write.
    await d.ctx.db.pg.exec(
      "UPDATE clients SET notes = 'after' WHERE id = (SELECT id FROM clients ORDER BY id DESC LIMIT 1)",
    )
    expect(await one(d, 'SELECT count(*)::int AS v FROM sync_outbox')).toBe(1)
  })

  it('keeps local writes made before and while it loads', async () => {
    let wrote = false
    let loadedFirst = false
    const { d, connect: go } = await laptop('busy', async (text) => {
      if (wrote || !text.includes('"table":"appointments"')) return undefined
      wrote = true
      // The app is used while the snapshot loads: one client is in, the jobs are coming.
      loadedFirst = (await one<number>(d, 'SELECT count(*)::int AS v FROM clients')) > 0
      await d.ctx.db.pg.exec(`
        UPDATE clients SET notes = 'written while loading' WHERE id = (SELECT id FROM clients ORDER BY id LIMIT 1);
        INSERT INTO clients (id, name) VALUES (gen_random_uuid(), 'Made while loading');`)
      return undefined
    })
    // Before connecting: this laptop's own business setting, on the row the server has
    // too; then the office changes the working hours, later.
    await call(d.ctx, 'settings.update', { timeZone: 'Europe/Berlin' })
    await call(source.ctx, 'settings.update', {
      workingHours: { start: '05:00', end: '15:00', days: [1, 2, 3, 4, 5] },
    })
    await call(source.ctx, 'sync.now', {})
    await go()
    await call(d.ctx, 'sync.now', {})
    expect(wrote && loadedFirst).toBe(true)
    // The business settings row came from the server too: it was merged, not replaced.
    const settings = await d.ctx.db.pg.query(
      'SELECT time_zone, working_hours FROM business_settings',
    )
    expect(settings.rows).toEqual([{ time_zone: 'Europe/Berlin', working_hours: '05:00-15:00' }])
    expect(
      await one(d, "SELECT count(*)::int AS v FROM clients WHERE notes = 'written while loading'"),
    ).toBe(1)
    expect(await one(d, 'SELECT count(*)::int AS v FROM sync_outbox')).toBe(2)
    await call(d.ctx, 'sync.now', {})
    await call(source.ctx, 'sync.now', {})
    await bed.agree(d, source)
    expect(
      await one(d, "SELECT count(*)::int AS v FROM clients WHERE name = 'Made while loading'"),
    ).toBe(1)
  })

  it('cut mid-way, resumes after what it stored and still misses no change', async () => {
    let seen = 0
    const {
      d,
      traffic,
      connect: go,
    } = await laptop('cut', async (text, attempt) => {
      seen += text.length
      // The first attempt is cut once the jobs have started coming.
      return attempt === 1 && seen > 0 && text.includes('"table":"appointments"')
        ? 'cut'
        : undefined
    })
    await go()
    expect((await callError(d.ctx, 'sync.now', {})).code).toBe('UNAVAILABLE')
    const progress = await one<{ table: string; after: string; cursor: number }>(
      d,
      "SELECT value AS v FROM sync_state WHERE key = 'snapshot'",
    )
    expect(APPLY_ORDER.indexOf(progress.table as never)).toBeLessThan(
      APPLY_ORDER.indexOf('appointments'),
    )
    expect(await one(d, "SELECT count(*)::int AS v FROM sync_state WHERE key = 'cursor'")).toBe(1)
    expect(await one(d, "SELECT value AS v FROM sync_state WHERE key = 'cursor'")).toBe(0)
    const loaded = await one<number>(d, 'SELECT count(*)::int AS v FROM clients')
    expect(loaded).toBeGreaterThan(0)
    // The cut load's tables are indexed as always.
    expect(await indexDefinitions(d.ctx.db.pg)).toEqual(await indexDefinitions(source.ctx.db.pg))
    // Meanwhile the business goes on: a client this laptop already has is renamed.
    const kept = await one<string>(d, 'SELECT id AS v FROM clients ORDER BY id LIMIT 1')
    await source.ctx.db.pg.query('UPDATE clients SET name = $1 WHERE id = $2', [
      'Renamed during the cut',
      kept,
    ])
    await call(source.ctx, 'sync.now', {})

    await call(d.ctx, 'sync.now', {})
    const resumed = traffic.requests.filter((r) => r.path === '/v1/sync/snapshot')[1]
    expect(resumed?.body.after).toEqual({ table: progress.table, id: progress.after })
    await bed.agree(d, source)
    await versionsAgree(d)
    expect(await one(d, "SELECT count(*)::int AS v FROM sync_state WHERE key = 'snapshot'")).toBe(0)
    expect(await one(d, `SELECT name AS v FROM clients WHERE id = '${kept}'`)).toBe(
      'Renamed during the cut',
    )
  })

  it('goes page by page with a server that serves no snapshots', async () => {
    const { d, traffic, connect: go } = await laptop('paged', undefined, { absent: true })
    await go()
    await call(d.ctx, 'sync.now', {})
    await bed.agree(d, source)
    await versionsAgree(d)
    const pulls = traffic.requests.filter((r) => r.path === '/v1/sync/pull')
    expect(pulls[0]?.body.cursor).toBe(0)
  })
})
