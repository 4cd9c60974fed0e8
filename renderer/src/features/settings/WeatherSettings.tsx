import { useState } from 'react'
import { contract } from '../../../../shared/contract'
import { may } from '../../../../shared/domain/permissions'
import { ApiError } from '../../api/client'
import { fieldError, showServerError, useContractForm } from '../../api/forms'
import { useChannel, write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { formatAgo, formatDateTime, plural } from '../../app/format'
import { Field } from '../../components/Field'
import { LoadError, Loading } from '../../components/States'
import { UnsavedDialog, useUnsavedChanges } from '../../components/UnsavedChanges'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { WeatherUnits } from './WeatherUnits'

const SOURCE_TEXT = {
  server: 'The sync server refreshes the forecasts; this laptop receives them when it syncs.',
  'this-laptop': 'This laptop refreshes the forecasts itself (no sync server).',
} as const

/**
 * Settings → Weather: the units it is shown in, where forecasts come from, how fresh they
 * are, and a manual refresh.
 */
export function WeatherSettings() {
  const tz = useSettings().timeZone
  const user = useSession((s) => s.user)
  const mayWrite = !!user && may(user.role, 'settings.write')
  const { data: status, error, refetch } = useChannel('weather.status', {})
  const [refreshing, setRefreshing] = useState(false)

  async function refresh() {
    setRefreshing(true)
    try {
      const r = await write('weather.refresh', {})
      // `places` asked for, `fetched` days of forecast written, `failed` places refused.
      if (!r.failed)
        toast.success(
          `Forecasts refreshed: ${plural(r.fetched, 'day')} for ${plural(r.places, 'place')}`,
        )
      else if (r.failed >= r.places)
        toast.error(
          `No forecast could be fetched for ${r.places === 1 ? 'the place' : `any of the ${r.places} places`}: check this laptop's connection and the forecast address, then try again`,
        )
      else
        toast.error(
          `Forecasts refreshed for ${plural(r.places - r.failed, 'place')} of ${r.places}: ${plural(r.failed, 'place')} could not be fetched`,
        )
    } catch (err) {
      toast.error(
        `Could not refresh the forecasts: ${err instanceof ApiError ? err.message : String(err)}`,
      )
    } finally {
      setRefreshing(false)
    }
  }

  return (
    <section className="card weather-settings" aria-labelledby="weather-settings">
      <h2 id="weather-settings">Weather</h2>
      <WeatherUnits disabled={!mayWrite} />
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {!status && !error && <Loading />}
      {status && (
        <>
          <p>{SOURCE_TEXT[status.source]}</p>
          <dl className="facts">
            <dt>Last refresh</dt>
            <dd>{status.lastRefreshAt ? formatDateTime(status.lastRefreshAt, tz) : 'Never'}</dd>
            <dt>Newest forecast</dt>
            <dd>{status.newestForecastAt ? formatAgo(status.newestForecastAt) : 'None yet'}</dd>
            <dt>Last problem</dt>
            <dd className={status.lastError ? 'error-text' : undefined}>
              {status.lastError ?? 'None'}
            </dd>
          </dl>
          {status.source === 'this-laptop' && mayWrite && (
            <p>
              <button type="button" disabled={refreshing} onClick={() => void refresh()}>
                {refreshing ? 'Refreshing…' : 'Refresh now'}
              </button>
            </p>
          )}
          <AddressesForm
            key={`${status.forecastUrl} ${status.geocodingUrl}`}
            forecastUrl={status.forecastUrl}
            geocodingUrl={status.geocodingUrl}
            disabled={!mayWrite}
          />
        </>
      )}
    </section>
  )
}

function AddressesForm(props: { forecastUrl: string; geocodingUrl: string; disabled: boolean }) {
  const form = useContractForm({
    schema: contract['weather.updateSettings'].input,
    defaultValues: { forecastUrl: props.forecastUrl, geocodingUrl: props.geocodingUrl },
    toInput: (v) => ({ forecastUrl: v.forecastUrl.trim(), geocodingUrl: v.geocodingUrl.trim() }),
  })
  const unsaved = useUnsavedChanges(form.formState.isDirty, () => form.reset())
  const problem = (form.formState.errors.root as { server?: { message?: string } } | undefined)
    ?.server?.message
  const submit = form.handleSubmit(async (input) => {
    try {
      await write('weather.updateSettings', input)
      form.reset({ forecastUrl: input.forecastUrl, geocodingUrl: input.geocodingUrl })
      toast.success('Weather addresses saved')
    } catch (err) {
      showServerError(form as never, err)
    }
  })
  return (
    <form
      className="form-grid compact"
      aria-label="Weather service addresses"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      <Field label="Forecast address" error={fieldError(form, 'forecastUrl')}>
        <input type="url" disabled={props.disabled} {...form.register('forecastUrl')} />
      </Field>
      <Field label="Place search address" error={fieldError(form, 'geocodingUrl')}>
        <input type="url" disabled={props.disabled} {...form.register('geocodingUrl')} />
      </Field>
      {!props.disabled && (
        <button type="submit" disabled={form.formState.isSubmitting}>
          Save addresses
        </button>
      )}
      <UnsavedDialog guard={unsaved} what="the weather service addresses" />
    </form>
  )
}
