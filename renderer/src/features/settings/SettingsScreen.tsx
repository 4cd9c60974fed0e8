import { Building2, Database, type LucideIcon, Mail, RefreshCw, Users } from 'lucide-react'
import { useEffect } from 'react'
import { isManager, may } from '../../../../shared/domain/permissions'
import { call } from '../../api/client'
import { href, useRoute } from '../../app/router'
import { useSession } from '../../stores/session'
import { NotificationSettingsTab } from '../notifications/NotificationSettings'
import { BusinessDetails } from './BusinessDetails'
import { BusinessHours } from './BusinessHours'
import { DataTools } from './DataTools'
import { SyncSettings } from './SyncSettings'
import { UserAdmin } from './UserAdmin'
import { UsersCard } from './UsersCard'
import { WeatherSettings } from './WeatherSettings'

type Section = 'business' | 'users' | 'sync' | 'notifications' | 'data'

const SECTIONS: readonly { id: Section; label: string; icon: LucideIcon; managers?: true }[] = [
  { id: 'business', label: 'Business', icon: Building2 },
  { id: 'users', label: 'Users', icon: Users },
  { id: 'sync', label: 'Sync', icon: RefreshCw },
  { id: 'notifications', label: 'Notifications', icon: Mail, managers: true },
  { id: 'data', label: 'Data', icon: Database },
]

/**
 * The section a link asks for (`tab`, or `section` as older links say), among those
 * this role sees; the business's by default.
 */
function sectionOf(params: URLSearchParams, manager: boolean): Section {
  const asked = params.get('tab') ?? params.get('section')
  const found = SECTIONS.find((s) => s.id === asked && (manager || !s.managers))
  return found?.id ?? 'business'
}

/** Who uses this laptop, how the business works, where the data lives: one section at a time. */
/** The last migration as a number ("0020_client_address_search": 20), for support. */
const schemaVersion = (tag: string | undefined) =>
  tag === undefined ? '' : /^\d+/.test(tag) ? String(Number(tag.match(/^\d+/)?.[0])) : tag

export function SettingsScreen() {
  const user = useSession((s) => s.user)
  const manager = isManager(user?.role ?? null)
  const { params } = useRoute()
  const section = sectionOf(params, manager)

  return (
    <section className="screen settings" aria-label="Settings">
      <header className="screen-head">
        <h1>Settings</h1>
        <nav className="tabs" aria-label="Settings sections">
          {SECTIONS.filter((s) => manager || !s.managers).map(({ id, label, icon: Icon }) => (
            <a
              key={id}
              className="tab"
              href={href('/settings', { tab: id })}
              aria-current={section === id ? 'page' : undefined}
            >
              <Icon size={16} aria-hidden="true" /> {label}
            </a>
          ))}
        </nav>
      </header>
      {section === 'business' && (
        <div className="settings-grid">
          <BusinessDetails />
          <BusinessHours />
          <WeatherSettings />
        </div>
      )}
      {section === 'users' && <UsersSection />}
      {section === 'sync' && (
        <div className="settings-grid">
          <SyncSettings />
        </div>
      )}
      {section === 'notifications' && <NotificationSettingsTab />}
      {section === 'data' && <DataSection manager={manager} />}
    </section>
  )
}

function UsersSection() {
  // The laptop's own users: its admin manages them whatever the sync token's role.
  const ownRole = useSession((s) => s.ownRole)
  return (
    <div className="settings-grid">
      <UsersCard />
      {ownRole && may(ownRole, 'users.write') && <UserAdmin />}
    </div>
  )
}

function DataSection(props: { manager: boolean }) {
  const status = useSession((s) => s.status)
  // The counts shown here are read fresh each time the section opens.
  useEffect(() => {
    call('system.status', {}).then(
      (next) => useSession.setState({ status: next }),
      () => {},
    )
  }, [])
  return (
    <div className="settings-grid">
      {props.manager && <DataTools />}
      <section className="card" aria-labelledby="data">
        <h2 id="data">This laptop's data</h2>
        <dl className="facts">
          <dt>Data folder</dt>
          <dd>{status?.database.location}</dd>
          {/* How it is stored is for the office and admins (support, backups); crews need
              where it is and which version they run. */}
          {props.manager && (
            <>
              <dt>Saving</dt>
              <dd>
                {status?.database.durability === 'fsync'
                  ? 'Every save is flushed to disk'
                  : 'Saves are flushed by the operating system'}
              </dd>
              <dt>Database version</dt>
              <dd>{schemaVersion(status?.database.migrations.at(-1))}</dd>
            </>
          )}
          <dt>Appointments</dt>
          <dd>{status?.database.counts.appointments.toLocaleString()}</dd>
          <dt>Version</dt>
          <dd>{status?.version}</dd>
        </dl>
      </section>
    </div>
  )
}
