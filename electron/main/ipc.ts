import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron'
import { RPC_CHANNEL } from '../../shared/contract'
import { CHANGED_CHANNEL } from '../../shared/contract/tables'
import { AppError } from '../../shared/errors'
import type { AppContext } from './core/context'
import { dispatch } from './core/dispatch'
import { callerFacts, isAppUrl, refuseCaller } from './ipc-guard'

/**
 * One IPC entry for the whole contract. Calls are accepted only from the app's own
 * window, main frame and page; the channel and input are validated by dispatch.
 */
export function registerIpc(
  getContext: () => AppContext | undefined,
  getWindow: () => BrowserWindow | undefined,
  appBase: string,
): void {
  ipcMain.handle(
    RPC_CHANNEL,
    async (event: IpcMainInvokeEvent, channel: unknown, input: unknown) => {
      const win = getWindow()
      const refused = refuseCaller(callerFacts(event, win), appBase)
      if (refused) return { ok: false, error: new AppError('FORBIDDEN', refused).toData() }
      const ctx = getContext()
      if (!ctx) {
        return {
          ok: false,
          error: new AppError('UNAVAILABLE', 'the database is not open yet').toData(),
        }
      }
      return dispatch(ctx, channel, input)
    },
  )
}

/**
 * Forwards the core's "changed" notices to the app window, and only while it shows the
 * app's own page (a window navigated elsewhere hears nothing). Returns the unsubscribe.
 */
export function forwardChanges(
  ctx: AppContext,
  getWindow: () => BrowserWindow | undefined,
  appBase: string,
): () => void {
  return ctx.changes.subscribe((notice) => {
    const win = getWindow()
    if (!win || win.isDestroyed()) return
    const contents = win.webContents
    if (!isAppUrl(contents.mainFrame.url, appBase)) return
    contents.send(CHANGED_CHANNEL, notice)
  })
}
