import { type FormEvent, useEffect, useState } from 'react'
import { isManager } from '../../../../shared/domain/permissions'
import type { FieldErrors } from '../../api/hooks'
import { useSettings } from '../../api/reference'
import { Field } from '../../components/Field'
import { TimeZonePicker } from '../../components/TimeZonePicker'
import { UnsavedDialog, useTypedChanges, useUnsavedChanges } from '../../components/UnsavedChanges'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { saveSettings } from './save-settings'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** The zone chosen from the list, sent with the form as `timeZone`. */
function ZoneField(props: {
  initial: string
  error: string | undefined
  disabled: boolean
  /** Told once the chosen zone is in the form. */
  onPicked: () => void
}) {
  const [zone, setZone] = useState(props.initial)
  const { onPicked } = props
  // Chosen from the list, the zone reaches the form without an input event.
  useEffect(() => {
    if (zone) onPicked()
  }, [zone, onPicked])
  return (
    <Field label="Time zone" error={props.error} hint="Type a city to find its zone">
      <TimeZonePicker value={zone} onChange={setZone} disabled={props.disabled} name="timeZone" />
    </Field>
  )
}

/** Settings → Business: the time zone, working hours and days every laptop shares. */
export function BusinessHours() {
  const user = useSession((s) => s.user)
  const settings = useSettings()
  const [errors, setErrors] = useState<FieldErrors>({})
  const typed = useTypedChanges(JSON.stringify(settings))
  const unsaved = useUnsavedChanges(typed.changed, typed.dropped)
  const manager = isManager(user?.role ?? null)

  async function saveBusiness(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const input = {
      timeZone: String(f.get('timeZone') ?? ''),
      workingHours: {
        start: String(f.get('start') ?? ''),
        end: String(f.get('end') ?? ''),
        days: f.getAll('day').map(Number),
      },
    }
    await saveSettings(input, {
      setErrors,
      saved: () => {
        typed.saved()
        toast.success('Settings saved')
      },
    })
  }

  return (
    <section className="card" aria-labelledby="business">
      <h2 id="business">Business hours</h2>
      <form
        className="form-grid compact"
        onSubmit={saveBusiness}
        ref={typed.ref}
        onChange={typed.onChange}
        key={typed.key}
      >
        <ZoneField
          initial={settings.timeZone}
          error={errors.timeZone}
          disabled={!manager}
          onPicked={typed.recheck}
        />
        <Field label="Day starts" error={errors['workingHours.start']}>
          <input
            name="start"
            type="time"
            defaultValue={settings.workingHours.start}
            disabled={!manager}
          />
        </Field>
        <Field label="Day ends" error={errors['workingHours.end']}>
          <input
            name="end"
            type="time"
            defaultValue={settings.workingHours.end}
            disabled={!manager}
          />
        </Field>
        <fieldset
          aria-describedby={errors['workingHours.days'] ? 'business-days-error' : undefined}
        >
          <legend>Working days</legend>
          {DAYS.map((d, i) => (
            <label key={d} className="check">
              <input
                type="checkbox"
                name="day"
                value={i}
                defaultChecked={settings.workingHours.days.includes(i)}
                disabled={!manager}
              />
              {d}
            </label>
          ))}
        </fieldset>
        {errors['workingHours.days'] && (
          <small id="business-days-error" className="error-text">
            Working days {errors['workingHours.days']}
          </small>
        )}
        {manager && <button type="submit">Save business hours</button>}
      </form>
      <UnsavedDialog guard={unsaved} what="the business hours" />
    </section>
  )
}
