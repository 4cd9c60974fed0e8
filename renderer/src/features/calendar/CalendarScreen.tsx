import FullCalendar, { type EventChangeInfo, type EventInput } from '@fullcalendar/react'
import dayGridPlugin from '@fullcalendar/react/daygrid'
import interactionPlugin from '@fullcalendar/react/interaction'
import listPlugin from '@fullcalendar/react/list'
import classicTheme from '@fullcalendar/react/themes/classic'
import timeGridPlugin from '@fullcalendar/react/timegrid'
import { Printer } from 'lucide-react'
import { isManager } from '../../../../shared/domain/permissions'
import { localDay } from '../../../../shared/domain/time'
import { memberHours } from '../../../../shared/domain/working-hours'
import '@fullcalendar/react/skeleton.css'
import '@fullcalendar/react/themes/classic/theme.css'
import '@fullcalendar/react/themes/classic/palette.css'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { CalendarEvent } from '../../../../shared/contract/appointments'
import { ApiError, call } from '../../api/client'
import { useChannel } from '../../api/queries'
import { useSettings, useTeam } from '../../api/reference'
import { fromLocalInput, toLocalInput } from '../../app/format'
import { navigate, replaceParams, useRoute } from '../../app/router'
import { ConfirmConflict } from '../../components/ConfirmConflict'
import { type CalendarView, useCalendarUi } from '../../stores/calendar'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { HorizonClashes } from '../appointments/HorizonClashes'
import { useAppointmentDialogs } from '../appointments/useAppointmentDialogs'
import { useReschedule } from '../appointments/useReschedule'
import { PlanDayDialog } from '../weather/PlanDayDialog'
import { atRisk } from '../weather/weather-text'
import { CalendarFilters } from './CalendarFilters'
import './calendar-screen.css'
import { CrewBoard } from './CrewBoard'
import { CrewWeek } from './CrewWeek'
import { EventTile, open as workToDo } from './EventTile'
import { useCalendarWeather } from './useCalendarWeather'
import { useTileColors } from './useTileColors'
import { dayHeader, WeatherBar } from './WeatherBar'

const DAY_NAMES = [0, 1, 2, 3, 4, 5, 6]
const VIEWS: CalendarView[] = ['timeGridDay', 'timeGridWeek', 'dayGridMonth', 'listWeek']

