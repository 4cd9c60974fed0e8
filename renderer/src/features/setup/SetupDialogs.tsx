import { type FormEvent, useState } from 'react'
import { contract } from '../../../../shared/contract'
import type { Service } from '../../../../shared/contract/catalog'
import { durationLabel } from '../../../../shared/domain/duration'
import { type Units, unitsForZone } from '../../../../shared/weather/units'
import { ApiError } from '../../api/client'
import { type FieldErrors, fieldErrors } from '../../api/hooks'
import { write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { money } from '../../app/format'
import { priorityLabel } from '../../app/labels'
import { href } from '../../app/router'
import { Dialog } from '../../components/Dialog'
import { Field } from '../../components/Field'
import { FormActions } from '../../components/FormActions'
import { laptopZone, TimeZonePicker } from '../../components/TimeZonePicker'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { UnitOptions } from '../settings/WeatherUnits'

const message = (err: unknown) => (err instanceof ApiError ? err.message : String(err))

/** The business's name, as it signs its messages to clients. */
export function BusinessNameForm(props: { onDone: () => void; onCancel?: () => void }) {
  const [error, setError] = useState<string | undefined>()
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const name = String(new FormData(e.currentTarget).get('businessName') ?? '').trim()
    if (!name) return setError('Type the name your clients know you by')
    try {
      await write('notifications.updateSettings', { businessName: name })
      props.onDone()
    } catch (err) {
      setError(fieldErrors(err).businessName ?? message(err))
    }
  }
  return (
    <form className="form-grid compact" onSubmit={submit} aria-label="Business name" noValidate>
      <Field label="Business name" error={error} hint="Shown on the messages clients get">
        <input
          name="businessName"
          autoComplete="organization"
          maxLength={200}
          // biome-ignore lint/a11y/noAutofocus: the screen (or dialog) opens for this one field
          autoFocus
        />
      </Field>
      {props.onCancel ? (
        <FormActions onCancel={props.onCancel} />
      ) : (
        <button type="submit" className="primary">
          Continue
        </button>
      )}
    </form>
  )
}

export function BusinessNameDialog(props: { onClose: () => void }) {
  return (
    <Dialog title="Business name" open onClose={props.onClose}>
      <BusinessNameForm onDone={props.onClose} onCancel={props.onClose} />
    </Dialog>
  )
}

/** Saves part of the business settings, sharing the answer with every screen. */
async function saveSettings(input: Parameters<typeof write<'settings.update'>>[1]) {
  const next = await write('settings.update', input)
  useSession.setState({ settings: next })
  return next
}

/**
 * The business's time zone, chosen from the list (the laptop's own suggested first), and
 * the units its weather is shown in: until the business has saved a zone, those of the
 * zone chosen (US units in a zone of the United States), unless picked by hand.
 */
export function TimeZoneDialog(props: { onClose: () => void; chosen: boolean }) {
  const settings = useSettings()
  // Never saved yet: the laptop's zone is the likely answer; saved: what it is.
  const [zone, setZone] = useState(props.chosen ? settings.timeZone : laptopZone())
  const [picked, setPicked] = useState<Units | null>(props.chosen ? settings.units : null)
  const units = picked ?? unitsForZone(zone)
  const [error, setError] = useState<string | undefined>()
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    try {
      await saveSettings({ timeZone: zone, units })
      toast.success(`Time zone set to ${zone}`)
      props.onClose()
    } catch (err) {
      setError(fieldErrors(err).timeZone ?? fieldErrors(err).units ?? message(err))
    }
  }
  return (
    <Dialog title="Time zone" open onClose={props.onClose}>
      <form className="form-grid compact" onSubmit={submit} noValidate>
        <p className="muted setup-wide">
          Appointments, reminders and exports use the business's time zone, wherever a laptop is.
        </p>
        <Field label="Time zone" error={error}>
          <TimeZonePicker value={zone} onChange={setZone} />
        </Field>
        <Field label="Weather units" hint="Change them at any time in Settings → Business">
          <select value={units} onChange={(e) => setPicked(e.target.value as Units)}>
            <UnitOptions />
          </select>
        </Field>
        <FormActions onCancel={props.onClose} />
      </form>
    </Dialog>
  )
}

