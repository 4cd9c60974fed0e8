import { z } from 'zod'
import {
  inStoredYears,
  inToolYears,
  STORED_YEARS_MESSAGE,
  TOOL_YEARS_MESSAGE,
} from '../../shared/domain/time'

/**
 * Times as the original API took them (ISO-8601): a date and time with a zone or an
 * offset, or without one — then it is UTC, as the original's settings (TIME_ZONE = UTC)
 * and its Part 2 create API read it —, or a date alone (midnight UTC). Each is turned
 * into one instant in UTC, as the database stores it.
 */
const withZoneOrNot = z.iso.datetime({ local: true, offset: true })
const dateOnly = z.iso.date()
const HAS_ZONE = /(?:Z|[+-]\d{2}:\d{2})$/i

export const ISO_INSTANT_MESSAGE =
  'must be an ISO-8601 date and time, such as 2026-05-01T14:00:00Z (UTC when no zone is given)'

export function toUtcInstant(value: string, dayEnd = false): string {
  const full = dateOnly.safeParse(value).success
    ? `${value}T${dayEnd ? '23:59:59.999' : '00:00:00'}Z`
    : HAS_ZONE.test(value)
      ? value
      : `${value}Z`
  return new Date(full).toISOString()
}

const isoTextOf = (dayEnd: boolean) =>
  z
    .string()
    .trim()
    .refine((v) => dateOnly.safeParse(v).success || withZoneOrNot.safeParse(v).success, {
      message: ISO_INSTANT_MESSAGE,
      abort: true,
    })
    .meta({ description: 'ISO-8601; without a zone it is UTC', example: '2026-05-01T14:00:00Z' })
    .transform((v) => toUtcInstant(v, dayEnd))
const isoText = isoTextOf(false)

/** A bound for a filter: any year the database and ISO text agree on (four digits). */
export const isoInstant = isoText.refine(inToolYears, TOOL_YEARS_MESSAGE)

/** An upper bound for a filter: a date alone takes in the whole of that day (UTC). */
export const isoEndInstant = isoTextOf(true).refine(inToolYears, TOOL_YEARS_MESSAGE)

/** A time written: in the years the app stores. */
export const storedIsoInstant = isoText.refine(inStoredYears, STORED_YEARS_MESSAGE)
