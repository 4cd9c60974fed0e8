import type { JobRisk } from '../../../../shared/contract/weather'
import { RISK_LABEL } from './weather-text'
import './weather.css'

/**
 * A job's weather risk on a calendar tile or a card: moderate and high stand out, with
 * the reason as its tooltip and for assistive technology; "no forecast" is a faint
 * mark, never shown as fine; low shows nothing. Inside a clickable tile the badge is a
 * plain element marked `data-risk-badge`: the tile's own click handler looks for it.
 */
export function RiskBadge(props: { risk: JobRisk | undefined; compact?: boolean }) {
  const r = props.risk
  if (!r || r.risk === 'low') return null
  if (r.risk === 'unknown') {
    return (
      <span className="risk-badge risk-unknown" title={sentence(r.reason)}>
        <span aria-hidden="true">?</span>
        <span className="visually-hidden">no forecast</span>
      </span>
    )
  }
  const short = r.risk === 'high' ? 'High risk' : 'Risk'
  return (
    <span
      className={`risk-badge risk-${r.risk}${props.compact ? ' compact' : ''}`}
      title={`${RISK_LABEL[r.risk]}: ${r.reason}`}
      data-risk-badge={r.appointmentId}
    >
      <span aria-hidden="true">{props.compact ? (r.risk === 'high' ? '!!' : '!') : short}</span>
      <span className="visually-hidden">
        {RISK_LABEL[r.risk]}: {r.reason}
      </span>
    </span>
  )
}

/** The risk with its reason in full, for a card or a dialog. */
export function RiskLine(props: { risk: JobRisk | undefined }) {
  const r = props.risk
  if (!r || r.risk === 'low') return null
  return (
    <p className={`risk-line risk-${r.risk}`}>
      {r.risk === 'unknown' ? (
        sentence(r.reason)
      ) : (
        <>
          <strong>{RISK_LABEL[r.risk]}</strong>: {r.reason}
        </>
      )}
    </p>
  )
}

/** The core's words ("no forecast: the job has no place on the map") as a sentence. */
export const sentence = (reason: string) => reason.charAt(0).toUpperCase() + reason.slice(1)
