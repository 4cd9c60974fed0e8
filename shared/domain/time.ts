/**
 * Wall-clock time in an IANA zone <-> UTC instants, without a date library. Times are
 * stored as instants (timestamptz) and shown in the business's zone.
 */
export interface LocalDateTime {
  year: number
  month: number // 1-12
  day: number
  hour: number
  minute: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone)
    return true
  } catch {
    return false
  }
}

let knownZones: Map<string, string> | undefined

/**
 * A valid zone as it is spelled: zone names are matched without regard to case
 * ("america/chicago" keeps time as "America/Chicago"), and a zone stored as typed would
 * not be found again by the lists and pickers that show it. Names the runtime knows only
 * as aliases (Europe/Kyiv) keep the spelling given.
 */
export function zoneSpelling(timeZone: string): string {
  if (!knownZones) {
    knownZones = new Map(
      [...Intl.supportedValuesOf('timeZone'), 'UTC'].map((z) => [z.toLowerCase(), z]),
    )
  }
  return knownZones.get(timeZone.toLowerCase()) ?? timeZone
}

const QUARTER_MS = 900_000
/** Offsets asked for, per zone and quarter hour (a bounded memory: cleared when full). */
const offsets = new Map<string, Map<number, number>>()
const OFFSETS_KEPT = 100_000

/**
 * The zone's offset from UTC, in minutes, at the given instant. Remembered per quarter
 * hour: clocks change only on a quarter hour (offsets are whole quarter hours, and so
 * are the local times they change at), and asking the runtime is slow enough to stall
 * a loop over thousands of jobs (an export, a reassignment plan, a forecast cycle).
 */
export function zoneOffsetMinutes(timeZone: string, epochMs: number): number {
  const quarter = Math.floor(epochMs / QUARTER_MS)
  let known = offsets.get(timeZone)
  if (!known) {
    known = new Map()
    offsets.set(timeZone, known)
  }
  const hit = known.get(quarter)
  if (hit !== undefined) return hit
  const offset = askOffset(timeZone, quarter * QUARTER_MS)
  if (known.size >= OFFSETS_KEPT) known.clear()
  known.set(quarter, offset)
  return offset
}

function askOffset(timeZone: string, epochMs: number): number {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  const asUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  )
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000)
}

/**
 * The instant at which the zone's clocks show `local`. In a spring-forward gap the
 * time is moved forward by the gap; in a fall-back overlap the earlier instant wins.
 */
export function localToUtc(local: LocalDateTime, timeZone: string): number {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute)
  const first = naive - zoneOffsetMinutes(timeZone, naive) * 60_000
  const second = naive - zoneOffsetMinutes(timeZone, first) * 60_000
  const shows = (t: number) => t + zoneOffsetMinutes(timeZone, t) * 60_000 === naive
  const valid = [first, second].filter(shows)
  // No valid candidate: `local` falls in a gap; the later candidate is past it.
  return valid.length ? Math.min(...valid) : Math.max(first, second)
}

/** The local calendar day (YYYY-MM-DD) of an instant in the zone. */
export function localDay(epochMs: number, timeZone: string): string {
  return new Date(epochMs + zoneOffsetMinutes(timeZone, epochMs) * 60_000)
    .toISOString()
    .slice(0, 10)
}

/** A calendar day `days` after `day` (YYYY-MM-DD; negative: before). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10)
}

/** The instant a local day (YYYY-MM-DD) starts in the zone. */
export function dayStartMs(day: string, timeZone: string): number {
  const [year, month, d] = day.split('-').map(Number)
  return localToUtc(
    { year: year ?? 1970, month: month ?? 1, day: d ?? 1, hour: 0, minute: 0 },
    timeZone,
  )
}

/**
 * The instant `days` local days after the day `epochMs` falls on (negative: before), at
 * `minutes` past that day's midnight, in the zone.
 */
export function localDayAt(
  epochMs: number,
  days: number,
  minutes: number,
  timeZone: string,
): number {
  const local = new Date(epochMs + zoneOffsetMinutes(timeZone, epochMs) * 60_000)
  const day = new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days),
  )
  return localToUtc(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour: Math.floor(minutes / 60),
      minute: minutes % 60,
    },
    timeZone,
  )
}

/** Minutes past local midnight of an instant in the zone. */
export function minuteOfDay(epochMs: number, timeZone: string): number {
  const local = new Date(epochMs + zoneOffsetMinutes(timeZone, epochMs) * 60_000)
  return local.getUTCHours() * 60 + local.getUTCMinutes()
}

/**
 * The instant `days` local days after `epochMs` at the same wall-clock time: a job moved
 * to another day keeps its hour across a change of daylight saving time.
 */
export function shiftDays(epochMs: number, days: number, timeZone: string): number {
  return localDayAt(epochMs, days, minuteOfDay(epochMs, timeZone), timeZone)
}

/**
 * An instant as the zone's clocks show it, with the offset that makes it exact:
 * `2027-05-04T10:00:00-05:00` for 15:00 UTC in America/Chicago. Exports write times
 * this way, so a spreadsheet reads the business's times and no instant is lost.
 */
export function zonedIso(instant: string, timeZone: string): string {
  const ms = Date.parse(instant)
  if (Number.isNaN(ms)) return instant
  const offset = zoneOffsetMinutes(timeZone, ms)
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  const hh = String(Math.floor(abs / 60)).padStart(2, '0')
  const mm = String(abs % 60).padStart(2, '0')
  return `${local}${sign}${hh}:${mm}`
}

/** A column of times in a zone, named with it: `scheduled_at (America/Chicago)`. */
export const zonedColumn = (column: string, timeZone: string): string => `${column} (${timeZone})`

/**
 * The dates the app stores: from 1900 to the end of 2199. Outside, a date is a typing
 * slip (the year 20260), and the tools stop agreeing: ISO text gains a sixth year digit
 * past 9999, PostgreSQL refuses the year 0. Checked wherever a date is written.
 */
export const FIRST_YEAR = 1900
export const LAST_YEAR = 2199

/** Whether an instant or a day (ISO text) falls within the years `first` to `last` (UTC). */
export function inYears(iso: string, first: number, last: number): boolean {
  const ms = Date.parse(/^\d{4}-\d\d-\d\d$/.test(iso) ? `${iso}T00:00:00Z` : iso)
  const start = new Date(0).setUTCFullYear(first, 0, 1)
  const end = new Date(0).setUTCFullYear(last + 1, 0, 1)
  return ms >= start && ms < end
}

/** Whether an instant or a day falls within the years the app stores. */
export const inStoredYears = (iso: string) => inYears(iso, FIRST_YEAR, LAST_YEAR)

export const STORED_YEARS_MESSAGE = `must be in the years ${FIRST_YEAR} to ${LAST_YEAR}`

/**
 * Whether an instant or a day falls within the years the tools agree on (1 to 9999):
 * what a date shown or searched may be.
 */
export const inToolYears = (iso: string) => inYears(iso, 1, 9999)

export const TOOL_YEARS_MESSAGE = 'must be in the years 1 to 9999'
