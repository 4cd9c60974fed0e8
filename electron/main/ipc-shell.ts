import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { app, type BrowserWindow, dialog, type IpcMainInvokeEvent, ipcMain } from 'electron'
import { SHELL_CHANNEL } from '../../shared/contract/shell'
import { AppError, type Result } from '../../shared/errors'
import { callerFacts, refuseCaller } from './ipc-guard'
import { parseShellCall, pdfPath } from './shell-calls'

/**
 * The shell's own channels (shared/contract/shell.ts): what only the window can do.
 * Like the core's channel, a call is accepted only from the app's own window, main
 * frame and page, and its input is checked before anything happens.
 */
export function registerShellIpc(getWindow: () => BrowserWindow | undefined, appBase: string) {
  ipcMain.handle(
    SHELL_CHANNEL,
    async (
      event: IpcMainInvokeEvent,
      channel: unknown,
      input: unknown,
    ): Promise<Result<unknown>> => {
      const win = getWindow()
      const refused = refuseCaller(callerFacts(event, win), appBase)
      if (refused || !win) {
        return { ok: false, error: new AppError('FORBIDDEN', refused ?? 'no window').toData() }
      }
      const call = parseShellCall(channel, input)
      if (!call.ok) return call
      try {
        // The page as printed: its print stylesheet decides what is on paper.
        const pdf = await win.webContents.printToPDF({
          pageSize: call.input.pageSize,
          printBackground: true,
        })
        const target = pdfPath(
          await dialog.showSaveDialog(win, {
            title: 'Save as PDF',
            defaultPath: join(app.getPath('documents'), call.input.fileName),
            filters: [{ name: 'PDF', extensions: ['pdf'] }],
          }),
        )
        if (!target) return { ok: true, data: { saved: false } }
        await writeFile(target, pdf)
        return { ok: true, data: { saved: true } }
      } catch {
        // No path or message: both can name the person's folders.
        return {
          ok: false,
          error: new AppError(
            'INTERNAL',
            'the PDF could not be saved; try another folder',
          ).toData(),
        }
      }
    },
  )
}
