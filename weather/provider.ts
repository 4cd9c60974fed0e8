import { z } from 'zod'
import { parseRetryAfter } from '../shared/notifications/timing'
import { SYNCED_FIELDS } from '../shared/sync/protocol'
import type { DailyForecast } from '../shared/weather/risk'

/**
 * Where forecasts come from. A provider answers the daily forecast at a place for a run
 * of local days, and finds a place by name; every failure is a `WeatherProviderError`
 * that says whether trying again later may help. A day whose values the cache could not
 * store is left out of the answer.
 */
export interface Coordinates {
  latitude: number
  longitude: number
}

/**
 * A failure of the weather service or of the way to it. `status` is the HTTP status, or
 * null when no answer came (network, timeout). `transient`: another attempt may succeed
 * (5xx, 429, timeout, network); otherwise the same request will fail the same way (a
 * 4xx, an answer this app cannot read). `retryAfterMs` comes from a 429/503's
 * `Retry-After` and is the least wait before trying again.
 */
export class WeatherProviderError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly transient: boolean,
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'WeatherProviderError'
  }
}

export interface WeatherProvider {
  readonly name: string
  /** The forecast for each local day from `days.from` to `days.to` (YYYY-MM-DD, inclusive). */
  daily(
    at: Coordinates,
    days: { from: string; to: string },
    timeZone: string,
  ): Promise<DailyForecast[]>
  /** The first place matching `query`, or null when none does (or the query is blank). */
  geocode(query: string): Promise<(Coordinates & { label: string }) | null>
}

export interface OpenMeteoOptions {
  forecastUrl?: string
  geocodingUrl?: string
  timeoutMs?: number
}

export const OPEN_METEO_DEFAULTS = {
  forecastUrl: 'https://api.open-meteo.com',
  geocodingUrl: 'https://geocoding-api.open-meteo.com',
  timeoutMs: 10_000,
} as const satisfies Required<OpenMeteoOptions>

/** The daily variables asked for, in the order Open-Meteo's documentation lists them. */
export const OPEN_METEO_DAILY = [
  'weather_code',
  'temperature_2m_max',
  'temperature_2m_min',
  'precipitation_sum',
  'precipitation_probability_max',
  'wind_speed_10m_max',
  'wind_gusts_10m_max',
] as const

const DAY = /^\d{4}-\d{2}-\d{2}$/
const latitude = z.number().min(-90).max(90)
const longitude = z.number().min(-180).max(180)
const series = z.array(z.number().nullable())

const ForecastAnswer = z.object({
  daily: z.object({
    time: z.array(z.string().regex(DAY)),
    weather_code: series,
    temperature_2m_max: series,
    temperature_2m_min: series,
    precipitation_sum: series,
    precipitation_probability_max: series,
    wind_speed_10m_max: series,
    wind_gusts_10m_max: series,
  }),
})

/**
 * The cache column each day's value is stored in. A day is kept only if every value is
 * one its column takes: the limits are the sync protocol's (`SYNCED_FIELDS`), so a day
 * the provider hands on is never refused when it is written or synced.
 */
const STORED = SYNCED_FIELDS.weather_forecasts
const COLUMN = {
  precipitationMm: 'precipitation_mm',
  precipitationProbability: 'precipitation_probability',
  windKmh: 'wind_kmh',
  gustKmh: 'gust_kmh',
  tempMinC: 'temp_min_c',
  tempMaxC: 'temp_max_c',
  weatherCode: 'weather_code',
} as const satisfies Record<Exclude<keyof DailyForecast, 'date'>, keyof typeof STORED>

/** The values of a day its cache row would refuse (none: the day is usable). */
export function refusedValues(day: DailyForecast): string[] {
  return Object.entries(COLUMN).flatMap(([key, column]) =>
    STORED[column].safeParse(day[key as keyof typeof COLUMN] ?? null).success ? [] : [column],
  )
}

