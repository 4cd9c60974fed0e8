import { useEffect, useLayoutEffect, useMemo, useState } from 'react'
import { contract } from '../../../../shared/contract'
import type { Appointment } from '../../../../shared/contract/appointments'
import type { Client } from '../../../../shared/contract/clients'
import { assignmentWarnings } from '../../../../shared/domain/assignee-warnings'
import { durationLabel } from '../../../../shared/domain/duration'
import { jobLocation } from '../../../../shared/domain/job-location'
import { isManager } from '../../../../shared/domain/permissions'
import { localDay } from '../../../../shared/domain/time'
import {
  memberHours,
  nextOpenHour,
  type WorkingHours,
} from '../../../../shared/domain/working-hours'
import { ApiError } from '../../api/client'
import { fieldError, showServerError, useContractForm } from '../../api/forms'
import { useChannel, write } from '../../api/queries'
import { useServices, useSettings, useTeam } from '../../api/reference'
import { fromLocalInput, money, toLocalInput } from '../../app/format'
import { ClientPicker } from '../../components/ClientPicker'
import { ConfirmConflict } from '../../components/ConfirmConflict'
import { Dialog } from '../../components/Dialog'
import { Field } from '../../components/Field'
import { zoneName } from '../../components/TimeZonePicker'
import { UnsavedDialog, useUnsavedChanges } from '../../components/UnsavedChanges'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { BookingNeeds } from './BookingNeeds'
import {
  NO_REPEAT,
  type RepeatValue,
  repeatChanges,
  repeatOf,
  SeriesFields,
  seriesChanges,
  seriesInput,
} from './SeriesFields'
import { reportSeries, SeriesSummaryDialog, useScopeChoice } from './SeriesPanel'
import { useConflictRetry } from './useConflictRetry'

export interface FormSeed {
  /** Editing this appointment; otherwise booking a new one. */
  appointment?: Appointment
  start?: string
  durationMinutes?: number
  teamMemberId?: string | null
}

/** Book or edit an appointment; mounted afresh for each seed. */
/** "Times are Central Time (Chicago)": the zone as people say it, and its city. */
function zoneHint(tz: string): string {
  const city = tz.split('/').at(-1)?.replaceAll('_', ' ') ?? tz
  const name = zoneName(tz, 'longGeneric')
  return name ? `Times are ${name} (${city})` : `Times are in ${city}`
}

export function AppointmentForm(props: {
  seed: FormSeed | null
  onClose: () => void
  /** Opens the form again for another seed: a clashing visit of a series just booked. */
  onOpen?: (seed: FormSeed) => void
}) {
  const { onOpen } = props
  // What is typed is asked about before it is dropped (Cancel, Escape, the close button,
  // another screen); a booking saved closes the form without asking.
  const [typed, setTyped] = useState(false)
  const guard = useUnsavedChanges(typed && props.seed !== null)
  const close = () => guard.confirm(props.onClose)
  const editing = props.seed?.appointment
  const form = props.seed && (
    <BookingForm seed={props.seed} onClose={props.onClose} onCancel={close} onTyped={setTyped} />
  )
  return (
    <>
      <SeriesSummaryDialog
        {...(onOpen ? { onEdit: (visit: Appointment) => onOpen({ appointment: visit }) } : {})}
      />
      <Dialog
        title={editing ? 'Edit appointment' : 'New appointment'}
        open={props.seed !== null}
        onClose={close}
        wide
      >
        {form && (editing ? form : <BookingNeeds>{form}</BookingNeeds>)}
        <UnsavedDialog guard={guard} what={editing ? 'this appointment' : 'the new appointment'} />
      </Dialog>
    </>
  )
}

/** What the inputs hold: the start in the business's local time, numbers as typed. */
interface Values {
  id?: string
  clientId: string
  serviceId: string
  teamMemberId: string
  scheduledAt: string
  durationMinutes: string
  price: string
  notes: string
  location: string
}

