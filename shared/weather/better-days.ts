import type { CrewMember, PlannedJob } from '../domain/reassign'
import { overlaps } from '../domain/schedule'
import { withinHours } from '../domain/working-hours'
import { assessRisk, type DailyForecast, type WeatherLimits } from './risk'
import type { Units } from './units'

/**
 * Better days for a job at weather risk: the next days (up to 7) whose forecast passes
 * its service's limits and when its crew member — or another with the specialty — is
 * free and working (their hours and days, or the business's) at the same time for its
 * length. Ranked: the same crew member first, then the
 * soonest. Pure: the screens, the server and a laptop offline all ask it.
 */
/** How many days after a job at risk its better days are looked for (and forecast). */
export const BETTER_DAYS = 7

export interface BetterDay {
  startMs: number
  teamMemberId: string
  sameCrew: boolean
  /** The forecast's words for that day. */
  reason: string
}

export interface BetterDaysInput {
  job: PlannedJob
  limits: WeatherLimits
  /** Forecasts by local day (YYYY-MM-DD) at the job's place. */
  forecasts: ReadonlyMap<string, DailyForecast>
  /** The local day (YYYY-MM-DD) of an instant, in the business's time zone. */
  dayOf: (ms: number) => string
  members: readonly CrewMember[]
  jobs: readonly PlannedJob[]
  days?: number
  limit?: number
  /** The same local time `days` days later (daylight saving aware); default: 24 h steps. */
  shiftDays?: (ms: number, days: number) => number
  /** The business's zone, in which the members' working hours are read. */
  timeZone?: string
  /** The business's units, in which each day's reason words amounts; metric when left out. */
  units?: Units
}

const DAY = 86_400_000

export function betterDays(input: BetterDaysInput): BetterDay[] {
  const { job } = input
  const found: BetterDay[] = []
  const qualified = input.members.filter((m) => m.specialties.has(job.serviceId))
  const freeAt = (memberId: string, slot: { startMs: number; durationMinutes: number }) =>
    !input.jobs.some(
      (o) =>
        o.id !== job.id &&
        o.teamMemberId === memberId &&
        o.status === 'scheduled' &&
        overlaps(o, slot),
    )
  const out = (m: CrewMember, slot: { startMs: number; durationMinutes: number }) =>
    m.timeOff.some(([a, b]) => slot.startMs < b && a < slot.startMs + slot.durationMinutes * 60_000)
  const zone = input.timeZone
  const working = (m: CrewMember, slot: { startMs: number; durationMinutes: number }) =>
    !m.hours || !zone || withinHours(slot.startMs, slot.durationMinutes, m.hours, zone)
  for (let d = 1; d <= (input.days ?? BETTER_DAYS); d++) {
    const startMs = input.shiftDays ? input.shiftDays(job.startMs, d) : job.startMs + d * DAY
    const slot = { startMs, durationMinutes: job.durationMinutes }
    const forecast = input.forecasts.get(input.dayOf(slot.startMs)) ?? null
    const risk = assessRisk(forecast, input.limits, { known: true }, { units: input.units })
    if (risk.risk !== 'low') continue
    const candidates = [
      ...qualified.filter((m) => m.id === job.teamMemberId),
      ...qualified
        .filter((m) => m.id !== job.teamMemberId)
        .sort((a, b) => a.name.localeCompare(b.name)),
    ].filter((m) => !out(m, slot) && working(m, slot) && freeAt(m.id, slot))
    for (const m of candidates)
      found.push({
        startMs: slot.startMs,
        teamMemberId: m.id,
        sameCrew: m.id === job.teamMemberId,
        reason: risk.reason,
      })
  }
  return found
    .sort((a, b) => Number(b.sameCrew) - Number(a.sameCrew) || a.startMs - b.startMs)
    .slice(0, input.limit ?? 5)
}
