import { type Booking, endMs, overlaps } from './schedule'
import { type WorkingHours, withinHours } from './working-hours'

/**
 * A reassignment plan for the jobs of a crew member who is out: pure, so it is the same
 * on a laptop offline and on the server. For each of their jobs in the range, earliest
 * first:
 * 1. another member with the job's specialty, not out, free at that time and working
 *    then (within their working hours), the one with the fewest booked hours that day
 *    first (load balanced), then by name;
 * 2. else the nearest later day, at the same time, when the original member (back by
 *    then) or another qualified member is free and working, the original member first;
 * 3. else the job is listed with the reason.
 * Every job moved or assigned counts as booked for the jobs after it, so the plan never
 * double-books; jobs not live (cancelled, done) are left alone.
 */
export interface CrewMember {
  id: string
  name: string
  /** The services they can do. */
  specialties: ReadonlySet<string>
  /** When they are out: [start, end) in ms. */
  timeOff: readonly (readonly [number, number])[]
  /** When they work (their own hours or the business's); absent: any time. */
  hours?: WorkingHours
}

export interface PlannedJob extends Booking {
  serviceId: string
}

export interface ReassignInput {
  absentId: string
  /** The range they are out: [from, to). */
  fromMs: number
  toMs: number
  members: readonly CrewMember[]
  /** Every job that may matter (theirs in the range, and the others' around it). */
  jobs: readonly PlannedJob[]
  /** How many days ahead a job may move (default 14). */
  searchDays?: number
  /** The business's day boundaries: the start of the local day of an instant. */
  dayStartMs: (ms: number) => number
  /** The business's zone, in which the members' working hours are read. */
  timeZone?: string
  /** The same local time `days` days later (daylight saving aware); default: 24 h steps. */
  shiftDays?: (ms: number, days: number) => number
}

export interface Move {
  jobId: string
  toMemberId: string
  startMs: number
  /** Same time, another member; or another day. */
  kind: 'reassigned' | 'moved'
  /**
   * Who else could take it then, as the plan stood when it was placed (qualified, not
   * out, working and free), the least busy first: what a reviewer may pick instead.
   */
  alternatives: string[]
}

export interface ReassignPlan {
  moves: Move[]
  unplaced: { jobId: string; reason: string }[]
}

/**
 * How many days, from its first, a review of time off "until further notice" plans: the
 * same on adding it and on reviewing it later. Jobs after stay with their crew member
 * until a later review.
 */
export const OPEN_ENDED_REVIEW_DAYS = 28

const DAY = 86_400_000
type Slot = { startMs: number; durationMinutes: number }

/**
 * `dayStartMs` remembered per quarter hour: every zone's offset is a multiple of 15
 * minutes, so the instants of one quarter hour share their local day.
 */
export function memoDay(dayStartMs: (ms: number) => number): (ms: number) => number {
  const QUARTER = 900_000
  const seen = new Map<number, number>()
  return (ms) => {
    const q = Math.floor(ms / QUARTER)
    let day = seen.get(q)
    if (day === undefined) {
      day = dayStartMs(q * QUARTER)
      seen.set(q, day)
    }
    return day
  }
}
const live = (j: Booking) => j.status === 'scheduled'

const isOut = (m: CrewMember, startMs: number, end: number) =>
  m.timeOff.some(([a, b]) => startMs < b && a < end)

