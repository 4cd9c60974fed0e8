import { create } from 'zustand'
import type { ChannelOutput } from '../../../shared/contract'
import type { SessionState as CoreSession, User } from '../../../shared/contract/session'
import { type BusinessSettings, DEFAULT_SETTINGS } from '../../../shared/contract/settings'
import type { UserRole } from '../../../shared/domain/enums'
import { DEFAULT_IDLE_MINUTES } from '../../../shared/domain/pin'
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
  /** The role the user acts with (`user.role`): their own, capped by the sync token's. */
  role: UserRole | null
  /** The sync token's role when it lowers the user's own (then `user.role` is the token's). */
  cappedBy: UserRole | null
  /** The user's own role, whatever the cap: an admin may always disconnect. */
  ownRole: UserRole | null
  /** Minutes without input before the laptop drops back to the user picker. */
  idleMinutes: number
  /** The crew whose day is theirs as a crew lead (the sync token's, or the one they lead). */
  crew: string | null
  load: () => Promise<void>
  /** Reads who is signed in and with which role again (the sync token may have changed). */
  reload: () => Promise<void>
  switchUser: (userId: string, pin?: string) => Promise<void>
  /** Back to the user picker. */
  lock: () => Promise<void>
}

/**
 * The user as the screens should treat them: with the role they act with, which a
 * connected laptop's sync token may lower (the core enforces the same).
 */
function acting(
  state: CoreSession,
): Pick<
  SessionState,
  'user' | 'setupRequired' | 'role' | 'cappedBy' | 'ownRole' | 'idleMinutes' | 'crew'
> {
  const role = state.user ? (state.role ?? state.user.role) : null
  return {
    user: state.user && { ...state.user, role: role ?? state.user.role },
    role,
    setupRequired: state.setupRequired,
    cappedBy: state.cappedBy,
    ownRole: state.user?.role ?? null,
    idleMinutes: state.idleMinutes,
    crew: state.user ? state.crew : null,
  }
}

export const useSession = create<SessionState>((set) => ({
  ready: false,
  user: null,
  setupRequired: false,
  settings: DEFAULT_SETTINGS,
  status: null,
  role: null,
  cappedBy: null,
  ownRole: null,
  idleMinutes: DEFAULT_IDLE_MINUTES,
  crew: null,
  load: async () => {
    const [session, settings, status] = await Promise.all([
      call('session.get', {}),
      call('settings.get', {}),
      call('system.status', {}),
    ])
    set({
      ...acting(session),
      settings,
      status,
      ready: true,
    })
  },
  reload: async () => {
    set(acting(await call('session.get', {})))
  },
  switchUser: async (userId, pin) => {
    await call('session.switch', pin ? { userId, pin } : { userId })
    set(acting(await call('session.get', {})))
  },
  lock: async () => {
    set(acting(await call('session.lock', {})))
  },
}))
