import { type FormEvent, useState } from 'react'
import { UNIT_SYSTEMS, UNITS_LABEL, type Units } from '../../../../shared/weather/units'
import type { FieldErrors } from '../../api/hooks'
import { useSettings } from '../../api/reference'
import { Field } from '../../components/Field'
import { UnsavedDialog, useTypedChanges, useUnsavedChanges } from '../../components/UnsavedChanges'
import { toast } from '../../stores/toasts'
import { saveSettings } from './save-settings'

const SAVED: Record<Units, string> = {
  metric: 'Weather is now shown in mm, km/h and °C',
  us: 'Weather is now shown in inches, mph and °F',
}

/** The unit systems to choose from, as a `<select>`'s options. */
export function UnitOptions() {
  return UNIT_SYSTEMS.map((u) => (
    <option key={u} value={u}>
      {UNITS_LABEL[u]}
    </option>
  ))
}

/**
 * The units the business reads weather in, on every laptop: the calendar's forecast,
 * the reasons a job is at risk (and the clients' weather notices), and the catalog's
 * limits. Only the words change: forecasts and limits stay stored in metric.
 */
export function WeatherUnits(props: { disabled: boolean }) {
  const { units } = useSettings()
  const [errors, setErrors] = useState<FieldErrors>({})
  const typed = useTypedChanges(units)
  const unsaved = useUnsavedChanges(typed.changed, typed.dropped)

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const input = { units: String(new FormData(e.currentTarget).get('units') ?? '') }
    await saveSettings(input, {
      setErrors,
      saved: (next) => {
        typed.saved()
        toast.success(SAVED[next.units])
      },
    })
  }

  return (
    <form
      className="form-grid compact"
      aria-label="Weather units"
      onSubmit={save}
      ref={typed.ref}
      onChange={typed.onChange}
      key={typed.key}
    >
      <Field
        label="Units"
        error={errors.units}
        hint="For forecasts, weather risks, clients' weather notices and the catalog's limits"
      >
        <select name="units" defaultValue={units} disabled={props.disabled}>
          <UnitOptions />
        </select>
      </Field>
      {!props.disabled && <button type="submit">Save units</button>}
      <UnsavedDialog guard={unsaved} what="the weather units" />
    </form>
  )
}
