/**
 * `tsx scripts/bench/series.ts [--json]`: booking a season of mowing for 200 clients
 * through the real dispatch, on a data folder opened as the app opens it. Each series
 * books its first 12 weeks (the horizon); visits twice a week make about 5,000 visits
 * in all, each checked for double bookings. Measured twice: the season imported from a
 * CSV file of 200 series (data.import; goal: ≤ 2 s), and 200 series booked one by one
 * (series.create, as the dialog books one). Prints a summary, or one JSON object (the
 * last line) with --json.
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
  /** The season imported from CSV in one go. */
  ms: number
  /** One series.create call, on average, booking the same season a second time. */
  perSeriesMs: number
}

const DAYS = ['Tue Fri', 'Mon Thu']

/** Twenty clients a crew, each at its own half hour of the crew's day. */
const slotOf = (i: number) => {
  const slot = Math.floor(i / CREWS)
  return `${String(7 + Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}`
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
    for (let i = 0; i < 2 * CREWS; i++)
      crews.push(await call(ctx, 'team.create', { name: `Crew ${i + 1}` }))
    const clients = []
    for (let i = 0; i < CLIENTS; i++)
      clients.push(await call(ctx, 'clients.create', { name: `Client ${i + 1}` }))
    const today = localDay(Date.now(), 'America/Chicago')
    const endsOn = addDays(today, 210)
    const csv = [
      'client,service,crew,days,starts_on,ends_on,start_time',
      ...clients.map(
        (c, i) =>
          `${c.name},Lawn mowing,Crew ${(i % CREWS) + 1},${DAYS[i % 2]},${today},${endsOn},${slotOf(i)}`,
      ),
    ].join('\n')
    const t = performance.now()
    const report = await call(ctx, 'data.import', { kind: 'series', csv })
    const ms = performance.now() - t
    if (report.created !== CLIENTS) throw new Error(`imported ${report.created} series`)
    const visits = report.visits?.booked ?? 0
    const clashes = report.visits?.clashCount ?? 0
    // The same season booked again one series at a time, for ten other crews.
    const t1 = performance.now()
    for (const [i, client] of clients.entries()) {
      await call(ctx, 'series.create', {
        clientId: client.id,
        serviceId: service.id,
        teamMemberId: crews[CREWS + (i % CREWS)]?.id ?? null,
        rule: { kind: 'weekly', weekdays: i % 2 ? ['MO', 'TH'] : ['TU', 'FR'] },
        startsOn: today,
        endsOn,
        startTime: slotOf(i),
      })
    }
    const perSeries = (performance.now() - t1) / CLIENTS
    return { series: CLIENTS, visits, clashes, ms: round(ms), perSeriesMs: round(perSeries) }
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
      `series: ${result.series} clients, ${result.visits} visits imported in ${result.ms} ms (${result.clashes} clashes; goal 2000 ms); one series booked in ${result.perSeriesMs} ms`,
    )
})
