import { Repeat } from 'lucide-react'
import type { CalendarEvent } from '../../../../shared/contract/appointments'
import type { JobRisk } from '../../../../shared/contract/weather'
import { statusLabel } from '../../components/States'
import { RiskBadge } from '../weather/RiskBadge'

/** The mark of a visit in a recurring series, named for screen readers and the tooltip. */
export function RepeatMark(props: { seriesId: string | null }) {
  if (!props.seriesId) return null
  return (
    <span className="repeat-mark" role="img" aria-label="Recurring visit" title="Recurring visit">
      <Repeat aria-hidden="true" size={12} strokeWidth={2.5} />
    </span>
  )
}

/** Weather risk matters for work still to do. */
export const open = (e: CalendarEvent) => e.status === 'scheduled' || e.status === 'in_progress'

/** A job on the calendar: time, client, service, crew and status, and its weather risk. */
export function EventTile(props: {
  event: CalendarEvent
  member: string
  timeText: string
  compact: boolean
  risk: JobRisk | undefined
}) {
  const e = props.event
  const risk = open(e) ? props.risk : undefined
  const label = `${e.clientName} — ${e.serviceName} — ${props.member} — ${statusLabel(e.status)}${
    e.seriesId ? ' — recurring visit' : ''
  }${risk && risk.risk !== 'low' ? ` — ${risk.risk === 'unknown' ? 'no forecast' : risk.reason}` : ''}`
  if (props.compact) {
    return (
      <div className="event-tile compact" title={label}>
        {/* A month's line is a client's name: only a risk to act on takes room from it
            ("no forecast" stays in its tooltip, and on the day and week views). */}
        <RiskBadge risk={risk?.risk === 'unknown' ? undefined : risk} compact />
        <RepeatMark seriesId={e.seriesId} />
        <span className="event-time">{props.timeText}</span>
        <span className="event-client">{e.clientName}</span>
        <span className="visually-hidden">
          {e.serviceName} {props.member} {statusLabel(e.status)}
        </span>
      </div>
    )
  }
  return (
    <div className="event-tile" title={label}>
      <span className="event-time">
        <RiskBadge risk={risk} compact />
        {props.timeText}
        <RepeatMark seriesId={e.seriesId} />
      </span>
      <span className="event-client">{e.clientName}</span>
      <span className="event-service">{e.serviceName}</span>
      <span className="event-meta">
        {props.member} · {statusLabel(e.status)}
      </span>
    </div>
  )
}
