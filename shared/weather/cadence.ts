import { addDays, dayStartMs } from '../domain/time'

/**
 * Which forecasts a refresh fetches (the original's cadence): only the days that have
 * jobs, within the lookahead (7 days by default), per place; a day's forecast is due
 * again when it is older than its day's interval — more than 3 days away: a day; 1 to 3
 * days: 6 hours; a day or less: 3 hours — or missing. At most `maxPlaces` places per
 * cycle, the ones whose first due day comes soonest first; the rest wait for the next.
 */
export const DEFAULT_LOOKAHEAD_DAYS = 7
export const DEFAULT_MAX_PLACES = 50
export const REFRESH_EVERY_MS = 4 * 3_600_000
/** How far Open-Meteo forecasts: today and the 15 days after it. No request goes further. */
export const FORECAST_DAYS = 16
/**
 * A day's forecast is kept this many days after the day (the original's cache expiry),
 * then forgotten by each machine on its own (weather/sql.ts `pruneForecasts`).
 */
export const FORECAST_RETENTION_DAYS = 10

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** How old a day's forecast may get, by how far away the day is. */
export function checkInterval(dayStart: number, nowMs: number): number {
  const away = dayStart - nowMs
  return away > 3 * DAY ? DAY : away > DAY ? 6 * HOUR : 3 * HOUR
}

export interface DueInput {
  /** Each job's place and local day (YYYY-MM-DD). */
  needs: readonly { place: string; day: string }[]
  /** When each held forecast was fetched, by `${place}|${day}`. */
  fetched: ReadonlyMap<string, number>
  nowMs: number
  /** The business's local day today. */
  today: string
  timeZone: string
  lookaheadDays?: number
  maxPlaces?: number
}

export interface DueRequest {
  place: string
  /** The first and last due day: one request covers them. */
  from: string
  to: string
  days: string[]
}

export function dueRequests(input: DueInput): DueRequest[] {
  const last = addDays(input.today, (input.lookaheadDays ?? DEFAULT_LOOKAHEAD_DAYS) - 1)
  const due = new Map<string, Set<string>>()
  for (const { place, day } of input.needs) {
    if (day < input.today || day > last) continue
    const at = input.fetched.get(`${place}|${day}`)
    const start = dayStartMs(day, input.timeZone)
    if (at !== undefined && at + checkInterval(start, input.nowMs) > input.nowMs) continue
    const days = due.get(place) ?? new Set()
    days.add(day)
    due.set(place, days)
  }
  return [...due.entries()]
    .map(([place, set]) => {
      const days = [...set].sort()
      return { place, from: days[0] as string, to: days.at(-1) as string, days }
    })
    .sort((a, b) => a.from.localeCompare(b.from) || a.place.localeCompare(b.place))
    .slice(0, input.maxPlaces ?? DEFAULT_MAX_PLACES)
}
