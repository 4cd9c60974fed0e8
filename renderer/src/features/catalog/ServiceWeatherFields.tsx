import type { FieldValues, Path, UseFormReturn } from 'react-hook-form'
import { describeLimits, weatherLimits as limitsSchema } from '../../../../shared/weather/limits'
import {
  GENERAL_LIMITS,
  KIND_LIMITS,
  SERVICE_KINDS,
  type ServiceKind,
  type WeatherLimits,
} from '../../../../shared/weather/risk'
import type { Units } from '../../../../shared/weather/units'
import { Field } from '../../components/Field'
import '../weather/weather.css'
import {
  limitInputs,
  limitLabel,
  limitRangeMessage,
  NUMBERS,
  type NumberLimit,
  type WeatherValues,
  weatherInput,
} from './weather-limits-form'

export { type WeatherValues, weatherDefaults, weatherInput } from './weather-limits-form'

export const KIND_LABEL: Record<ServiceKind | '', string> = {
  '': 'General outdoor work',
  mowing: 'Mowing',
  spraying: 'Spraying and fertilizing',
  planting: 'Planting and seeding',
  heavy: 'Heavy work',
  indoor: 'Indoor',
}

/** The limits in force, in words and the business's units, for what the inputs hold now. */
function effectiveWords(v: WeatherValues, units: Units): string {
  const { weatherKind, weatherLimits: typed } = weatherInput(v, units)
  // Only a limit the contract would take counts (not "-5 mm"); the form marks the rest.
  const valid = ([key, x]: [string, unknown]) =>
    limitsSchema.shape[key as keyof WeatherLimits]?.safeParse(x).success && x !== undefined
  // Until every limit typed is one the service can keep, no summary is true.
  if (typed && !Object.entries(typed).every(valid))
    return 'Fix the limits marked below to see when its jobs are at risk.'
  const weatherLimits =
    typed && (Object.fromEntries(Object.entries(typed).filter(valid)) as WeatherLimits)
  const limits = weatherLimits ?? (weatherKind ? KIND_LIMITS[weatherKind] : GENERAL_LIMITS)
  const words = describeLimits(limits, units)
  return words === 'any weather'
    ? 'Never at weather risk.'
    : `At weather risk with ${words}${weatherLimits ? '' : ` (the limits of ${KIND_LABEL[weatherKind ?? ''].toLowerCase()})`}.`
}

/**
 * Kind of work and, optionally, the service's own limits, in the business's units (the
 * dialog's `weatherInput` turns them back into metric); the limits in force in words.
 */
export function ServiceWeatherFields<V extends FieldValues & WeatherValues>(props: {
  form: UseFormReturn<V, unknown, unknown>
  units: Units
}) {
  const { units } = props
  const form = props.form as unknown as UseFormReturn<WeatherValues, unknown, unknown>
  const values = form.watch()
  const errors = form.formState.errors
  const limitError = (key: NumberLimit) => {
    const message = (errors.weatherLimits as Record<string, { message?: string }> | undefined)?.[
      key
    ]?.message
    // The contract's range is in metric: a refused US amount is told its range in US units.
    return message && (limitRangeMessage(key, values.weatherLimits[key] ?? '', units) ?? message)
  }
  return (
    <fieldset className="weather-fields">
      <legend>Weather</legend>
      <Field label="Kind of work" error={errors.weatherKind?.message}>
        <select {...form.register('weatherKind')}>
          {(['', ...SERVICE_KINDS] as const).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </Field>
      <label className="check">
        <input
          type="checkbox"
          {...form.register('ownLimits', {
            // Own limits start from the kind's, to adjust: starting empty would read as
            // "never at weather risk" and drop the kind's limits on save.
            onChange: (e: { target: { checked: boolean } }) => {
              const typed = form.getValues('weatherLimits')
              const blank =
                NUMBERS.every((k) => (typed[k] ?? '').trim() === '') &&
                !typed.noRain &&
                !typed.noFrost
              if (!e.target.checked || !blank) return
              const kind = form.getValues('weatherKind')
              const from = kind ? KIND_LIMITS[kind] : GENERAL_LIMITS
              form.setValue('weatherLimits', limitInputs(from, units))
              // Saved untouched, the kind's limits are kept exactly, not as converted back.
              form.setValue('limitsShown', from)
            },
          })}
        />
        Its own limits instead of the kind's
      </label>
      {values.ownLimits && (
        <div className="limits-fields">
          <p className="limits-lead muted small">
            At risk when the forecast goes over (leave empty for no such limit):
          </p>
          {NUMBERS.map((key) => (
            <Field key={key} label={limitLabel(key, units)} error={limitError(key)}>
              <input
                inputMode="decimal"
                {...form.register(`weatherLimits.${key}` as Path<WeatherValues>)}
              />
            </Field>
          ))}
          <label className="check">
            <input type="checkbox" {...form.register('weatherLimits.noRain')} />
            Needs a dry day
          </label>
          <label className="check">
            <input type="checkbox" {...form.register('weatherLimits.noFrost')} />
            No frost
          </label>
        </div>
      )}
      <p className="limits-words muted" aria-live="polite">
        {effectiveWords(values, units)}
      </p>
      {typeof (errors.weatherLimits as { message?: unknown } | undefined)?.message === 'string' && (
        <small className="error-text">
          {(errors.weatherLimits as { message: string }).message}
        </small>
      )}
    </fieldset>
  )
}
