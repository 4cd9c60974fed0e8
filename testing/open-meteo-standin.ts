import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DailyForecast } from '../shared/weather/risk'
import type { Coordinates } from '../weather/provider'

/**
 * A local HTTP server shaped like Open-Meteo's JSON APIs: `/v1/forecast` (daily
 * variables for a place and a run of local days) and `/v1/search` (geocoding), on one
 * URL that serves as both base URLs. A test sets the days and places it needs, and
 * scripts the next forecast requests to fail: a 500, a 400 with a reason, no answer at
 * all, a 429 with Retry-After, or a 200 without the daily arrays.
 */
export type StandinFailure = 'error500' | 'error400' | 'timeout' | 'rate-limit' | 'malformed'

export interface OpenMeteoStandin {
  url: string
  /** Every request, as received. */
  requests: { path: string; query: Record<string, string>; at: number }[]
  setDay(at: Coordinates, date: string, day: Partial<Omit<DailyForecast, 'date'>>): void
  setPlace(name: string, at: Coordinates & { label?: string }): void
  fail(
    mode: StandinFailure,
    options?: { times?: number; retryAfterSeconds?: number; at?: Coordinates },
  ): void
  close(): Promise<void>
}

type Day = Omit<DailyForecast, 'date'>

const FAIR_DAY: Required<Day> = {
  precipitationMm: 0,
  precipitationProbability: 10,
  windKmh: 10,
  gustKmh: 20,
  tempMinC: 8,
  tempMaxC: 18,
  weatherCode: 1,
}

/** Open-Meteo's daily variable names and the field each one reads. */
const VARIABLES: Record<string, { field: keyof Day; unit: string }> = {
  weather_code: { field: 'weatherCode', unit: 'wmo code' },
  temperature_2m_max: { field: 'tempMaxC', unit: '°C' },
  temperature_2m_min: { field: 'tempMinC', unit: '°C' },
  precipitation_sum: { field: 'precipitationMm', unit: 'mm' },
  precipitation_probability_max: { field: 'precipitationProbability', unit: '%' },
  wind_speed_10m_max: { field: 'windKmh', unit: 'km/h' },
  wind_gusts_10m_max: { field: 'gustKmh', unit: 'km/h' },
}

const placeKey = (at: Coordinates) =>
  `${(Math.round(at.latitude * 100) / 100).toFixed(2)},${(Math.round(at.longitude * 100) / 100).toFixed(2)}`

const DAY = /^\d{4}-\d{2}-\d{2}$/
const MS_PER_DAY = 86_400_000

/** The dates from `from` to `to`, inclusive, or null when they are not a valid range. */
function datesBetween(from: string, to: string): string[] | null {
  if (!DAY.test(from) || !DAY.test(to)) return null
  const start = Date.parse(`${from}T00:00:00Z`)
  const end = Date.parse(`${to}T00:00:00Z`)
  if (Number.isNaN(start) || Number.isNaN(end) || end < start || end - start > 400 * MS_PER_DAY)
    return null
  const out: string[] = []
  for (let t = start; t <= end; t += MS_PER_DAY) out.push(new Date(t).toISOString().slice(0, 10))
  return out
}

function utcOffsetSeconds(timeZone: string): number | null {
  try {
    const name =
      new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
        .formatToParts(new Date())
        .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT'
    const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name)
    if (!m) return 0
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60)
  } catch {
    return null
  }
}

