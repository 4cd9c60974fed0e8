import { create } from 'zustand'
import type { ChannelOutput } from '../../../shared/contract'
import type { User } from '../../../shared/contract/session'
import { type BusinessSettings, DEFAULT_SETTINGS } from '../../../shared/contract/settings'
import { call } from '../api/client'

/**
 * UI state shared by the screens: who is using the laptop, and the business settings
 * as read at start-up (screens read them through `useSettings`, which follows changes).
 * Business rules stay in the core; data lists are queries (`api/queries.ts`).
 */
interface SessionState {
  ready: boolean
  user: User | null
  setupRequired: boolean
  settings: BusinessSettings
  status: ChannelOutput<'system.status'> | null
  load: () => Promise<void>
  switchUser: (userId: string) => Promise<void>
}

export const useSession = create<SessionState>((set) => ({
  ready: false,
  user: null,
  setupRequired: false,
  settings: DEFAULT_SETTINGS,
  status: null,
  load: async () => {
    const [session, settings, status] = await Promise.all([
      call('session.get', {}),
      call('settings.get', {}),
      call('system.status', {}),
    ])
    set({
      user: session.user,
      setupRequired: session.setupRequired,
      settings,
      status,
      ready: true,
    })
  },
  switchUser: async (userId) => {
    const { user } = await call('session.switch', { userId })
    set({ user, setupRequired: false })
  },
}))

export const isManager = (user: User | null) =>
  user?.role === 'admin' || user?.role === 'office_manager'
