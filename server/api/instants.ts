import { z } from 'zod'
import {
  inStoredYears,
  inToolYears,
  STORED_YEARS_MESSAGE,
  TOOL_YEARS_MESSAGE,
} from '../../shared/domain/time'

/**
 * Times as the original API took them (ISO-8601, as Python's `datetime.fromisoformat`
 * and Django's `parse_datetime` read them): a date, then optionally `T` or a space and
 * the time to the hour, minute, second or fraction, then optionally `Z` or an offset
 * (`+02:00`, `+0200`, `+02`). Without a zone it is UTC, as the original's settings
 * (TIME_ZONE = UTC) and its Part 2 create API read it; a date alone is midnight UTC. Each
 * becomes one instant in UTC, as the database stores it.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/** The instant a text names, or null when it is not one (a 30 February, hour 25). */
export function parseIsoInstant(value: string, dayEnd = false): string | null {
  const m = ISO.exec(value)
  if (!m) return null
  const [, y, mo, d, h, mi = '00', sec = '00', frac = '', zone] = m
  // A zone with no time ("2026-05-01Z") is no form either reader takes.
  if (zone && h === undefined) return null
  const ms = `${frac}000`.slice(0, 3)
  const time =
    h === undefined ? (dayEnd ? '23:59:59.999' : '00:00:00.000') : `${h}:${mi}:${sec}.${ms}`
  const offset =
    !zone || zone.toUpperCase() === 'Z'
      ? 'Z'
      : `${zone.slice(0, 3)}:${zone.length > 3 ? zone.slice(-2) : '00'}`
  const at = new Date(`${y}-${mo}-${d}T${time}${offset}`)
  if (Number.isNaN(at.getTime())) return null
  // Date rolls 2026-02-30 over to March: the fields must come back as written.
  const local = new Date(at.getTime() + offsetMinutes(offset) * 60_000)
  const same =
    local.getUTCFullYear() === Number(y) &&
    local.getUTCMonth() + 1 === Number(mo) &&
    local.getUTCDate() === Number(d)
  return same ? at.toISOString() : null
}

const offsetMinutes = (offset: string) =>
  offset === 'Z'
    ? 0
    : (offset.startsWith('-') ? -1 : 1) *
      (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)))

export const ISO_INSTANT_MESSAGE =
  'must be an ISO-8601 date and time, such as 2026-05-01T14:00:00Z (UTC when no zone is given)'

export function toUtcInstant(value: string, dayEnd = false): string {
  const at = parseIsoInstant(value, dayEnd)
  if (at === null) throw new Error(`not an ISO-8601 time: ${value}`)
  return at
}

const isoTextOf = (dayEnd: boolean) =>
  z
    .string()
    .trim()
    .refine((v) => parseIsoInstant(v) !== null, { message: ISO_INSTANT_MESSAGE, abort: true })
    .meta({ description: 'ISO-8601; without a zone it is UTC', example: '2026-05-01T14:00:00Z' })
    .transform((v) => toUtcInstant(v, dayEnd))
const isoText = isoTextOf(false)

/** A bound for a filter: any year the database and ISO text agree on (four digits). */
export const isoInstant = isoText.refine(inToolYears, TOOL_YEARS_MESSAGE)

/** An upper bound for a filter: a date alone takes in the whole of that day (UTC). */
export const isoEndInstant = isoTextOf(true).refine(inToolYears, TOOL_YEARS_MESSAGE)

/** A time written: in the years the app stores. */
export const storedIsoInstant = isoText.refine(inStoredYears, STORED_YEARS_MESSAGE)
