import type { FieldValues, Path, UseFormReturn } from 'react-hook-form'
import type { Service } from '../../../../shared/contract/catalog'
import { describeLimits, weatherLimits as limitsSchema } from '../../../../shared/weather/limits'
import {
  GENERAL_LIMITS,
  KIND_LIMITS,
  SERVICE_KINDS,
  type ServiceKind,
  type WeatherLimits,
} from '../../../../shared/weather/risk'
import { Field } from '../../components/Field'
import '../weather/weather.css'

export const KIND_LABEL: Record<ServiceKind | '', string> = {
  '': 'General outdoor work',
  mowing: 'Mowing',
  spraying: 'Spraying and fertilizing',
  planting: 'Planting and seeding',
  heavy: 'Heavy work',
  indoor: 'Indoor',
}

const NUMBERS = ['rainMm', 'rainProbability', 'windKmh', 'heatC'] as const
type NumberLimit = (typeof NUMBERS)[number]

/** What the weather inputs hold: numbers as typed (empty: no such limit). */
export interface WeatherValues {
  weatherKind: ServiceKind | ''
  ownLimits: boolean
  weatherLimits: Record<NumberLimit, string> & { noRain: boolean; noFrost: boolean }
}

export function weatherDefaults(s: Partial<Service>): WeatherValues {
  const own = s.weatherLimits ?? null
  const text = (n: number | undefined) => (n === undefined ? '' : String(n))
  return {
    weatherKind: s.weatherKind ?? '',
    ownLimits: own !== null,
    weatherLimits: {
      rainMm: text(own?.rainMm),
      rainProbability: text(own?.rainProbability),
      windKmh: text(own?.windKmh),
      heatC: text(own?.heatC),
      noRain: own?.noRain ?? false,
      noFrost: own?.noFrost ?? false,
    },
  }
}

/** The channel's fields from the inputs: a number typed as text stays text, for zod to refuse. */
export function weatherInput(v: WeatherValues): {
  weatherKind: ServiceKind | null
  weatherLimits: WeatherLimits | null
} {
  const limits: Record<string, unknown> = {}
  if (v.ownLimits) {
    for (const key of NUMBERS) {
      const raw = (v.weatherLimits[key] ?? '').trim()
      if (raw !== '') limits[key] = Number.isFinite(Number(raw)) ? Number(raw) : raw
    }
    if (v.weatherLimits.noRain) limits.noRain = true
    if (v.weatherLimits.noFrost) limits.noFrost = true
  }
  return {
    weatherKind: v.weatherKind || null,
    weatherLimits: v.ownLimits ? (limits as WeatherLimits) : null,
  }
}

/** The limits in force, in words, for what the inputs hold now. */
function effectiveWords(v: WeatherValues): string {
  const { weatherKind, weatherLimits: typed } = weatherInput(v)
  // Only a limit the contract would take counts (not "-5 mm"); the form marks the rest.
  const valid = ([key, x]: [string, unknown]) =>
    limitsSchema.shape[key as keyof WeatherLimits]?.safeParse(x).success && x !== undefined
  // Until every limit typed is one the service can keep, no summary is true.
  if (typed && !Object.entries(typed).every(valid))
    return 'Fix the limits marked below to see when its jobs are at risk.'
  const weatherLimits =
    typed && (Object.fromEntries(Object.entries(typed).filter(valid)) as WeatherLimits)
  const limits = weatherLimits ?? (weatherKind ? KIND_LIMITS[weatherKind] : GENERAL_LIMITS)
  const words = describeLimits(limits)
  return words === 'any weather'
    ? 'Never at weather risk.'
    : `At weather risk with ${words}${weatherLimits ? '' : ` (the limits of ${KIND_LABEL[weatherKind ?? ''].toLowerCase()})`}.`
}

const LIMIT_LABEL: Record<NumberLimit, string> = {
  rainMm: 'Rain (mm)',
  rainProbability: 'Rain chance (%)',
  windKmh: 'Wind (km/h)',
  heatC: 'Heat (°C)',
}

/** Kind of work and, optionally, the service's own limits; the limits in force in words. */
export function ServiceWeatherFields<V extends FieldValues & WeatherValues>(props: {
  form: UseFormReturn<V, unknown, unknown>
}) {
  const form = props.form as unknown as UseFormReturn<WeatherValues, unknown, unknown>
  const values = form.watch()
  const errors = form.formState.errors
  const limitError = (key: keyof WeatherValues['weatherLimits']) =>
    (errors.weatherLimits as Record<string, { message?: string }> | undefined)?.[key]?.message
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
              form.setValue('weatherLimits', {
                ...Object.fromEntries(
                  NUMBERS.map((k) => [k, from[k] === undefined ? '' : String(from[k])]),
                ),
                noRain: from.noRain ?? false,
                noFrost: from.noFrost ?? false,
              } as WeatherValues['weatherLimits'])
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
            <Field key={key} label={LIMIT_LABEL[key]} error={limitError(key)}>
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
        {effectiveWords(values)}
      </p>
      {typeof (errors.weatherLimits as { message?: unknown } | undefined)?.message === 'string' && (
        <small className="error-text">
          {(errors.weatherLimits as { message: string }).message}
        </small>
      )}
    </fieldset>
  )
}
