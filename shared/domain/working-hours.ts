import { parseHours } from '../notifications/timing'
import { addDays, localDay, localToUtc, minuteOfDay, shiftDays } from './time'

/**
 * When someone works: a daily span ("07:00"-"16:00", in the business's zone) on some
 * days of the week (0 = Sunday ... 6 = Saturday). The business has one; a crew member
 * may have their own hours, their own days, both or neither: what they leave unset is
 * the business's.
 */
export interface WorkingHours {
  start: string
  end: string
  days: number[]
}

/** Both columns as stored: "07:00-16:00" and "1,2,3,4,5" (null: not set). */
export interface HoursColumns {
  workingHours: string | null
  workingDays: string | null
}

export const DAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const

/** "1,2,3" -> [1, 2, 3]; "" -> [] (no days); anything else -> null. */
export function parseDays(days: string): number[] | null {
  if (days === '') return []
  if (!/^[0-6](,[0-6])*$/.test(days)) return null
  return [...new Set(days.split(',').map(Number))].sort((a, b) => a - b)
}

/** The stored form of a list of days: sorted, without repeats. */
export const formatDays = (days: readonly number[]) =>
  [...new Set(days)].sort((a, b) => a - b).join(',')

/**
 * A member's hours: their own where set (and well formed), the business's elsewhere.
 * A stored value that no longer parses counts as unset rather than as "never works".
 */
export function effectiveHours(member: HoursColumns, business: WorkingHours): WorkingHours {
  const own = member.workingHours !== null ? parseHours(member.workingHours) : null
  const [start, end] = own && member.workingHours ? member.workingHours.split('-') : []
  const days = member.workingDays !== null ? parseDays(member.workingDays) : null
  return {
    start: start ?? business.start,
    end: end ?? business.end,
    days: days ?? [...business.days],
  }
}

const minutes = (hhmm: string) => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number)
  return h * 60 + m
}

/** The day of the week (0 = Sunday) of a local day "YYYY-MM-DD". */
export const weekday = (day: string) => new Date(`${day}T12:00:00Z`).getUTCDay()

/** Whether a time off covers a local day (both ends included; no end: until further notice). */
export const covers = (t: { startsOn: string; endsOn: string | null }, day: string) =>
  t.startsOn <= day && (t.endsOn === null || day <= t.endsOn)

/** Whether someone with these hours works on the local day "YYYY-MM-DD". */
export const worksOn = (hours: WorkingHours, day: string) => hours.days.includes(weekday(day))

/**
 * Whether a job [start, start + duration) lies within the hours: on one of the days, and
 * from opening to closing of that local day, in the business's zone.
 */
export function withinHours(
  startMs: number,
  durationMinutes: number,
  hours: WorkingHours,
  timeZone: string,
): boolean {
  const day = localDay(startMs, timeZone)
  if (!worksOn(hours, day)) return false
  // Minutes past the local midnight: a job running past midnight ends after any closing.
  const from = minuteOfDay(startMs, timeZone)
  const to = from + durationMinutes
  return from >= minutes(hours.start) && to <= minutes(hours.end)
}

/** The minutes of the local day worked: [start, end) past midnight, or null on a day off. */
export function workedSpan(
  hours: WorkingHours,
  day: string,
): { start: number; end: number } | null {
  return worksOn(hours, day) ? { start: minutes(hours.start), end: minutes(hours.end) } : null
}

/** The instant a local day's "HH:MM" falls at, in the business's zone. */
function localAt(day: string, hhmm: string, timeZone: string): number {
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number)
  const m = minutes(hhmm)
  return localToUtc({ year, month, day: date, hour: Math.floor(m / 60), minute: m % 60 }, timeZone)
}

/**
 * Where a new booking starts when nothing else says: the next whole hour if the business
 * is open then, else its next opening (this morning, or the next working day's), so the
 * form never proposes 3 AM. With no working days at all, the next whole hour.
 */
export function nextOpenHour(nowMs: number, hours: WorkingHours, timeZone: string): number {
  const next = Math.ceil(nowMs / 3_600_000) * 3_600_000
  const today = localDay(nowMs, timeZone)
  for (let i = 0; i < 8; i++) {
    const day = addDays(today, i)
    if (!worksOn(hours, day) || next >= localAt(day, hours.end, timeZone)) continue
    return Math.max(next, localAt(day, hours.start, timeZone))
  }
  return next
}

