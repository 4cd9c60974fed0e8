/**
 * Where jobs sit in one crew member's column: jobs that overlap (a double booking kept on
 * purpose) share the width side by side instead of hiding each other. Hand-written: the
 * crew board is our own grid, and FullCalendar's equivalent is internal to its views.
 */
export interface Span {
  id: string
  start: number
  end: number
}

export interface Placed {
  /** Which of `of` side-by-side places, from 0. */
  index: number
  of: number
}

export function placeSideBySide(spans: readonly Span[]): Map<string, Placed> {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end)
  const out = new Map<string, Placed>()
  let cluster: { id: string; index: number }[] = []
  let lanes: number[] = [] // each lane's end
  let clusterEnd = Number.NEGATIVE_INFINITY
  const close = () => {
    for (const c of cluster) out.set(c.id, { index: c.index, of: lanes.length })
    cluster = []
    lanes = []
  }
  for (const s of sorted) {
    if (s.start >= clusterEnd) close()
    let index = lanes.findIndex((end) => end <= s.start)
    if (index === -1) index = lanes.push(s.end) - 1
    else lanes[index] = s.end
    cluster.push({ id: s.id, index })
    clusterEnd = Math.max(clusterEnd, s.end)
  }
  close()
  return out
}

/** "9:00" -> 540 */
export const minutesOfClock = (hhmm: string) => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number)
  return h * 60 + m
}

/** 540 -> "9 AM", 570 -> "9:30 AM" */
export function clockLabel(minutes: number): string {
  const h = Math.floor(minutes / 60) % 24
  const m = minutes % 60
  const hour = h % 12 === 0 ? 12 : h % 12
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''} ${h < 12 ? 'AM' : 'PM'}`
}

/** A local day "YYYY-MM-DD" moved by `days`. */
export const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** The Monday on or before a local day (the calendar's weeks start on Monday). */
export const mondayOf = (date: string) =>
  shiftDate(date, -((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7))

/** A job's local time as a tile shows it: "9–9:45 AM", "11:30 AM–12 PM". */
export function spanLabel(startMinutes: number, durationMinutes: number): string {
  const part = (m: number) => {
    const h = Math.floor(m / 60) % 24
    const min = m % 60
    return {
      time: `${h % 12 === 0 ? 12 : h % 12}${min ? `:${String(min).padStart(2, '0')}` : ''}`,
      period: h < 12 ? 'AM' : 'PM',
    }
  }
  const a = part(startMinutes)
  const b = part(startMinutes + durationMinutes)
  return a.period === b.period
    ? `${a.time}–${b.time} ${b.period}`
    : `${a.time} ${a.period}–${b.time} ${b.period}`
}

/** The name of the column (or row) of jobs no crew member shown has. */
export const UNASSIGNED = 'Unassigned'
export const UNASSIGNED_NOTE = 'Needs a crew member'

/**
 * The jobs a by-crew view has no column for: booked without a crew member, or with one
 * since archived. Shown in a lane of their own when the view shows everyone, so no job
 * of the day is out of sight.
 */
export function withoutCrew<E extends { teamMemberId: string | null }>(
  events: readonly E[],
  crew: readonly { id: string }[],
): E[] {
  const ids = new Set(crew.map((m) => m.id))
  return events.filter((e) => !e.teamMemberId || !ids.has(e.teamMemberId))
}
