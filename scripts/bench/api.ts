import { openCore } from '../../electron/main/core/app-core'
import type { AppContext } from '../../electron/main/core/context'
import { dispatch } from '../../electron/main/core/dispatch'
import { sourceResources } from '../../electron/main/core/paths'
import { median, percentile, round } from './stats'

/**
 * Timings of the read paths a user waits on, through the real dispatch (validation,
 * handler, output check), on a seeded data folder. The app's start-up work (the series
 * horizon, the notifier's first pass over the visits ahead) is let finish, and each case
 * is warmed up first (500 calls: PGlite's JavaScript, V8's optimising compiler and
 * PostgreSQL's caches take that long to settle), so the figures describe an app that has
 * been running; the first call is reported apart.
 */
export interface Timing {
  p50Ms: number
  p95Ms: number
  maxMs: number
  firstMs: number
  runs: number
}

/** Calls before timing: the JIT's optimising tiers need a few hundred to settle in. */
const WARM_UP = 500

async function time(
  ctx: AppContext,
  channel: string,
  input: unknown,
  runs: number,
): Promise<Timing> {
  const cold = performance.now()
  await dispatch(ctx, channel, input)
  const firstMs = performance.now() - cold
  for (let i = 0; i < WARM_UP; i++) await dispatch(ctx, channel, input)
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    const result = await dispatch(ctx, channel, input)
    samples.push(performance.now() - t)
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
  }
  return {
    p50Ms: round(median(samples), 2),
    p95Ms: round(percentile(samples, 95), 2),
    maxMs: round(Math.max(...samples), 2),
    firstMs: round(firstMs, 2),
    runs,
  }
}

/** A Monday-to-Monday week in peak season, and one in winter, relative to the anchor. */
function weeks(anchor: Date) {
  const year = anchor.getUTCFullYear()
  return {
    peak: { from: `${year}-06-01T05:00:00Z`, to: `${year}-06-08T05:00:00Z` },
    winter: { from: `${year}-01-12T06:00:00Z`, to: `${year}-01-19T06:00:00Z` },
  }
}

export async function benchApi(dataDir: string, anchor: Date, runs: number) {
  const ctx = await openCore({ dataDir, resources: sourceResources(), version: 'bench' })
  try {
    await ctx.horizon.settled()
    await ctx.notifier.pass()
    const { peak, winter } = weeks(anchor)
    const events = async (range: { from: string; to: string }) => {
      const r = await dispatch(ctx, 'calendar.range', range)
      return r.ok ? (r.data as { events: unknown[] }).events.length : -1
    }
    return {
      listDefaultPage: await time(ctx, 'appointments.list', {}, runs),
      listDeepOffset50k: await time(ctx, 'appointments.list', { offset: 50_000 }, runs),
      listWeekWithStatus: await time(
        ctx,
        'appointments.list',
        {
          scheduledFrom: peak.from,
          scheduledTo: peak.to,
          status: ['scheduled', 'completed'],
        },
        runs,
      ),
      listSearch: await time(ctx, 'appointments.list', { search: 'garcia' }, Math.ceil(runs / 4)),
      calendarPeakWeek: {
        ...(await time(ctx, 'calendar.range', peak, runs)),
        events: await events(peak),
      },
      calendarWinterWeek: {
        ...(await time(ctx, 'calendar.range', winter, runs)),
        events: await events(winter),
      },
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    }
  } finally {
    await ctx.db.close()
  }
}
