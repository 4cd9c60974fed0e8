import type { DueRequest } from '../shared/weather/cadence'
import { forecastId } from '../shared/weather/place'
import type { DailyForecast } from '../shared/weather/risk'
import type { ForecastRow } from './sql'

/**
 * What a refresh writes, and where: the caller's `WeatherStore` writes through the sync
 * merge on the server, into the laptop's tables (captured for sync) on a laptop.
 */
export interface ForecastWrite {
  id: string
  fields: ForecastRow
}

export interface GeocodeWrite {
  id: string
  fields: {
    query: string
    latitude: number | null
    longitude: number | null
    label: string | null
    looked_up_at: string
  }
}

export interface WeatherStore {
  saveForecasts(rows: ForecastWrite[]): Promise<void>
  saveGeocodes(rows: GeocodeWrite[]): Promise<void>
}

/** A place (or address) a refresh could not refresh, and why. */
export interface RefreshFailure {
  place: string
  message: string
  transient: boolean
}

const words = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** The cache rows of the days asked for that the provider answered. */
export function forecastRows(
  request: DueRequest,
  days: DailyForecast[],
  nowMs: number,
): ForecastWrite[] {
  const wanted = new Set(request.days)
  return days
    .filter((d) => wanted.has(d.date))
    .map((d) => ({
      id: forecastId(request.place, d.date),
      fields: {
        place: request.place,
        day: d.date,
        precipitation_mm: d.precipitationMm,
        precipitation_probability: d.precipitationProbability,
        wind_kmh: d.windKmh,
        gust_kmh: d.gustKmh,
        temp_min_c: d.tempMinC,
        temp_max_c: d.tempMaxC,
        weather_code: d.weatherCode ?? null,
        fetched_at: new Date(nowMs).toISOString(),
      },
    }))
}

/**
 * Looked-up places saved together; should that be refused, one by one, so one place the
 * store refuses is reported and the others are kept. Returns how many were saved.
 */
export async function saveGeocodes(
  store: WeatherStore,
  rows: GeocodeWrite[],
  failed: RefreshFailure[],
): Promise<number> {
  if (!rows.length) return 0
  try {
    await store.saveGeocodes(rows)
    return rows.length
  } catch {
    let saved = 0
    for (const row of rows) {
      try {
        await store.saveGeocodes([row])
        saved += 1
      } catch (e) {
        failed.push({ place: row.fields.query, message: words(e), transient: true })
      }
    }
    return saved
  }
}
