/**
 * Weather amounts in the business's units. Everything is stored metric (the forecast
 * cache, a service's limits, the contract's fields); only words and form fields convert,
 * here, so a reason, the calendar's strip and the catalog's limits agree. Metric words
 * are the ones the app has always written: "8 mm", "3.8 mm", "30 km/h", "-1 °C". US words
 * give rain in inches to the hundredth and wind and temperature whole: "0.31 in",
 * "19 mph", "100 °F".
 */
export const UNIT_SYSTEMS = ['metric', 'us'] as const
export type Units = (typeof UNIT_SYSTEMS)[number]

/** Until a business chooses: what every business had before units could be chosen. */
export const DEFAULT_UNITS: Units = 'metric'

export type Quantity = 'rain' | 'wind' | 'temperature'

const UNIT: Record<Units, Record<Quantity, string>> = {
  metric: { rain: 'mm', wind: 'km/h', temperature: '°C' },
  us: { rain: 'in', wind: 'mph', temperature: '°F' },
}

/** "mm", "in", "km/h", "mph", "°C", "°F". */
export const unitOf = (quantity: Quantity, units: Units): string => UNIT[units][quantity]

/** How each system is named where a person chooses one. */
export const UNITS_LABEL: Record<Units, string> = {
  metric: 'Metric (mm, km/h, °C)',
  us: 'US (inches, mph, °F)',
}

const MM_PER_INCH = 25.4
const KM_PER_MILE = 1.609344

/** A metric amount (mm, km/h, °C) in the units' own measure, not rounded. */
export function fromMetric(quantity: Quantity, value: number, units: Units): number {
  if (units === 'metric') return value
  if (quantity === 'rain') return value / MM_PER_INCH
  if (quantity === 'wind') return value / KM_PER_MILE
  return (value * 9) / 5 + 32
}

/** An amount in the units' own measure back in metric (mm, km/h, °C), not rounded. */
export function toMetric(quantity: Quantity, value: number, units: Units): number {
  if (units === 'metric') return value
  if (quantity === 'rain') return value * MM_PER_INCH
  if (quantity === 'wind') return value * KM_PER_MILE
  return ((value - 32) * 5) / 9
}

/** Decimals of the US words: inches to the hundredth, mph and °F whole. */
const US_DIGITS: Record<Quantity, number> = { rain: 2, wind: 0, temperature: 0 }

/** No "-0": a value rounding to nothing has no sign. */
const unsigned = (text: string) => (/^-0(\.0+)?$/.test(text) ? text.slice(1) : text)

export interface FigureOptions {
  /** Rounded to a whole number (the strip's wind and temperature). */
  whole?: boolean
  /** One decimal more than usual: two amounts that would read alike told apart. */
  finer?: boolean
}

/** A metric amount as a number in words, without its unit: 8 mm -> "8" or "0.31". */
export function figure(
  quantity: Quantity,
  metric: number,
  units: Units,
  options: FigureOptions = {},
): string {
  const value = fromMetric(quantity, metric, units)
  if (options.whole) return unsigned(String(Math.round(value)))
  if (units === 'metric') {
    // As the reasons have always read: whole, else to the tenth ("9", "3.8").
    if (Number.isInteger(value)) return String(value)
    return value.toFixed(options.finer ? 2 : 1)
  }
  return unsigned(value.toFixed(US_DIGITS[quantity] + (options.finer ? 1 : 0)))
}

/** A metric amount with its unit: "8 mm", "0.31 in", "30 km/h", "19 mph", "38 °C", "100 °F". */
export function amount(
  quantity: Quantity,
  metric: number,
  units: Units,
  options: FigureOptions = {},
): string {
  const text = figure(quantity, metric, units, options)
  // A drizzle too small for the hundredth is still rain: never "0.00 in" of it.
  if (units === 'us' && quantity === 'rain' && metric > 0 && Number(text) === 0)
    return `under ${figure(quantity, MM_PER_INCH / 100, units)} ${unitOf(quantity, units)}`
  return `${text} ${unitOf(quantity, units)}`
}

/**
 * A forecast amount and the limit it is weighed against, in words. In US units, where
 * rounding would make two different amounts read alike ("19 mph, limit 19 mph"), both
 * get a decimal more; metric words stay as they have always been.
 */
export function amounts(
  quantity: Quantity,
  value: number,
  limit: number,
  units: Units,
): [value: string, limit: string] {
  const plain = [amount(quantity, value, units), amount(quantity, limit, units)] as const
  if (units === 'metric' || value === limit || plain[0] !== plain[1]) return [...plain]
  return [
    amount(quantity, value, units, { finer: true }),
    amount(quantity, limit, units, { finer: true }),
  ]
}

/** The zones of the United States and its territories, whose offices think in °F. */
const US_ZONES = new Set([
  'America/New_York',
  'America/Detroit',
  'America/Chicago',
  'America/Menominee',
  'America/Denver',
  'America/Boise',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'America/Juneau',
  'America/Sitka',
  'America/Metlakatla',
  'America/Yakutat',
  'America/Nome',
  'America/Adak',
  'America/Puerto_Rico',
  'America/St_Thomas',
  'Pacific/Honolulu',
  'Pacific/Guam',
  'Pacific/Saipan',
  'Pacific/Pago_Pago',
  // Older names the zone database still knows.
  'America/Fort_Wayne',
  'America/Indianapolis',
  'America/Knox_IN',
  'America/Louisville',
  'America/Shiprock',
  'America/Atka',
  'Navajo',
])
const US_ZONE_PREFIXES = ['America/Indiana/', 'America/Kentucky/', 'America/North_Dakota/', 'US/']

/**
 * The units a business in this zone most likely uses: US units in a zone of the United
 * States, metric anywhere else (Canada and Mexico included). Only a first suggestion:
 * the business chooses in Settings.
 */
export function unitsForZone(timeZone: string): Units {
  const us = US_ZONES.has(timeZone) || US_ZONE_PREFIXES.some((p) => timeZone.startsWith(p))
  return us ? 'us' : 'metric'
}
