import { type FormEvent, useEffect, useState } from 'react'
import { contract } from '../../../../shared/contract'
import { isManager, may } from '../../../../shared/domain/permissions'
import { ApiError, call } from '../../api/client'
import { type FieldErrors, fieldErrors } from '../../api/hooks'
import { write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { href, useRoute } from '../../app/router'
import { Field } from '../../components/Field'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { NotificationSettingsTab } from '../notifications/NotificationSettings'
import { DataTools } from './DataTools'
import { SyncSettings } from './SyncSettings'
import { UserAdmin } from './UserAdmin'
import { UsersCard } from './UsersCard'
import { WeatherSettings } from './WeatherSettings'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** Who uses this laptop, how the business works, and where the data lives. */
export function SettingsScreen() {
  const user = useSession((s) => s.user)
  const manager = isManager(user?.role ?? null)
  const { params } = useRoute()
  const tab = manager && params.get('tab') === 'notifications' ? 'notifications' : 'general'
  // The counts shown under Data are read fresh each time the screen opens.
  useEffect(() => {
    call('system.status', {}).then(
      (status) => useSession.setState({ status }),
      () => {},
    )
  }, [])

  return (
    <section className="screen settings" aria-label="Settings">
      <header className="screen-head">
        <h1>Settings</h1>
        {manager && (
          <nav className="tabs" aria-label="Settings sections">
            <a
              className="tab"
              href={href('/settings')}
              aria-current={tab === 'general' ? 'page' : undefined}
            >
              General
            </a>
            <a
              className="tab"
              href={href('/settings', { tab: 'notifications' })}
              aria-current={tab === 'notifications' ? 'page' : undefined}
            >
              Notifications
            </a>
          </nav>
        )}
      </header>
      {tab === 'notifications' ? <NotificationSettingsTab /> : <GeneralSettings />}
    </section>
  )
}

function GeneralSettings() {
  const session = useSession()
  const { status, user } = session
  const settings = useSettings()
  const [errors, setErrors] = useState<FieldErrors>({})
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
    const parsed = contract['settings.update'].input.safeParse(input)
    if (!parsed.success) return setErrors(fieldErrors(parsed.error))
    try {
      const next = await write('settings.update', parsed.data)
      useSession.setState({ settings: next })
      setErrors({})
      toast.success('Settings saved')
    } catch (err) {
      setErrors(fieldErrors(err))
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }

  return (
    <div className="settings-grid">
      <UsersCard />
      <section className="card" aria-labelledby="business">
        <h2 id="business">Business hours</h2>
        <form className="form-grid compact" onSubmit={saveBusiness} key={JSON.stringify(settings)}>
          <Field
            label="Time zone"
            error={errors.timeZone}
            hint="IANA name, such as America/Chicago"
          >
            <input name="timeZone" defaultValue={settings.timeZone} disabled={!manager} />
          </Field>
          <Field label="Day starts" error={errors.workingHours}>
            <input
              name="start"
              type="time"
              defaultValue={settings.workingHours.start}
              disabled={!manager}
            />
          </Field>
          <Field label="Day ends">
            <input
              name="end"
              type="time"
              defaultValue={settings.workingHours.end}
              disabled={!manager}
            />
          </Field>
          <fieldset>
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
          {manager && <button type="submit">Save business hours</button>}
        </form>
      </section>
      <SyncSettings />
      <WeatherSettings />
      {manager && <DataTools />}
      {user && may(user.role, 'users.write') && <UserAdmin />}
      <section className="card" aria-labelledby="data">
        <h2 id="data">Data</h2>
        <dl className="facts">
          <dt>Data folder</dt>
          <dd>{status?.database.location}</dd>
          <dt>Saving</dt>
          <dd>
            {status?.database.durability === 'fsync'
              ? 'Every save is flushed to disk'
              : 'Saves are flushed by the operating system'}
          </dd>
          <dt>Schema</dt>
          <dd>{status?.database.migrations.at(-1)}</dd>
          <dt>Appointments</dt>
          <dd>{status?.database.counts.appointments.toLocaleString()}</dd>
          <dt>Version</dt>
          <dd>{status?.version}</dd>
        </dl>
      </section>
    </div>
  )
}
