import { useState } from 'react'
import type { Appointment } from '../../../../shared/contract/appointments'
import type { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { formatDateTime, formatTime } from '../../app/format'
import { Dialog } from '../../components/Dialog'
import { Empty, LoadError, Loading } from '../../components/States'
import { toast } from '../../stores/toasts'
import { moveProblem } from './move-errors'
import { RiskLine } from './RiskBadge'
import { forecastAge, whenText } from './weather-text'
import './weather.css'

/**
 * The better days of a job at weather risk, best first (its own crew first, then the
 * soonest), as the core works them out; "Move" books one. Mounted per job.
 */
export function BetterDaysDialog(props: { appointmentId: string | null; onClose: () => void }) {
  const id = props.appointmentId ?? ''
  const open = props.appointmentId !== null
  const tz = useSettings().timeZone
  const job = useChannel('appointments.get', { id }, { enabled: open })
  const better = useChannel('weather.betterDays', { id }, { enabled: open })
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const a = job.data
  const close = () => {
    setProblem(null)
    props.onClose()
  }

  async function move(startAt: string, teamMemberId: string, memberName: string) {
    if (!a) return
    setBusy(true)
    setProblem(null)
    try {
      await write('appointments.moveMany', {
        moves: [{ id: a.id, scheduledAt: startAt, teamMemberId }],
      })
      toast.success(
        `${a.clientName} moved to ${whenText(startAt, tz)} with ${memberName}`,
        undoFor(a),
      )
      close()
    } catch (err) {
      setProblem(moveProblem(err))
    } finally {
      setBusy(false)
    }
  }

  const options = better.data?.options ?? []
  const risk = better.data?.risk
  return (
    <Dialog title="Better days" open={open} onClose={close} wide>
      {a && (
        <p className="better-job">
          <strong>
            {a.serviceName} for {a.clientName}
          </strong>
          <br />
          {formatDateTime(a.scheduledAt, tz)}–{formatTime(a.endsAt, tz)} ·{' '}
          {a.teamMemberName ?? 'Unassigned'}
        </p>
      )}
      {risk && <RiskLine risk={risk} />}
      {risk?.fetchedAt && <p className="muted small">{forecastAge(risk.fetchedAt)}</p>}
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      {(job.error || better.error) && (
        <LoadError
          error={(job.error ?? better.error) as ApiError}
          retry={() => {
            void job.refetch()
            void better.refetch()
          }}
        />
      )}
      {better.isPending && open && <Loading label="Looking for better days…" />}
      {better.data && options.length === 0 && (
        <Empty title="No better day in the coming week">
          <p className="muted">
            No day ahead is both within this work's weather limits and free for a qualified crew
            member at the same time. Move it by hand on the calendar, or keep it and watch the
            forecast.
          </p>
        </Empty>
      )}
      {options.length > 0 && (
        <ul className="better-days" aria-label="Better days">
          {options.map((o) => {
            const when = whenText(o.startAt, tz)
            return (
              <li key={`${o.startAt}-${o.teamMemberId}`}>
                <div className="better-when">
                  <strong>{when}</strong>
                  <span>
                    {o.teamMemberName}{' '}
                    <span className={o.sameCrew ? 'badge ok' : 'badge'}>
                      {o.sameCrew ? 'Same crew' : 'Another crew member'}
                    </span>
                  </span>
                  <span className="muted small">{o.reason}</span>
                </div>
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  aria-label={`Move to ${when} with ${o.teamMemberName}`}
                  onClick={() => void move(o.startAt, o.teamMemberId, o.teamMemberName)}
                >
                  Move
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </Dialog>
  )
}

/** Puts the job back where it was (a job with nobody assigned cannot be moved back so). */
function undoFor(a: Appointment) {
  const teamMemberId = a.teamMemberId
  if (!teamMemberId) return undefined
  return {
    label: 'Undo',
    run: () => {
      write('appointments.moveMany', {
        moves: [{ id: a.id, scheduledAt: a.scheduledAt, teamMemberId }],
      }).then(
        () => toast.info('Move undone'),
        (err: unknown) => toast.error(moveProblem(err)),
      )
    },
  }
}
