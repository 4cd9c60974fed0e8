import { amount, amounts, DEFAULT_UNITS, type Quantity, type Units } from './units'

/**
 * Weather risk of a job, from the day's forecast at its place and its service's limits:
 * the same rule on the central refresh and on a laptop refreshing for itself. A job
 * without a place or a forecast is `unknown`, never silently low.
 */
export type WeatherRisk = 'low' | 'moderate' | 'high' | 'unknown'

export interface DailyForecast {
  /** The local day, YYYY-MM-DD. */
  date: string
  precipitationMm: number | null
  /** 0-100. */
  precipitationProbability: number | null
  windKmh: number | null
  gustKmh: number | null
  tempMinC: number | null
  tempMaxC: number | null
  /** WMO weather interpretation code (0 clear ... 99 thunderstorm), for the day's icon. */
  weatherCode?: number | null
}

/** What a service can bear; a limit left out does not apply. */
export interface WeatherLimits {
  /** Rain over this many mm in the day. */
  rainMm?: number
  /** Rain more likely than this, in %. */
  rainProbability?: number
  /** Wind (or gusts) over this, in km/h. */
  windKmh?: number
  /** Any rain in the day at all (spraying, fertilizing). */
  noRain?: boolean
  /** Frost: a minimum at or below 0 °C (planting, seeding). */
  noFrost?: boolean
  /** Heat over this, in °C (heavy work). */
  heatC?: number
}

/** The limits of a service with none of its own: general outdoor work. */
export const GENERAL_LIMITS: WeatherLimits = { rainMm: 5, rainProbability: 70, windKmh: 50 }

export const SERVICE_KINDS = ['mowing', 'spraying', 'planting', 'heavy', 'indoor'] as const
export type ServiceKind = (typeof SERVICE_KINDS)[number]

/** Defaults by kind of work; an indoor service bears any weather. */
export const KIND_LIMITS: Record<ServiceKind, WeatherLimits> = {
  mowing: { rainMm: 5, rainProbability: 70 },
  spraying: { windKmh: 20, noRain: true },
  planting: { noFrost: true },
  heavy: { heatC: 35 },
  indoor: {},
}

/** How near a limit counts as moderate: three quarters of the way. */
const NEAR = 0.75

export interface Assessment {
  risk: WeatherRisk
  /**
   * In words, for the office and the client, in the business's units: "8 mm rain
   * expected, limit 5 mm"; "0.31 in rain expected, limit 0.20 in".
   */
  reason: string
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1))

export interface AssessOptions {
  /** The business's units, in which the reason words amounts; metric by default. */
  units?: Units
}

export function assessRisk(
  forecast: DailyForecast | null,
  limits: WeatherLimits,
  place: { known: boolean },
  options: AssessOptions = {},
): Assessment {
  if (!place.known)
    return { risk: 'unknown', reason: 'no forecast: the job has no place on the map' }
  if (!forecast) return { risk: 'unknown', reason: 'no forecast for this day yet' }
  const units = options.units ?? DEFAULT_UNITS
  const over: string[] = []
  const near: string[] = []
  /** A value against its limit; `words` gets both as text (with their units, if any). */
  const check = (
    value: number | null,
    limit: number | undefined,
    quantity: Quantity | null,
    words: (v: string, l: string) => string,
  ) => {
    if (value === null || limit === undefined) return
    const said = () =>
      quantity ? words(...amounts(quantity, value, limit, units)) : words(fmt(value), fmt(limit))
    if (value > limit) over.push(said())
    else if (limit > 0 && value >= limit * NEAR) near.push(said())
  }
  const f = forecast
  check(f.precipitationMm, limits.rainMm, 'rain', (v, l) => `${v} rain expected, limit ${l}`)
  check(
    f.precipitationProbability,
    limits.rainProbability,
    null,
    (v, l) => `rain ${v}% likely, limit ${l}%`,
  )
  // The day's strongest sustained wind against the limit (gusts stand in when it is not
  // known); gusts over it while the wind keeps under are a risk to weigh, not a stop.
  const wind = f.windKmh ?? f.gustKmh
  check(wind, limits.windKmh, 'wind', (v, l) => `wind up to ${v}, limit ${l}`)
  if (
    limits.windKmh !== undefined &&
    f.windKmh !== null &&
    f.windKmh <= limits.windKmh &&
    f.gustKmh !== null &&
    f.gustKmh > limits.windKmh
  ) {
    const [gusts, limit] = amounts('wind', f.gustKmh, limits.windKmh, units)
    near.push(`gusts up to ${gusts}, limit ${limit}`)
  }
  check(f.tempMaxC, limits.heatC, 'temperature', (v, l) => `${v} expected, limit ${l}`)
  if (limits.noRain && f.precipitationMm !== null) {
    if (f.precipitationMm > 0)
      over.push(
        `${amount('rain', f.precipitationMm, units)} rain expected, this work needs a dry day`,
      )
    else if ((f.precipitationProbability ?? 0) >= 30)
      near.push(`rain ${fmt(f.precipitationProbability ?? 0)}% likely, this work needs a dry day`)
  }
  if (limits.noFrost && f.tempMinC !== null) {
    const low = amount('temperature', f.tempMinC, units)
    if (f.tempMinC <= 0) over.push(`frost expected (${low})`)
    else if (f.tempMinC <= 2) near.push(`near frost (${low})`)
  }
  if (over.length) return { risk: 'high', reason: over.join('; ') }
  if (near.length) return { risk: 'moderate', reason: near.join('; ') }
  return { risk: 'low', reason: 'the forecast is within this work’s limits' }
}
