import { localDayAt, minuteOfDay } from '../domain/time'

/**
 * When messages to clients go out: never at night. A message due outside the business's
 * sending hours ("08:00-20:00", in its time zone) waits for the next opening, unless the
 * visit comes first: then it goes at the last closing before it was due, or at once if
 * that has passed too (a late message beats a missing one).
 */
export interface SendingWindow {
  /** "HH:MM-HH:MM", start before end, in `timeZone`. */
  hours: string
  timeZone: string
}

const DAY_MINUTES = 24 * 60
const LAST_MINUTE = DAY_MINUTES - 1

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

export function parseHours(hours: string): { start: number; end: number } | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(hours)
  if (!match) return null
  const start = minutesOf(`${match[1]}:${match[2]}`)
  const end = minutesOf(`${match[3]}:${match[4]}`)
  return start < end ? { start, end } : null
}

/**
 * The time a message due at `dueMs` goes out. `visitMs` is the visit it is about (a
 * message about it is useless after it); `nowMs` is now (nothing is planned before).
 */
export function holdToSendingHours(
  dueMs: number,
  nowMs: number,
  visitMs: number,
  window: SendingWindow,
): number {
  const at = Math.max(dueMs, nowMs)
  const parsed = parseHours(window.hours)
  if (!parsed) return at
  // Hours that end at 23:59 run to midnight: "00:00-23:59" is the whole day.
  const hours = { ...parsed, end: parsed.end === LAST_MINUTE ? DAY_MINUTES : parsed.end }
  const m = minuteOfDay(at, window.timeZone)
  if (m >= hours.start && m < hours.end) return at
  const nextOpen = localDayAt(at, m < hours.start ? 0 : 1, hours.start, window.timeZone)
  if (nextOpen < visitMs) return nextOpen
  // The minute before closing, on the day it closed last.
  const lastClose = localDayAt(at, m >= hours.end ? 0 : -1, hours.end, window.timeZone) - 60_000
  return lastClose >= nowMs ? lastClose : at
}

/**
 * The wait before attempt `attempt + 1` after `attempt` failures: 2 minutes, then five
 * times longer each time (10 min, 50 min, 4 h at most), so the five attempts span about
 * five hours: a mail server's "try later" or a provider's outage gets time to pass
 * before a message is given up. Full jitter in its upper half (so many senders failing
 * at once do not retry at once), and never sooner than the provider's `Retry-After`.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | null, random: number): number {
  const base = Math.min(120_000 * 5 ** Math.max(0, attempt - 1), 4 * 3_600_000)
  const jittered = Math.round(base / 2 + (base / 2) * random)
  return Math.max(jittered, retryAfterMs ?? 0)
}

/** A `Retry-After` header (seconds or an HTTP date) as milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs)
}
