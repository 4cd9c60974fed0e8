import { useCallback, useMemo } from 'react'
import type { CalendarEvent } from '../../../../shared/contract/appointments'
import { useTeam } from '../../api/reference'
import { useCalendarUi } from '../../stores/calendar'
import { type TileColors, tileColors } from './tile-colors'

/** The colours of a job's tile as "Color by" asks, for every calendar layout. */
export function useTileColors(): (e: CalendarEvent) => TileColors {
  const team = useTeam()
  const colorBy = useCalendarUi((s) => s.colorBy)
  const colors = useMemo(() => new Map(team.map((m) => [m.id, m.color])), [team])
  return useCallback((e) => tileColors(e, colorBy, (id) => colors.get(id)), [colorBy, colors])
}
