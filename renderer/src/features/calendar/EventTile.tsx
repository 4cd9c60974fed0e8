import type { CalendarEvent } from '../../../../shared/contract/appointments'
import type { JobRisk } from '../../../../shared/contract/weather'
import { statusLabel } from '../../components/States'
import { RiskBadge } from '../weather/RiskBadge'

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
    risk && risk.risk !== 'low' ? ` — ${risk.risk === 'unknown' ? 'no forecast' : risk.reason}` : ''
  }`
  if (props.compact) {
    return (
      <div className="event-tile compact" title={label}>
        <RiskBadge risk={risk} compact />
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
      </span>
      <span className="event-client">{e.clientName}</span>
      <span className="event-service">{e.serviceName}</span>
      <span className="event-meta">
        {props.member} · {statusLabel(e.status)}
      </span>
    </div>
  )
}
