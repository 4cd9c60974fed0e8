import type pg from 'pg'
import type PgBoss from 'pg-boss'
import { localDay } from '../../shared/domain/time'
import { atRisk } from '../../shared/weather/assess'
import type { WeatherProvider } from '../../weather/provider'
import { type RefreshResult, refreshCycle } from '../../weather/refresh'
import { pruneForecasts } from '../../weather/sql'
import type { WeatherStore } from '../../weather/store'
import type { ServerClock } from '../api/clock'
import { readAppState, writeAppState } from '../app-state'
import { publishEvents } from '../events/outbox'
import { ensureWorkerDevice, WORKER_DEVICE, writeAsWorker } from '../notifications/store'

/**
 * The central forecast refresh. A pg-boss scheduled job runs one cycle every few hours
 * (4 by default) on one instance, however many run (pg-boss sends each tick once); the cycle (weather/refresh.ts) writes
 * forecasts and looked-up places through the sync merge as the server's worker device,
 * so they reach the laptops like any other change. Each job whose risk changed since it
 * was last told raises `weather.alert.updated.v1` (the client's weather notice), in the
 * transaction that records the new risk: once per change.
 */
export const REFRESH_QUEUE = 'weather_refresh'
export const DEFAULT_REFRESH_HOURS = 4

/** Forecasts and places written through the sync merge, as the worker's device. */
export function serverWeatherStore(pool: pg.Pool, clock: ServerClock): WeatherStore {
  return {
    saveForecasts: (rows) => writeAsWorker(pool, clock, 'weather_forecasts', rows),
    saveGeocodes: (rows) => writeAsWorker(pool, clock, 'geocodes', rows),
  }
}

export interface RefreshOnceOptions {
  pool: pg.Pool
  clock: ServerClock
  provider: WeatherProvider
  nowMs?: number
  maxPlaces?: number
  lookaheadDays?: number
}

export interface RefreshSummary extends RefreshResult {
  /** Alerts raised: jobs whose risk changed. */
  alerts: number
}

/**
 * The central refresh's own state, in this database's `app_settings` (per machine, never
 * synced; every instance shares it): the time before which no request may go to the
 * weather service, set by a 429 (weather/hold.ts). Kept here, not in memory, so another
 * instance and a restarted one wait as well.
 */
export const STATE_KEY = 'weather.refresh'
interface RefreshState {
  notBefore: string | null
}

async function readState(pool: pg.Pool): Promise<RefreshState> {
  return { notBefore: (await readAppState<RefreshState>(pool, STATE_KEY))?.notBefore ?? null }
}

const writeState = (pool: pg.Pool, state: RefreshState) => writeAppState(pool, STATE_KEY, state)

/**
 * One refresh cycle now, with its alerts (the scheduled job and `server:weather refresh`):
 * none of its requests before a 429's hold ends; then the cache's days past their
 * retention are forgotten.
 */
export async function refreshOnce(o: RefreshOnceOptions): Promise<RefreshSummary> {
  await ensureWorkerDevice(o.pool)
  const nowMs = o.nowMs ?? Date.now()
  const { notBefore } = await readState(o.pool)
  const held = notBefore === null ? null : Date.parse(notBefore)
  const result = await refreshCycle({
    db: o.pool,
    store: serverWeatherStore(o.pool, o.clock),
    provider: o.provider,
    nowMs,
    notBeforeMs: held,
    ...(o.maxPlaces ? { maxPlaces: o.maxPlaces } : {}),
    ...(o.lookaheadDays ? { lookaheadDays: o.lookaheadDays } : {}),
  })
  if (result.notBeforeMs !== held)
    await writeState(o.pool, {
      notBefore: result.notBeforeMs === null ? null : new Date(result.notBeforeMs).toISOString(),
    })
  const alerts = await raiseAlerts(o.pool, result)
  const today = localDay(nowMs, result.timeZone)
  while ((await pruneForecasts(o.pool, 'sync_rows', today)) > 0);
  return { ...result, alerts }
}

