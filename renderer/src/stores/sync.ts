import { create } from 'zustand'
import type { ChannelInput } from '../../../shared/contract'
import type { SyncStatus } from '../../../shared/contract/sync'
import { call } from '../api/client'
import { navigate } from '../app/router'
import { useSession } from './session'
import { toast } from './toasts'

/**
 * This laptop's link to the sync server as the UI shows it. The status is read when the
 * core says it changed (`followSyncStatus`) and replaced by whatever a sync action
 * returns; a read that started before an action never overwrites the action's newer
 * answer.
 */
interface SyncState {
  status: SyncStatus | null
  refresh: () => Promise<void>
  syncNow: () => Promise<SyncStatus>
  setPaused: (paused: boolean) => Promise<SyncStatus>
  configure: (input: ChannelInput<'sync.configure'>) => Promise<SyncStatus>
  disconnect: () => Promise<SyncStatus>
  clearRefused: () => Promise<SyncStatus>
  resolve: (input: ChannelInput<'sync.resolve'>) => Promise<SyncStatus>
}

let generation = 0

/**
 * Says so when the server has just refused changes made here (a crew lead's job given
 * to another crew meanwhile, say): otherwise only Settings -> Sync would tell, and the
 * person who made the change would think it saved. Not for the refusals already known
 * when the app opened.
 */
function tellRefusals(before: SyncStatus | null, after: SyncStatus) {
  const fresh = before ? after.rejectedCount - before.rejectedCount : 0
  const newest = after.rejected[0]
  if (fresh <= 0 || !newest) return
  const what = fresh === 1 ? 'a change' : `${fresh} changes`
  toast.error(
    `The server refused ${what}${newest.name ? ` to ${newest.name}` : ''}: ${newest.reason}`,
    { label: 'Details', run: () => navigate('/settings', { tab: 'sync' }) },
  )
}

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
      tellRefusals(get().status, status)
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
      if (mine !== generation) return
      tellRefusals(get().status, status)
      set({ status })
    },
    syncNow: () => after(call('sync.now', {})),
    setPaused: (paused) => after(call('sync.pause', { paused })),
    // Connecting or leaving a server changes the role people act with (the token's cap).
    configure: (input) => withSession(after(call('sync.configure', input))),
    disconnect: () => withSession(after(call('sync.disconnect', {}))),
    clearRefused: () => after(call('sync.clearRefused', {})),
    resolve: (input) => after(call('sync.resolve', input)),
  }
})

export const syncOn = (status: SyncStatus | null) => !!status && status.phase !== 'off'

/**
 * Keeps the status current without asking on a timer: read at once, again each time the
 * returned function is called (for every "changed" notice: a local write changes what
 * waits to be pushed, and the core announces each sync round as a change of
 * `sync_state`), and when the window is shown again. One read at a time: calls during a
 * read make one more read after it.
 */
export function followSyncStatus(): () => void {
  let inFlight = false
  let again = false
  async function read() {
    if (inFlight) {
      again = true
      return
    }
    inFlight = true
    try {
      await useSync.getState().refresh()
    } catch {
      // The app itself is unreachable for a moment: the next notice reads it again.
    } finally {
      inFlight = false
    }
    if (again) {
      again = false
      void read()
    }
  }
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) void read()
  })
  void read()
  return () => void read()
}