const WEEK = [1, 2, 3, 4, 5, 6, 0]
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** When the business works: the calendar opens on these hours and greys the rest. */
export function WorkingHoursDialog(props: { onClose: () => void }) {
  const hours = useSettings().workingHours
  const [errors, setErrors] = useState<FieldErrors>({})
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const input = {
      workingHours: {
        start: String(f.get('start') ?? ''),
        end: String(f.get('end') ?? ''),
        days: f.getAll('day').map(Number),
      },
    }
    const parsed = contract['settings.update'].input.safeParse(input)
    if (!parsed.success) return setErrors(fieldErrors(parsed.error))
    if (!parsed.data.workingHours?.days.length)
      return setErrors({ days: 'Choose at least one working day' })
    try {
      await saveSettings(parsed.data)
      toast.success('Working hours saved')
      props.onClose()
    } catch (err) {
      setErrors(fieldErrors(err))
    }
  }
  return (
    <Dialog title="Working hours" open onClose={props.onClose}>
      <form className="form-grid compact" onSubmit={submit} noValidate>
        <Field label="Day starts">
          <input name="start" type="time" defaultValue={hours.start} />
        </Field>
        <Field label="Day ends" error={errors.workingHours}>
          <input name="end" type="time" defaultValue={hours.end} />
        </Field>
        <fieldset className="setup-wide">
          <legend>Working days</legend>
          {WEEK.map((d) => (
            <label key={d} className="check">
              <input type="checkbox" name="day" value={d} defaultChecked={hours.days.includes(d)} />
              {DAY_NAMES[d]}
            </label>
          ))}
          {errors.days && <small className="error-text">{errors.days}</small>}
        </fieldset>
        <FormActions onCancel={props.onClose} />
      </form>
    </Dialog>
  )
}

/**
 * First services: the starter catalog of common landscaping work (added once, adjusted
 * after), or the business's own, one at a time.
 */
export function ServicesDialog(props: { onClose: () => void; onAddOwn: () => void }) {
  const [added, setAdded] = useState<Service[] | null>(null)
  const [busy, setBusy] = useState(false)
  async function addStarter() {
    setBusy(true)
    try {
      const result = await write('catalog.services.addStarter', {})
      setAdded(result.added)
      toast.success(
        result.added.length
          ? `${result.added.length} services added to the catalog`
          : 'The catalog already has every starter service',
      )
    } catch (err) {
      toast.error(message(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Dialog title="First services" open onClose={props.onClose} wide>
      {added === null ? (
        <div className="setup-stack">
          <p>
            The services you offer, with their usual length and price, are what appointments are
            booked for. Start from a catalog of common landscaping work, or add your own.
          </p>
          <div className="actions-row">
            <button type="button" className="primary" disabled={busy} onClick={addStarter}>
              Add a starter catalog
            </button>
            <button type="button" onClick={props.onAddOwn}>
              Add a service myself
            </button>
          </div>
          <p className="muted">
            The starter catalog adds services such as lawn mowing, hedge trimming, leaf cleanup and
            mulching, with typical lengths and prices you can change; services you already have are
            kept as they are.
          </p>
        </div>
      ) : (
        <div className="setup-stack">
          <p>
            {added.length
              ? 'Added to the catalog. These are a start: change their prices, lengths and priorities to yours, and archive what you do not offer, under Catalog.'
              : 'Your catalog already has every starter service.'}
          </p>
          {added.length > 0 && (
            <table className="grid compact">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Length</th>
                  <th scope="col">Price</th>
                  <th scope="col">Priority</th>
                </tr>
              </thead>
              <tbody>
                {added.map((s) => (
                  <tr key={s.id}>
                    <td>{s.name}</td>
                    <td>{durationLabel(s.durationMinutes)}</td>
                    <td>{money(s.basePrice)}</td>
                    <td>{priorityLabel(s.priority)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="actions-row">
            <a className="setup-link" href={href('/catalog')} onClick={props.onClose}>
              Adjust them in the catalog
            </a>
            <button type="button" className="primary" onClick={props.onClose}>
              Done
            </button>
          </div>
        </div>
      )}
    </Dialog>
  )
}
