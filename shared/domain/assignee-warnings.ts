import { describeDay } from './job-day'
import { localDay } from './time'
import {
  covers,
  describeHours,
  type TimeOff,
  type WorkingHours,
  withinHours,
} from './working-hours'

/**
 * What a job's crew member runs into, said in one set of words wherever it is said: under
 * the booking form's field and the follow-up's before booking, and in the core's warnings
 * after. Warnings, not refusals: the job is booked all the same. The codes are the
 * contract's (`Warning`); a double booking needs the other jobs, so the core says it.
 */
export interface AssigneeWarning {
  code: 'UNAVAILABLE' | 'OUTSIDE_HOURS' | 'MISSING_SPECIALTY'
  message: string
}

export interface Assignment {
  member: { name: string; markedAvailable: boolean }
  /** The job's service and whether it is one of the member's specialties; null: none chosen. */
  service: { name: string | null; isSpecialty: boolean } | null
  /** The member's time off; only a range covering the job's day (in `timeZone`) counts. */
  timeOff: readonly TimeOff[]
  /** The member's effective hours (`effectiveHours`, `memberHours`). */
  hours: WorkingHours
  /** When the job starts; null: no time chosen yet, so only the member and service are said. */
  startMs: number | null
  durationMinutes: number
  timeZone: string
}

/**
 * "Maria Garcia is off from Wed, Dec 2 to Tue, Dec 8 (Sick)"; "... is off on Mon, Dec 7"
 * for a single day; "... is off from Wed, Dec 2 until further notice".
 */
export function timeOffWords(name: string, off: TimeOff): string {
  const when =
    off.endsOn === off.startsOn
      ? `on ${describeDay(off.startsOn)}`
      : `from ${describeDay(off.startsOn)}${off.endsOn ? ` to ${describeDay(off.endsOn)}` : ' until further notice'}`
  const why = off.reason?.trim() ? ` (${off.reason.trim()})` : ''
  return `${name} is off ${when}${why}`
}

/**
 * In this order: marked unavailable; time off covering the job's day, else a time outside
 * their hours or days (on a day off the hours add nothing: they are not working at all);
 * a service that is not one of their specialties. Nothing when all is well.
 */
export function assignmentWarnings(job: Assignment): AssigneeWarning[] {
  const { name } = job.member
  const out: AssigneeWarning[] = []
  if (!job.member.markedAvailable)
    out.push({ code: 'UNAVAILABLE', message: `${name} is marked unavailable` })
  if (job.startMs !== null) {
    const day = localDay(job.startMs, job.timeZone)
    const off = job.timeOff.find((t) => covers(t, day))
    if (off) out.push({ code: 'UNAVAILABLE', message: timeOffWords(name, off) })
    else if (!withinHours(job.startMs, job.durationMinutes, job.hours, job.timeZone))
      out.push({
        code: 'OUTSIDE_HOURS',
        message: `This time is outside ${name}'s working hours (${describeHours(job.hours)})`,
      })
  }
  if (job.service && !job.service.isSpecialty)
    out.push({
      code: 'MISSING_SPECIALTY',
      message: `${name} does not have ${job.service.name ?? 'this service'} as a specialty`,
    })
  return out
}
