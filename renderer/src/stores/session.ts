import { create } from 'zustand'
import type { ChannelOutput } from '../../../shared/contract'
import type { Service } from '../../../shared/contract/catalog'
import type { User } from '../../../shared/contract/session'
import { type BusinessSettings, DEFAULT_SETTINGS } from '../../../shared/contract/settings'
import type { TeamMember } from '../../../shared/contract/team'
import { call } from '../api/client'

/**
 * UI state shared by the screens: who is using the laptop, the business settings, and
 * the reference lists (crew, services) that filters, colours and forms need. Business
 * rules stay in the core; this only loads and caches.
 */
interface SessionState {
  ready: boolean
  user: User | null
  setupRequired: boolean
  settings: BusinessSettings
  status: ChannelOutput<'system.status'> | null
  team: TeamMember[]
  services: Service[]
  load: () => Promise<void>
  refreshReference: () => Promise<void>
  switchUser: (userId: string) => Promise<void>
}

export const useSession = create<SessionState>((set, get) => ({
  ready: false,
  user: null,
  setupRequired: false,
  settings: DEFAULT_SETTINGS,
  status: null,
  team: [],
  services: [],
  load: async () => {
    const [session, settings, status] = await Promise.all([
      call('session.get', {}),
      call('settings.get', {}),
      call('system.status', {}),
    ])
    set({ user: session.user, setupRequired: session.setupRequired, settings, status })
    await get().refreshReference()
    set({ ready: true })
  },
  refreshReference: async () => {
    const [team, services] = await Promise.all([
      call('team.list', { limit: 100, includeArchived: false }),
      call('catalog.services.list', { limit: 100, includeArchived: true }),
    ])
    set({ team: team.results, services: services.results })
  },
  switchUser: async (userId) => {
    const { user } = await call('session.switch', { userId })
    set({ user, setupRequired: false })
  },
}))

export const isManager = (user: User | null) =>
  user?.role === 'admin' || user?.role === 'office_manager'
