import { useState } from 'react'
import { SETUP_STEPS, type SetupStep } from '../../../../shared/contract/setup'
import { describeHours } from '../../../../shared/domain/working-hours'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { useServices, useSettings, useTeam } from '../../api/reference'
import { navigate } from '../../app/router'
import { LoadError, Loading } from '../../components/States'
import { toast } from '../../stores/toasts'
import { useAppointmentDialogs } from '../appointments/useAppointmentDialogs'
import { ServiceDialog } from '../catalog/CatalogScreen'
import { ClientDialog } from '../clients/ClientDialog'
import { MemberDialog } from '../team/TeamScreen'
import {
  BusinessNameDialog,
  ServicesDialog,
  TimeZoneDialog,
  WorkingHoursDialog,
} from './SetupDialogs'
import './setup.css'

const STEPS: Record<SetupStep, { title: string; todo: string; action: string }> = {
  businessName: {
    title: 'Business name',
    todo: 'How your messages to clients are signed.',
    action: 'Set the name',
  },
  timeZone: {
    title: 'Time zone',
    todo: 'Appointments and reminders keep the business’s time, wherever a laptop is.',
    action: 'Choose the time zone',
  },
  workingHours: {
    title: 'Working hours and days',
    todo: 'The calendar opens on them and greys the rest.',
    action: 'Set working hours',
  },
  services: {
    title: 'First services',
    todo: 'What you book: start from a catalog of common landscaping work, or add your own.',
    action: 'Add services',
  },
  crew: {
    title: 'Crew',
    todo: 'Who does the work: each crew member gets a column on the calendar.',
    action: 'Add a crew member',
  },
  client: {
    title: 'First client',
    todo: 'Who the work is for, with an address for the crew and the weather.',
    action: 'Add a client',
  },
  booking: {
    title: 'First booking',
    todo: 'Book a visit for a client: a service, a crew member and a time.',
    action: 'Book an appointment',
  },
}

/**
 * The first-run checklist: each step opens the dialog that does it and ticks itself
 * from the data (so a step done elsewhere counts, and a restart keeps the ticks); the
 * list stays until it is dismissed.
 */
export function GettingStarted() {
  const state = useChannel('setup.get', {})
  const settings = useSettings()
  const business = useChannel('notifications.settings', {})
  const services = useServices()
  const team = useTeam()
  const [open, setOpen] = useState<SetupStep | 'ownService' | null>(null)
  const { book, dialogs } = useAppointmentDialogs()
  const close = () => setOpen(null)

  async function dismiss() {
    try {
      await write('setup.dismiss', {})
      toast.info(
        'Getting started is hidden: everything it offered is under Settings, Catalog, Team and Clients',
      )
      navigate('/calendar')
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }

  if (state.error) return <LoadError error={state.error} retry={() => void state.refetch()} />
  if (!state.data) return <Loading />
  const { done } = state.data
  const count = SETUP_STEPS.filter((s) => done[s]).length
  const all = count === SETUP_STEPS.length
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`
  const detail: Partial<Record<SetupStep, string | undefined>> = {
    businessName: business.data?.businessName ?? undefined,
    services: done.services
      ? plural(services.filter((s) => s.isActive).length, 'service')
      : undefined,
    crew: done.crew ? plural(team.length, 'crew member') : undefined,
    timeZone: done.timeZone ? settings.timeZone : undefined,
    workingHours: done.workingHours ? describeHours(settings.workingHours) : undefined,
  }
  return (
    <section className="screen setup" aria-label="Getting started">
      <header className="screen-head">
        <h1>Getting started</h1>
        <span className="muted" aria-live="polite">
          {count} of {SETUP_STEPS.length} done
        </span>
        <button type="button" className="setup-dismiss" onClick={() => void dismiss()}>
          {all ? 'Close this list' : 'Hide this list'}
        </button>
      </header>
      <progress className="setup-progress" max={SETUP_STEPS.length} value={count}>
        {count} of {SETUP_STEPS.length}
      </progress>
      {all && (
        <p className="setup-all-done" role="status">
          All set: your business is ready to book. The calendar is under Calendar.
        </p>
      )}
      <ol className="setup-steps" aria-label="Setup steps">
        {SETUP_STEPS.map((step) => {
          const s = STEPS[step]
          return (
            <li key={step} className={done[step] ? 'setup-step done' : 'setup-step'}>
              <span className="setup-tick" aria-hidden="true">
                {done[step] ? '✓' : ''}
              </span>
              <div className="setup-text">
                <h2>{s.title}</h2>
                <p className="muted">
                  {done[step] ? (detail[step] ?? 'Done') : s.todo}
                  <span className="visually-hidden">{done[step] ? ' (done)' : ' (to do)'}</span>
                </p>
              </div>
              <button
                type="button"
                className={done[step] ? undefined : 'primary'}
                onClick={() => (step === 'booking' ? book({}) : setOpen(step))}
              >
                {done[step] ? (step === 'booking' ? 'Book another' : 'Change') : s.action}
              </button>
            </li>
          )
        })}
      </ol>
      {open === 'businessName' && <BusinessNameDialog onClose={close} />}
      {open === 'timeZone' && <TimeZoneDialog chosen={done.timeZone} onClose={close} />}
      {open === 'workingHours' && <WorkingHoursDialog onClose={close} />}
      {open === 'services' && (
        <ServicesDialog onClose={close} onAddOwn={() => setOpen('ownService')} />
      )}
      {open === 'ownService' && <ServiceDialog service={{}} onClose={close} />}
      {open === 'crew' && <MemberDialog member={{}} onClose={close} />}
      {open === 'client' && <ClientDialog client={{}} onClose={close} />}
      {dialogs}
    </section>
  )
}
