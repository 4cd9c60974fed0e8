import { type DragEvent, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { TimeOff } from '../../../../shared/contract/weather'
import { isManager } from '../../../../shared/domain/permissions'
import { memberHours, workedSpan } from '../../../../shared/domain/working-hours'
import { ApiError } from '../../api/client'
import { useChannel } from '../../api/queries'
import { useSettings, useTeam } from '../../api/reference'
import { formatDay, fromLocalInput, toLocalInput } from '../../app/format'
import { ConfirmConflict } from '../../components/ConfirmConflict'
import { LoadError } from '../../components/States'
import { useCalendarUi } from '../../stores/calendar'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { useReschedule } from '../appointments/useReschedule'
import { DayWeather } from '../weather/DayWeather'
import { atRisk, forecastLine } from '../weather/weather-text'
import { CrewCard, grab } from './CrewCard'
import {
  clockLabel,
  minutesOfClock,
  placeSideBySide,
  shiftDate,
  UNASSIGNED,
  UNASSIGNED_NOTE,
  withoutCrew,
} from './crew-layout'
import { open as workToDo } from './EventTile'
import { covers, useCalendarWeather } from './useCalendarWeather'
import { useTileColors } from './useTileColors'
import './crew.css'

/** The hours drawn, unless a job lies outside them; 1.2 px a minute keeps a 45-minute
 * job's three lines (time, client, service) readable. */
const FIRST_HOUR = 5
const LAST_HOUR = 22
const PX_PER_MINUTE = 1.2

/**
 * One day, one column per crew member (the day view when the calendar shows everyone):
 * names stay on top and hours on the left while the day scrolls both ways; it opens at
 * the business's opening time; each column greys the hours its member does not work
 * and their time off. Drag a job onto another member (and time) to reassign it: saved at
 * once, with the double-booking prompt and an undo.
 */
export function CrewBoard(props: {
  date: string
  onDate: (date: string) => void
  onOpen: (id: string) => void
  onBetterDays: (id: string) => void
  /** Offered to the office: moves the day's jobs at weather risk (the plan dialog). */
  onPlanDay?: (() => void) | undefined
}) {
  const { user } = useSession()
  const team = useTeam()
  const colorOf = useTileColors()
  const ui = useCalendarUi()
  const { timeZone: tz, workingHours: business } = useSettings()
  // Why there is no forecast, or why it is old (as the calendar's weather strip says).
  const { data: status } = useChannel('weather.status', {})
  const { move, conflict } = useReschedule()
  const [dragging, setDragging] = useState<string | null>(null)
  const manager = isManager(user?.role ?? null)
  const from = fromLocalInput(`${props.date}T00:00`, tz) ?? ''
  const to = fromLocalInput(`${shiftDate(props.date, 1)}T00:00`, tz) ?? ''
  const { data, error, refetch } = useChannel(
    'calendar.range',
    {
      from,
      to,
      ...(ui.statuses.length ? { statuses: ui.statuses } : {}),
      ...(ui.serviceId ? { serviceIds: [ui.serviceId] } : {}),
    },
    { keepPrevious: true },
  )
  const events = data?.events ?? []
  const wx = useCalendarWeather({ range: from && to ? { from, to } : null, strip: true })
  const forecast = wx.byDate.get(props.date)
  const atRiskCount = events.filter((e) => workToDo(e) && atRisk(wx.risks.get(e.id))).length
  const offBy = useMemo(() => {
    const by = new Map<string, TimeOff>()
    for (const t of wx.timeOff) if (covers(t, props.date)) by.set(t.teamMemberId, t)
    return by
  }, [wx.timeOff, props.date])
  const columns = useMemo(
    () => team.filter((m) => !ui.teamMemberIds.length || ui.teamMemberIds.includes(m.id)),
    [team, ui.teamMemberIds],
  )
  const orphans = ui.teamMemberIds.length ? [] : withoutCrew(events, team)
  const lanes = columns.length + (orphans.length ? 1 : 0)

  const minutesOf = (iso: string) => minutesOfClock(toLocalInput(iso, tz).slice(11, 16))
  // The hours drawn: the usual day, stretched to any job outside it.
  const first = Math.min(
    FIRST_HOUR,
    ...events.map((e) => Math.floor(minutesOf(e.scheduledAt) / 60)),
  )
  const last = Math.max(
    LAST_HOUR,
    ...events.map((e) =>
      Math.min(24, Math.ceil((minutesOf(e.scheduledAt) + e.durationMinutes) / 60)),
    ),
  )
  const top = (minutes: number) => (minutes - first * 60) * PX_PER_MINUTE
  const height = (last - first) * 60 * PX_PER_MINUTE

  // The first view: the business's opening time just under the names, once per day shown.
  const grid = useRef<HTMLElement>(null)
  const opening = top(minutesOfClock(business.start))
  // biome-ignore lint/correctness/useExhaustiveDependencies: each day shown opens at opening time
  useLayoutEffect(() => {
    if (grid.current) grid.current.scrollTop = Math.max(0, opening - 8)
  }, [opening, props.date])

  async function drop(e: DragEvent<HTMLElement>, memberId: string) {
    e.preventDefault()
    const id = e.dataTransfer.getData('text/plain')
    const job = events.find((x) => x.id === id)
    setDragging(null)
    if (!job) return
    const y = e.clientY - e.currentTarget.getBoundingClientRect().top
    const minutes = Math.round((first * 60 + y / PX_PER_MINUTE - grab.minutes) / 15) * 15
    const hh = String(Math.floor(minutes / 60)).padStart(2, '0')
    const mm = String(minutes % 60).padStart(2, '0')
    const scheduledAt = fromLocalInput(`${props.date}T${hh}:${mm}`, tz)
    if (!scheduledAt || (scheduledAt === job.scheduledAt && memberId === job.teamMemberId)) return
    try {
      await move(
        id,
        {
          scheduledAt: job.scheduledAt,
          durationMinutes: job.durationMinutes,
          teamMemberId: job.teamMemberId,
        },
        { scheduledAt, durationMinutes: job.durationMinutes, teamMemberId: memberId },
      )
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }

  /** A lane's jobs, side by side where they overlap. */
  function cards(mine: typeof events) {
    const placed = placeSideBySide(
      mine.map((e) => {
        const start = minutesOf(e.scheduledAt)
        return { id: e.id, start, end: start + Math.max(e.durationMinutes, 25) }
      }),
    )
    return mine.map((e) => (
      <CrewCard
        key={e.id}
        event={e}
        top={top(minutesOf(e.scheduledAt))}
        startMinutes={minutesOf(e.scheduledAt)}
        height={Math.max(30, e.durationMinutes * PX_PER_MINUTE)}
        place={placed.get(e.id) ?? { index: 0, of: 1 }}
        pxPerMinute={PX_PER_MINUTE}
        draggable={manager}
        risk={wx.risks.get(e.id)}
        colors={colorOf(e)}
        onOpen={props.onOpen}
        onBetterDays={manager ? props.onBetterDays : props.onOpen}
        onDrag={setDragging}
      />
    ))
  }

  const hourMarks = Array.from({ length: last - first }, (_, i) => first + i)
  return (
    <div className="crew-board">
      <div className="crew-nav">
        <button
          type="button"
          aria-label="Previous day"
          onClick={() => props.onDate(shiftDate(props.date, -1))}
        >
          ‹
        </button>
        <button
          type="button"
          onClick={() => props.onDate(toLocalInput(new Date().toISOString(), tz).slice(0, 10))}
        >
          Today
        </button>
        <button
          type="button"
          aria-label="Next day"
          onClick={() => props.onDate(shiftDate(props.date, 1))}
        >
          ›
        </button>
        <h2>{from ? formatDay(from, tz) : props.date}</h2>
        {forecast && <DayWeather day={forecast} wide />}
        <span className="muted small">
          {forecastLine({
            fetchedAt: wx.fetchedAt,
            lastError: status?.lastError ?? null,
            lastRefreshAt: status?.lastRefreshAt ?? null,
            timeZone: tz,
            none: 'No forecast for this day',
          })}
        </span>
        {props.onPlanDay && (
          <button type="button" disabled={atRiskCount === 0} onClick={props.onPlanDay}>
            {atRiskCount
              ? `Move the day's at-risk jobs (${atRiskCount})`
              : 'No job at weather risk'}
          </button>
        )}
      </div>
      {error && <LoadError error={error} retry={() => void refetch()} />}
      <section
        ref={grid}
        className="crew-grid"
        aria-label="Crew board"
        style={{ gridTemplateColumns: `64px repeat(${lanes}, minmax(140px, 1fr))` }}
      >
        <div className="crew-corner" />
        {columns.map((m) => {
          const off = offBy.get(m.id)
          const span = workedSpan(memberHours(m, business), props.date)
          const note = off
            ? `Off${off.reason ? `: ${off.reason}` : ''}`
            : !m.markedAvailable
              ? 'Unavailable'
              : span
                ? `${clockLabel(span.start)} – ${clockLabel(span.end)}`
                : 'Day off'
          return (
            <div
              key={m.id}
              className={off || !m.markedAvailable || !span ? 'crew-head is-off' : 'crew-head'}
              title={`${m.name}: ${note}`}
            >
              <span className="crew-name">
                <span className="swatch" style={{ background: m.color }} aria-hidden="true" />
                {m.name}
              </span>
              <span className="crew-note">{note}</span>
            </div>
          )
        })}
        {orphans.length > 0 && (
          <div className="crew-head" title={`${UNASSIGNED}: ${UNASSIGNED_NOTE}`}>
            <span className="crew-name">{UNASSIGNED}</span>
            <span className="crew-note">{UNASSIGNED_NOTE}</span>
          </div>
        )}
        <div className="crew-hours" style={{ height }} aria-hidden="true">
          {hourMarks.map((h) => (
            <span key={h} style={{ top: top(h * 60) }}>
              {clockLabel(h * 60)}
            </span>
          ))}
        </div>
        {columns.map((m) => {
          const off = offBy.has(m.id)
          // Marked unavailable on Team: greyed all day, as time off is.
          const away = !m.markedAvailable
          const span = off || away ? null : workedSpan(memberHours(m, business), props.date)
          const mine = events.filter((e) => e.teamMemberId === m.id)
          return (
            <section
              key={m.id}
              aria-label={`${m.name}'s day${off ? ' (off)' : away ? ' (unavailable)' : span ? '' : ' (day off)'}`}
              className={`crew-lane${dragging ? ' droppable' : ''}${span ? '' : ' is-off'}`}
              style={{ height, backgroundSize: `100% ${60 * PX_PER_MINUTE}px` }}
              onDragOver={(e) => manager && e.preventDefault()}
              onDrop={(e) => void drop(e, m.id)}
            >
              {span && (
                <>
                  <div className="off-hours" style={{ top: 0, height: top(span.start) }} />
                  <div
                    className="off-hours"
                    style={{ top: top(span.end), height: Math.max(0, height - top(span.end)) }}
                  />
                </>
              )}
              {cards(mine)}
            </section>
          )
        })}
        {orphans.length > 0 && (
          // Dropped here, a job would lose its crew member: a drag goes to a member's column.
          <section
            aria-label={`${UNASSIGNED} jobs`}
            className="crew-lane unassigned"
            style={{ height, backgroundSize: `100% ${60 * PX_PER_MINUTE}px` }}
          >
            {cards(orphans)}
          </section>
        )}
      </section>
      <ConfirmConflict
        message={conflict.prompt}
        onKeepBoth={conflict.keepBoth}
        onCancel={conflict.cancel}
      />
    </div>
  )
}
