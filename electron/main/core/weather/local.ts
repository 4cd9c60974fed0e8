import type { PGlite } from '@electric-sql/pglite'
import { localDay } from '../../../../shared/domain/time'
import { plural } from '../../../../shared/domain/words'
import { atRisk } from '../../../../shared/weather/assess'
import { holdInForce } from '../../../../weather/hold'
import { OPEN_METEO_DEFAULTS, openMeteo, type WeatherProvider } from '../../../../weather/provider'
import { type RefreshResult, refreshCycle } from '../../../../weather/refresh'
import { businessZone, pruneForecasts } from '../../../../weather/sql'
import type { WeatherStore } from '../../../../weather/store'
import { readAppSetting, writeAppSetting } from '../app-settings'
import type { ChangeFeed } from '../changes'
import type { Db } from '../db/create-db'
import { getState } from '../sync/store'
import { turnTaker } from '../turns'

/**
 * A laptop with no sync server refreshes its forecast cache itself, with the same cycle
 * as the central server (weather/refresh.ts): hourly, and soon after jobs or clients
 * change; each cycle fetches only what is due, so most cost no request. Offline, the
 * cycle fails softly: the cache stays, its age shows, and the next cycle tries again.
 * Connected to a server it never fetches: the server's cache syncs here.
 */
export const SETTINGS_KEY = 'weather.settings'
export const STATUS_KEY = 'weather.status'
const ALERTS_KEY = 'weather.alerts'

export interface WeatherSettings {
  forecastUrl: string
  geocodingUrl: string
}

export interface WeatherRunStatus {
  lastRefreshAt: string | null
  lastError: string | null
  /** No request to the weather service before this time (a 429's hold, weather/hold.ts). */
  notBefore?: string | null
}

export async function weatherSettings(pg: PGlite): Promise<WeatherSettings> {
  const saved = await readAppSetting<Partial<WeatherSettings>>(pg, SETTINGS_KEY)
  return {
    forecastUrl: saved?.forecastUrl ?? OPEN_METEO_DEFAULTS.forecastUrl,
    geocodingUrl: saved?.geocodingUrl ?? OPEN_METEO_DEFAULTS.geocodingUrl,
  }
}

export async function saveWeatherSettings(pg: PGlite, settings: WeatherSettings): Promise<void> {
  await writeAppSetting(pg, SETTINGS_KEY, settings)
}

export async function weatherRunStatus(pg: PGlite): Promise<WeatherRunStatus> {
  return (
    (await readAppSetting<WeatherRunStatus>(pg, STATUS_KEY)) ?? {
      lastRefreshAt: null,
      lastError: null,
      notBefore: null,
    }
  )
}

/** Forecast rows and looked-up places written into this laptop's tables (captured for sync). */
export function localWeatherStore(pg: PGlite): WeatherStore {
  const upsert = async (table: string, rows: { id: string; fields: Record<string, unknown> }[]) => {
    if (!rows.length) return
    await pg.transaction(async (tx) => {
      for (const r of rows) {
        const cols = Object.keys(r.fields)
        await tx.query(
          `INSERT INTO ${table} (id, ${cols.join(', ')})
           VALUES ($1, ${cols.map((_, i) => `$${i + 2}`).join(', ')})
           ON CONFLICT (id) DO UPDATE SET ${cols.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
             deleted_at = NULL, updated_at = now()`,
          [r.id, ...cols.map((c) => r.fields[c])],
        )
      }
    })
  }
  return {
    saveForecasts: (rows) => upsert('weather_forecasts', rows),
    saveGeocodes: (rows) => upsert('geocodes', rows),
  }
}

export interface LocalWeatherOptions {
  intervalMs?: number
  nowMs?: () => number
  /** A provider to use instead of this laptop's settings (tests). */
  provider?: WeatherProvider
  /** Told of each job whose risk changed (the client's weather notice). */
  onRiskChanged?: (
    appointmentId: string,
    weather: { risk: 'low' | 'moderate' | 'high' | 'unknown'; reason: string },
  ) => Promise<void>
  onError?: (e: unknown) => void
}

export class LocalWeather {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<RefreshResult | 'server'> | null = null
  private unsubscribe: (() => void) | null = null
  private stopped = true
  private announcing = false
  private prunedAt = Number.NEGATIVE_INFINITY
  /** The hold the last cycle left (ms on this refresh's clock), to look again when it ends. */
  private notBeforeMs: number | null = null

