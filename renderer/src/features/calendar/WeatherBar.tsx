import type { ForecastDay, TimeOff } from '../../../../shared/contract/weather'
import { useChannel } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { formatDay, fromLocalInput } from '../../app/format'
import { DayWeather } from '../weather/DayWeather'
import { daySentence, forecastLine } from '../weather/weather-text'
import { type CalendarWeather, covers, localDay } from './useCalendarWeather'

/**
 * What the day headers show, once more in words for assistive technology (the
 * calendar hides its headers' pictures from it), with the forecast's age and, on the
 * day view, the action that moves the day's at-risk jobs.
 */
export function WeatherBar(props: {
  dates: string[]
  byDate: ReadonlyMap<string, ForecastDay>
  timeOff: readonly TimeOff[]
  fetchedAt: string | null
  atRisk: number
  onPlanDay?: (() => void) | undefined
}) {
  const { timeZone: tz, units } = useSettings()
  // Why there is no forecast, or why it is old: the refresh status Settings → Weather shows.
  const { data: status } = useChannel('weather.status', {})
  const line = forecastLine({
    fetchedAt: props.fetchedAt,
    lastError: status?.lastError ?? null,
    lastRefreshAt: status?.lastRefreshAt ?? null,
    timeZone: tz,
  })
  const trouble = !!status?.lastError || line.endsWith('out of date')
  return (
    <div className="weather-bar">
      <span className={trouble ? 'small weather-trouble' : 'muted small'} title={line}>
        {line}
      </span>
      {props.onPlanDay && (
        <button type="button" disabled={props.atRisk === 0} onClick={props.onPlanDay}>
          {props.atRisk
            ? `Move the day's at-risk jobs (${props.atRisk})`
            : 'No job at weather risk'}
        </button>
      )}
      <ul className="visually-hidden" aria-label="Weather by day">
        {props.dates.map((date) => {
          const d = props.byDate.get(date)
          const off = props.timeOff.filter((t) => covers(t, date)).map((t) => t.teamMemberName)
          const noon = fromLocalInput(`${date}T12:00`, tz) ?? date
          return (
            <li key={date}>
              {formatDay(noon, tz)}: {d ? daySentence(d, units) : 'no forecast'}
              {off.length > 0 && `; off: ${off.join(', ')}`}
            </li>
          )
        })}
      </ul>
    </div>
  )
}

/** A day column's header: the date as the calendar words it, the weather, who is off. */
export function DayHead(props: {
  text: string
  day: ForecastDay | undefined
  past: boolean
  off: readonly TimeOff[]
  wide: boolean
}) {
  const names = props.off.map((t) => `${t.teamMemberName}${t.reason ? ` (${t.reason})` : ''}`)
  return (
    <div className="day-head">
      <span className="day-head-date">{props.text}</span>
      {props.day ? (
        <DayWeather day={props.day} wide={props.wide} />
      ) : (
        !props.past && <span className="day-weather none">no forecast</span>
      )}
      {names.length > 0 && (
        <span className="day-off" title={`Off: ${names.join(', ')}`}>
          {props.wide || names.length === 1
            ? `Off: ${props.off.map((t) => t.teamMemberName).join(', ')}`
            : `${names.length} off`}
        </span>
      )}
    </div>
  )
}

/** FullCalendar's day header content for the day and week views. */
export const dayHeader =
  (wx: CalendarWeather, wide: boolean, tz: string) =>
  (arg: { date: Date; text: string; isPast: boolean }) => {
    const date = localDay(arg.date.toISOString(), tz)
    return (
      <DayHead
        text={arg.text}
        past={arg.isPast}
        day={wx.byDate.get(date)}
        off={wx.timeOff.filter((t) => covers(t, date))}
        wide={wide}
      />
    )
  }