/**
 * Compares each job's risk with the one last told and raises an alert per change: into
 * or out of risk, or from one risk to another; a job first seen at low or unknown risk
 * raises nothing (there was nothing to tell).
 */
async function raiseAlerts(pool: pg.Pool, result: RefreshResult): Promise<number> {
  const jobs = new Map(result.jobs.map((j) => [j.id, j]))
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    // Two cycles at once (two instances) take turns here: each sees what the other told.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('weather_alerts'))`)
    const { rows } = await client.query<{ appointment_id: string; risk: string }>(
      'SELECT appointment_id, risk FROM weather_alerts WHERE appointment_id = ANY($1::uuid[]) FOR UPDATE',
      [result.risks.map((r) => r.id)],
    )
    const told = new Map(rows.map((r) => [r.appointment_id, r.risk]))
    const changed = result.risks.filter((r) => {
      const was = told.get(r.id)
      return was === undefined ? atRisk(r.risk) : was !== r.risk
    })
    // Every job's risk is kept (the REST API shows it); the changed ones raise alerts.
    await client.query(
      `INSERT INTO weather_alerts (appointment_id, risk, reason, updated_at)
       SELECT id, risk, reason, now() FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, risk, reason)
       ON CONFLICT (appointment_id) DO UPDATE
         SET risk = EXCLUDED.risk, reason = EXCLUDED.reason, updated_at = now()`,
      [
        result.risks.map((r) => r.id),
        result.risks.map((r) => r.risk),
        result.risks.map((r) => r.reason),
      ],
    )
    if (changed.length) {
      await publishEvents(
        client,
        changed.flatMap((r) => {
          const job = jobs.get(r.id)
          if (!job) return []
          return [
            {
              type: 'weather.alert.updated.v1',
              subject: `appointments/${r.id}`,
              data: {
                appointmentId: r.id,
                clientId: job.clientId,
                scheduledAt: new Date(job.startMs).toISOString(),
                risk: r.risk,
                previousRisk: (told.get(r.id) ?? 'unknown') as typeof r.risk,
                reason: r.reason.slice(0, 500),
              },
            },
          ]
        }),
        { deviceId: WORKER_DEVICE.id, source: '/services/weather' },
      )
    }
    // Jobs no longer upcoming (past, gone, moved beyond the forecast) are forgotten.
    await client.query('DELETE FROM weather_alerts WHERE NOT (appointment_id = ANY($1::uuid[]))', [
      result.risks.map((r) => r.id),
    ])
    await client.query('COMMIT')
    return changed.length
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw e
  } finally {
    client.release()
  }
}

export interface WeatherServiceOptions extends Omit<RefreshOnceOptions, 'nowMs'> {
  /** Hours between scheduled refreshes (default 4). */
  everyHours?: number
  onRefreshed?: (summary: RefreshSummary) => void
  onError?: (e: unknown) => void
}

/** Schedules the refresh on pg-boss and works its jobs. */
export function weatherService(o: WeatherServiceOptions) {
  return {
    async start(boss: PgBoss): Promise<void> {
      await boss.createQueue(REFRESH_QUEUE, {
        name: REFRESH_QUEUE,
        // One cycle at a time: a second job waits rather than fetching the same places.
        policy: 'singleton',
        expireInSeconds: 1800,
        retryLimit: 2,
      })
      const hours = o.everyHours ?? DEFAULT_REFRESH_HOURS
      await boss.schedule(REFRESH_QUEUE, `0 */${hours} * * *`)
      // A first cycle soon after start, so a new server does not wait for the schedule
      // (several instances starting at once queue one each: a cycle fetches only what is
      // due, so the later ones cost no request).
      await boss.send(REFRESH_QUEUE, {})
      await boss.work(REFRESH_QUEUE, { pollingIntervalSeconds: 10 }, async () => {
        try {
          // Run first: an absent `onRefreshed?.(...)` would skip evaluating its argument.
          const summary = await refreshOnce(o)
          o.onRefreshed?.(summary)
        } catch (e) {
          o.onError?.(e)
          throw e
        }
      })
    },
  }
}
