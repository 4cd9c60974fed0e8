import { useState } from 'react'
import type { Appointment } from '../../../../shared/contract/appointments'
import { workedWords } from '../../../../shared/domain/job-day'
import { jobLocation } from '../../../../shared/domain/job-location'
import { isManager } from '../../../../shared/domain/permissions'
import { useChannel, write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { formatDateTime, formatTime, money } from '../../app/format'
import { priorityLabel } from '../../app/labels'
import { Dialog } from '../../components/Dialog'
import { JobPlace, PhoneLink } from '../../components/JobPlace'
import { StatusBadge } from '../../components/States'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { MessageHistory } from '../notifications/MessageHistory'
import { RiskLine } from '../weather/RiskBadge'
import { useRisks } from '../weather/useRisks'
import { atRisk } from '../weather/weather-text'
import { SeriesPart } from './SeriesPanel'
import { describeClash, isDoubleBooking } from './useConflictRetry'
import { useOtherDayConfirm } from './useOtherDayConfirm'

/**
 * Puts a job back on the schedule: `change(false)` first. When its time has been given
 * to another job meanwhile, the error says with which, that it was `notDone`, and offers
 * `anyway` (`change(true)`: a double booking kept).
 */
async function backOnSchedule(
  change: (acceptConflict: boolean) => Promise<unknown>,
  words: { notDone: string; anyway: string; done: string },
): Promise<void> {
  try {
    await change(false)
  } catch (e) {
    if (!isDoubleBooking(e)) throw e
    throw Object.assign(new Error(`${await describeClash(e)} ${words.notDone}`), {
      action: {
        label: words.anyway,
        run: () => {
          change(true).then(
            () => toast.info(words.done),
            (err: unknown) => toast.error(err instanceof Error ? err.message : String(err)),
          )
        },
      },
    })
  }
}

/** Undoes a deletion. */
const restore = (id: string, seriesException: boolean) =>
  backOnSchedule(
    (acceptConflict) => write('appointments.restore', { id, seriesException, acceptConflict }),
    { notDone: 'It was not restored.', anyway: 'Restore anyway', done: 'Restored, double-booked' },
  )

/**
 * Back to scheduled from cancelled: Reopen, or the Undo of Cancel. The Undo gives
 * `seriesException`, whether the visit was a series exception before it was cancelled
 * (cancelling makes one); Reopen leaves it one.
 */
const reschedule = (
  id: string,
  words: { notDone: string; anyway: string; done: string },
  seriesException?: boolean,
) =>
  backOnSchedule(
    (acceptConflict) =>
      write('appointments.setStatus', {
        id,
        status: 'scheduled',
        acceptConflict,
        ...(seriesException === undefined ? {} : { seriesException }),
      }),
    words,
  )

/** An appointment at a glance, with the status actions the user's role allows. */
export function AppointmentDetails(props: {
  appointment: Appointment | null
  onClose: () => void
  onEdit: (a: Appointment) => void
  onBetterDays: (a: Appointment) => void
}) {
  const { user, crew } = useSession()
  const settings = useSettings()
  const [busy, setBusy] = useState(false)
  const a = props.appointment
  const tz = settings.timeZone
  // Without a location of its own, the job is at the client's address. The phone is the
  // client's, on its own row: never read as where the job is.
  const client = useChannel('clients.get', { id: a?.clientId ?? '' }, { enabled: !!a })
  const place = a && jobLocation(a, client.data ?? null)
  const atClient = !!a && !a.location
  // The job's own weather risk: the risks of jobs starting in its first minute.
  const risks = useRisks(
    a && (a.status === 'scheduled' || a.status === 'in_progress')
      ? { from: a.scheduledAt, to: new Date(Date.parse(a.scheduledAt) + 60_000).toISOString() }
      : null,
  )
  const risk = a ? risks.get(a.id) : undefined
  // A job of another day asks before it is started or completed.
  const otherDay = useOtherDayConfirm()
  const worked = a && workedWords(a, tz)

  /** Does `action`; `undo`, when given, is offered in the toast for a few seconds. */
  async function run(label: string, action: () => Promise<unknown>, undo?: () => Promise<unknown>) {
    setBusy(true)
    try {
      await action()
      if (undo) toast.undoable(label, undo)
      else toast.success(label)
      props.onClose()
    } catch (e) {
      toast.error(
        e instanceof Error ? e.message : String(e),
        (e as { action?: Parameters<typeof toast.error>[1] }).action,
      )
    } finally {
      setBusy(false)
    }
  }

  const manager = isManager(user?.role ?? null)
  const final = a?.status === 'completed' || a?.status === 'cancelled'
  // A crew lead works only their own crew's jobs (the core enforces it; this hides what
  // would be refused).
  const mine = manager || (!!crew && crew === a?.teamMemberId)
  return (
    <Dialog
      title={a ? `${a.serviceName} for ${a.clientName}` : ''}
      open={a !== null}
      onClose={props.onClose}
    >
      {a && (
        <>
          <dl className="facts">
            <dt>When</dt>
            <dd>
              {formatDateTime(a.scheduledAt, tz)} – {formatTime(a.endsAt, tz)}
            </dd>
            <SeriesPart appointment={a} canEdit={manager} onDone={props.onClose} />
            <dt>Status</dt>
            <dd>
              <StatusBadge status={a.status} />
            </dd>
            {worked && (
              <>
                <dt>Worked</dt>
                <dd className="worked">{worked}</dd>
              </>
            )}
            <dt>Location</dt>
            <dd>
              <JobPlace
                clientName={a.clientName}
                place={place}
                phone={null}
                latitude={atClient ? (client.data?.latitude ?? null) : null}
                longitude={atClient ? (client.data?.longitude ?? null) : null}
                clientAddress={!!place && atClient}
              />
            </dd>
            {client.data?.phone && (
              <>
                <dt>Phone</dt>
                <dd>
                  <PhoneLink clientName={a.clientName} phone={client.data.phone} />
                </dd>
              </>
            )}
            {risk && risk.risk !== 'low' && (
              <>
                <dt>Weather</dt>
                <dd>
                  <RiskLine risk={risk} />
                </dd>
              </>
            )}
            <dt>Crew</dt>
            <dd>{a.teamMemberName ?? 'Unassigned'}</dd>
            <dt>Priority</dt>
            <dd>{priorityLabel(a.priority)}</dd>
            <dt>Price</dt>
            <dd>{money(a.price)}</dd>
            <dt>Notes</dt>
            <dd className="notes">{a.notes || '—'}</dd>
          </dl>
          <div className="actions-row">
            {mine && a.status === 'scheduled' && (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  // Started by mistake all the same: put back from the toast.
                  otherDay.check(a, 'start', () =>
                    run(
                      'Job started',
                      () => write('appointments.setStatus', { id: a.id, status: 'in_progress' }),
                      () => write('appointments.setStatus', { id: a.id, status: 'scheduled' }),
                    ),
                  )
                }
              >
                Start
              </button>
            )}
            {mine && (a.status === 'scheduled' || a.status === 'in_progress') && (
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  const before = a.status
                  otherDay.check(a, 'complete', () =>
                    run(
                      'Job completed',
                      () => write('appointments.setStatus', { id: a.id, status: 'completed' }),
                      () => write('appointments.setStatus', { id: a.id, status: before }),
                    ),
                  )
                }}
              >
                Complete
              </button>
            )}
            {!final && manager && (
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  // Cancelled by mistake: put back from the toast (a job not yet started;
                  // one under way is reopened as scheduled, by Reopen), a series' own
                  // visit included.
                  let wasException = false
                  void run(
                    'Appointment cancelled',
                    async () => {
                      wasException = (
                        await write('appointments.setStatus', { id: a.id, status: 'cancelled' })
                      ).seriesExceptionBefore
                    },
                    a.status === 'scheduled'
                      ? () =>
                          reschedule(
                            a.id,
                            {
                              notDone: 'It was not put back.',
                              anyway: 'Put back anyway',
                              done: 'Put back, double-booked',
                            },
                            wasException,
                          )
                      : undefined,
                  )
                }}
              >
                Cancel job
              </button>
            )}
            {final && manager && (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  run('Appointment reopened', () =>
                    a.status === 'cancelled'
                      ? reschedule(a.id, {
                          notDone: 'It was not reopened.',
                          anyway: 'Reopen anyway',
                          done: 'Reopened, double-booked',
                        })
                      : write('appointments.setStatus', { id: a.id, status: 'scheduled' }),
                  )
                }
              >
                Reopen
              </button>
            )}
            {manager && atRisk(risk) && (
              <button type="button" disabled={busy} onClick={() => props.onBetterDays(a)}>
                Better days
              </button>
            )}
            {mine && (
              <button type="button" disabled={busy} onClick={() => props.onEdit(a)}>
                {manager ? 'Edit' : 'Edit notes'}
              </button>
            )}
            {manager && (
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => {
                  // Undo puts the visit back as it was, a series' own visit included.
                  let wasException = false
                  void run(
                    'Appointment deleted',
                    async () => {
                      wasException = (await write('appointments.delete', { id: a.id }))
                        .seriesException
                    },
                    () => restore(a.id, wasException),
                  )
                }}
              >
                Delete
              </button>
            )}
          </div>
          {manager && <MessageHistory appointmentId={a.id} clientId={a.clientId} />}
          {otherDay.dialog}
        </>
      )}
    </Dialog>
  )
}
