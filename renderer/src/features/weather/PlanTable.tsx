import { type ReactNode, useId } from 'react'
import type { PlannedMove, ReassignmentPlan } from '../../../../shared/contract/weather'
import { useSettings } from '../../api/reference'
import { whenText } from './weather-text'
import './weather.css'

export const MOVE_KIND: Record<PlannedMove['kind'], string> = {
  reassigned: 'Same time, another crew member',
  moved: 'Moved to another day',
}

/**
 * A plan's moves for review: each job, where it is now, where it would go and with
 * whom. `member` and `actions` let a review change a row; `skipped` greys one out.
 */
export function MovesTable(props: {
  moves: readonly PlannedMove[]
  label: string
  member?: (m: PlannedMove) => ReactNode
  actions?: (m: PlannedMove) => ReactNode
  skipped?: (m: PlannedMove) => boolean
}) {
  const tz = useSettings().timeZone
  return (
    <table className="grid plan-table" aria-label={props.label}>
      <thead>
        <tr>
          <th>Job</th>
          <th>Now</th>
          <th>Planned</th>
          <th>Crew member</th>
          {props.actions && <th>Actions</th>}
        </tr>
      </thead>
      <tbody>
        {props.moves.map((m) => {
          const skipped = props.skipped?.(m) ?? false
          return (
            <tr
              key={m.appointmentId}
              className={skipped ? 'skipped' : undefined}
              aria-label={`${m.clientName}, ${m.serviceName}`}
            >
              <td>
                <strong>{m.clientName}</strong>
                <div className="muted small">{m.serviceName}</div>
              </td>
              <td>{whenText(m.fromStartAt, tz)}</td>
              <td>
                {skipped ? (
                  <span className="muted">Skipped: stays as it is</span>
                ) : (
                  <>
                    {m.kind === 'reassigned' ? MOVE_KIND.reassigned : whenText(m.toStartAt, tz)}
                    {m.kind === 'moved' && <div className="muted small">{MOVE_KIND.moved}</div>}
                  </>
                )}
              </td>
              <td>{props.member ? props.member(m) : m.toMemberName}</td>
              {props.actions && (
                <td>
                  <div className="row-actions">{props.actions(m)}</div>
                </td>
              )}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

/** The jobs a plan could not place, each with the reason. */
export function UnplacedList(props: { unplaced: ReassignmentPlan['unplaced'] }) {
  const tz = useSettings().timeZone
  const headId = useId()
  if (!props.unplaced.length) return null
  return (
    <section className="unplaced" aria-labelledby={headId}>
      <h3 id={headId}>Not placed ({props.unplaced.length})</h3>
      <p className="muted small">These stay where they are; move them by hand if needed.</p>
      <ul>
        {props.unplaced.map((u) => (
          <li key={u.appointmentId}>
            <strong>{u.clientName}</strong>, {u.serviceName} · {whenText(u.startAt, tz)}
            <div className="muted small">{u.reason}</div>
          </li>
        ))}
      </ul>
    </section>
  )
}
