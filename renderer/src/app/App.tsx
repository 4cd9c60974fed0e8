import { useEffect, useState } from 'react'
import { ApiError } from '../api/client'
import { Toasts } from '../components/Toasts'
import { AppointmentsScreen } from '../features/appointments/AppointmentsScreen'
import { CalendarScreen } from '../features/calendar/CalendarScreen'
import { CatalogScreen } from '../features/catalog/CatalogScreen'
import { ClientsScreen } from '../features/clients/ClientsScreen'
import { ROLE_LABEL, SettingsScreen } from '../features/settings/SettingsScreen'
import { SessionGate } from '../features/setup/SessionGate'
import { TeamScreen } from '../features/team/TeamScreen'
import { TodayScreen } from '../features/today/TodayScreen'
import { isManager, useSession } from '../stores/session'
import { href, useRoute } from './router'

const SCREENS = [
  { path: '/today', label: 'Today', render: () => <TodayScreen /> },
  { path: '/calendar', label: 'Calendar', render: () => <CalendarScreen /> },
  {
    path: '/appointments',
    label: 'Appointments',
    render: () => <AppointmentsScreen />,
    managers: false,
  },
  { path: '/clients', label: 'Clients', render: () => <ClientsScreen /> },
  { path: '/team', label: 'Team', render: () => <TeamScreen /> },
  { path: '/catalog', label: 'Catalog', render: () => <CatalogScreen /> },
  { path: '/settings', label: 'Settings', render: () => <SettingsScreen /> },
] as const

export function App() {
  const { ready, load } = useSession()
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    load().catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)))
  }, [load])
  if (error) {
    return (
      <main className="gate">
        <div className="card" role="alert">
          <h1>Groundskeeper cannot start</h1>
          <p>{error}</p>
          <button type="button" onClick={() => window.location.reload()}>
            Try again
          </button>
        </div>
      </main>
    )
  }
  if (!ready) {
    return (
      <main className="gate">
        <p aria-busy="true">Opening Groundskeeper…</p>
      </main>
    )
  }
  return (
    <SessionGate>
      <Shell />
    </SessionGate>
  )
}

function Shell() {
  const { path } = useRoute()
  const { user } = useSession()
  const home = isManager(user) ? '/calendar' : '/today'
  const screen = SCREENS.find((s) => s.path === path) ?? SCREENS.find((s) => s.path === home)
  const active = screen?.path
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Groundskeeper</div>
        <ul>
          {SCREENS.map((s) => (
            <li key={s.path}>
              <a href={href(s.path)} aria-current={active === s.path ? 'page' : undefined}>
                {s.label}
              </a>
            </li>
          ))}
        </ul>
        <div className="whoami">
          <span>{user?.name}</span>
          <span className="muted small">{user ? ROLE_LABEL[user.role] : ''}</span>
        </div>
      </nav>
      <main className="content">{screen?.render()}</main>
      <Toasts />
    </div>
  )
}
