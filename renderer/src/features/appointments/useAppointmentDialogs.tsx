import { useState } from 'react'
import type { Appointment } from '../../../../shared/contract/appointments'
import { AppointmentDetails } from './AppointmentDetails'
import { AppointmentForm, type FormSeed } from './AppointmentForm'

/** The booking form and the details dialog, wired together, for any screen that lists jobs. */
export function useAppointmentDialogs(onChanged: () => void) {
  const [form, setForm] = useState<FormSeed | null>(null)
  const [details, setDetails] = useState<Appointment | null>(null)
  const dialogs = (
    <>
      <AppointmentForm
        seed={form}
        onClose={(saved) => {
          setForm(null)
          if (saved) onChanged()
        }}
      />
      <AppointmentDetails
        appointment={details}
        onClose={() => setDetails(null)}
        onEdit={(a) => {
          setDetails(null)
          setForm({ appointment: a })
        }}
        onChanged={onChanged}
      />
    </>
  )
  return { book: setForm, show: setDetails, dialogs }
}
