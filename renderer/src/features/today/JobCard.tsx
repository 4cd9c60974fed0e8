import { useCallback, useEffect, useRef, useState } from 'react'
import type { Appointment } from '../../../../shared/contract/appointments'
import type { DaySheetJob } from '../../../../shared/contract/day-sheet'
import type { JobRisk } from '../../../../shared/contract/weather'
import type { AppointmentStatus } from '../../../../shared/domain/enums'
import { workedWords } from '../../../../shared/domain/job-day'
import { instantWords } from '../../../../shared/domain/when'
import { ApiError } from '../../api/client'
import { write } from '../../api/queries'
import { formatTime } from '../../app/format'
import { JobPlace } from '../../components/JobPlace'
import { StatusBadge } from '../../components/States'
import { toast } from '../../stores/toasts'
import { RiskLine } from '../weather/RiskBadge'

/**
 * One job on Today, with big Start / Complete / Follow-up buttons. `otherDay`: a job
 * booked for another day (one still under way), shown with its day.
 */
export function JobCard(props: {
  appointment: Appointment
  timeZone: string
  place: DaySheetJob | undefined
  risk: JobRisk | undefined
  otherDay?: boolean
  onStatus: (a: Appointment, status: AppointmentStatus, done: string) => void
  onFollowUp: (a: Appointment) => void
}) {
  const { appointment: a, timeZone: tz, place } = props
  const worked = workedWords(a, tz)
  return (
    <li className={`job status-${a.status}`} aria-label={`${a.clientName}, ${a.serviceName}`}>
      <div className="job-head">
        <span className="job-time">
          {props.otherDay && (
            <span className="job-day">{instantWords(Date.parse(a.scheduledAt), tz).date} · </span>
          )}
          {formatTime(a.scheduledAt, tz)}–{formatTime(a.endsAt, tz)}
        </span>
        <StatusBadge status={a.status} />
      </div>
      {worked && <p className="job-worked">{worked}</p>}
      <h2>{a.clientName}</h2>
      <p className="job-service">{a.serviceName}</p>
      {(a.status === 'scheduled' || a.status === 'in_progress') && <RiskLine risk={props.risk} />}
      <JobPlace
        clientName={a.clientName}
        place={place?.place ?? a.location}
        phone={place?.clientPhone ?? null}
        latitude={place?.latitude ?? null}
        longitude={place?.longitude ?? null}
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
              props.onStatus(a, 'in_progress', 'Job started')
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
              props.onStatus(a, 'completed', 'Job completed')
            }}
          >
            Complete
          </button>
        )}
        <button type="button" className="big follow-up" onClick={() => props.onFollowUp(a)}>
          Follow-up
        </button>
      </div>
    </li>
  )
}

/** Moves focus from a button about to go away to the card's next one (`selector`). */
function nextAction(from: HTMLElement, selector: string) {
  from.closest('.job-actions')?.querySelector<HTMLElement>(selector)?.focus()
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