export function planReassignment(input: ReassignInput): ReassignPlan {
  const zone = input.timeZone
  const working = (m: CrewMember, startMs: number, minutes: number) =>
    !m.hours || !zone || withinHours(startMs, minutes, m.hours, zone)
  // Bookings by member and local day, with the minutes booked that day: a check looks at
  // the few days a slot can touch, not at every job (a 200-job plan among 25 crews would
  // otherwise scan thousands of jobs per candidate).
  const dayOf = memoDay(input.dayStartMs)
  const days = new Map<string, Map<number, { slots: Slot[]; minutes: number }>>()
  const bucket = (memberId: string, day: number) => {
    let byDay = days.get(memberId)
    if (!byDay) {
      byDay = new Map()
      days.set(memberId, byDay)
    }
    let b = byDay.get(day)
    if (!b) {
      b = { slots: [], minutes: 0 }
      byDay.set(day, b)
    }
    return b
  }
  const book = (memberId: string, slot: Slot) => {
    const b = bucket(memberId, dayOf(slot.startMs))
    b.slots.push(slot)
    b.minutes += slot.durationMinutes
  }
  for (const j of input.jobs) {
    if (!live(j) || !j.teamMemberId) continue
    if (j.teamMemberId === input.absentId && j.startMs >= input.fromMs && j.startMs < input.toMs)
      continue
    book(j.teamMemberId, { startMs: j.startMs, durationMinutes: j.durationMinutes })
  }
  const free = (memberId: string, slot: Slot) => {
    const byDay = days.get(memberId)
    if (!byDay) return true
    // A booking that overlaps starts at most a day before the slot, and before its end
    // (the middle point covers a 23-hour day between them, when clocks go forward).
    const touched = new Set([
      dayOf(slot.startMs - DAY),
      dayOf(slot.startMs - DAY / 2),
      dayOf(slot.startMs),
      dayOf(endMs(slot)),
    ])
    for (const d of touched) if (byDay.get(d)?.slots.some((b) => overlaps(b, slot))) return false
    return true
  }
  const hoursOn = (memberId: string, day: number) => days.get(memberId)?.get(day)?.minutes ?? 0
  const absent = input.members.find((m) => m.id === input.absentId)
  const theirs = input.jobs
    .filter(
      (j) =>
        live(j) &&
        j.teamMemberId === input.absentId &&
        j.startMs >= input.fromMs &&
        j.startMs < input.toMs,
    )
    .sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id))

  const moves: Move[] = []
  const unplaced: ReassignPlan['unplaced'] = []
  for (const job of theirs) {
    const qualified = input.members.filter(
      (m) => m.id !== input.absentId && m.specialties.has(job.serviceId),
    )
    const available = (m: CrewMember, slot: { startMs: number; durationMinutes: number }) =>
      !isOut(m, slot.startMs, endMs(slot)) &&
      working(m, slot.startMs, slot.durationMinutes) &&
      free(m.id, slot)
    const day = dayOf(job.startMs)
    const now = qualified
      .filter((m) => available(m, job))
      .sort((a, b) => hoursOn(a.id, day) - hoursOn(b.id, day) || a.name.localeCompare(b.name))
    const pick = now[0]
    if (pick) {
      book(pick.id, job)
      moves.push({
        jobId: job.id,
        toMemberId: pick.id,
        startMs: job.startMs,
        kind: 'reassigned',
        alternatives: now.slice(1).map((m) => m.id),
      })
      continue
    }
    let placed = false
    for (let d = 1; d <= (input.searchDays ?? 14) && !placed; d++) {
      const startMs = input.shiftDays ? input.shiftDays(job.startMs, d) : job.startMs + d * DAY
      const slot = { startMs, durationMinutes: job.durationMinutes }
      const candidates = [
        ...(absent && available(absent, slot) ? [absent] : []),
        ...qualified
          .filter((m) => available(m, slot))
          .sort(
            (a, b) =>
              hoursOn(a.id, dayOf(slot.startMs)) - hoursOn(b.id, dayOf(slot.startMs)) ||
              a.name.localeCompare(b.name),
          ),
      ]
      const to = candidates[0]
      if (to) {
        book(to.id, slot)
        moves.push({
          jobId: job.id,
          toMemberId: to.id,
          startMs: slot.startMs,
          kind: 'moved',
          alternatives: candidates.slice(1).map((m) => m.id),
        })
        placed = true
      }
    }
    if (!placed)
      unplaced.push({
        jobId: job.id,
        reason: qualified.length
          ? `no one with the specialty is free within ${input.searchDays ?? 14} days`
          : 'no other crew member has the specialty',
      })
  }
  return { moves, unplaced }
}