/** Whole days off of a crew member: both days included; no end: until further notice. */
export interface TimeOff {
  startsOn: string
  endsOn: string | null
  reason?: string | null
}

/**
 * When a crew member can next be booked from the local day `fromDay` on: the first day
 * they work (their days, or the business's) that no time off covers, at the start of
 * their hours, in the business's zone. Null when there is none within `searchDays` (time
 * off until further notice, or no working days at all): then nothing is worth proposing.
 */
export function nextWorkingStart(
  fromDay: string,
  hours: WorkingHours,
  timeOff: readonly TimeOff[],
  timeZone: string,
  searchDays = 366,
): number | null {
  for (let i = 0; i < searchDays; i++) {
    const day = addDays(fromDay, i)
    if (worksOn(hours, day) && !timeOff.some((t) => covers(t, day)))
      return localAt(day, hours.start, timeZone)
  }
  return null
}

/**
 * When a follow-up of a visit is proposed: the same time a week on (on the business's
 * clocks) when the crew member works then and is not off; otherwise the start of their
 * next working day out of time off from that day (or from tomorrow, for a visit long past).
 * A week on, as a landscaper comes back to check on work; never inside time off.
 */
export function followUpStart(visit: {
  startMs: number
  durationMinutes: number
  hours: WorkingHours
  timeOff: readonly TimeOff[]
  timeZone: string
  nowMs: number
}): number {
  const { hours, timeOff, timeZone } = visit
  const weekOn = shiftDays(visit.startMs, 7, timeZone)
  const tomorrow = addDays(localDay(visit.nowMs, timeZone), 1)
  const day = localDay(weekOn, timeZone)
  const free =
    day >= tomorrow &&
    worksOn(hours, day) &&
    !timeOff.some((t) => covers(t, day)) &&
    withinHours(weekOn, visit.durationMinutes, hours, timeZone)
  if (free) return weekOn
  // Local days as YYYY-MM-DD compare as text: the later of the two.
  const from = [day, tomorrow].sort()[1] as string
  return nextWorkingStart(from, hours, timeOff, timeZone) ?? weekOn
}

/** "7:00 AM" */
const clock = (hhmm: string) => {
  const m = minutes(hhmm)
  const h = Math.floor(m / 60)
  return `${h % 12 === 0 ? 12 : h % 12}:${String(m % 60).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`
}

/**
 * The days as words: runs of three or more days are a range ("Monday to Friday"),
 * otherwise a list ("Monday, Wednesday and Friday"). The week starts on Monday.
 */
export function describeDays(days: readonly number[]): string {
  if (days.length === 0) return 'no days'
  if (days.length === 7) return 'every day'
  const order = [1, 2, 3, 4, 5, 6, 0].filter((d) => days.includes(d))
  const runs: number[][] = []
  for (const d of order) {
    const run = runs.at(-1)
    const last = run?.at(-1)
    if (run && last !== undefined && (last + 1) % 7 === d && last !== 0) run.push(d)
    else runs.push([d])
  }
  const parts = runs.flatMap((run) => {
    const first = run[0] ?? 0
    const last = run.at(-1) ?? 0
    return run.length >= 3
      ? [`${DAY_NAMES[first]} to ${DAY_NAMES[last]}`]
      : run.map((d) => DAY_NAMES[d] as string)
  })
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : `${parts[0]}`
}

/** "7:00 AM to 4:00 PM, Monday to Friday" */
export const describeHours = (hours: WorkingHours) =>
  `${clock(hours.start)} to ${clock(hours.end)}, ${describeDays(hours.days)}`

/** `effectiveHours` for a member as the contract gives it (days as a list). */
export const memberHours = (
  member: { workingHours: string | null; workingDays: readonly number[] | null },
  business: WorkingHours,
) =>
  effectiveHours(
    {
      workingHours: member.workingHours,
      workingDays: member.workingDays === null ? null : formatDays(member.workingDays),
    },
    business,
  )
