import type { Service } from '../../../../shared/contract/catalog'
import { weatherLimits as limitsSchema } from '../../../../shared/weather/limits'
import type { ServiceKind, WeatherLimits } from '../../../../shared/weather/risk'
import {
  figure,
  fromMetric,
  type Quantity,
  toMetric,
  type Units,
  unitOf,
} from '../../../../shared/weather/units'

/**
 * A service's weather limits as the catalog's form holds them: text in the business's
 * units, while the service keeps them metric. Pure, so the round trip is tested: a limit
 * the person did not change goes back exactly as it was stored (5 mm shown as 0.2 in
 * stays 5 mm, never 5.08), and one they typed is converted once.
 */
export const NUMBERS = ['rainMm', 'rainProbability', 'windKmh', 'heatC'] as const
export type NumberLimit = (typeof NUMBERS)[number]

/** What each number limit measures; a chance of rain is a percentage in any units. */
const QUANTITY: Record<NumberLimit, Quantity | null> = {
  rainMm: 'rain',
  rainProbability: null,
  windKmh: 'wind',
  heatC: 'temperature',
}

const NAME: Record<NumberLimit, string> = {
  rainMm: 'Rain',
  rainProbability: 'Rain chance',
  windKmh: 'Wind',
  heatC: 'Heat',
}

/** "Rain (mm)", "Wind (mph)", "Heat (°F)", "Rain chance (%)". */
export function limitLabel(key: NumberLimit, units: Units): string {
  const quantity = QUANTITY[key]
  return `${NAME[key]} (${quantity ? unitOf(quantity, units) : '%'})`
}

/** What the inputs hold: numbers as typed (empty: no such limit). */
export interface WeatherValues {
  weatherKind: ServiceKind | ''
  ownLimits: boolean
  weatherLimits: Record<NumberLimit, string> & { noRain: boolean; noFrost: boolean }
  /**
   * The stored (metric) limits the inputs were filled from: an input still showing the
   * text one was shown as is that limit, unchanged.
   */
  limitsShown: WeatherLimits
}

/** A stored limit as its input shows it: metric as stored; US to the hundredth inch, whole mph and °F. */
export function limitText(key: NumberLimit, metric: number | undefined, units: Units): string {
  if (metric === undefined) return ''
  const quantity = QUANTITY[key]
  if (!quantity || units === 'metric') return String(metric)
  // "0.20" reads as "0.2" in an input; never "-0".
  return String(Number(figure(quantity, metric, units)) + 0)
}

/** The inputs filled from some limits (a service's own, or a kind's to start from). */
export function limitInputs(
  from: WeatherLimits | null,
  units: Units,
): WeatherValues['weatherLimits'] {
  const text = Object.fromEntries(NUMBERS.map((k) => [k, limitText(k, from?.[k], units)]))
  return {
    ...(text as Record<NumberLimit, string>),
    noRain: from?.noRain ?? false,
    noFrost: from?.noFrost ?? false,
  }
}

export function weatherDefaults(s: Partial<Service>, units: Units): WeatherValues {
  const own = s.weatherLimits ?? null
  return {
    weatherKind: s.weatherKind ?? '',
    ownLimits: own !== null,
    weatherLimits: limitInputs(own, units),
    limitsShown: own ?? {},
  }
}

/** A typed amount in metric, to the hundredth (ample for mm, km/h and °C). */
const metricOf = (quantity: Quantity, typed: number, units: Units) =>
  Math.round(toMetric(quantity, typed, units) * 100) / 100

/**
 * One input as the channel takes it: a limit still showing what it was shown as is that
 * stored limit; a typed number is converted to metric; text that is no number stays text,
 * for the contract to refuse in its own words.
 */
function limitValue(v: WeatherValues, key: NumberLimit, units: Units): unknown {
  const raw = (v.weatherLimits[key] ?? '').trim()
  if (raw === '') return undefined
  const shown = v.limitsShown[key]
  if (shown !== undefined && raw === limitText(key, shown, units)) return shown
  const typed = Number(raw)
  if (!Number.isFinite(typed)) return raw
  const quantity = QUANTITY[key]
  return quantity && units !== 'metric' ? metricOf(quantity, typed, units) : typed
}

/** The channel's fields from the inputs, metric whatever units they were typed in. */
export function weatherInput(
  v: WeatherValues,
  units: Units,
): { weatherKind: ServiceKind | null; weatherLimits: WeatherLimits | null } {
  const limits: Record<string, unknown> = {}
  if (v.ownLimits) {
    for (const key of NUMBERS) {
      const value = limitValue(v, key, units)
      if (value !== undefined) limits[key] = value
    }
    if (v.weatherLimits.noRain) limits.noRain = true
    if (v.weatherLimits.noFrost) limits.noFrost = true
  }
  return {
    weatherKind: v.weatherKind || null,
    weatherLimits: v.ownLimits ? (limits as WeatherLimits) : null,
  }
}

/**
 * The message for a limit typed in US units that the contract's range refuses, with that
 * range in the same units ("must be from 0 to 19.68 in"): its own message would give
 * the bounds in mm, km/h or °C. Null when the contract's message fits as it is.
 */
export function limitRangeMessage(key: NumberLimit, raw: string, units: Units): string | null {
  const quantity = QUANTITY[key]
  const typed = Number(raw.trim())
  if (!quantity || units === 'metric' || raw.trim() === '' || !Number.isFinite(typed)) return null
  const range = limitsSchema.shape[key].unwrap()
  const [min, max] = [range.minValue, range.maxValue]
  const metric = metricOf(quantity, typed, units)
  if ((min === null || metric >= min) && (max === null || metric <= max)) return null
  // The bounds shown are ones that pass when typed: the lowest rounded up, the highest down.
  const step = quantity === 'rain' ? 100 : 1
  const bound = (metricBound: number, round: (n: number) => number) =>
    String(round(fromMetric(quantity, metricBound, units) * step) / step + 0)
  const unit = unitOf(quantity, units)
  if (min !== null && max !== null)
    return `must be from ${bound(min, Math.ceil)} to ${bound(max, Math.floor)} ${unit}`
  return min !== null
    ? `must be at least ${bound(min, Math.ceil)} ${unit}`
    : `must be at most ${bound(max as number, Math.floor)} ${unit}`
}
