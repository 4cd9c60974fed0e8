import { create } from 'zustand'
import type { ChannelInput } from '../../../shared/contract'
import type { SyncStatus } from '../../../shared/contract/sync'
import { call } from '../api/client'
import { useSession } from './session'

/**
 * This laptop's link to the sync server as the UI shows it. The status is polled in the
 * background and replaced by whatever a sync action returns; a poll that started before
 * an action never overwrites the action's newer answer.
 */
interface SyncState {
  status: SyncStatus | null
  refresh: () => Promise<void>
  syncNow: () => Promise<SyncStatus>
  setPaused: (paused: boolean) => Promise<SyncStatus>
  configure: (input: ChannelInput<'sync.configure'>) => Promise<SyncStatus>
  disconnect: () => Promise<SyncStatus>
  resolve: (input: ChannelInput<'sync.resolve'>) => Promise<SyncStatus>
}

let generation = 0

/** After `action`, the screens' session follows the core's, whether it worked or not. */
async function withSession<T>(action: Promise<T>): Promise<T> {
  try {
    return await action
  } finally {
    await useSession
      .getState()
      .reload()
      .catch(() => {})
  }
}

export const useSync = create<SyncState>((set, get) => {
  const after = async (action: Promise<SyncStatus>) => {
    try {
      const status = await action
      generation += 1
      set({ status })
      return status
    } catch (e) {
      // A failed action (server unreachable, say) changes the phase too.
      void get().refresh()
      throw e
    }
  }
  return {
    status: null,
    refresh: async () => {
      const mine = ++generation
      const status = await call('sync.status', {})
      if (mine === generation) set({ status })
    },
    syncNow: () => after(call('sync.now', {})),
    setPaused: (paused) => after(call('sync.pause', { paused })),
    // Connecting or leaving a server changes the role people act with (the token's cap).
    configure: (input) => withSession(after(call('sync.configure', input))),
    disconnect: () => withSession(after(call('sync.disconnect', {}))),
    resolve: (input) => after(call('sync.resolve', input)),
  }
})

export const syncOn = (status: SyncStatus | null) => !!status && status.phase !== 'off'

/**
 * Reads the status every `intervalMs` while the window is visible, one read at a time,
 * and at once when it becomes visible again. Returns the function that stops it.
 */
export function pollSyncStatus(intervalMs = 5000): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  let inFlight = false
  let stopped = false
  const clear = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  const schedule = () => {
    clear()
    if (!stopped && !document.hidden) timer = setTimeout(tick, intervalMs)
  }
  async function tick() {
    timer = null
    if (inFlight || stopped) return
    inFlight = true
    try {
      await useSync.getState().refresh()
    } catch {
      // The app itself is unreachable for a moment: keep the last status and try again.
    } finally {
      inFlight = false
    }
    schedule()
  }
  const onVisibility = () => {
    if (document.hidden) clear()
    else if (!inFlight) void tick()
  }
  document.addEventListener('visibilitychange', onVisibility)
  void tick()
  return () => {
    stopped = true
    clear()
    document.removeEventListener('visibilitychange', onVisibility)
  }
}
