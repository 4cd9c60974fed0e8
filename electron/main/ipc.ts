import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron'
import { AppError } from '../../shared/errors'
import type { AppContext } from './core/context'
import { dispatch } from './core/dispatch'

export const RPC_CHANNEL = 'groundskeeper:rpc'

/**
 * One IPC entry for the whole contract. Calls are accepted only from the app's own
 * window and its own page; the channel and input are validated by dispatch.
 */
export function registerIpc(
  getContext: () => AppContext | undefined,
  getWindow: () => BrowserWindow | undefined,
  isAppUrl: (url: string) => boolean,
): void {
  ipcMain.handle(
    RPC_CHANNEL,
    async (event: IpcMainInvokeEvent, channel: unknown, input: unknown) => {
      const win = getWindow()
      const frameUrl = event.senderFrame?.url ?? ''
      if (!win || event.sender !== win.webContents || !isAppUrl(frameUrl)) {
        return {
          ok: false,
          error: new AppError('FORBIDDEN', 'caller is not the app window').toData(),
        }
      }
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
