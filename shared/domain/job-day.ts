import { addDays, localDay } from './time'
import { describeInstant, instantWords } from './when'

/**
 * A job's days in words for the crew: the day it is booked for, the question asked before
 * it is started or completed on another day, and when it was really started and finished.
 * Days and times are the business's (its time zone), whatever the laptop's.
 */

/** "Fri, Dec 4": a local day (YYYY-MM-DD) as written. */
export const describeDay = (day: string) => instantWords(Date.parse(`${day}T12:00:00Z`), 'UTC').date

/** Whether a job starting at `scheduledAt` is booked for the business's today. */
export const isToday = (scheduledAt: string, nowMs: number, timeZone: string) =>
  localDay(Date.parse(scheduledAt), timeZone) === localDay(nowMs, timeZone)

/**
 * What to ask before a job booked for a later day is started or completed: one tap on a
 * job days away (from the calendar) is easily a mistake. Null for today's job and for an
 * earlier day's: catching up on yesterday's work is routine, and completing asks nothing
 * then (its Undo is enough).
 */
export function otherDayQuestion(
  scheduledAt: string,
  action: 'start' | 'complete',
  nowMs: number,
  timeZone: string,
): string | null {
  if (localDay(Date.parse(scheduledAt), timeZone) <= localDay(nowMs, timeZone)) return null
  const day = instantWords(Date.parse(scheduledAt), timeZone).date
  return `This job is on ${day}. ${action === 'start' ? 'Start' : 'Complete'} it now?`
}

/**
 * "Started 7:04 AM · Finished 12:40 PM": when the job was really worked, or null if it was
 * not started. A stamp on another day than the job's is given with its day. Completing a
 * job never started stamps both with the same moment: only the finish is said then.
 */
export function workedWords(
  job: { scheduledAt: string; startedAt: string | null; completedAt: string | null },
  timeZone: string,
): string | null {
  const booked = localDay(Date.parse(job.scheduledAt), timeZone)
  const when = (iso: string) => {
    const ms = Date.parse(iso)
    return localDay(ms, timeZone) === booked
      ? instantWords(ms, timeZone).time
      : describeInstant(ms, timeZone)
  }
  const { startedAt, completedAt } = job
  const parts: string[] = []
  if (startedAt && Date.parse(startedAt) !== Date.parse(completedAt ?? ''))
    parts.push(`Started ${when(startedAt)}`)
  if (completedAt) parts.push(`Finished ${when(completedAt)}`)
  return parts.length ? parts.join(' · ') : null
}

/** Whole days off of one crew member (both days included; no end: until further notice). */
export interface DaysOff {
  startsOn: string
  endsOn: string | null
  reason: string
}

/** Off on a day: why, and the first day back (null: until further notice). */
export interface Absence {
  reason: string
  back: string | null
}

const covers = (r: DaysOff, day: string) =>
  r.startsOn <= day && (r.endsOn === null || r.endsOn >= day)

/**
 * Whether a member with these days off is off on `day`, and until when: the first day no
 * range covers, ranges that follow one another (Dec 2–8, then Dec 9–10) counting as one.
 */
export function absenceOn(ranges: readonly DaysOff[], day: string): Absence | null {
  const first = ranges.find((r) => covers(r, day))
  if (!first) return null
  let back = day
  // Each turn moves past the end of a range, so there are at most as many as ranges.
  for (let r: DaysOff | undefined = first; r; r = ranges.find((o) => covers(o, back))) {
    if (r.endsOn === null) return { reason: first.reason, back: null }
    back = addDays(r.endsOn, 1)
  }
  return { reason: first.reason, back }
}

/** "Maria Garcia is off tomorrow (Sick), back Wed, Dec 9." */
export function absenceWords(name: string, absence: Absence, when: 'today' | 'tomorrow'): string {
  const why = absence.reason.trim() ? ` (${absence.reason.trim()})` : ''
  const back = absence.back ? `back ${describeDay(absence.back)}` : 'until further notice'
  return `${name} is off ${when}${why}, ${back}.`
}
