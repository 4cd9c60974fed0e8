/**
 * `npm run bench [-- --json] [--appointments N]`: the figures that matter to a user:
 * first launch, cold open of a big data folder, seeding, the priority backfill, disk
 * use, the cost of a durable commit, the list and calendar reads through the real
 * dispatch, sync against a server (scripts/bench/sync.ts), and the server's REST list
 * endpoint over HTTP (scripts/bench/rest-api.ts), and the notification worker through a
 * local SMTP server (scripts/bench/notifications.ts), and the weather risk and reassignment
 * rules at scale (scripts/bench/weather.ts), and booking a season of recurring visits for
 * 200 clients (scripts/bench/series.ts). Human-readable by default; one JSON object
 * with --json.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { backfillPriority } from '../drizzle/runner/backfill-priority'
import { createDb, type Durability } from '../electron/main/core/db/create-db'
import { sourceResources, sourceRoot } from '../electron/main/core/paths'
import { seed } from '../electron/main/core/seed/seed'
import { bundleForNode } from '../electron/main/core/test/bundle'
import { tempDir } from '../electron/main/core/test/helpers'
import type { benchApi } from './bench/api'
import type { NotificationsBench } from './bench/notifications'
import type { RestApiBench } from './bench/rest-api'
import type { SeriesBench } from './bench/series'
import { median, percentile, round } from './bench/stats'
import type { SyncBench } from './bench/sync'
import type { WeatherBench } from './bench/weather'
import { parseFlags, runCommand } from './lib/cli'

const USAGE = 'npm run bench -- [--json] [--appointments N] [--runs N]'

function dirBytes(path: string): number {
  let total = 0
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name)
    total += entry.isDirectory() ? dirBytes(full) : statSync(full).size
  }
  return total
}

interface OpenRun {
  openMs: number
  firstQueryMs: number
  rssMb: number
  /** What the RSS is made of (scripts/bench/open-child.ts). */
  memory: {
    beforeOpenRssMb: number
    pgliteWasmHeapMb: number
    sharedBuffers: string
    v8HeapUsedMb: number
    v8HeapTotalMb: number
    externalMb: number
    arrayBuffersMb: number
  }
}

/** The cold open's memory, goal 300 MiB: its figures from the run with the largest RSS. */
function openMemory(runs: OpenRun[]) {
  const worst = runs.reduce((a, b) => (b.rssMb > a.rssMb ? b : a))
  const m = worst.memory
  return {
    goalMb: 300,
    rssMb: round(worst.rssMb),
    beforeOpenRssMb: round(m.beforeOpenRssMb),
    pgliteWasmHeapMb: round(m.pgliteWasmHeapMb),
    sharedBuffers: m.sharedBuffers,
    v8HeapUsedMb: round(m.v8HeapUsedMb),
    v8HeapTotalMb: round(m.v8HeapTotalMb),
    externalMb: round(m.externalMb),
    arrayBuffersMb: round(m.arrayBuffersMb),
  }
}

/** Runs a benchmark script in a fresh process and returns the last line it printed. */
function runChild(script: string, args: string[]): string {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(sourceRoot(), 'scripts/bench', script), ...args],
    { cwd: sourceRoot(), encoding: 'utf8' },
  )
  return out.trim().split('\n').at(-1) ?? '{}'
}

/**
 * The open benchmark runs as the app's main process does: its own code bundled into one
 * file with the packages left as imports (what electron-vite builds), not TypeScript
 * compiled as it loads, whose compiler would be counted in the memory figure. Returns
 * the bundle's path, under out/ so that its imports find the project's packages.
 */
async function bundleOpenChild(): Promise<string> {
  const outfile = join(sourceRoot(), 'out/bench/open-child.mjs')
  await bundleForNode(join(sourceRoot(), 'scripts/bench/open-child.ts'), outfile)
  return outfile
}

function openInChild(
  bundle: string,
  dataDir: string,
  template: 'template' | 'no-template',
): OpenRun {
  const out = execFileSync(process.execPath, [bundle, dataDir, template, sourceRoot()], {
    cwd: sourceRoot(),
    encoding: 'utf8',
  })
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as OpenRun
}

async function commitLatency(durability: Durability, n: number) {
  const dir = tempDir()
  const db = await createDb({ dataDir: dir.path, resources: sourceResources(), durability })
  const times: number[] = []
  try {
    for (let i = 0; i < n; i++) {
      const t = performance.now()
      // A synced table: the outbox triggers (clock tick, outbox row, field versions) are
      // part of every real save, so they are part of the figure.
      await db.pg.query('INSERT INTO clients (id, name) VALUES (gen_random_uuid(), $1)', [
        `Bench client ${i}`,
      ])
      times.push(performance.now() - t)
    }
  } finally {
    await db.close()
    dir.cleanup()
  }
  return { p50Ms: round(median(times), 2), p95Ms: round(percentile(times, 95), 2) }
}

