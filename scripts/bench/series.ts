/**
 * `tsx scripts/bench/series.ts [--json]`: booking a season of mowing for 200 clients
 * through the real dispatch (series.create), as an office manager would, on a data folder
 * opened as the app opens it. Each series books its first 12 weeks (the horizon); visits
 * twice a week make about 5,000 visits in all, each checked for double bookings (goal:
 * all 200 in ≤ 2 s). Prints a summary, or one JSON object (the last line) with --json.
 */
import { closeCore, openCore } from '../../electron/main/core/app-core'
import { sourceResources } from '../../electron/main/core/paths'
import { call, tempDir } from '../../electron/main/core/test/helpers'
import { addDays, localDay } from '../../shared/domain/time'
import { parseFlags, runCommand } from '../lib/cli'
import { round } from './stats'

const USAGE = 'tsx scripts/bench/series.ts -- [--json]'
const CLIENTS = 200
const CREWS = 10

export interface SeriesBench {
  series: number
  visits: number
  clashes: number
  ms: number
  perSeriesMs: number
}

async function bench(): Promise<SeriesBench> {
  const dir = tempDir('gk-bench-series-')
  const ctx = await openCore({
    dataDir: dir.path,
    resources: sourceResources(),
    version: 'bench',
    startSync: false,
  })
  try {
    await call(ctx, 'session.createUser', { name: 'Bench Admin', role: 'admin', pin: '1357' })
    const service = await call(ctx, 'catalog.services.create', {
      name: 'Lawn mowing',
      basePrice: '45',
      durationMinutes: 30,
    })
    const crews = []
    for (let i = 0; i < CREWS; i++)
      crews.push(await call(ctx, 'team.create', { name: `Crew ${i + 1}` }))
    const clients = []
    for (let i = 0; i < CLIENTS; i++)
      clients.push(await call(ctx, 'clients.create', { name: `Client ${i + 1}` }))
    const today = localDay(Date.now(), 'America/Chicago')
    let visits = 0
    let clashes = 0
    const t = performance.now()
    for (const [i, client] of clients.entries()) {
      // Twenty clients a crew, each at its own half hour of the crew's day.
      const slot = Math.floor(i / CREWS)
      const hour = 7 + Math.floor(slot / 2)
      const { summary } = await call(ctx, 'series.create', {
        clientId: client.id,
        serviceId: service.id,
        teamMemberId: crews[i % CREWS]?.id ?? null,
        rule: { kind: 'weekly', weekdays: i % 2 ? ['MO', 'TH'] : ['TU', 'FR'] },
        startsOn: today,
        endsOn: addDays(today, 210),
        startTime: `${String(hour).padStart(2, '0')}:${slot % 2 ? '30' : '00'}`,
      })
      visits += summary.booked
      clashes += summary.clashes.length
    }
    const ms = performance.now() - t
    return { series: CLIENTS, visits, clashes, ms: round(ms), perSeriesMs: round(ms / CLIENTS) }
  } finally {
    await closeCore(ctx)
    dir.cleanup()
  }
}

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), { json: { type: 'boolean' } })
  const result = await bench()
  if (flags.json) console.log(JSON.stringify(result))
  else
    console.log(
      `series: ${result.series} clients, ${result.visits} visits booked in ${result.ms} ms (${result.perSeriesMs} ms a series; ${result.clashes} clashes; goal 2000 ms)`,
    )
})
