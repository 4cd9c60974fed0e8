import { Printer } from 'lucide-react'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Appointment } from '../../../../shared/contract/appointments'
import type { AppointmentStatus } from '../../../../shared/domain/enums'
import { localDay, shiftDays } from '../../../../shared/domain/time'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { useSettings, useTeam } from '../../api/reference'
import { businessDay, formatDay, formatTime, fromLocalInput, toLocalInput } from '../../app/format'
import { navigate } from '../../app/router'
import { ConfirmConflict } from '../../components/ConfirmConflict'
import { Dialog } from '../../components/Dialog'
import { JobPlace } from '../../components/JobPlace'
import { NamedOptions } from '../../components/NamedOptions'
import { Empty, LoadError, Loading, StatusBadge } from '../../components/States'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { useConflictRetry } from '../appointments/useConflictRetry'
import { RiskLine } from '../weather/RiskBadge'
import { useRisks } from '../weather/useRisks'

/** A crew lead's day: today's jobs in order, with big Start / Complete buttons. */
export function TodayScreen() {
  const { role, crew: ownCrew } = useSession()
  const tz = useSettings().timeZone
  const team = useTeam()
  const [chosen, setCrew] = useState('')
  // A crew lead's own crew (their sync token's on a crew's laptop); otherwise the one
  // picked, or the first once the crew loads.
  const led = role === 'crew_lead' ? ownCrew : null
  const crew = led ?? (chosen || team[0]?.id || '')
  const [followUp, setFollowUp] = useState<Appointment | null>(null)
  const day = businessDay(new Date(), tz)
  const { data, error, isPending, refetch } = useChannel(
    'appointments.list',
    {
      ...(crew ? { teamMemberId: crew } : {}),
      scheduledFrom: day.from,
      scheduledTo: new Date(Date.parse(day.to) - 1).toISOString(),
      ordering: 'scheduled_date',
      limit: 100,
    },
    { keepPrevious: true },
  )

  const risks = useRisks(day, crew || undefined)
  const date = localDay(Date.now(), tz)
  const places = useJobPlaces(date, crew)
  // Tomorrow too: what to load on the truck, where to go first.
  const tomorrow = businessDay(new Date(Date.parse(day.to) + 60_000), tz)

  async function act(a: Appointment, status: AppointmentStatus, done: string) {
    try {
      await write('appointments.setStatus', { id: a.id, status })
      // Starting and completing ask nothing first; a mis-tap is taken back from the toast.
      if (status === 'completed' || status === 'in_progress')
        toast.undoable(
          done,
          () => write('appointments.setStatus', { id: a.id, status: a.status }),
          a.id,
        )
      else toast.success(done)
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }

  const crewName = team.find((m) => m.id === crew)?.name
  return (
    <section className="screen today" aria-label="Today">
      <header className="screen-head">
        <h1>Today</h1>
        <span className="muted">{formatDay(new Date().toISOString(), tz)}</span>
        {led && crewName && <span className="crew-led">Crew: {crewName}</span>}
        {!led && (
          <label className="inline-field">
            Crew
            <select value={crew} onChange={(e) => setCrew(e.target.value)}>
              <NamedOptions items={team} />
            </select>
          </label>
        )}
        {crew && (
          <button
            type="button"
            className="print-sheet"
            onClick={() => navigate('/day-sheet', { date, crew })}
          >
            <Printer aria-hidden="true" size={16} /> Print day sheet
          </button>
        )}
      </header>
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {isPending && <Loading />}
      {data?.count === 0 && (
        <Empty title={`No jobs today${crewName ? ` for ${crewName}` : ''}`}>Enjoy the quiet.</Empty>
      )}
      <ol className="jobs">
        {data?.results.map((a) => (
          <li
            key={a.id}
            className={`job status-${a.status}`}
            aria-label={`${a.clientName}, ${a.serviceName}`}
          >
            <div className="job-head">
              <span className="job-time">
                {formatTime(a.scheduledAt, tz)}–{formatTime(a.endsAt, tz)}
              </span>
              <StatusBadge status={a.status} />
            </div>
            <h2>{a.clientName}</h2>
            <p className="job-service">{a.serviceName}</p>
            {(a.status === 'scheduled' || a.status === 'in_progress') && (
              <RiskLine risk={risks.get(a.id)} />
            )}
            <JobPlace
              clientName={a.clientName}
              place={places.get(a.id)?.place ?? a.location}
              phone={places.get(a.id)?.clientPhone ?? null}
              latitude={places.get(a.id)?.latitude ?? null}
              longitude={places.get(a.id)?.longitude ?? null}
            />
            <JobNotes key={a.id} appointment={a} />
            <div className="job-actions">
              {a.status === 'scheduled' && (
                <button
                  type="button"
                  className="big primary"
                  onClick={(e) => {
                    // Start goes away once pressed: the keyboard stays on the card.
                    nextAction(e.currentTarget, 'button.success')
                    void act(a, 'in_progress', 'Job started')
                  }}
                >
                  Start
                </button>
              )}
              {(a.status === 'scheduled' || a.status === 'in_progress') && (
                <button
                  type="button"
                  className="big success"
                  onClick={(e) => {
                    nextAction(e.currentTarget, 'button.follow-up')
                    void act(a, 'completed', 'Job completed')
                  }}
                >
                  Complete
                </button>
              )}
              <button type="button" className="big follow-up" onClick={() => setFollowUp(a)}>
                Follow-up
              </button>
            </div>
          </li>
        ))}
      </ol>
      <Tomorrow range={tomorrow} crew={crew} crewName={crewName} />
      <FollowUpDialog original={followUp} onClose={() => setFollowUp(null)} />
    </section>
  )
}

/**
 * Where each job of a crew's day is (its own place or its client's address) and the
 * client's phone: the day sheet's answer, one query for the whole day.
 */
function useJobPlaces(date: string, crew: string) {
  const sheet = useChannel('daySheet.get', { date, crew }, { enabled: !!crew, keepPrevious: true })
  return useMemo(
    () => new Map(sheet.data?.crews.flatMap((c) => c.jobs.map((j) => [j.id, j] as const)) ?? []),
    [sheet.data],
  )
}

/** Moves focus from a button about to go away to the card's next one (`selector`). */
function nextAction(from: HTMLElement, selector: string) {
  from.closest('.job-actions')?.querySelector<HTMLElement>(selector)?.focus()
}

/** Tomorrow's jobs of the crew, in order: a look ahead, nothing to act on yet. */
function Tomorrow(props: {
  range: { from: string; to: string }
  crew: string
  crewName?: string | undefined
}) {
  const tz = useSettings().timeZone
  const { data } = useChannel(
    'appointments.list',
    {
      ...(props.crew ? { teamMemberId: props.crew } : {}),
      scheduledFrom: props.range.from,
      scheduledTo: new Date(Date.parse(props.range.to) - 1).toISOString(),
      ordering: 'scheduled_date',
      limit: 100,
    },
    { keepPrevious: true },
  )
  const risks = useRisks(props.range, props.crew || undefined)
  const places = useJobPlaces(localDay(Date.parse(props.range.from), tz), props.crew)
  const live = data?.results.filter((a) => a.status !== 'cancelled') ?? []
  return (
    <section className="tomorrow" aria-label="Tomorrow">
      <h2>
        Tomorrow <span className="muted">{formatDay(props.range.from, tz)}</span>
      </h2>
      {data && live.length === 0 && (
        <p className="muted">No jobs tomorrow{props.crewName ? ` for ${props.crewName}` : ''}.</p>
      )}
      {live.length > 0 && (
        <ol className="tomorrow-jobs">
          {live.map((a) => {
            const place = places.get(a.id)?.place ?? a.location
            return (
              <li key={a.id} aria-label={`Tomorrow: ${a.clientName}, ${a.serviceName}`}>
                <span className="job-time">
                  {formatTime(a.scheduledAt, tz)}–{formatTime(a.endsAt, tz)}
                </span>
                <span>
                  <strong>{a.clientName}</strong> · {a.serviceName}
                  {place ? <span className="muted"> · {place}</span> : null}
                </span>
                <RiskLine risk={risks.get(a.id)} />
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}

/** How long typing may pause before the notes are saved. */
const NOTES_PAUSE_MS = 1000

/**
 * A job's notes, saved as they are typed: after a pause, when the field is left (a tap
 * on Complete included), when the screen is left and when the window goes away. A crew
 * lead never has to remember a "Save" button for a note to survive the lid closing.
 */
function JobNotes({ appointment }: { appointment: Appointment }) {
  // What is typed; once saved and read back, the notes follow the stored ones (a pull).
  const [draft, setDraft] = useState<string | null>(null)
  const [state, setState] = useState<'typing' | 'saving' | 'saved' | 'failed' | null>(null)
  const unsaved = useRef<string | null>(null)
  const saves = useRef(0)
  const timer = useRef<number | undefined>(undefined)
  const notes = draft ?? appointment.notes
  const id = appointment.id
  const save = useCallback(async () => {
    window.clearTimeout(timer.current)
    const text = unsaved.current
    if (text === null) return
    unsaved.current = null
    const mine = ++saves.current
    setState('saving')
    try {
      await write('appointments.update', { id, notes: text })
      setState((now) => (now === 'saving' ? 'saved' : now))
    } catch (e) {
      // A later save (of later words) went out meanwhile: this one's words are older.
      if (mine !== saves.current) return
      unsaved.current ??= text
      setState('failed')
      toast.error(`The notes were not saved: ${e instanceof ApiError ? e.message : String(e)}`)
    }
  }, [id])
  useEffect(() => {
    const flush = () => void save()
    window.addEventListener('pagehide', flush)
    return () => {
      window.removeEventListener('pagehide', flush)
      flush()
    }
  }, [save])
  // Saved and read back: the draft gives way to the stored notes.
  useEffect(() => {
    if (draft !== null && unsaved.current === null && draft === appointment.notes) setDraft(null)
  }, [draft, appointment.notes])
  const status = {
    typing: '',
    saving: 'Saving…',
    saved: 'Saved',
    failed: 'Not saved',
  }[state ?? 'typing']
  return (
    <div className="job-notes">
      <label>
        Notes
        <textarea
          rows={2}
          value={notes}
          onChange={(e) => {
            setDraft(e.target.value)
            unsaved.current = e.target.value
            setState('typing')
            window.clearTimeout(timer.current)
            timer.current = window.setTimeout(() => void save(), NOTES_PAUSE_MS)
          }}
          onBlur={() => void save()}
        />
      </label>
      <span className={`notes-state ${state ?? ''}`} role="status">
        {status}
        {state === 'failed' && (
          <button type="button" onClick={() => void save()}>
            Try again
          </button>
        )}
      </span>
    </div>
  )
}

/** Two taps: "Follow-up", then "Book follow-up" (same time next week unless changed). */
function FollowUpDialog({
  original,
  onClose,
}: {
  original: Appointment | null
  onClose: () => void
}) {
  const tz = useSettings().timeZone
  const [when, setWhen] = useState('')
  // A follow-up that double-books the crew asks first, as any booking does.
  const conflict = useConflictRetry()
  // Same time next week on the business's clocks, a clock change between them or not.
  const proposed = original
    ? toLocalInput(new Date(shiftDays(Date.parse(original.scheduledAt), 7, tz)).toISOString(), tz)
    : ''
  async function book() {
    if (!original) return
    const scheduledAt = fromLocalInput(when || proposed, tz)
    if (!scheduledAt) return toast.error('Choose a date and time')
    try {
      const booked = await conflict.run((acceptConflict) =>
        write('appointments.create', {
          clientId: original.clientId,
          serviceId: original.serviceId,
          teamMemberId: original.teamMemberId,
          scheduledAt,
          followUpOfId: original.id,
          acceptConflict,
        }),
      )
      if (!booked) return
      toast.success(
        `Follow-up visit booked for ${formatDay(scheduledAt, tz)} at ${formatTime(scheduledAt, tz)}`,
      )
      setWhen('')
      onClose()
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }
  return (
    <Dialog
      title={original ? `Follow-up for ${original.clientName}` : ''}
      open={original !== null}
      onClose={onClose}
    >
      {original && (
        <p className="follow-up-what">
          {original.serviceName} with {original.teamMemberName ?? 'no crew member yet'}, at the
          service's price; same time next week unless you change it.
        </p>
      )}
      {/* A form: Enter in "When" books, as the button does. */}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void book()
        }}
      >
        <label className="field">
          When
          <input
            type="datetime-local"
            min={toLocalInput(new Date().toISOString(), tz)}
            value={when || proposed}
            onChange={(e) => setWhen(e.target.value)}
          />
        </label>
        <div className="form-actions follow-up-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary big">
            Book follow-up
          </button>
        </div>
      </form>
      <ConfirmConflict
        message={conflict.prompt}
        onKeepBoth={conflict.keepBoth}
        onCancel={conflict.cancel}
      />
    </Dialog>
  )
}
