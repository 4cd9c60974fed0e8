import { z } from 'zod'
import { GENERAL_LIMITS, KIND_LIMITS, type ServiceKind, type WeatherLimits } from './risk'
import { amount, DEFAULT_UNITS, type Quantity, type Units, unitOf } from './units'

/**
 * A service's weather limits as stored (`services.weather_limits`, JSON text) and as the
 * catalog edits them. A service's limits are its own when it has some, else its kind's,
 * else those of general outdoor work: one rule, read by the risk everywhere.
 */
export const weatherLimits = z.strictObject({
  rainMm: z.number().min(0).max(500).optional(),
  rainProbability: z.number().min(0).max(100).optional(),
  windKmh: z.number().min(0).max(300).optional(),
  noRain: z.boolean().optional(),
  noFrost: z.boolean().optional(),
  heatC: z.number().min(-50).max(60).optional(),
})

export function parseLimits(text: string | null): WeatherLimits | null {
  if (text === null) return null
  try {
    const parsed = weatherLimits.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export const isLimitsText = (text: string) => parseLimits(text) !== null

/** The stored form: keys in a fixed order, so equal limits are equal text. */
export function limitsText(limits: WeatherLimits): string {
  const ordered: WeatherLimits = {}
  for (const key of Object.keys(weatherLimits.shape) as (keyof WeatherLimits)[]) {
    const value = limits[key]
    if (value !== undefined && value !== false) Object.assign(ordered, { [key]: value })
  }
  return JSON.stringify(ordered)
}

export function limitsOf(service: {
  weatherKind: ServiceKind | null
  weatherLimits: string | null
}): WeatherLimits {
  return (
    parseLimits(service.weatherLimits) ??
    (service.weatherKind ? KIND_LIMITS[service.weatherKind] : GENERAL_LIMITS)
  )
}

/**
 * The limits in words, for the catalog, in the business's units: "rain over 5 mm, rain
 * over 70 % likely"; "rain over 0.20 in, wind over 12 mph".
 */
export function describeLimits(limits: WeatherLimits, units: Units = DEFAULT_UNITS): string {
  // A limit as it was typed in metric ("rain over 5 mm"); converted, as the reasons say it.
  const over = (quantity: Quantity, metric: number) =>
    units === 'metric' ? `${metric} ${unitOf(quantity, units)}` : amount(quantity, metric, units)
  const parts: string[] = []
  if (limits.rainMm !== undefined) parts.push(`rain over ${over('rain', limits.rainMm)}`)
  if (limits.rainProbability !== undefined)
    parts.push(`rain over ${limits.rainProbability} % likely`)
  if (limits.noRain) parts.push('any rain')
  if (limits.windKmh !== undefined) parts.push(`wind over ${over('wind', limits.windKmh)}`)
  if (limits.noFrost) parts.push('frost')
  if (limits.heatC !== undefined) parts.push(`heat over ${over('temperature', limits.heatC)}`)
  return parts.length ? parts.join(', ') : 'any weather'
}
