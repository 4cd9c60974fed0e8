import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { dialog, shell } from 'electron'
import log from 'electron-log/main'
import { setLogSink } from './core/log'
import { configureLog } from './log-setup'

/**
 * The main process's log: electron-log's file transport, in the folder electron-log uses
 * by default, app.getPath('logs') (Linux ~/.config/groundskeeper/logs, macOS
 * ~/Library/Logs/groundskeeper, Windows %APPDATA%\groundskeeper\logs: the app's name is
 * package.json's), rotated and redacted as log-setup.ts sets it up (tested there under
 * plain Node): whoever logs (the core, electron-updater, electron-log's own crash and
 * event logging), nothing personal is written.
 *
 * `log.initialize()` is not called: it would add a preload to every session for renderer
 * logging, which this sandboxed renderer does not use.
 */
export function startLogging(isPackaged: boolean): void {
  configureLog(log, isPackaged)
  // Uncaught errors are logged; no dialog shows a stack trace to the person at the laptop.
  log.errorHandler.startCatching({ showDialog: false })
  // Crashed or unloadable pages and child processes, by electron-log's defaults.
  log.eventLogger.startLogging()
  setLogSink(log)
}

export function logFolder(): string {
  return dirname(log.transports.file.getFile().path)
}

/** Help -> Show logs: the folder in the system's file manager. */
export async function showLogFolder(): Promise<void> {
  const folder = logFolder()
  mkdirSync(folder, { recursive: true })
  const failure = await shell.openPath(folder)
  if (failure) {
    dialog.showErrorBox('The log folder could not be opened', `It is at:\n${folder}`)
  }
}

/** A scope of the same log, for libraries that take a logger (electron-updater). */
export function scopedLog(scope: string) {
  return log.scope(scope)
}
