import { useId } from 'react'
import type { Conflict, Resolution } from '../../../../shared/sync/protocol'
import { formatDateTime, formatDay, formatTime } from '../../app/format'
import { clientOf, fieldRows, rowTitle } from './conflict-fields'

export const KIND_TITLE: Record<Conflict['kind'], string> = {
  edit_and_delete: 'Edited on one laptop, deleted on another',
  double_booking: 'Crew member double-booked',
}

const SIDE_LABEL: Record<Conflict['kind'], [string, string]> = {
  edit_and_delete: ['Deleted', 'Edited'],
  double_booking: ['Booked first', 'Booked second'],
}

const LEGEND: Record<Conflict['kind'], string> = {
  edit_and_delete: 'Highlighted: what the edit changed, and the deletion.',
  double_booking: 'Highlighted: where the two jobs differ.',
}

export const RESOLUTION_TEXT: Record<Resolution, string> = {
  keep_deleted: 'Kept it deleted',
  restore: 'Restored with the edits',
  keep_both: 'Kept both jobs',
  unassign_first: 'Took the crew member off the first job',
  unassign_second: 'Took the crew member off the second job',
}

export interface Choice {
  resolution: Resolution
  label: string
  /** What the toast says once it is done. */
  done: string
}

/** The decisions a conflict offers, worded for this conflict. */
export function choices(c: Conflict, names: Record<string, string>, tz: string): Choice[] {
  if (c.kind === 'edit_and_delete') {
    const title = rowTitle(c, names)
    return [
      { resolution: 'keep_deleted', label: 'Keep it deleted', done: `${title} stays deleted` },
      { resolution: 'restore', label: 'Restore with the edits', done: `${title} restored` },
    ]
  }
  const [first, second] = c.sides
  const crewId = first.values.team_member_id ?? second.values.team_member_id
  const crew = (typeof crewId === 'string' && names[crewId]) || 'the crew member'
  const sameClient = clientOf(first, names) === clientOf(second, names)
  const job = (side: Conflict['sides'][number]) => {
    const at = side.values.scheduled_at
    const time = typeof at === 'string' ? formatTime(at, tz) : ''
    return sameClient && time ? `${clientOf(side, names)} at ${time}` : clientOf(side, names)
  }
  return [
    { resolution: 'keep_both', label: 'Keep both', done: `${crew} keeps both jobs` },
    {
      resolution: 'unassign_first',
      label: `Unassign ${crew} from ${job(first)}`,
      done: `${crew} taken off ${job(first)}`,
    },
    {
      resolution: 'unassign_second',
      label: `Unassign ${crew} from ${job(second)}`,
      done: `${crew} taken off ${job(second)}`,
    },
  ]
}

function summary(c: Conflict, names: Record<string, string>, tz: string): string {
  const title = rowTitle(c, names)
  const [a, b] = c.sides
  if (c.kind === 'edit_and_delete') {
    const deleter = a.by?.device ?? 'one laptop'
    const editor = b.by?.device ?? 'another laptop'
    return `${title} was deleted on ${deleter} and changed on ${editor} without either knowing.`
  }
  const crewId = a.values.team_member_id ?? b.values.team_member_id
  const crew = (typeof crewId === 'string' && names[crewId]) || 'A crew member'
  const at = b.values.scheduled_at ?? a.values.scheduled_at
  const day = typeof at === 'string' ? ` on ${formatDay(at, tz)}` : ''
  return `${crew} is booked for two jobs at the same time${day}.`
}

/** One conflict: what happened, both versions side by side, and the ways to settle it. */
export function ConflictCard(props: {
  conflict: Conflict
  names: Record<string, string>
  tz: string
  busy: boolean
  onResolve: (choice: Choice) => void
}) {
  const { conflict: c, names, tz } = props
  const titleId = useId()
  const rows = fieldRows(c, { names, tz })
  const labels = SIDE_LABEL[c.kind]
  return (
    <article className="card conflict" aria-labelledby={titleId}>
      <header className="conflict-head">
        <h2 id={titleId}>{KIND_TITLE[c.kind]}</h2>
        <span className="muted small">Found {formatDateTime(c.detectedAt, tz)}</span>
      </header>
      <p>{summary(c, names, tz)}</p>
      <table className="versions">
        <thead>
          <tr>
            <td />
            {c.sides.map((side, i) => (
              <th key={labels[i]} scope="col">
                <span className="version-label">{labels[i]}</span>
                <span className="version-who">
                  {side.by ? `${side.by.device} · ${side.by.user}` : 'Unknown laptop'}
                </span>
                <span className="version-when">
                  {side.at ? formatDateTime(side.at, tz) : 'Time unknown'}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.field} className={r.mark ? 'differs' : undefined}>
              <th scope="row">
                {r.label}
                {r.mark && <span className="visually-hidden"> ({r.mark})</span>}
              </th>
              {r.values.map((v, i) => (
                <td key={labels[i]} className={r.field === 'notes' ? 'notes' : undefined}>
                  {v ?? <span className="muted">unchanged</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.some((r) => r.mark) && <p className="muted small legend">{LEGEND[c.kind]}</p>}
      {c.resolvedAt ? (
        <p className="conflict-outcome">
          {c.resolution ? RESOLUTION_TEXT[c.resolution] : 'Resolved'} ·{' '}
          {formatDateTime(c.resolvedAt, tz)}
        </p>
      ) : (
        <div className="actions-row">
          {choices(c, names, tz).map((choice) => (
            <button
              key={choice.resolution}
              type="button"
              disabled={props.busy}
              onClick={() => props.onResolve(choice)}
            >
              {choice.label}
            </button>
          ))}
        </div>
      )}
    </article>
  )
}
