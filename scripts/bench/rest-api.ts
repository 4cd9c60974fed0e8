/**
 * `tsx scripts/bench/rest-api.ts [--json] [--appointments N] [--requests N]`: the REST
 * list endpoint (`GET /api/v1/appointments/`) of a real server process, over loopback
 * HTTP with keep-alive, one request at a time, against a fresh PostgreSQL database
 * holding N appointments (100,000 by default; statuses as a year of work leaves them,
 * 1% deleted, vacuumed as autovacuum would have). Three pages, as the issue names them:
 * the default page, offset 50,000, and a week filtered by status; then one appointment,
 * and bookings. p50 / p95 in ms, each page checked for its rows and total. The goal is
 * 10x the original DRF endpoint on the same PostgreSQL: ~1.5 / 8 / 1.5 ms p50.
 * Prints a summary, or one JSON object (the last line) with --json.
 */
import type { ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { createPool, migrateServer } from '../../server/db'
import { freshDatabase } from '../../server/test-db'
import { createDevice } from '../../server/tokens'
import { parseFlags, runCommand } from '../lib/cli'
import { startServerProcess } from './server-process'
import { percentile, round } from './stats'
import { populate } from './sync-data'

const USAGE = 'tsx scripts/bench/rest-api.ts -- [--json] [--appointments N] [--requests N]'

/**
 * Statuses as a year of work leaves them: past jobs mostly completed, some cancelled;
 * future ones scheduled, a few cancelled; 1% deleted (tombstones).
 */
async function ageTheBusiness(pool: ReturnType<typeof createPool>) {
  const c = await pool.connect()
  try {
    await c.query('BEGIN')
    await c.query("SET LOCAL groundskeeper.applying = 'on'")
    await c.query(`UPDATE appointments SET
      status = CASE
        WHEN scheduled_at < timestamptz '2026-11-26' AND hashtext(id::text) % 10 = 0 THEN 'cancelled'
        WHEN scheduled_at < timestamptz '2026-11-26' THEN 'completed'
        WHEN hashtext(id::text) % 20 = 0 THEN 'cancelled'
        ELSE 'scheduled' END,
      deleted_at = CASE WHEN hashtext(id::text) % 100 = 7 THEN now() END`)
    await c.query('COMMIT')
  } finally {
    c.release()
  }
  await pool.query('VACUUM ANALYZE appointments, clients, services, team_members')
}

interface Sample {
  status: number
  body: string
  ms: number
}

function client(base: string, token: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  let sent = 0
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<Sample>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const t = performance.now()
      const req = request(
        `${base}${path}`,
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            // A new address every 500 requests: under the per-address limit (600 a minute).
            'x-forwarded-for': `10.77.${Math.floor(sent++ / 500) % 250}.1`,
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - t,
            }),
          )
        },
      )
      req.on('error', reject)
      req.end(payload)
    })
  return { call, close: () => agent.destroy() }
}

type Call = ReturnType<typeof client>['call']

interface Scenario {
  send: (i: number) => Promise<Sample>
  check: (s: Sample) => void
}

/**
 * Times `n` requests one after another; each answer is checked. The server is warmed up
 * first on every scenario in turn (its JIT, the connections' prepared statements), so the
 * scenario measured first pays no more for it than the last.
 */
async function timed(scenarios: Record<string, Scenario>, n: number, warmUp = 200) {
  for (let round = 0; round < warmUp; round++)
    for (const { send, check } of Object.values(scenarios)) check(await send(-1 - round))
  const out: Record<string, { p50Ms: number; p95Ms: number }> = {}
  for (const [name, { send, check }] of Object.entries(scenarios)) {
    const ms: number[] = []
    for (let i = 0; i < n; i++) {
      const s = await send(i)
      check(s)
      ms.push(s.ms)
    }
    out[name] = { p50Ms: round(percentile(ms, 50), 2), p95Ms: round(percentile(ms, 95), 2) }
  }
  return out
}

type Timing = { p50Ms: number; p95Ms: number }

const ok = (status: number) => (s: Sample) => {
  if (s.status !== status) throw new Error(`HTTP ${s.status}: ${s.body.slice(0, 200)}`)
}

function page(expectRows: number, total: (count: number) => boolean) {
  return (s: Sample) => {
    if (s.status !== 200) throw new Error(`HTTP ${s.status}: ${s.body.slice(0, 200)}`)
    const body = JSON.parse(s.body) as { count: number; results: unknown[] }
    if (body.results.length !== expectRows || !total(body.count))
      throw new Error(`unexpected page: ${body.results.length} rows of ${body.count}`)
  }
}

