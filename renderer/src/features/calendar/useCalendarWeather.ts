import type { EventInput } from '@fullcalendar/react'
import { useMemo } from 'react'
import type { ForecastDay, TimeOff } from '../../../../shared/contract/weather'
import { addDays, localDay as dayOf } from '../../../../shared/domain/time'
import { useChannel } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { fromLocalInput } from '../../app/format'
import { useRisks } from '../weather/useRisks'
import { newest } from '../weather/weather-text'

const NO_TIME_OFF: TimeOff[] = []

/** The local day of an instant, YYYY-MM-DD, in the business's zone. */
export const localDay = (iso: string, tz: string) => dayOf(Date.parse(iso), tz)

export { covers } from '../../../../shared/domain/working-hours'

/**
 * What the calendar shows beside the jobs for the visible range: each job's weather
 * risk, the forecast per day (day and week views) and who is off. All are queries, so
 * a refresh of the forecasts or a new time off redraws them.
 */
export function useCalendarWeather(opts: {
  range: { from: string; to: string } | null
  strip: boolean
  teamMemberId?: string | undefined
}) {
  const tz = useSettings().timeZone
  const { range, teamMemberId } = opts
  // [from, to) as instants; the day channels take the first and last local days.
  const days = range
    ? {
        from: localDay(range.from, tz),
        to: localDay(new Date(Date.parse(range.to) - 1).toISOString(), tz),
      }
    : null
  const member = teamMemberId ? { teamMemberId } : {}
  const risks = useRisks(range, teamMemberId)
  const weather = useChannel(
    'weather.days',
    { from: days?.from ?? '', to: days?.to ?? '', ...member },
    { enabled: days !== null && opts.strip, keepPrevious: true },
  )
  const timeOff = useChannel(
    'team.timeOff.list',
    { ...(days ? { from: days.from, to: days.to } : {}), ...member },
    { enabled: days !== null, keepPrevious: true },
  )
  const byDate = useMemo(
    () => new Map<string, ForecastDay>((weather.data?.days ?? []).map((d) => [d.date, d])),
    [weather.data],
  )
  const fetchedAt = useMemo(() => newest(weather.data?.days ?? []), [weather.data])
  const rows = timeOff.data?.results ?? NO_TIME_OFF
  const dates = useMemo(() => datesOf(range, tz), [range, tz])
  // One crew member shown: the days they are off are greyed, as background events.
  const offEvents = useMemo(
    (): EventInput[] =>
      teamMemberId
        ? rows.map((t) => ({
            id: `off-${t.id}`,
            title: `${t.teamMemberName} off${t.reason ? `: ${t.reason}` : ''}`,
            start: fromLocalInput(`${t.startsOn}T00:00`, tz) ?? t.startsOn,
            end:
              fromLocalInput(`${nextDay(t.endsOn ?? dates.at(-1) ?? t.startsOn)}T00:00`, tz) ??
              t.startsOn,
            display: 'background',
            className: 'time-off',
          }))
        : [],
    [rows, teamMemberId, dates, tz],
  )
  return { risks, byDate, fetchedAt, timeOff: rows, dates, offEvents }
}

export type CalendarWeather = ReturnType<typeof useCalendarWeather>

const nextDay = (date: string) => addDays(date, 1)

/** The local days of the visible range, first to last. */
function datesOf(range: { from: string; to: string } | null, tz: string): string[] {
  if (!range) return []
  const out: string[] = []
  const last = localDay(new Date(Date.parse(range.to) - 1).toISOString(), tz)
  for (let d = localDay(range.from, tz); d <= last && out.length < 62; d = nextDay(d)) out.push(d)
  return out
}