export async function startOpenMeteoStandin(): Promise<OpenMeteoStandin> {
  const requests: OpenMeteoStandin['requests'] = []
  const days = new Map<string, Partial<Day>>()
  const places = new Map<string, Coordinates & { label?: string }>()
  const failures: {
    mode: StandinFailure
    left: number
    retryAfterSeconds: number
    at: string | null
  }[] = []

  const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(JSON.stringify(body))
  }
  const refuse = (res: ServerResponse, reason: string) => json(res, 400, { error: true, reason })

  const forecast = (res: ServerResponse, q: URLSearchParams) => {
    const lat = q.get('latitude')
    const lon = q.get('longitude')
    const latitude = lat === null || lat === '' ? Number.NaN : Number(lat)
    const longitude = lon === null || lon === '' ? Number.NaN : Number(lon)
    const place = Number.isFinite(latitude) && Number.isFinite(longitude)
    const key = place ? placeKey({ latitude, longitude }) : null
    const failure = failures.find((f) => f.left > 0 && (f.at === null || f.at === key))
    if (failure) {
      failure.left -= 1
      switch (failure.mode) {
        case 'timeout':
          return // held until close(): the client's timeout decides
        case 'error500':
          res.writeHead(500, { 'content-type': 'text/plain' })
          return res.end('Internal Server Error')
        case 'error400':
          return refuse(res, 'Cannot initialize ForecastVariableDaily from invalid String value')
        case 'rate-limit':
          return json(
            res,
            429,
            { error: true, reason: 'Too many concurrent requests' },
            { 'retry-after': String(failure.retryAfterSeconds) },
          )
        case 'malformed':
          return json(res, 200, {
            latitude,
            longitude,
            timezone: q.get('timezone') ?? 'GMT',
            daily_units: { time: 'iso8601' },
            daily: { time: [q.get('start_date')] },
          })
      }
    }
    if (lat === null || lon === null) return refuse(res, "Parameter 'latitude' is missing")
    if (!(latitude >= -90 && latitude <= 90))
      return refuse(res, `Latitude must be in range of -90 to 90°. Given: ${lat}.`)
    if (!(longitude >= -180 && longitude <= 180))
      return refuse(res, `Longitude must be in range of -180 to 180°. Given: ${lon}.`)
    const timezone = q.get('timezone') ?? 'GMT'
    const offset = utcOffsetSeconds(timezone)
    if (offset === null) return refuse(res, 'Invalid timezone')
    const from = q.get('start_date')
    const to = q.get('end_date')
    if ((from === null) !== (to === null))
      return refuse(res, "Parameter 'start_date' and 'end_date' must both be set")
    const today = new Date().toISOString().slice(0, 10)
    const seventh = new Date(Date.now() + 6 * MS_PER_DAY).toISOString().slice(0, 10)
    const dates = datesBetween(from ?? today, to ?? seventh)
    if (!dates) return refuse(res, `Invalid date range ${from} to ${to}`)
    const names = (q.get('daily') ?? '').split(',').filter(Boolean)
    const unknown = names.find((n) => !VARIABLES[n])
    if (unknown)
      return refuse(
        res,
        `Cannot initialize ForecastVariableDaily from invalid String value ${unknown}`,
      )
    const daily: Record<string, unknown[]> = { time: dates }
    const units: Record<string, string> = { time: 'iso8601' }
    const rows = dates.map((d) => ({ ...FAIR_DAY, ...days.get(`${key}|${d}`) }))
    for (const n of names) {
      const v = VARIABLES[n]
      if (!v) continue
      daily[n] = rows.map((r) => r[v.field] ?? null)
      units[n] = v.unit
    }
    return json(res, 200, {
      latitude,
      longitude,
      generationtime_ms: 0.1,
      utc_offset_seconds: offset,
      timezone,
      timezone_abbreviation: timezone,
      elevation: 40,
      ...(names.length ? { daily_units: units, daily } : {}),
    })
  }

  const search = (res: ServerResponse, q: URLSearchParams) => {
    const name = q.get('name')
    if (name === null) return refuse(res, "Parameter 'name' is missing")
    const found = places.get(name.trim().toLowerCase())
    if (!found) return json(res, 200, { generationtime_ms: 0.1 })
    const [placeName, ...rest] = (found.label ?? name.trim()).split(',').map((s) => s.trim())
    const country = rest.pop()
    const admin1 = rest[0]
    return json(res, 200, {
      results: [
        {
          id: 1,
          name: placeName,
          latitude: found.latitude,
          longitude: found.longitude,
          elevation: 40,
          feature_code: 'PPL',
          timezone: 'GMT',
          ...(admin1 ? { admin1 } : {}),
          ...(country ? { country } : {}),
        },
      ],
      generationtime_ms: 0.1,
    })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin')
    requests.push({
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      at: Date.now(),
    })
    if (req.method !== 'GET') return json(res, 405, { error: true, reason: 'Method not allowed' })
    if (url.pathname === '/v1/forecast') return forecast(res, url.searchParams)
    if (url.pathname === '/v1/search') return search(res, url.searchParams)
    return json(res, 404, { error: true, reason: 'Not Found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setDay: (at, date, day) => {
      const key = `${placeKey(at)}|${date}`
      days.set(key, { ...days.get(key), ...day })
    },
    setPlace: (name, at) => places.set(name.trim().toLowerCase(), at),
    fail: (mode, options = {}) =>
      failures.push({
        mode,
        left: options.times ?? 1,
        retryAfterSeconds: options.retryAfterSeconds ?? 1,
        at: options.at ? placeKey(options.at) : null,
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