export async function benchRestApi(appointments: number, requests: number) {
  const db = await freshDatabase()
  const pool = createPool(db.url, 4)
  let server: ChildProcess | undefined
  let http: ReturnType<typeof client> | undefined
  try {
    await migrateServer(pool)
    await populate(pool, appointments)
    await ageTheBusiness(pool)
    const { rows } = await pool.query<{ live: number; week: number }>(`SELECT
      count(*) FILTER (WHERE deleted_at IS NULL)::int AS live,
      count(*) FILTER (WHERE deleted_at IS NULL AND status = 'scheduled'
        AND scheduled_at BETWEEN '2027-03-01T00:00:00Z' AND '2027-03-07T23:59:59Z')::int AS week
      FROM appointments`)
    const { live, week } = rows[0] as { live: number; week: number }
    const token = (
      await createDevice(pool, { label: 'bench', userName: 'Office', role: 'office_manager' })
    ).token
    const started = await startServerProcess(db.url)
    server = started.child
    http = client(started.url, token)
    const get: Call = http.call
    const list = '/api/v1/appointments/'
    const first = JSON.parse((await get('GET', list)).body).results[0] as { id: string }
    // 50,000, or the last page of a smaller list.
    const offset = Math.max(0, Math.min(50_000, live - 20))
    const reads = await timed(
      {
        defaultPage: { send: () => get('GET', list), check: page(20, (n) => n === live) },
        offset50k: {
          send: () => get('GET', `${list}?offset=${offset}`),
          check: page(20, (n) => n === live),
        },
        weekAndStatus: {
          send: () =>
            get(
              'GET',
              `${list}?status=scheduled&schedule_start_date=2027-03-01T00:00:00Z&schedule_end_date=2027-03-07T23:59:59Z`,
            ),
          check: page(Math.min(20, week), (n) => n === week),
        },
        one: { send: () => get('GET', `${list}${first.id}/`), check: ok(200) },
      },
      requests,
    )
    // Each booking at its own hour, from 2028 on (the warm-up's before the measured ones).
    const { book } = await timed(
      {
        book: {
          send: (i) =>
            get('POST', list, {
              client_id: `00000000-0000-7000-a000-${(1 + (Math.abs(i) % 2000)).toString(16).padStart(12, '0')}`,
              service_id: '00000000-0000-7000-9000-000000000001',
              scheduled_at: new Date(Date.UTC(2028, 0, 1) + (i + 100) * 3_600_000).toISOString(),
              location: 'SW1A 1AA',
            }),
          check: ok(201),
        },
      },
      Math.min(requests, 200),
      50,
    )
    return {
      database: db.kind,
      appointments,
      requests,
      weekRows: week,
      offset,
      defaultPage: reads.defaultPage as Timing,
      offset50k: reads.offset50k as Timing,
      weekAndStatus: reads.weekAndStatus as Timing,
      one: reads.one as Timing,
      book: book as Timing,
    }
  } finally {
    http?.close()
    server?.kill()
    await pool.end()
    await db.drop()
  }
}

export type RestApiBench = Awaited<ReturnType<typeof benchRestApi>>

if (process.argv[1]?.endsWith('rest-api.ts')) {
  await runCommand(USAGE, async () => {
    const flags = parseFlags(process.argv.slice(2), {
      json: { type: 'boolean' },
      appointments: { type: 'int', default: 100_000, min: 1000, max: 2_000_000 },
      requests: { type: 'int', default: 500, min: 20, max: 100_000 },
    })
    const r = await benchRestApi(flags.appointments, flags.requests)
    if (flags.json) console.log(JSON.stringify(r))
    else
      console.log(`REST API on ${r.database}, ${r.appointments} appointments, ${r.requests} requests each (p50 / p95 ms):
  list, default page        ${r.defaultPage.p50Ms} / ${r.defaultPage.p95Ms}
  list, offset ${String(r.offset).padEnd(13)}${r.offset50k.p50Ms} / ${r.offset50k.p95Ms}
  list, a week + status     ${r.weekAndStatus.p50Ms} / ${r.weekAndStatus.p95Ms} (${r.weekRows} rows)
  one appointment           ${r.one.p50Ms} / ${r.one.p95Ms}
  booking (POST)            ${r.book.p50Ms} / ${r.book.p95Ms}`)
  })
}
