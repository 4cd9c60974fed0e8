import { useMemo } from 'react'
import type { CalendarEvent } from '../../../../shared/contract/appointments'
import { isManager } from '../../../../shared/domain/permissions'
import { DAY_NAMES, memberHours, worksOn } from '../../../../shared/domain/working-hours'
import { useChannel } from '../../api/queries'
import { useSettings, useTeam } from '../../api/reference'
import { fromLocalInput, toLocalInput } from '../../app/format'
import { LoadError, statusLabel } from '../../components/States'
import { useCalendarUi } from '../../stores/calendar'
import { useSession } from '../../stores/session'
import {
  clockLabel,
  minutesOfClock,
  mondayOf,
  shiftDate,
  UNASSIGNED,
  UNASSIGNED_NOTE,
  withoutCrew,
} from './crew-layout'
import { RepeatMark } from './EventTile'
import type { TileColors } from './tile-colors'
import { covers, useCalendarWeather } from './useCalendarWeather'
import { useTileColors } from './useTileColors'
import './crew.css'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
/** "Tue, Mar 2" */
const dayLabel = (day: string) => {
  const d = new Date(`${day}T12:00:00Z`)
  return `${DAY_NAMES[d.getUTCDay()]?.slice(0, 3)}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`
}

/**
 * The week for planning: a row per crew member, a column per day, each cell that
 * member's jobs of the day (time and client). Days off and time off are greyed; a job
 * opens its details; an empty stretch of a cell books for that member and day.
 */
export function CrewWeek(props: {
  date: string
  onDate: (date: string) => void
  onOpen: (id: string) => void
  onBook: (teamMemberId: string, day: string, start: string) => void
}) {
  const { user } = useSession()
  const team = useTeam()
  const ui = useCalendarUi()
  const colorOf = useTileColors()
  const { timeZone: tz, workingHours: business } = useSettings()
  const manager = isManager(user?.role ?? null)
  const monday = mondayOf(props.date)
  const days = Array.from({ length: 7 }, (_, i) => shiftDate(monday, i))
  const from = fromLocalInput(`${monday}T00:00`, tz) ?? ''
  const to = fromLocalInput(`${shiftDate(monday, 7)}T00:00`, tz) ?? ''
  const { data, error, refetch } = useChannel(
    'calendar.range',
    {
      from,
      to,
      ...(ui.teamMemberIds.length ? { teamMemberIds: ui.teamMemberIds } : {}),
      ...(ui.statuses.length ? { statuses: ui.statuses } : {}),
      ...(ui.serviceId ? { serviceIds: [ui.serviceId] } : {}),
    },
    { keepPrevious: true },
  )
  const wx = useCalendarWeather({ range: from && to ? { from, to } : null, strip: false })
  const members = team.filter((m) => !ui.teamMemberIds.length || ui.teamMemberIds.includes(m.id))
  const orphans = ui.teamMemberIds.length ? [] : withoutCrew(data?.events ?? [], team)
  // Jobs by member and local day, in order.
  const cells = useMemo(() => {
    const by = new Map<string, CalendarEvent[]>()
    for (const e of data?.events ?? []) {
      const key = `${e.teamMemberId}|${toLocalInput(e.scheduledAt, tz).slice(0, 10)}`
      by.set(key, [...(by.get(key) ?? []), e])
    }
    for (const list of by.values()) list.sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt))
    return by
  }, [data, tz])
  const today = toLocalInput(new Date().toISOString(), tz).slice(0, 10)

  return (
    <div className="crew-board">
      <div className="crew-nav">
        <button
          type="button"
          aria-label="Previous week"
          onClick={() => props.onDate(shiftDate(monday, -7))}
        >
          ‹
        </button>
        <button type="button" onClick={() => props.onDate(today)}>
          Today
        </button>
        <button
          type="button"
          aria-label="Next week"
          onClick={() => props.onDate(shiftDate(monday, 7))}
        >
          ›
        </button>
        <h2>
          {dayLabel(monday)} – {dayLabel(shiftDate(monday, 6))}
        </h2>
      </div>
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {data?.truncated && (
        <p className="notice" role="status">
          This week holds more appointments than can be shown at once: narrow it with the filters.
        </p>
      )}
      <div className="crew-week-scroll">
        <table className="crew-week" aria-label="Week by crew">
          <thead>
            <tr>
              <th scope="col" className="crew-week-corner">
                Crew
              </th>
              {days.map((d) => (
                <th key={d} scope="col" className={d === today ? 'is-today' : undefined}>
                  {dayLabel(d)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const hours = memberHours(m, business)
              return (
                <tr key={m.id}>
                  <th scope="row">
                    <span className="swatch" style={{ background: m.color }} aria-hidden="true" />
                    {m.name}
                  </th>
                  {days.map((d) => {
                    const off = wx.timeOff.find((t) => t.teamMemberId === m.id && covers(t, d))
                    const working = worksOn(hours, d)
                    const jobs = cells.get(`${m.id}|${d}`) ?? []
                    const note = off
                      ? `Off${off.reason ? `: ${off.reason}` : ''}`
                      : !m.markedAvailable
                        ? 'Unavailable'
                        : working
                          ? ''
                          : 'Day off'
                    return (
                      <td key={d} className={note ? 'is-off' : undefined}>
                        <div className="crew-week-cell">
                          {note && <span className="crew-week-off">{note}</span>}
                          {jobs.map((e) => (
                            <WeekJob
                              key={e.id}
                              event={e}
                              tz={tz}
                              colors={colorOf(e)}
                              onOpen={props.onOpen}
                            />
                          ))}
                          {manager && (
                            <button
                              type="button"
                              className="crew-week-book"
                              aria-label={`Book ${m.name} on ${dayLabel(d)}`}
                              onClick={() => props.onBook(m.id, d, hours.start)}
                            />
                          )}
                        </div>
                      </td>
                    )
                  })}
                </tr>
              )
            })}
            {orphans.length > 0 && (
              <tr>
                <th scope="row" title={UNASSIGNED_NOTE}>
                  {UNASSIGNED}
                </th>
                {days.map((d) => (
                  <td key={d}>
                    <div className="crew-week-cell">
                      {orphans
                        .filter((e) => toLocalInput(e.scheduledAt, tz).startsWith(d))
                        .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt))
                        .map((e) => (
                          <WeekJob
                            key={e.id}
                            event={e}
                            tz={tz}
                            colors={colorOf(e)}
                            onOpen={props.onOpen}
                          />
                        ))}
                    </div>
                  </td>
                ))}
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  )
}

/** One job in a week cell: its time and client; opens its details. */
function WeekJob(props: {
  event: CalendarEvent
  tz: string
  colors: TileColors
  onOpen: (id: string) => void
}) {
  const e = props.event
  const colors = props.colors
  return (
    <button
      type="button"
      className={`crew-week-job status-${e.status}`}
      title={`${e.clientName} · ${e.serviceName} · ${statusLabel(e.status)}${
        e.seriesId ? ' · recurring visit' : ''
      }`}
      style={{ background: colors.background, color: colors.text }}
      onClick={() => props.onOpen(e.id)}
    >
      <span className="crew-week-time">
        {clockLabel(minutesOfClock(toLocalInput(e.scheduledAt, props.tz).slice(11, 16)))}
      </span>{' '}
      <RepeatMark seriesId={e.seriesId} />
      {e.clientName}
    </button>
  )
}