/** Messages come from the contract's own zod schemas, as the core would answer. */
function BookingForm({
  seed,
  onClose,
  onCancel,
  onTyped,
}: {
  seed: FormSeed
  /** Closes the form: saved, nothing to ask about. */
  onClose: () => void
  /** Closes it at the person's wish: asks first when something is typed. */
  onCancel: () => void
  onTyped: (typed: boolean) => void
}) {
  const { user } = useSession()
  const settings = useSettings()
  const tz = settings.timeZone
  const services = useServices()
  const team = useTeam()
  const editing = seed.appointment
  const manager = isManager(user?.role ?? null)
  // A crew lead may change only the notes of an existing job.
  const notesOnly = Boolean(editing && !manager)
  const conflict = useConflictRetry()
  const [repeat, setRepeat] = useState<RepeatValue>(NO_REPEAT)
  const scope = useScopeChoice()
  // A visit of a series, edited by the office: how the series repeats, from the part of
  // it the visit falls in, shown to change from this visit on (or for all of it).
  const seriesOf = useChannel(
    'series.get',
    { id: editing?.id ?? '' },
    { enabled: !!editing?.seriesId && manager },
  ).data?.current
  const repeatBefore = useMemo(
    () => (seriesOf ? repeatOf(seriesOf.rule, seriesOf.endsOn) : null),
    [seriesOf],
  )
  useEffect(() => {
    if (repeatBefore) setRepeat(repeatBefore)
  }, [repeatBefore])

  const form = useContractForm({
    schema: editing ? contract['appointments.update'].input : contract['appointments.create'].input,
    defaultValues: initial(seed, tz, settings.workingHours),
    toInput: (v: Values) => toInput(v, { tz, notesOnly, manager }),
    absent: {
      clientId: 'Choose a client',
      serviceId: 'Choose a service',
      scheduledAt: 'Choose a date and time',
    },
  })

  const { isDirty, isSubmitting } = form.formState
  const repeatTyped = repeatBefore ? repeat !== repeatBefore : repeat.kind !== 'none'
  const typed = (isDirty || repeatTyped) && !isSubmitting
  // Told before the next key is handled (a layout effect runs with the keystroke's
  // render): Escape pressed right after typing finds the form changed.
  useLayoutEffect(() => {
    onTyped(typed)
  }, [typed, onTyped])
  // Gone (saved, or dropped): nothing typed is left to ask about.
  useEffect(() => () => onTyped(false), [onTyped])

  const [client, setClient] = useState<Client | null>(null)
  const clientId = form.watch('clientId')
  // Where the job is when Location is left empty (a client picked from the search).
  const clientPlace = client?.address !== undefined ? jobLocation({ location: null }, client) : null
  const serviceId = form.watch('serviceId')
  const memberId = form.watch('teamMemberId')
  const bookable = services.filter((s) => s.isActive || s.id === editing?.serviceId)
  const service = services.find((s) => s.id === serviceId)
  const member = team.find((m) => m.id === memberId)
  // Said before booking in the words the core warns with after (assignee-warnings.ts).
  const startMs = Date.parse(fromLocalInput(form.watch('scheduledAt'), tz) ?? '')
  const day = Number.isNaN(startMs) ? '' : localDay(startMs, tz)
  const minutes = Number(form.watch('durationMinutes')) || service?.durationMinutes || 0
  const off = useChannel(
    'team.timeOff.list',
    { teamMemberId: memberId || undefined, from: day || undefined, to: day || undefined },
    { enabled: !!memberId && !!day },
  ).data?.results[0]
  const memberHint = useMemo(() => {
    if (!member) return undefined
    const warnings = assignmentWarnings({
      member,
      service: service
        ? { name: service.name, isSpecialty: member.specialtyIds.includes(service.id) }
        : null,
      timeOff: off ? [off] : [],
      hours: memberHours(member, settings.workingHours),
      startMs: day ? startMs : null,
      durationMinutes: minutes,
      timeZone: tz,
    })
    return warnings.map((w) => w.message).join('. ') || undefined
  }, [member, service, off, day, minutes, startMs, settings.workingHours, tz])

  const submit = form.handleSubmit(async (input) => {
    try {
      // A series: booked, or changed from this visit on, through the series channels.
      const [day = '', time = ''] = form.getValues('scheduledAt').split('T')
      const v = input as Parameters<typeof seriesInput>[0]
      if (!editing && repeat.kind !== 'none') {
        const { summary } = await write('series.create', seriesInput(v, { day, time }, repeat))
        reportSeries(summary, true)
        return onClose()
      }
      const was = editing ? toLocalInput(editing.scheduledAt, tz).split('T') : []
      const repeats =
        editing && repeatBefore && day ? repeatChanges(repeatBefore, repeat, was[0] ?? day) : {}
      const repeatsOtherwise = Object.keys(repeats).length > 0
      // Another day moves this visit alone: the days a series falls on are its rule's.
      const movedDay = !!editing && day !== was[0]
      if (repeatsOtherwise && movedDay) {
        form.setError('root.server', {
          message:
            'Move this visit to another day, or change how the series repeats: one, then the other.',
        })
        return
      }
      const chosen =
        editing?.seriesId && manager && !movedDay
          ? await scope.ask({ seriesOnly: repeatsOtherwise })
          : 'this'
      if (!chosen) return
      if (editing && chosen !== 'this') {
        const changes = {
          ...seriesChanges(v, time, { ...editing, time: was[1] ?? '' }),
          ...repeats,
        }
        if (!Object.keys(changes).length) {
          toast.info('Nothing was changed')
          return onClose()
        }
        const { summary } = await write('series.update', {
          visitId: editing.id,
          scope: chosen,
          changes,
        })
        reportSeries(summary)
        return onClose()
      }
      const saved = await conflict.run((acceptConflict) =>
        editing
          ? write('appointments.update', { ...(input as object), acceptConflict } as never)
          : write('appointments.create', { ...(input as object), acceptConflict } as never),
      )
      if (saved) {
        toast.success(
          !editing
            ? 'Appointment booked'
            : editing.seriesId && movedDay
              ? 'Visit moved: the rest of the series keeps its days'
              : 'Appointment saved',
        )
        onClose()
      }
    } catch (err) {
      if (err instanceof ApiError || err instanceof Error) showServerError(form, err)
    }
  })

  const locked = notesOnly
  return (
    <>
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
        {problem(form) && (
          <p role="alert" className="form-error">
            {problem(form)}
          </p>
        )}
        <Field label="Client" error={fieldError(form, 'clientId')}>
          <ClientPicker
            value={clientId}
            initialName={editing?.clientName}
            disabled={locked}
            onChange={(c) => {
              setClient(c)
              // Checked again once the form has been sent, as typed fields are: a
              // client picked after "Choose a client" clears that message.
              form.setValue('clientId', c?.id ?? '', {
                shouldDirty: true,
                shouldValidate: form.formState.isSubmitted,
              })
            }}
          />
        </Field>
        <Field label="Service" error={fieldError(form, 'serviceId')}>
          <select
            disabled={locked}
            {...form.register('serviceId', {
              onChange: (e: { target: { value: string } }) => {
                const s = services.find((x) => x.id === e.target.value)
                if (s && !editing && !seed.durationMinutes)
                  form.setValue('durationMinutes', String(s.durationMinutes))
              },
            })}
          >
            <option value="">Choose a service…</option>
            {bookable.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({durationLabel(s.durationMinutes)})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Crew member" error={fieldError(form, 'teamMemberId')} hint={memberHint}>
          <select disabled={locked} {...form.register('teamMemberId')}>
            <option value="">Unassigned</option>
            {team.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
                {m.markedAvailable ? '' : ' (unavailable)'}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Start" error={fieldError(form, 'scheduledAt')} hint={zoneHint(tz)}>
          <input type="datetime-local" disabled={locked} {...form.register('scheduledAt')} />
        </Field>
        {manager && (!editing || repeatBefore) && (
          <SeriesFields
            value={repeat}
            onChange={setRepeat}
            day={form.watch('scheduledAt').slice(0, 10)}
            editing={!!editing}
          />
        )}
        <Field label="Duration (minutes)" error={fieldError(form, 'durationMinutes')}>
          <input
            type="number"
            inputMode="numeric"
            disabled={locked}
            {...form.register('durationMinutes')}
          />
        </Field>
        {manager && (
          <Field
            label="Price"
            error={fieldError(form, 'price')}
            hint={service ? `Base price ${money(service.basePrice)}` : undefined}
          >
            <input
              inputMode="decimal"
              placeholder={service?.basePrice ?? '0.00'}
              {...form.register('price')}
            />
          </Field>
        )}
        <Field
          label="Location"
          error={fieldError(form, 'location')}
          hint={
            !client
              ? "If empty: the client's address"
              : clientPlace
                ? `If empty: ${clientPlace}`
                : 'The client has no address on file'
          }
        >
          <input
            disabled={locked}
            autoComplete="off"
            placeholder="Postcode or address"
            {...form.register('location')}
          />
        </Field>
        <Field label="Notes" error={fieldError(form, 'notes')}>
          <textarea rows={3} {...form.register('notes')} />
        </Field>
        <div className="form-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
            {editing ? 'Save' : 'Book'}
          </button>
        </div>
      </form>
      {scope.element}
      <ConfirmConflict
        message={conflict.prompt}
        onKeepBoth={conflict.keepBoth}
        onCancel={conflict.cancel}
      />
    </>
  )
}

const problem = (form: {
  formState: { errors: { root?: Record<string, { message?: string }> } }
}) => form.formState.errors.root?.server?.message

/** The channel's input from the inputs: local time to an instant, text to numbers. */
function toInput(v: Values, ctx: { tz: string; notesOnly: boolean; manager: boolean }) {
  if (ctx.notesOnly) return { id: v.id, notes: v.notes }
  const durationMinutes = v.durationMinutes === '' ? undefined : Number(v.durationMinutes)
  const price = v.price === '' || !ctx.manager ? undefined : v.price
  return {
    ...(v.id ? { id: v.id } : {}),
    clientId: v.clientId || undefined,
    serviceId: v.serviceId || undefined,
    teamMemberId: v.teamMemberId || null,
    scheduledAt: fromLocalInput(v.scheduledAt, ctx.tz) ?? (v.scheduledAt || undefined),
    notes: v.notes,
    location: v.location,
    ...(durationMinutes === undefined ? {} : { durationMinutes }),
    ...(price === undefined ? {} : { price }),
  }
}

function initial(seed: FormSeed, tz: string, hours: WorkingHours): Values {
  const a = seed.appointment
  return {
    ...(a ? { id: a.id } : {}),
    clientId: a?.clientId ?? '',
    serviceId: a?.serviceId ?? '',
    teamMemberId: a?.teamMemberId ?? seed.teamMemberId ?? '',
    scheduledAt: toLocalInput(
      a?.scheduledAt ?? seed.start ?? new Date(nextOpenHour(Date.now(), hours, tz)).toISOString(),
      tz,
    ),
    durationMinutes: String(a?.durationMinutes ?? seed.durationMinutes ?? ''),
    price: a?.price ?? '',
    notes: a?.notes ?? '',
    location: a?.location ?? '',
  }
}
