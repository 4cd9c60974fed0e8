import type { ForecastDay, JobRisk } from '../../../../shared/contract/weather'
import { localDay } from '../../../../shared/domain/time'
import { atRisk as isAtRisk } from '../../../../shared/weather/assess'
import { amount, figure, type Units, unitOf } from '../../../../shared/weather/units'
import { formatAgo } from '../../app/format'
import { SKY_LABEL, skyOf } from './WeatherIcon'

/** Whole numbers read better on a strip: 18.4 °C -> "18". */
export const round = (n: number) => String(Math.round(n))

/** A temperature with a true minus sign: "−4", never a hyphen a range could swallow. */
const degrees = (n: number | null, units: Units) =>
  n === null ? '?' : figure('temperature', n, units, { whole: true }).replace('-', '\u2212')

/** The low and high of a day: "8 to 18 °C", "46 to 64 °F". */
const range = (d: ForecastDay, units: Units) =>
  `${degrees(d.tempMinC, units)} to ${degrees(d.tempMaxC, units)} ${unitOf('temperature', units)}`

/** Wind on the strip: whole km/h or mph. */
const windWords = (kmh: number, units: Units) => amount('wind', kmh, units, { whole: true })

/**
 * The parts of a day's forecast, short, for the strip, in the business's units: each may
 * be missing. Rain keeps its tenth of a mm or its hundredth of an inch, as the risk's
 * reasons word it (3.8 mm, 0.15 in).
 */
export function dayParts(d: ForecastDay, units: Units) {
  const rain =
    d.precipitationMm === null
      ? null
      : `${amount('rain', d.precipitationMm, units)}${d.precipitationProbability === null ? '' : ` · ${round(d.precipitationProbability)}%`}`
  // The sustained wind, as the risk weighs it (gusts when it is not known).
  const windKmh = d.windKmh ?? d.gustKmh
  const wind = windKmh === null ? null : windWords(windKmh, units)
  const temp = d.tempMinC === null && d.tempMaxC === null ? null : range(d, units)
  return { rain, wind, temp }
}

/**
 * The day in words, in the business's units: "Rain, 9 mm rain (90% likely), wind up to
 * 30 km/h, gusts 45 km/h, 8 to 18 °C".
 */
export function daySentence(d: ForecastDay, units: Units): string {
  const sky = skyOf(d.weatherCode)
  const parts: string[] = [sky ? SKY_LABEL[sky] : 'Forecast']
  if (d.precipitationMm !== null)
    parts.push(
      `${amount('rain', d.precipitationMm, units)} rain${d.precipitationProbability === null ? '' : ` (${round(d.precipitationProbability)}% likely)`}`,
    )
  const wind = dayParts(d, units).wind
  if (wind) parts.push(`wind up to ${wind}`)
  if (d.windKmh !== null && d.gustKmh !== null && d.gustKmh > d.windKmh)
    parts.push(`gusts ${windWords(d.gustKmh, units)}`)
  if (d.tempMinC !== null && d.tempMaxC !== null) parts.push(range(d, units))
  return parts.join(', ')
}

/** "Forecast from 9 h ago"; "Forecast just fetched". */
export function forecastAge(fetchedAt: string, now = Date.now()): string {
  const ago = formatAgo(fetchedAt, now)
  return ago === 'just now' ? 'Forecast just fetched' : `Forecast from ${ago}`
}

/** A forecast refreshed hourly is out of date once it is older than this. */
export const STALE_MS = 3 * 3_600_000

/**
 * The weather strip's one line: how old the forecast is, and why there is none (or why
 * it is old) when the last refresh failed, from `weather.status`:
 * "No forecast: the weather service could not be reached (last tried 10:42 AM)".
 */
export function forecastLine(
  opts: {
    /** The newest forecast of the days shown. */
    fetchedAt: string | null
    /** `weather.status`: the last refresh's trouble, and when it was tried. */
    lastError: string | null
    lastRefreshAt: string | null
    timeZone: string
    /** The words for no forecast and no trouble. */
    none?: string
  },
  now = Date.now(),
): string {
  const { fetchedAt, lastError, lastRefreshAt, timeZone } = opts
  const age = fetchedAt ? forecastAge(fetchedAt, now) : null
  if (lastError) {
    // The reason, without the count of places ("24 places could not be refreshed: ").
    const reason = lastError.replace(/^.*could not be refreshed: /, '')
    const tried = lastRefreshAt ? ` (last tried ${triedAt(lastRefreshAt, timeZone, now)})` : ''
    return `${age ?? 'No forecast'}: ${reason}${tried}`
  }
  if (!age || !fetchedAt) return opts.none ?? 'No forecast for these days yet'
  return now - Date.parse(fetchedAt) > STALE_MS ? `${age}, out of date` : age
}

/** "10:42 AM" today; "Mar 2, 10:42 AM" another day. */
function triedAt(iso: string, timeZone: string, now: number): string {
  const ms = Date.parse(iso)
  const time = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' })
  if (localDay(ms, timeZone) === localDay(now, timeZone)) return time.format(ms)
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(ms)
}

/** The newest of the forecasts shown, for one age line. */
export function newest(days: readonly { fetchedAt: string }[]): string | null {
  let best: string | null = null
  for (const d of days) if (!best || d.fetchedAt > best) best = d.fetchedAt
  return best
}

export const RISK_LABEL: Record<JobRisk['risk'], string> = {
  high: 'High weather risk',
  moderate: 'Weather risk',
  low: 'Weather fine',
  unknown: 'No forecast',
}

/** Moderate and high: what the office acts on (the rule in shared/weather). */
export const atRisk = (r: JobRisk | undefined): r is JobRisk => !!r && isAtRisk(r.risk)

const whenFormats = new Map<string, Intl.DateTimeFormat>()

/**
 * "Wed, Dec 2, 7:00 AM": a day to choose between, with its weekday; with its year when
 * that is not this year ("Mon, Nov 29, 2027, 9:00 AM"), as a plan a year long needs.
 */
export function whenText(iso: string, timeZone: string): string {
  const ms = Date.parse(iso)
  const otherYear =
    localDay(ms, timeZone).slice(0, 4) !== localDay(Date.now(), timeZone).slice(0, 4)
  const key = `${timeZone}|${otherYear}`
  let f = whenFormats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, {
      timeZone,
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      ...(otherYear ? { year: 'numeric' } : {}),
      hour: 'numeric',
      minute: '2-digit',
    })
    whenFormats.set(key, f)
  }
  return f.format(ms)
}
