import { useMemo, useState } from 'react'
import type { JobRisk } from '../../../../shared/contract/weather'
import { useChannel } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { businessDay } from '../../app/format'

const NONE = new Map<string, JobRisk>()

/**
 * The weather risk of every job starting in [from, to), by job id: a query like any
 * other, so a refresh of the forecasts, a moved job or a changed service redraws it.
 * Risk is extra information: while it is unknown or cannot be read, screens simply
 * show no badges.
 */
export function useRisks(
  range: { from: string; to: string } | null,
  teamMemberId?: string,
): Map<string, JobRisk> {
  const { data } = useChannel(
    'weather.risks',
    {
      from: range?.from ?? '',
      to: range?.to ?? '',
      ...(teamMemberId ? { teamMemberId } : {}),
    },
    { enabled: range !== null && range.from < range.to, keepPrevious: true },
  )
  return useMemo(() => (data ? new Map(data.risks.map((r) => [r.appointmentId, r])) : NONE), [data])
}

/** Forecasts reach about 16 days ahead: the risks worth showing on a list of jobs. */
const FORECAST_DAYS = 16

/** The risks from the start of today over the forecast's reach (fixed while shown). */
export function useUpcomingRisks(): Map<string, JobRisk> {
  const tz = useSettings().timeZone
  const [range] = useState(() => {
    const { from } = businessDay(new Date(), tz)
    return { from, to: new Date(Date.parse(from) + FORECAST_DAYS * 86_400_000).toISOString() }
  })
  return useRisks(range)
}
