import { contextBridge, ipcRenderer } from 'electron'
import { CHANNELS, RPC_CHANNEL } from '../../shared/contract'
import { SHELL_CHANNEL, SHELL_CHANNELS } from '../../shared/contract/shell'
import {
  CHANGED_CHANNEL,
  type ChangedNotice,
  parseChangedNotice,
} from '../../shared/contract/tables'

/**
 * The renderer's only door to the main process: `invoke` for the contract's channels,
 * and `onChanged` for main's "changed" notices, nothing else. Raw ipcRenderer is never
 * exposed, and neither is an IPC event: the callback gets only a checked notice.
 */
const allowed = new Set<string>(CHANNELS)
const shellAllowed = new Set<string>(SHELL_CHANNELS)
const unknown = () =>
  Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: 'unknown channel' } })

contextBridge.exposeInMainWorld('api', {
  invoke: (channel: string, input: unknown) => {
    if (!allowed.has(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'unknown channel' },
      })
    }
    return ipcRenderer.invoke(RPC_CHANNEL, channel, input)
  },
  /**
   * The desktop shell's own channels (save the page as a PDF): only those its contract
   * names (shared/contract/shell.ts). Absent in the browser, where callers fall back.
   */
  shell: (channel: string, input: unknown) =>
    shellAllowed.has(channel) ? ipcRenderer.invoke(SHELL_CHANNEL, channel, input) : unknown(),
  /** Calls `callback` with each "changed" notice; returns the function that stops it. */
  onChanged: (callback: (notice: ChangedNotice) => void) => {
    if (typeof callback !== 'function') return () => {}
    const listener = (_event: unknown, payload: unknown) => {
      const notice = parseChangedNotice(payload)
      if (notice) callback(notice)
    }
    ipcRenderer.on(CHANGED_CHANNEL, listener)
    return () => {
      ipcRenderer.removeListener(CHANGED_CHANNEL, listener)
    }
  },
})
