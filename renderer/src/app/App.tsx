import {
  AlertTriangle,
  BellRing,
  CalendarDays,
  ClipboardList,
  Leaf,
  ListChecks,
  LogOut,
  Settings,
  Sun,
  Users,
  UsersRound,
} from 'lucide-react'
import { useEffect, useState } from 'react'
import { isManager, may } from '../../../shared/domain/permissions'
import { ApiError } from '../api/client'
import { useChannel } from '../api/queries'
import { Toasts } from '../components/Toasts'
import { AppointmentsScreen } from '../features/appointments/AppointmentsScreen'
import { CalendarScreen } from '../features/calendar/CalendarScreen'
import { CatalogScreen } from '../features/catalog/CatalogScreen'
import { ClientsScreen } from '../features/clients/ClientsScreen'
import { ConflictsScreen } from '../features/conflicts/ConflictsScreen'
import { DaySheetScreen } from '../features/day-sheet/DaySheetScreen'
import { useDesktopNotices } from '../features/notifications/desktop-notices'
import { NotificationsScreen } from '../features/notifications/NotificationsScreen'
import { SettingsScreen } from '../features/settings/SettingsScreen'
import { GettingStarted } from '../features/setup/GettingStarted'
import { SessionGate } from '../features/setup/SessionGate'
import { SyncIndicator } from '../features/sync/SyncIndicator'
import { TeamScreen } from '../features/team/TeamScreen'
import { TodayScreen } from '../features/today/TodayScreen'
import { useSession } from '../stores/session'
import { useSync } from '../stores/sync'
import { ROLE_LABEL } from './labels'
import { href, navigate, useRoute } from './router'

const SCREENS = [
  {
    path: '/start',
    icon: ListChecks,
    label: 'Getting started',
    render: () => <GettingStarted />,
    firstRun: true,
  },
  { path: '/today', icon: Sun, label: 'Today', render: () => <TodayScreen /> },
  { path: '/calendar', icon: CalendarDays, label: 'Calendar', render: () => <CalendarScreen /> },
  {
    path: '/appointments',
    icon: ClipboardList,
    label: 'Appointments',
    render: () => <AppointmentsScreen />,
    managers: false,
  },
  { path: '/clients', icon: UsersRound, label: 'Clients', render: () => <ClientsScreen /> },
  { path: '/team', icon: Users, label: 'Team', render: () => <TeamScreen /> },
  { path: '/catalog', icon: Leaf, label: 'Catalog', render: () => <CatalogScreen /> },
  {
    path: '/notifications',
    icon: BellRing,
    label: 'Notifications',
    render: () => <NotificationsScreen />,
    managers: true,
  },
  {
    path: '/conflicts',
    icon: AlertTriangle,
    label: 'Conflicts',
    render: () => <ConflictsScreen />,
    sync: true,
  },
  { path: '/settings', icon: Settings, label: 'Settings', render: () => <SettingsScreen /> },
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

/** Whom the screens were last shown for, kept across the picker. */
const UNSEEN = Symbol('unseen')
let shownFor: string | undefined | typeof UNSEEN = UNSEEN

function Shell() {
  const { path } = useRoute()
  const { user, ownRole } = useSession()
  const syncStatus = useSync((s) => s.status)
  useDesktopNotices(ownRole)
  // A laptop set up from empty opens on its checklist until the list is dismissed.
  // Only for the office: a laptop capped to a crew's token works that crew's day.
  const office = isManager(user?.role ?? null)
  const checklist = useChannel('setup.get', {}, { enabled: office }).data
  const firstRun = office && checklist?.open === true
  const home = firstRun ? '/start' : isManager(user?.role ?? null) ? '/calendar' : '/today'
  // A crew lead taking over the laptop starts on their day, not on the screen the office
  // left open (through the picker too, which replaces this shell while it shows); office
  // staff switching among themselves stay where they are.
  useEffect(() => {
    if (shownFor === user?.id) return
    const first = shownFor === UNSEEN
    shownFor = user?.id
    if (!first && user && !isManager(user.role)) navigate('/today')
  }, [user])
  // The conflicts inbox is there for those who settle conflicts, once a server is set.
  const settles = !!user && may(user.role, 'sync.conflicts')
  const manager = isManager(user?.role ?? null)
  // The day sheet is a page to print: no sidebar around it.
  if (path === '/day-sheet') return <DaySheetScreen />
  const screens = SCREENS.filter(
    (s) =>
      (!('sync' in s) || (settles && syncStatus?.phase !== 'off')) &&
      (!('managers' in s) || !s.managers || manager) &&
      (!('firstRun' in s) || firstRun),
  )
  const inNav = screens.filter((s) => !('sync' in s) || syncStatus)
  const screen = screens.find((s) => s.path === path) ?? screens.find((s) => s.path === home)
  const active = screen?.path
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <img src="./logo.svg" alt="" width={26} height={26} />
          Groundskeeper
        </div>
        <ul>
          {inNav.map((s) => (
            <li key={s.path}>
              <a href={href(s.path)} aria-current={active === s.path ? 'page' : undefined}>
                <s.icon size={18} aria-hidden="true" />
                {s.label}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <SyncIndicator />
          <div className="whoami">
            <span>{user?.name}</span>
            <span className="muted small">{user ? ROLE_LABEL[user.role] : ''}</span>
            {user && (
              // A shared laptop: hand it over (or leave it) without a trip to Settings.
              <button
                type="button"
                className="switch-user"
                onClick={() => void useSession.getState().lock()}
              >
                <LogOut size={14} aria-hidden="true" /> Switch user
              </button>
            )}
          </div>
        </div>
      </nav>
      <main className="content">{screen?.render()}</main>
      <Toasts />
    </div>
  )
}
