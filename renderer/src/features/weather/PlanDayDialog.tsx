import { useState } from 'react'
import { useChannel, write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { formatDay, fromLocalInput, plural } from '../../app/format'
import { Dialog } from '../../components/Dialog'
import { Empty, LoadError, Loading } from '../../components/States'
import { toast } from '../../stores/toasts'
import { moveProblem } from './move-errors'
import { MovesTable, UnplacedList } from './PlanTable'

/**
 * "Move the day's at-risk jobs": the core's plan (each at-risk job to its best better
 * day, booked one after another) for review, applied all at once.
 */
export function PlanDayDialog(props: {
  date: string | null
  teamMemberId?: string | undefined
  onClose: () => void
}) {
  const open = props.date !== null
  const tz = useSettings().timeZone
  const plan = useChannel(
    'weather.planDay',
    { date: props.date ?? '', ...(props.teamMemberId ? { teamMemberId: props.teamMemberId } : {}) },
    { enabled: open },
  )
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const close = () => {
    setProblem(null)
    props.onClose()
  }
  const moves = plan.data?.moves ?? []
  const unplaced = plan.data?.unplaced ?? []

  async function apply() {
    setBusy(true)
    setProblem(null)
    try {
      const { moved } = await write('appointments.moveMany', {
        moves: moves.map((m) => ({
          id: m.appointmentId,
          scheduledAt: m.toStartAt,
          teamMemberId: m.toMemberId,
        })),
      })
      toast.success(`${plural(moved, 'job')} moved to better days`)
      close()
    } catch (err) {
      setProblem(moveProblem(err))
    } finally {
      setBusy(false)
    }
  }

  const day = props.date ? fromLocalInput(`${props.date}T12:00`, tz) : null
  return (
    <Dialog
      title={`At-risk jobs on ${day ? formatDay(day, tz) : ''}`}
      open={open}
      onClose={close}
      wide
      footer={
        <>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || moves.length === 0}
            onClick={() => void apply()}
          >
            {moves.length ? `Move ${plural(moves.length, 'job')}` : 'Nothing to move'}
          </button>
        </>
      }
    >
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      {plan.error && <LoadError error={plan.error} retry={() => void plan.refetch()} />}
      {plan.isPending && open && <Loading label="Planning…" />}
      {plan.data && moves.length === 0 && unplaced.length === 0 && (
        <Empty title="No job on this day is at weather risk" />
      )}
      {moves.length > 0 && (
        <>
          <p>Each job goes to its best better day. Nothing changes until you move them.</p>
          <MovesTable moves={moves} label="Planned moves" />
        </>
      )}
      <UnplacedList unplaced={unplaced} />
    </Dialog>
  )
}
