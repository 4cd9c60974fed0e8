import { useState } from 'react'
import type { TeamMember } from '../../../../shared/contract/team'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { businessDay, formatDay, plural, toLocalInput } from '../../app/format'
import { href, navigate } from '../../app/router'
import { Dialog } from '../../components/Dialog'
import { toast } from '../../stores/toasts'
import { reassignHref } from './TimeOffDialog'

/**
 * Archiving a crew member: first how many jobs they still have to come. With none, they
 * are archived (undoable); with some, archiving opens the plan of who takes every one of
 * them, through the last. A member some series still books is refused by the core with
 * the series named, shown here.
 */
/**
 * A member's jobs from today on: how many, and the review that hands them over (from
 * today through the last), or null when there are none.
 */
function useJobsAhead(memberId: string) {
  const tz = useSettings().timeZone
  const [from] = useState(() => businessDay(new Date(), tz).from)
  const ahead = useChannel('appointments.list', {
    teamMemberId: memberId,
    scheduledFrom: from,
    status: ['scheduled', 'in_progress'],
    ordering: '-scheduled_date',
    limit: 1,
  })
  const count = ahead.data?.count ?? 0
  const last = ahead.data?.results[0]?.scheduledAt
  const review =
    count > 0 && last
      ? reassignHref({
          teamMemberId: memberId,
          from: toLocalInput(from, tz).slice(0, 10),
          to: toLocalInput(last, tz).slice(0, 10),
        })
      : null
  return { ahead, count, last, review }
}

/**
 * On an archived member's card: the jobs still with them, and the way to hand them over
 * (the review left without applying its plan, say).
 */
export function JobsStillWith(props: { member: TeamMember }) {
  const { count, review } = useJobsAhead(props.member.id)
  if (!review) return null
  return (
    <p className="form-error small">
      {plural(count, 'job')} to come still with {props.member.name}.{' '}
      <a href={href('/team', review)}>Hand them over</a>
    </p>
  )
}

export function ArchiveMemberDialog(props: { member: TeamMember; onClose: () => void }) {
  const { member } = props
  const tz = useSettings().timeZone
  const { ahead, count, last, review } = useJobsAhead(member.id)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  async function archive() {
    setBusy(true)
    setProblem(null)
    try {
      await write('team.archive', { id: member.id })
      props.onClose()
      if (review) navigate('/team', review)
      else
        toast.undoable(`${member.name} archived`, () =>
          write('team.archive', { id: member.id, archived: false }),
        )
    } catch (err) {
      setProblem(err instanceof ApiError ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      title={`Archive ${member.name}?`}
      role="alertdialog"
      open
      onClose={props.onClose}
      footer={
        <>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || ahead.isPending || !!ahead.error}
            onClick={() => void archive()}
          >
            {count > 0 ? 'Archive and reassign' : 'Archive'}
          </button>
        </>
      }
    >
      <p>
        Archived, {member.name} is no longer offered for bookings and leaves the calendar's crew
        columns. Their past jobs keep their name; "Show archived" on the team list brings them back.
      </p>
      {ahead.isPending && <p className="muted">Looking for their jobs to come…</p>}
      {ahead.error && (
        <p role="alert" className="form-error">
          Their jobs to come could not be read: {ahead.error.message}
        </p>
      )}
      {count > 0 && last && (
        <p>
          {member.name} still has {plural(count, 'job')} to come, the last on {formatDay(last, tz)}.
          After archiving, the plan of who takes them opens: nothing moves until you apply it.
        </p>
      )}
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
    </Dialog>
  )
}