  constructor(
    private readonly db: () => Db,
    private readonly changes: ChangeFeed,
    private readonly opts: LocalWeatherOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.unsubscribe = this.changes.subscribe(({ tables }) => {
      if (this.announcing) return
      // A new job or a client's new address may need a forecast: look soon.
      if (tables.some((t) => t === 'appointments' || t === 'clients')) this.schedule(5_000)
    })
    this.schedule(2_000)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    if (this.timer) clearTimeout(this.timer)
    await this.running?.catch(() => undefined)
  }

  private schedule(ms: number) {
    if (this.stopped) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      // A cycle already running covers this turn.
      if (this.running) return
      void this.refresh().catch((e) => {
        if (!this.db().pg.closed) this.opts.onError?.(e)
      })
    }, ms)
    this.timer.unref?.()
  }

  /**
   * One cycle now ('server' when a sync server refreshes instead). Asked for while one
   * runs, it waits for that one and runs another: the request may follow a change of
   * settings the running cycle did not see.
   */
  async refresh(): Promise<RefreshResult | 'server'> {
    while (this.running) await this.running.catch(() => undefined)
    const run = this.cycle()
    this.running = run
    try {
      return await run
    } finally {
      this.running = null
      const every = this.opts.intervalMs ?? 3_600_000
      // Held by a 429: look again once the hold ends, if that comes before the next turn.
      const held = holdInForce(this.notBeforeMs, this.now())
      this.schedule(held === null ? every : Math.min(every, held - this.now() + 1_000))
    }
  }

  /** The forecast's clock: what "upcoming" and "days ahead" count from. */
  now(): number {
    return (this.opts.nowMs ?? Date.now)()
  }

  private async cycle(): Promise<RefreshResult | 'server'> {
    const pg = this.db().pg
    const nowMs = this.now()
    // The cache's old days go whoever refreshes it: a laptop that syncs forgets its
    // copies by the same rule as the server (weather/sql.ts), at most hourly.
    if (nowMs - this.prunedAt >= 3_600_000) {
      const today = localDay(nowMs, await businessZone(pg))
      while ((await pruneForecasts(pg, 'sync_versions', today)) > 0);
      this.prunedAt = nowMs
    }
    if (await getState(pg, 'config')) return 'server'
    const provider = this.opts.provider ?? openMeteo(await weatherSettings(pg))
    const status = await weatherRunStatus(pg)
    const held = status.notBefore ? Date.parse(status.notBefore) : null
    let result: RefreshResult
    try {
      result = await refreshCycle({
        db: pg,
        store: localWeatherStore(pg),
        provider,
        nowMs,
        notBeforeMs: held,
      })
    } catch (e) {
      await writeAppSetting(pg, STATUS_KEY, {
        ...status,
        lastError: (e as Error).message,
      } satisfies WeatherRunStatus)
      throw e
    }
    this.notBeforeMs = result.notBeforeMs
    const first = result.failed[0]
    await writeAppSetting(pg, STATUS_KEY, {
      lastRefreshAt: new Date(nowMs).toISOString(),
      lastError: first
        ? `${plural(result.failed.length, 'place')} could not be refreshed: ${first.message}`
        : null,
      notBefore: result.notBeforeMs === null ? null : new Date(result.notBeforeMs).toISOString(),
    } satisfies WeatherRunStatus)
    await this.raiseAlerts(pg, result)
    if (result.fetched || result.geocoded) {
      this.announcing = true
      try {
        this.changes.emit(['weather_forecasts', 'geocodes'])
      } finally {
        this.announcing = false
      }
    }
    return result
  }

  /** Jobs whose risk changed since the last cycle: their clients' weather notices. */
  private async raiseAlerts(pg: PGlite, result: RefreshResult): Promise<void> {
    const before = (await readAppSetting<Record<string, string>>(pg, ALERTS_KEY)) ?? {}
    const now: Record<string, string> = {}
    // Each change plans a client's notice (several queries): a turn for others between.
    const breathe = turnTaker()
    for (const job of result.risks) {
      now[job.id] = job.risk
      const was = before[job.id] ?? 'unknown'
      if (was !== job.risk && (atRisk(job.risk) || atRisk(was))) {
        await this.opts.onRiskChanged?.(job.id, { risk: job.risk, reason: job.reason })
        await breathe()
      }
    }
    await writeAppSetting(pg, ALERTS_KEY, now)
  }
}
