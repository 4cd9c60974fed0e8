import { type DragEvent, useMemo, useState } from 'react'
import type { CalendarEvent } from '../../../../shared/contract/appointments'
import type { JobRisk, TimeOff } from '../../../../shared/contract/weather'
import { isManager } from '../../../../shared/domain/permissions'
import { ApiError } from '../../api/client'
import { useChannel } from '../../api/queries'
import { useSettings, useTeam } from '../../api/reference'
import { formatDay, fromLocalInput, toLocalInput } from '../../app/format'
import { ConfirmConflict } from '../../components/ConfirmConflict'
import { LoadError, statusLabel } from '../../components/States'
import { useCalendarUi } from '../../stores/calendar'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { useReschedule } from '../appointments/useReschedule'
import { DayWeather } from '../weather/DayWeather'
import { RiskBadge } from '../weather/RiskBadge'
import { forecastAge } from '../weather/weather-text'
import { open as workToDo } from './EventTile'
import { covers, useCalendarWeather } from './useCalendarWeather'

const FIRST_HOUR = 5
const LAST_HOUR = 22
const PX_PER_MINUTE = 1

/**
 * One day, one column per crew member: drag a job onto another member (and time) to
 * reassign it. Saved at once, with the double-booking prompt and an undo.
 */
export function CrewBoard(props: {
  date: string
  onDate: (date: string) => void
  onOpen: (id: string) => void
  onBetterDays: (id: string) => void
}) {
  const { user } = useSession()
  const team = useTeam()
  const ui = useCalendarUi()
  const tz = useSettings().timeZone
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
  const offBy = useMemo(() => {
    const by = new Map<string, TimeOff>()
    for (const t of wx.timeOff) if (covers(t, props.date)) by.set(t.teamMemberId, t)
    return by
  }, [wx.timeOff, props.date])
  const columns = useMemo(() => {
    const busy = new Set(events.map((e) => e.teamMemberId))
    return team.filter(
      (m) =>
        (m.isAvailable || busy.has(m.id)) &&
        (!ui.teamMemberIds.length || ui.teamMemberIds.includes(m.id)),
    )
  }, [team, events, ui.teamMemberIds])

  const minutesOf = (iso: string) => {
    const [, time = '00:00'] = toLocalInput(iso, tz).split('T')
    const [h = 0, m = 0] = time.split(':').map(Number)
    return h * 60 + m
  }

  async function drop(e: DragEvent<HTMLElement>, memberId: string) {
    e.preventDefault()
    const id = e.dataTransfer.getData('text/plain')
    const job = events.find((x) => x.id === id)
    setDragging(null)
    if (!job) return
    const y = e.clientY - e.currentTarget.getBoundingClientRect().top
    const minutes = Math.round((FIRST_HOUR * 60 + y / PX_PER_MINUTE - grabOffset) / 15) * 15
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

  const hours = Array.from({ length: LAST_HOUR - FIRST_HOUR }, (_, i) => FIRST_HOUR + i)
  const height = (LAST_HOUR - FIRST_HOUR) * 60 * PX_PER_MINUTE
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
          {wx.fetchedAt ? forecastAge(wx.fetchedAt) : 'No forecast for this day'}
        </span>
      </div>
      {error && <LoadError error={error} retry={() => void refetch()} />}
      <section
        className="crew-grid"
        aria-label="Crew board"
        style={{ gridTemplateColumns: `56px repeat(${columns.length}, minmax(120px, 1fr))` }}
      >
        <div className="crew-corner" />
        {columns.map((m) => {
          const off = offBy.get(m.id)
          return (
            <div
              key={m.id}
              className={off ? 'crew-head is-off' : 'crew-head'}
              title={off ? `Off${off.reason ? `: ${off.reason}` : ''}` : undefined}
            >
              <span className="swatch" style={{ background: m.color }} aria-hidden="true" />
              {m.name}
              {off && <span className="day-off">off</span>}
            </div>
          )
        })}
        <div className="crew-hours" style={{ height }}>
          {hours.map((h) => (
            <span key={h} style={{ top: (h - FIRST_HOUR) * 60 * PX_PER_MINUTE }}>
              {h % 12 === 0 ? 12 : h % 12}
              {h < 12 ? 'am' : 'pm'}
            </span>
          ))}
        </div>
        {columns.map((m) => (
          <section
            key={m.id}
            aria-label={`${m.name}'s day${offBy.has(m.id) ? ' (off)' : ''}`}
            className={`crew-lane${dragging ? ' droppable' : ''}${offBy.has(m.id) ? ' is-off' : ''}`}
            style={{ height }}
            onDragOver={(e) => manager && e.preventDefault()}
            onDrop={(e) => void drop(e, m.id)}
          >
            {events
              .filter((e) => e.teamMemberId === m.id)
              .map((e) => (
                <Card
                  key={e.id}
                  event={e}
                  top={(minutesOf(e.scheduledAt) - FIRST_HOUR * 60) * PX_PER_MINUTE}
                  draggable={manager}
                  risk={wx.risks.get(e.id)}
                  onOpen={props.onOpen}
                  onBetterDays={manager ? props.onBetterDays : props.onOpen}
                  onDrag={setDragging}
                />
              ))}
          </section>
        ))}
      </section>
      <ConfirmConflict
        message={conflict.prompt}
        onKeepBoth={conflict.keepBoth}
        onCancel={conflict.cancel}
      />
    </div>
  )
}

/** Where, within a card, the pointer grabbed it (minutes from its top), so drops line up. */
let grabOffset = 0

function Card(props: {
  event: CalendarEvent
  top: number
  draggable: boolean
  risk: JobRisk | undefined
  onOpen: (id: string) => void
  onBetterDays: (id: string) => void
  onDrag: (id: string | null) => void
}) {
  const e = props.event
  const editable = props.draggable && (e.status === 'scheduled' || e.status === 'in_progress')
  return (
    <button
      type="button"
      className={`crew-card status-${e.status}`}
      style={{ top: props.top, height: Math.max(22, e.durationMinutes * PX_PER_MINUTE) }}
      draggable={editable}
      onDragStart={(ev) => {
        ev.dataTransfer.setData('text/plain', e.id)
        ev.dataTransfer.effectAllowed = 'move'
        grabOffset = (ev.clientY - ev.currentTarget.getBoundingClientRect().top) / PX_PER_MINUTE
        props.onDrag(e.id)
      }}
      onDragEnd={() => props.onDrag(null)}
      onClick={(ev) =>
        // The risk badge inside the card opens the job's better days.
        (ev.target as Element).closest('[data-risk-badge]')
          ? props.onBetterDays(e.id)
          : props.onOpen(e.id)
      }
    >
      <strong>
        {e.clientName}
        <RiskBadge risk={workToDo(e) ? props.risk : undefined} />
      </strong>
      <span>{e.serviceName}</span>
      <span className="muted small">{statusLabel(e.status)}</span>
    </button>
  )
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}
