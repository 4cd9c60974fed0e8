import { zoneOffsetMinutes } from '../domain/time'
import { describeInstant } from '../domain/when'

/**
 * A crew lead's desktop notice when the office changes their crew's work for today or
 * tomorrow: a job added to the crew, moved, or cancelled (or taken off the crew). Worked
 * out from a job before and after a pulled change; the app shows it with the system's
 * notifications (Electron's, or the browser's in the bridge).
 */
export interface JobState {
  teamMemberId: string | null
  scheduledAtMs: number
  status: string
  deleted: boolean
  clientName: string
  serviceName: string
}

export interface CrewAlert {
  title: string
  body: string
}

const live = (j: JobState | null) => j !== null && !j.deleted && j.status !== 'cancelled'

/** The local day number (days since the epoch in the zone) of an instant. */
const dayOf = (ms: number, timeZone: string) =>
  Math.floor((ms + zoneOffsetMinutes(timeZone, ms) * 60_000) / 86_400_000)

export function crewAlert(
  before: JobState | null,
  after: JobState | null,
  crewId: string,
  nowMs: number,
  timeZone: string,
): CrewAlert | null {
  const today = dayOf(nowMs, timeZone)
  const soon = (j: JobState | null) => {
    if (!j) return false
    const d = dayOf(j.scheduledAtMs, timeZone)
    return d === today || d === today + 1
  }
  const mineBefore = live(before) && before?.teamMemberId === crewId
  const mineAfter = live(after) && after?.teamMemberId === crewId
  /** "today at 2:00 PM", "tomorrow at 9:00 AM", or a later day by its date. */
  const when = (ms: number) => {
    const d = dayOf(ms, timeZone)
    const [date = '', at = ''] = describeInstant(ms, timeZone).split(' at ')
    const day = d === today ? 'today' : d === today + 1 ? 'tomorrow' : `on ${date}`
    return `${day} at ${at}`
  }
  const label = (j: JobState) => `${j.serviceName} for ${j.clientName} ${when(j.scheduledAtMs)}`
  if (mineAfter && after && !mineBefore) {
    return soon(after) ? { title: 'New job for your crew', body: label(after) } : null
  }
  if (mineBefore && before && !mineAfter) {
    if (!soon(before)) return null
    const gone = after && after.teamMemberId !== crewId && live(after)
    return {
      title: gone ? 'Job moved to another crew' : 'Job cancelled',
      body: label(before),
    }
  }
  if (mineBefore && mineAfter && before && after && before.scheduledAtMs !== after.scheduledAtMs) {
    if (!soon(before) && !soon(after)) return null
    return {
      title: 'Job moved',
      body: `${label(after)} (was ${when(before.scheduledAtMs)})`,
    }
  }
  return null
}
