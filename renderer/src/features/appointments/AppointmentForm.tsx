import { type FormEvent, useEffect, useMemo, useState } from 'react'
import { type ChannelInput, contract } from '../../../../shared/contract'
import type { Appointment } from '../../../../shared/contract/appointments'
import type { Client } from '../../../../shared/contract/clients'
import { ApiError, call } from '../../api/client'
import { type FieldErrors, fieldErrors } from '../../api/hooks'
import { fromLocalInput, toLocalInput } from '../../app/format'
import { ConfirmConflict } from '../../components/ConfirmConflict'
import { Dialog } from '../../components/Dialog'
import { Field } from '../../components/Field'
import { NamedOptions } from '../../components/NamedOptions'
import { isManager, useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { useConflictRetry } from './useConflictRetry'

type CreateInput = ChannelInput<'appointments.create'>
type UpdateInput = ChannelInput<'appointments.update'>

export interface FormSeed {
  /** Editing this appointment; otherwise booking a new one. */
  appointment?: Appointment
  start?: string
  durationMinutes?: number
  teamMemberId?: string | null
}

/** Book or edit an appointment. Messages come from the contract's own zod schemas. */
export function AppointmentForm(props: {
  seed: FormSeed | null
  onClose: (saved: boolean) => void
}) {
  const { settings, services, team, user } = useSession()
  const tz = settings.timeZone
  const editing = props.seed?.appointment
  const [clients, setClients] = useState<Client[]>([])
  const [clientSearch, setClientSearch] = useState('')
  const [values, setValues] = useState(() => initial(props.seed, tz))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const conflict = useConflictRetry()

  useEffect(() => setValues(initial(props.seed, tz)), [props.seed, tz])
  useEffect(() => {
    if (!props.seed) return
    const t = setTimeout(() => {
      call('clients.list', { search: clientSearch, limit: 100 }).then(
        (page) => {
          const chosen = editing && !page.results.some((c) => c.id === editing.clientId)
          setClients(
            chosen
              ? [{ id: editing.clientId, name: editing.clientName } as Client, ...page.results]
              : page.results,
          )
        },
        () => setClients([]),
      )
    }, 150)
    return () => clearTimeout(t)
  }, [clientSearch, props.seed, editing])

  const bookable = services.filter((s) => s.isActive || s.id === editing?.serviceId)
  const service = services.find((s) => s.id === values.serviceId)
  const member = team.find((m) => m.id === values.teamMemberId)
  const memberHint = useMemo(() => {
    if (!member || !service) return undefined
    const notes = []
    if (!member.specialtyIds.includes(service.id))
      notes.push(`${member.name} does not usually do ${service.name}`)
    if (!member.isAvailable) notes.push(`${member.name} is marked unavailable`)
    return notes.join('; ') || undefined
  }, [member, service])

  const set = (key: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }))

  const crewLead = !isManager(user)

  function buildInput(): Record<string, unknown> {
    // A crew lead may change only the notes of an existing job.
    if (editing && crewLead) return { id: editing.id, notes: values.notes }
    const scheduledAt = fromLocalInput(values.start, tz) ?? values.start
    const durationMinutes = values.duration === '' ? undefined : Number(values.duration)
    const price = values.price === '' || !isManager(user) ? undefined : values.price
    const common = {
      clientId: values.clientId,
      serviceId: values.serviceId,
      teamMemberId: values.teamMemberId || null,
      scheduledAt,
      notes: values.notes,
      ...(durationMinutes === undefined ? {} : { durationMinutes }),
      ...(price === undefined ? {} : { price }),
    }
    return editing ? { id: editing.id, ...common } : common
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    const input = buildInput()
    const missing: FieldErrors = {}
    if (!values.clientId) missing.clientId = 'Choose a client'
    if (!values.serviceId) missing.serviceId = 'Choose a service'
    if (!values.start) missing.scheduledAt = 'Choose a date and time'
    const schema = editing
      ? contract['appointments.update'].input
      : contract['appointments.create'].input
    const parsed = schema.safeParse(input)
    if (!parsed.success || Object.keys(missing).length) {
      setErrors({ ...(parsed.success ? {} : fieldErrors(parsed.error)), ...missing })
      return
    }
    setErrors({})
    setBusy(true)
    try {
      const saved = await conflict.run((acceptConflict) =>
        editing
          ? call('appointments.update', { ...(parsed.data as UpdateInput), acceptConflict })
          : call('appointments.create', { ...(parsed.data as CreateInput), acceptConflict }),
      )
      if (saved) {
        toast.success(editing ? 'Appointment saved' : 'Appointment booked')
        props.onClose(true)
      }
    } catch (err) {
      setErrors(fieldErrors(err))
      if (err instanceof ApiError) toast.error(err.message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      title={editing ? 'Edit appointment' : 'New appointment'}
      open={props.seed !== null}
      onClose={() => props.onClose(false)}
      wide
    >
      <form className="form-grid" onSubmit={submit} noValidate>
        <Field label="Find client">
          <input
            type="search"
            value={clientSearch}
            onChange={(e) => setClientSearch(e.target.value)}
            placeholder="Name, email, phone…"
          />
        </Field>
        <Field label="Client" error={errors.clientId}>
          <select
            value={values.clientId}
            disabled={Boolean(editing && crewLead)}
            onChange={set('clientId')}
          >
            <option value="">Choose a client…</option>
            <NamedOptions items={clients} />
          </select>
        </Field>
        <Field label="Service" error={errors.serviceId}>
          <select
            value={values.serviceId}
            disabled={Boolean(editing && crewLead)}
            onChange={(e) => {
              const s = services.find((x) => x.id === e.target.value)
              setValues((v) => ({
                ...v,
                serviceId: e.target.value,
                duration:
                  s && !editing && !props.seed?.durationMinutes
                    ? String(s.durationMinutes)
                    : v.duration,
              }))
            }}
          >
            <option value="">Choose a service…</option>
            {bookable.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.durationMinutes} min)
              </option>
            ))}
          </select>
        </Field>
        <Field label="Crew member" error={errors.teamMemberId} hint={memberHint}>
          <select
            value={values.teamMemberId}
            disabled={Boolean(editing && crewLead)}
            onChange={set('teamMemberId')}
          >
            <option value="">Unassigned</option>
            {team.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
                {m.isAvailable ? '' : ' (unavailable)'}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Start" error={errors.scheduledAt} hint={`Times are in ${tz}`}>
          <input
            type="datetime-local"
            value={values.start}
            disabled={Boolean(editing && crewLead)}
            onChange={set('start')}
          />
        </Field>
        <Field label="Duration (minutes)" error={errors.durationMinutes}>
          <input
            type="number"
            inputMode="numeric"
            value={values.duration}
            disabled={Boolean(editing && crewLead)}
            onChange={set('duration')}
          />
        </Field>
        {isManager(user) && (
          <Field
            label="Price"
            error={errors.price}
            hint={service ? `Base price ${service.basePrice}` : undefined}
          >
            <input
              inputMode="decimal"
              value={values.price}
              onChange={set('price')}
              placeholder={service?.basePrice ?? '0.00'}
            />
          </Field>
        )}
        <Field label="Notes" error={errors.notes}>
          <textarea rows={3} value={values.notes} onChange={set('notes')} />
        </Field>
        <div className="form-actions">
          <button type="button" onClick={() => props.onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {editing ? 'Save' : 'Book'}
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

function initial(seed: FormSeed | null, tz: string) {
  const a = seed?.appointment
  return {
    clientId: a?.clientId ?? '',
    serviceId: a?.serviceId ?? '',
    teamMemberId: a?.teamMemberId ?? seed?.teamMemberId ?? '',
    start: toLocalInput(a?.scheduledAt ?? seed?.start ?? nextHour(), tz),
    duration: String(a?.durationMinutes ?? seed?.durationMinutes ?? ''),
    price: a?.price ?? '',
    notes: a?.notes ?? '',
  }
}

const nextHour = () => new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000).toISOString()