function memoryLine(m: ReturnType<typeof openMemory>): string {
  return `${m.rssMb} MiB (goal ${m.goalMb}): ${m.beforeOpenRssMb} before opening (Node and the bundled code); PGlite's WASM heap ${m.pgliteWasmHeapMb} MiB (shared_buffers ${m.sharedBuffers}); V8 heap ${m.v8HeapUsedMb} used of ${m.v8HeapTotalMb}; external ${m.externalMb} (WASM heap included), array buffers ${m.arrayBuffersMb}`
}

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    json: { type: 'boolean', help: 'print the figures as JSON only' },
    appointments: {
      type: 'int',
      default: 100_000,
      min: 1000,
      max: 2_000_000,
      help: 'appointments in the measured database',
    },
    runs: { type: 'int', default: 3, min: 1, max: 20, help: 'runs of each timed step' },
  })
  const log = (msg: string) => {
    if (!flags.json) console.log(msg)
  }
  const resources = sourceResources()
  const anchor = new Date('2026-11-26T00:00:00Z')
  const dirs: (() => void)[] = []
  const fresh = () => {
    const d = tempDir('gk-bench-')
    dirs.push(d.cleanup)
    return d.path
  }
  try {
    const openChild = await bundleOpenChild()
    log('first launch (new data folder, from the template)…')
    const firstLaunch = Array.from({ length: flags.runs }, () =>
      openInChild(openChild, fresh(), 'template'),
    )
    log('first launch without a template (initdb)…')
    const initdb = openInChild(openChild, fresh(), 'no-template')

    log(`seeding ${flags.appointments.toLocaleString('en-US')} appointments…`)
    const seededDir = fresh()
    const db = await createDb({ dataDir: seededDir, resources })
    const t = performance.now()
    await seed(db.pg, { appointments: flags.appointments, anchor })
    const seedMs = performance.now() - t
    await db.close()
    const seededBytes = dirBytes(seededDir)

    log('list and calendar through dispatch…')
    const api = JSON.parse(
      runChild('api-child.ts', [seededDir, anchor.toISOString(), String(flags.runs * 70)]),
    ) as Awaited<ReturnType<typeof benchApi>>

    log('cold open of the seeded data folder…')
    const coldOpen = Array.from({ length: flags.runs }, () =>
      openInChild(openChild, seededDir, 'template'),
    )

    log('priority backfill of 100,000 services…')
    const stageDir = fresh()
    const stage = await createDb({
      dataDir: stageDir,
      resources,
      durability: 'os',
      migrate: { target: '0001_service_priority_nullable' },
    })
    await stage.pg.exec(`INSERT INTO services (id, name, base_price, duration_minutes)
      SELECT gen_random_uuid(), 'Service ' || g, 10, 60 FROM generate_series(1, 100000) g`)
    const b = performance.now()
    const backfill = await backfillPriority(stage.runner, { batchSize: 5000 })
    const backfillMs = performance.now() - b
    await stage.close()
    const u = performance.now()
    await (await createDb({ dataDir: stageDir, resources })).close()
    const notNullMs = performance.now() - u

    log('sync: push, first pull and 20 laptops against a server (about two minutes)…')
    const sync = JSON.parse(
      runChild('sync.ts', ['--json', '--appointments', String(flags.appointments)]),
    ) as SyncBench

    log('REST list endpoint over HTTP against a server (about a minute)…')
    const restApi = JSON.parse(
      runChild('rest-api.ts', ['--json', '--appointments', String(flags.appointments)]),
    ) as RestApiBench

    log('notifications through a local SMTP server (about a minute)…')
    const notifications = JSON.parse(runChild('notifications.ts', ['--json'])) as NotificationsBench

    log('weather risk and reassignment rules…')
    const weather = JSON.parse(runChild('weather.ts', ['--json'])) as WeatherBench

    log('series: a season of mowing for 200 clients through dispatch…')
    const series = JSON.parse(runChild('series.ts', ['--json'])) as SeriesBench

    log('commit latency…')
    const commitFsync = await commitLatency('fsync', 200)
    const commitOs = await commitLatency('os', 200)

    const result = {
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      firstLaunchMs: {
        median: round(median(firstLaunch.map((r) => r.openMs))),
        runs: firstLaunch.map((r) => round(r.openMs)),
      },
      firstLaunchWithoutTemplateMs: round(initdb.openMs),
      seed: {
        appointments: flags.appointments,
        ms: round(seedMs),
        rowsPerSecond: Math.round(flags.appointments / (seedMs / 1000)),
      },
      coldOpenSeededMs: {
        median: round(median(coldOpen.map((r) => r.openMs))),
        runs: coldOpen.map((r) => round(r.openMs)),
        firstQueryMs: round(median(coldOpen.map((r) => r.firstQueryMs))),
        rssMb: round(Math.max(...coldOpen.map((r) => r.rssMb))),
        memory: openMemory(coldOpen),
      },
      dataDirMb: round(seededBytes / 2 ** 20),
      backfill100kServices: {
        ms: round(backfillMs),
        batches: backfill.batches,
        notNullStepMs: round(notNullMs),
      },
      commitMs: { fsync: commitFsync, os: commitOs },
      api,
      sync,
      restApi,
      notifications,
      weather,
      series,
    }
    if (flags.json) {
      console.log(JSON.stringify(result))
    } else {
      console.log(`
first launch (template)     ${result.firstLaunchMs.median} ms median (${result.firstLaunchMs.runs.join(', ')})
first launch (initdb)       ${result.firstLaunchWithoutTemplateMs} ms
seed ${flags.appointments} appts     ${result.seed.ms} ms (${result.seed.rowsPerSecond} rows/s)
cold open, seeded           ${result.coldOpenSeededMs.median} ms median, first query ${result.coldOpenSeededMs.firstQueryMs} ms, RSS ${result.coldOpenSeededMs.rssMb} MiB
  RSS with ${flags.appointments} open  ${memoryLine(result.coldOpenSeededMs.memory)}
data folder size            ${result.dataDirMb} MiB
backfill 100k services      ${result.backfill100kServices.ms} ms in ${backfill.batches} batches; NOT NULL step ${result.backfill100kServices.notNullStepMs} ms
commit, synced (fsync)      p50 ${commitFsync.p50Ms} ms, p95 ${commitFsync.p95Ms} ms
commit, synced (os)         p50 ${commitOs.p50Ms} ms, p95 ${commitOs.p95Ms} ms
through dispatch (p50 / p95 ms):
${Object.entries(api)
  .filter(([, v]) => typeof v === 'object')
  .map(([k, v]) => {
    const t = v as { p50Ms: number; p95Ms: number; events?: number }
    return `  ${k.padEnd(26)}${t.p50Ms} / ${t.p95Ms}${t.events === undefined ? '' : ` (${t.events} events)`}`
  })
  .join('\n')}
peak RSS, reads process     ${api.peakRssMb} MiB
sync (server on ${sync.database}):
  push 10,000 changes       ${sync.push10k.ms} ms (${sync.push10k.perSecond} changes/s)
  first pull (snapshot)     ${sync.initialPull.rows} rows (${sync.initialPull.appointments} appointments) in ${sync.initialPull.seconds} s (${sync.initialPull.rowsPerSecond} rows/s)
    a list page meanwhile   p50 ${sync.initialPull.listDuringPullMs.p50} / p95 ${sync.initialPull.listDuringPullMs.p95} / max ${sync.initialPull.listDuringPullMs.max} ms${
      sync.pagedPull
        ? `
  first pull, page by page  ${sync.pagedPull.rows} rows in ${sync.pagedPull.seconds} s (${sync.pagedPull.rowsPerSecond} rows/s)`
        : ''
    }
  join with ${sync.rejoin.rows} rows     ${sync.rejoin.firstSeconds} s; leave and join again ${sync.rejoin.againSeconds} s
  ${sync.fleet.devices} laptops, ${sync.fleet.seconds} s     ${sync.fleet.rounds} rounds, ${sync.fleet.errors} failed${Object.entries(
    sync.fleet.failures ?? {},
  )
    .map(([why, n]) => ` (${n}: ${why})`)
    .join('')}
    changes applied         ${sync.fleet.mutationsApplied} (${sync.fleet.appliedPerSecond}/s); refused ${sync.fleet.mutationsRefused}, repeats ${sync.fleet.mutationsDuplicate}
    push p50 / p95          ${sync.fleet.pushMs.p50} / ${sync.fleet.pushMs.p95} ms
    pull p50 / p95          ${sync.fleet.pullMs.p50} / ${sync.fleet.pullMs.p95} ms
REST API, GET /api/v1/appointments/ over HTTP keep-alive (p50 / p95 ms, ${restApi.appointments} appointments):
  default page              ${restApi.defaultPage.p50Ms} / ${restApi.defaultPage.p95Ms}
  offset 50,000             ${restApi.offset50k.p50Ms} / ${restApi.offset50k.p95Ms}
  a week + status           ${restApi.weekAndStatus.p50Ms} / ${restApi.weekAndStatus.p95Ms}
  one appointment           ${restApi.one.p50Ms} / ${restApi.one.p95Ms}
  booking (POST)            ${restApi.book.p50Ms} / ${restApi.book.p95Ms}
notifications (SMTP on loopback, one worker):
  emails sent               ${notifications.perSecond}/s (${notifications.messages} messages; goal 200/s)
  booking -> email p50/p95  ${notifications.delay.p50Ms} / ${notifications.delay.p95Ms} ms (${notifications.bookings} bookings)
weather and availability (rules in shared/, median of 5):
  risk of ${weather.risk.appointments} appts  ${weather.risk.ms} ms (goal 1000 ms)
  reassignment, ${weather.reassign.jobs} jobs  ${weather.reassign.ms} ms among ${weather.reassign.crew} crew (goal 200 ms)
series (through dispatch, 12 weeks booked each):
  a season imported (data.import)  ${series.series} clients, ${series.visits} visits in ${series.ms} ms (goal 2000 ms)
  one series booked (series.create)  ${series.perSeriesMs} ms`)
    }
  } finally {
    for (const d of dirs) d()
  }
})
