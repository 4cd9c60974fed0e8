import { contextBridge, ipcRenderer } from 'electron'
import { CHANNELS, RPC_CHANNEL } from '../../shared/contract'

/**
 * The renderer's only door to the main process: `invoke` for the contract's channels,
 * nothing else. Raw ipcRenderer is never exposed.
 */
const allowed = new Set<string>(CHANNELS)

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
})