const SearchAnswer = z.object({
  results: z
    .array(
      z.object({
        name: z.string(),
        latitude,
        longitude,
        country: z.string().nullish(),
        admin1: z.string().nullish(),
        postcodes: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
})

const OpenMeteoError = z.object({ error: z.literal(true), reason: z.string() })

const unreadable = (what: string, cause?: unknown) =>
  new WeatherProviderError(
    `the weather service sent ${what} this app cannot read`,
    200,
    false,
    null,
    {
      cause,
    },
  )

const trimSlash = (url: string) => url.replace(/\/+$/, '')

/**
 * One GET, its JSON body, or a `WeatherProviderError`. The timeout covers the whole
 * exchange, body included: a service that sends headers and then stalls still fails.
 */
async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  let res: Response
  let body: string
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    })
    body = await res.text()
  } catch (e) {
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
      throw new WeatherProviderError(
        `the weather service did not answer within ${timeoutMs / 1000} s`,
        null,
        true,
        null,
        { cause: e },
      )
    throw new WeatherProviderError('the weather service could not be reached', null, true, null, {
      cause: e,
    })
  }
  if (!res.ok) {
    const status = res.status
    const transient = status >= 500 || status === 429
    const retryAfterMs =
      status === 429 || status === 503
        ? parseRetryAfter(res.headers.get('retry-after'), Date.now())
        : null
    let reason = ''
    try {
      const parsed = OpenMeteoError.safeParse(JSON.parse(body))
      if (parsed.success) reason = `: ${parsed.data.reason.replace(/\s+/g, ' ').slice(0, 300)}`
    } catch {
      // Not JSON (a proxy's page, a bare 500): the status says enough.
    }
    throw new WeatherProviderError(
      `the weather service answered ${status}${reason}`,
      status,
      transient,
      retryAfterMs,
    )
  }
  try {
    return JSON.parse(body)
  } catch (e) {
    throw unreadable('an answer', e)
  }
}

/**
 * Open-Meteo (open-meteo.com): free, no key, forecasts in each place's local days.
 * Plain fetch on its JSON API, not the `openmeteo` package: that package speaks only the
 * FlatBuffers format, which a loopback stand-in would have to encode; the service is the same.
 */
export function openMeteo(options: OpenMeteoOptions = {}): WeatherProvider {
  const forecastUrl = trimSlash(options.forecastUrl ?? OPEN_METEO_DEFAULTS.forecastUrl)
  const geocodingUrl = trimSlash(options.geocodingUrl ?? OPEN_METEO_DEFAULTS.geocodingUrl)
  const timeoutMs = options.timeoutMs ?? OPEN_METEO_DEFAULTS.timeoutMs

  return {
    name: 'open-meteo',

    async daily(at, days, timeZone) {
      if (
        !latitude.safeParse(at.latitude).success ||
        !longitude.safeParse(at.longitude).success ||
        !DAY.test(days.from) ||
        !DAY.test(days.to) ||
        days.from > days.to
      )
        throw new WeatherProviderError(
          'a forecast was asked for a place or days that are not valid',
          null,
          false,
        )
      const query = new URLSearchParams({
        latitude: String(at.latitude),
        longitude: String(at.longitude),
        daily: OPEN_METEO_DAILY.join(','),
        timezone: timeZone,
        start_date: days.from,
        end_date: days.to,
        wind_speed_unit: 'kmh',
      })
      const answer = await getJson(`${forecastUrl}/v1/forecast?${query}`, timeoutMs)
      const parsed = ForecastAnswer.safeParse(answer)
      if (!parsed.success) throw unreadable('a forecast', parsed.error)
      const d = parsed.data.daily
      const n = d.time.length
      if (OPEN_METEO_DAILY.some((key) => d[key].length !== n)) throw unreadable('a forecast')
      const out: DailyForecast[] = []
      d.time.forEach((date, i) => {
        if (date < days.from || date > days.to) return
        const day: DailyForecast = {
          date,
          precipitationMm: d.precipitation_sum[i] ?? null,
          precipitationProbability: d.precipitation_probability_max[i] ?? null,
          windKmh: d.wind_speed_10m_max[i] ?? null,
          gustKmh: d.wind_gusts_10m_max[i] ?? null,
          tempMinC: d.temperature_2m_min[i] ?? null,
          tempMaxC: d.temperature_2m_max[i] ?? null,
          weatherCode: d.weather_code[i] ?? null,
        }
        // A day with an impossible value (a weather code 250, wind of 900 km/h) is
        // dropped, not stored: the day has no forecast, and its jobs' risk is unknown.
        // The caller sees it missing from the answer.
        if (!refusedValues(day).length) out.push(day)
      })
      return out
    },

    async geocode(text) {
      const name = text.trim()
      if (!name) return null
      const query = new URLSearchParams({ name, count: '1', language: 'en', format: 'json' })
      const answer = await getJson(`${geocodingUrl}/v1/search?${query}`, timeoutMs)
      const parsed = SearchAnswer.safeParse(answer)
      if (!parsed.success) throw unreadable('a place', parsed.error)
      const first = parsed.data.results?.[0]
      if (!first) return null
      const label = [first.name, first.admin1, first.country]
        .filter((part): part is string => !!part?.trim())
        .filter((part, i, parts) => part !== parts[i - 1])
        .join(', ')
      return { latitude: first.latitude, longitude: first.longitude, label }
    },
  }
}
