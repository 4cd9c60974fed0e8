import { useState } from 'react'
import type { Appointment } from '../../../../shared/contract/appointments'
import { BetterDaysDialog } from '../weather/BetterDaysDialog'
import { AppointmentDetails } from './AppointmentDetails'
import { AppointmentForm, type FormSeed } from './AppointmentForm'

/**
 * The booking form, the details dialog and a job's better days, wired together, for
 * any screen that lists jobs. What they save reaches the lists through the query
 * cache, not a callback.
 */
export function useAppointmentDialogs() {
  const [form, setForm] = useState<FormSeed | null>(null)
  const [details, setDetails] = useState<Appointment | null>(null)
  const [better, setBetter] = useState<string | null>(null)
  const dialogs = (
    <>
      <AppointmentForm seed={form} onClose={() => setForm(null)} onOpen={setForm} />
      <AppointmentDetails
        appointment={details}
        onClose={() => setDetails(null)}
        onEdit={(a) => {
          setDetails(null)
          setForm({ appointment: a })
        }}
        onBetterDays={(a) => {
          setDetails(null)
          setBetter(a.id)
        }}
      />
      <BetterDaysDialog key={better} appointmentId={better} onClose={() => setBetter(null)} />
    </>
  )
  return { book: setForm, show: setDetails, betterDays: setBetter, dialogs }
}