/** The office's home: the crew's week, coloured, filterable, and rescheduled by dragging. */
export function CalendarScreen() {
  const { user } = useSession()
  const settings = useSettings()
  const team = useTeam()
  const ui = useCalendarUi()
  const { params } = useRoute()
  // The view and date live in the URL too, so a view can be reloaded or shared. The day
  // view shows a column per crew member when the calendar shows everyone (the crew
  // board); one member's day, the weeks, the month and the list are FullCalendar's.
  const urlView = params.get('view')
  const crewWeek = urlView === 'crewWeek'
  const dayView = urlView === 'crew' || (urlView ?? ui.view) === 'timeGridDay'
  const board = dayView && ui.teamMemberIds.length === 0 && !crewWeek
  const calendar = !board && !crewWeek
  // FullCalendar reads its view and date when it mounts: from the URL as it is then, each
  // time it comes back (from the crew board, say), not only when the screen opened.
  // Read only while the calendar shows: read while the board shows, it would hold the
  // board's day view and bring the board back as soon as the calendar opened.
  const initialRef = useRef<{ view: CalendarView; date: string | undefined } | null>(null)
  if (!calendar) initialRef.current = null
  else
    initialRef.current ??= {
      view: dayView
        ? 'timeGridDay'
        : VIEWS.includes(urlView as CalendarView)
          ? (urlView as CalendarView)
          : ui.view,
      date: /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '')
        ? (params.get('date') as string)
        : undefined,
    }
  const initial = initialRef.current ?? { view: ui.view, date: undefined }
  const boardDate =
    params.get('date') ?? toLocalInput(new Date().toISOString(), settings.timeZone).slice(0, 10)
  const { move: reschedule, conflict } = useReschedule()
  const manager = isManager(user?.role ?? null)
  const colorOf = useTileColors()
  const names = useMemo(() => new Map(team.map((m) => [m.id, m.name])), [team])
  const { book, show, betterDays, dialogs } = useAppointmentDialogs()

  const toInput = useCallback(
    (e: CalendarEvent): EventInput => {
      const tile = colorOf(e)
      return {
        id: e.id,
        title: `${e.clientName} · ${e.serviceName}`,
        start: e.scheduledAt,
        end: new Date(Date.parse(e.scheduledAt) + e.durationMinutes * 60_000).toISOString(),
        color: tile.background,
        contrastColor: tile.text,
        className: e.status === 'cancelled' ? 'is-cancelled' : undefined,
        editable: manager && (e.status === 'scheduled' || e.status === 'in_progress'),
        extendedProps: { event: e },
      }
    },
    [colorOf, manager],
  )

  // The visible range, as the calendar reports it; the events are a query over it, so
  // a change anywhere (a pull included) redraws them, colours and all.
  const [range, setRange] = useState<{ from: string; to: string; view: CalendarView } | null>(null)
  const { data } = useChannel(
    'calendar.range',
    {
      from: range?.from ?? '',
      to: range?.to ?? '',
      ...(ui.teamMemberIds.length ? { teamMemberIds: ui.teamMemberIds } : {}),
      ...(ui.statuses.length ? { statuses: ui.statuses } : {}),
      ...(ui.serviceId ? { serviceIds: [ui.serviceId] } : {}),
    },
    { enabled: range !== null && calendar, keepPrevious: true },
  )
  // Beside the jobs: their weather risk, the forecast per day and who is off.
  const strip = range?.view === 'timeGridDay' || range?.view === 'timeGridWeek'
  const onlyMember = ui.teamMemberIds.length === 1 ? ui.teamMemberIds[0] : undefined
  const wx = useCalendarWeather({ range, strip, teamMemberId: onlyMember })
  const events = useMemo(
    () => [...(data?.events.map(toInput) ?? []), ...wx.offEvents],
    [data, toInput, wx.offEvents],
  )
  const dates = wx.dates
  const [planDay, setPlanDay] = useState<string | null>(null)
  const dayAtRisk =
    range?.view === 'timeGridDay'
      ? (data?.events ?? []).filter((e) => workToDo(e) && atRisk(wx.risks.get(e.id))).length
      : 0
  const truncated = data?.truncated ?? false

  /** A drag or resize: saved at once, with the conflict prompt and an undo. */
  async function move(info: EventChangeInfo) {
    const e = info.event.extendedProps.event as CalendarEvent
    const start = info.event.start?.toISOString()
    const end = info.event.end?.toISOString()
    const oldStart = info.oldEvent.start?.toISOString()
    const oldEnd = info.oldEvent.end?.toISOString()
    if (!start || !oldStart) return info.revert()
    const minutes = (from: string, to: string | undefined) =>
      to ? Math.round((Date.parse(to) - Date.parse(from)) / 60_000) : e.durationMinutes
    try {
      const saved = await reschedule(
        e.id,
        // Where the calendar showed it just before this move.
        {
          scheduledAt: oldStart,
          durationMinutes: minutes(oldStart, oldEnd),
          teamMemberId: e.teamMemberId,
        },
        { scheduledAt: start, durationMinutes: minutes(start, end), teamMemberId: e.teamMemberId },
      )
      if (!saved) info.revert()
    } catch (err) {
      info.revert()
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }

  async function open(id: string) {
    try {
      show(await call('appointments.get', { id }))
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }

  const [eventCount, setEventCount] = useState<number | null>(null)
  // Everyone's week: a busy company's many jobs at the same hours. Its tiles are one line
  // (time and client, the rest in the tooltip) so more fit side by side. The week to plan
  // crew by crew is the Week by crew.
  const everyoneWeek = range?.view === 'timeGridWeek' && ui.teamMemberIds.length === 0
  const stack = useEventStack(range?.view ?? null, everyoneWeek)
  // One crew member shown alone: their own hours and days are the working time shown.
  const shownMember = onlyMember ? team.find((m) => m.id === onlyMember) : undefined
  const hours = shownMember
    ? memberHours(shownMember, settings.workingHours)
    : settings.workingHours
  /**
   * A new appointment starts on the day the calendar shows: the next hour when that is
   * today (or the week shown holds today), else the day shown at opening time.
   */
  const showsToday = () => {
    const now = Date.now()
    return !calendar
      ? boardDate === toLocalInput(new Date(now).toISOString(), settings.timeZone).slice(0, 10)
      : range !== null && now >= Date.parse(range.from) && now < Date.parse(range.to)
  }
  /** The day "Day by crew" opens on: today when the calendar's week or month holds it. */
  const dayToOpen = () =>
    calendar && showsToday()
      ? toLocalInput(new Date().toISOString(), settings.timeZone).slice(0, 10)
      : boardDate
  const newBooking = () => {
    if (showsToday()) return {}
    const start = fromLocalInput(`${boardDate}T${hours.start}`, settings.timeZone)
    return start ? { start } : {}
  }
  return (
    <section className="screen calendar-screen" aria-label="Calendar">
      {/* Two rows: the title, layouts and actions; then the filters and the forecast. The
          calendar below takes the rest of the height. */}
      <header className="screen-head calendar-head">
        <div className="calendar-head-row">
          <h1>Calendar</h1>
          <div className="tabs" role="tablist" aria-label="Calendar layout">
            <button
              type="button"
              role="tab"
              aria-selected={calendar}
              onClick={() => navigate('/calendar', { view: 'timeGridWeek', date: boardDate })}
            >
              Calendar
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={board}
              onClick={() => {
                useCalendarUi.getState().set({ teamMemberIds: [] })
                navigate('/calendar', { view: 'crew', date: dayToOpen() })
              }}
            >
              Day by crew
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={crewWeek}
              onClick={() => navigate('/calendar', { view: 'crewWeek', date: boardDate })}
            >
              Week by crew
            </button>
          </div>
          <span className="calendar-head-actions">
            {(board || range?.view === 'timeGridDay') && (
              <button
                type="button"
                className="print-sheet"
                onClick={() =>
                  navigate('/day-sheet', {
                    date:
                      !board && range
                        ? localDay(Date.parse(range.from), settings.timeZone)
                        : boardDate,
                    // The crew shown alone, else everyone's (a crew lead's sheet is always
                    // their own).
                    crew: onlyMember ?? 'all',
                  })
                }
              >
                <Printer aria-hidden="true" size={16} /> Print day sheet
              </button>
            )}
            {manager && (
              <button type="button" className="primary" onClick={() => book(newBooking())}>
                New appointment
              </button>
            )}
          </span>
        </div>
        <div className="calendar-head-row">
          <CalendarFilters />
          {calendar && strip && (
            <WeatherBar
              dates={dates}
              byDate={wx.byDate}
              timeOff={wx.timeOff}
              fetchedAt={wx.fetchedAt}
              atRisk={dayAtRisk}
              onPlanDay={
                manager && range?.view === 'timeGridDay'
                  ? () => setPlanDay(dates[0] ?? null)
                  : undefined
              }
            />
          )}
        </div>
      </header>
      {manager && <HorizonClashes onOpen={(id) => void open(id)} />}
      {truncated && (
        <p className="notice" role="status">
          This range holds more appointments than the calendar can show at once: narrow it with the
          filters, or switch to the week view.
        </p>
      )}
      {board ? (
        <CrewBoard
          date={boardDate}
          onDate={(date) => replaceParams(new URLSearchParams({ view: 'crew', date }))}
          onOpen={(id) => void open(id)}
          onBetterDays={betterDays}
          onPlanDay={manager ? () => setPlanDay(boardDate) : undefined}
        />
      ) : crewWeek ? (
        <CrewWeek
          date={boardDate}
          onDate={(date) => replaceParams(new URLSearchParams({ view: 'crewWeek', date }))}
          onOpen={(id) => void open(id)}
          onBook={(teamMemberId, day, time) =>
            book({
              start: fromLocalInput(`${day}T${time}`, settings.timeZone) ?? undefined,
              teamMemberId,
            })
          }
        />
      ) : (
        <div className="calendar-wrap" data-event-count={eventCount ?? undefined} ref={stack.ref}>
          <FullCalendar
            plugins={[classicTheme, dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin]}
            initialView={initial.view}
            {...(initial.date ? { initialDate: initial.date } : {})}
            timeZone={settings.timeZone}
            headerToolbar={{
              start: 'prev,next today',
              center: 'title',
              end: 'timeGridDay,timeGridWeek,dayGridMonth,listWeek',
            }}
            height="100%"
            nowIndicator
            allDaySlot={false}
            slotMinTime="05:00:00"
            slotMaxTime="22:00:00"
            scrollTime={hours.start}
            businessHours={{
              daysOfWeek: DAY_NAMES.filter((d) => hours.days.includes(d)),
              startTime: hours.start,
              endTime: hours.end,
            }}
            dayMaxEvents
            firstDay={1}
            eventMaxStack={stack.max}
            // "+N" in the day and week views: a small pill in a strip of its own at the
            // column's right, beside the jobs rather than over them (calendar-screen.css).
            columnMoreLinkClass="more-pill"
            // No job shorter than a one-line tile, nor than that pill: groups of hidden
            // jobs are at least this tall, so two pills in one day never overlap.
            eventMinHeight={20}
            selectable={manager}
            selectMirror
            editable={manager}
            events={events}
            eventsSet={(events) => setEventCount(events.length)}
            datesSet={(info) => {
              const view = info.view.type as CalendarView
              setRange({ from: info.start.toISOString(), to: info.end.toISOString(), view })
              useCalendarUi.getState().set({ view })
              const next = new URLSearchParams({
                view,
                date: toLocalInput(info.view.currentStart.toISOString(), settings.timeZone).slice(
                  0,
                  10,
                ),
              })
              replaceParams(next)
            }}
            eventContent={(arg) => {
              const e = arg.event.extendedProps.event as CalendarEvent | undefined
              if (!e) return arg.event.title
              return (
                <EventTile
                  event={e}
                  member={(e.teamMemberId ? names.get(e.teamMemberId) : null) ?? 'Unassigned'}
                  // A one-line tile of everyone's week: its start ("7:00"), the span in its tooltip.
                  timeText={everyoneWeek ? (arg.timeText.split(/\s[-–]\s/)[0] ?? '') : arg.timeText}
                  compact={arg.view.type === 'dayGridMonth' || everyoneWeek}
                  risk={wx.risks.get(e.id)}
                />
              )
            }}
            {...(strip
              ? {
                  dayHeaderContent: dayHeader(wx, range?.view === 'timeGridDay', settings.timeZone),
                }
              : {})}
            eventClick={(info) => {
              info.jsEvent.preventDefault()
              if (info.event.display === 'background') return
              // The risk badge inside a tile opens the job's better days.
              const badge = (info.jsEvent.target as Element | null)?.closest('[data-risk-badge]')
              if (badge && manager) betterDays(info.event.id)
              else void open(info.event.id)
            }}
            select={(info) => {
              const minutes = Math.round((info.end.getTime() - info.start.getTime()) / 60_000)
              book({
                start: info.start.toISOString(),
                durationMinutes: minutes >= 24 * 60 ? 60 : minutes,
                teamMemberId: ui.teamMemberIds.length === 1 ? ui.teamMemberIds[0] : null,
              })
            }}
            eventDrop={(info) => void move(info)}
            eventResize={(info) => void move(info)}
          />
        </div>
      )}
      {dialogs}
      <PlanDayDialog
        key={planDay}
        date={planDay}
        teamMemberId={onlyMember}
        onClose={() => setPlanDay(null)}
      />
      <ConfirmConflict
        message={conflict.prompt}
        onKeepBoth={conflict.keepBoth}
        onCancel={conflict.cancel}
      />
    </section>
  )
}

/** The narrowest a job's tile may be and still show its time and client. */
const TILE_MIN_PX = 72
/** The same for a one-line tile (everyone's week): its time and the client's first name. */
const COMPACT_TILE_MIN_PX = 60

/**
 * How many jobs at one time a day's column shows side by side before "+N" (whose list
 * opens in a popover): as many as fit at a readable width. A week of 25 crews at 1024
 * pixels shows one tile and "+12" at 7:00 rather than twelve slivers.
 */
function useEventStack(view: CalendarView | null, compact: boolean) {
  const days = view === 'timeGridWeek' ? 7 : 1
  const tile = compact ? COMPACT_TILE_MIN_PX : TILE_MIN_PX
  const width = useRef(0)
  const daysRef = useRef(days)
  const tileRef = useRef(tile)
  // Held as the count, not the width: a resize re-renders only when the count changes.
  const [max, setMax] = useState(4)
  const update = useCallback(() => {
    // The hour labels take about 56 pixels.
    const column = (width.current - 56) / daysRef.current
    setMax(width.current ? Math.min(4, Math.max(1, Math.floor(column / tileRef.current))) : 4)
  }, [])
  const observer = useRef<ResizeObserver | null>(null)
  const ref = useCallback(
    (el: HTMLDivElement | null) => {
      observer.current?.disconnect()
      if (!el) return
      observer.current = new ResizeObserver(([entry]) => {
        width.current = entry?.contentRect.width ?? 0
        update()
      })
      observer.current.observe(el)
    },
    [update],
  )
  useEffect(() => {
    daysRef.current = days
    tileRef.current = tile
    update()
  }, [days, tile, update])
  useEffect(() => () => observer.current?.disconnect(), [])
  return { ref, max }
}
