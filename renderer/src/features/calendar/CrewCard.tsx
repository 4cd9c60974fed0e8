import type { CalendarEvent } from '../../../../shared/contract/appointments'
import type { JobRisk } from '../../../../shared/contract/weather'
import { statusLabel } from '../../components/States'
import { RiskBadge } from '../weather/RiskBadge'
import { spanLabel } from './crew-layout'
import { RepeatMark, open as workToDo } from './EventTile'
import type { TileColors } from './tile-colors'

/** Where, within a card, the pointer grabbed it (minutes from its top), so drops line up. */
export const grab = { minutes: 0 }

/**
 * A job on the crew board: its time, client and service (what fits its height), all of
 * it in the tooltip and the accessible name. Side by side with the jobs it overlaps.
 */
export function CrewCard(props: {
  event: CalendarEvent
  top: number
  /** Minutes past the local midnight it starts at. */
  startMinutes: number
  height: number
  place: { index: number; of: number }
  pxPerMinute: number
  draggable: boolean
  risk: JobRisk | undefined
  /** Its fill and words, as "Color by" asks (the same as the other layouts' tiles). */
  colors: TileColors
  onOpen: (id: string) => void
  onBetterDays: (id: string) => void
  onDrag: (id: string | null) => void
}) {
  const e = props.event
  const editable = props.draggable && (e.status === 'scheduled' || e.status === 'in_progress')
  const when = spanLabel(props.startMinutes, e.durationMinutes)
  const width = 100 / props.place.of
  const repeats = e.seriesId ? '\nRecurring visit' : ''
  return (
    <button
      type="button"
      // Under 45 minutes' height, time and client share a line and the service is in the
      // tooltip.
      className={`crew-card status-${e.status}${props.height < 50 ? ' is-short' : ''}`}
      title={`${when}\n${e.clientName}\n${e.serviceName}\n${statusLabel(e.status)}${repeats}`}
      aria-label={`${when}, ${e.clientName}, ${e.serviceName}, ${statusLabel(e.status)}${
        e.seriesId ? ', recurring visit' : ''
      }`}
      style={{
        top: props.top,
        height: props.height,
        left: `calc(${props.place.index * width}% + 2px)`,
        width: `calc(${width}% - 4px)`,
        background: props.colors.background,
        color: props.colors.text,
      }}
      draggable={editable}
      onDragStart={(ev) => {
        ev.dataTransfer.setData('text/plain', e.id)
        ev.dataTransfer.effectAllowed = 'move'
        grab.minutes =
          (ev.clientY - ev.currentTarget.getBoundingClientRect().top) / props.pxPerMinute
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
      <span className="crew-card-time">
        {when}
        <RepeatMark seriesId={e.seriesId} />
        <RiskBadge risk={workToDo(e) ? props.risk : undefined} compact />
      </span>
      <strong className="crew-card-client">{e.clientName}</strong>
      <span className="crew-card-service">{e.serviceName}</span>
    </button>
  )
}
