import type { NodeLogger } from 'electron-log'
import { redactLogArgs } from './core/log-redact'

/**
 * How the app's log is set up, on any electron-log logger: electron-log/main's in the app
 * (logging.ts), electron-log/node's in the tests, so the rotation and the redaction that
 * ship are the ones tested. No `electron` import.
 *
 * The file transport keeps its default folder; main.log is rotated at 5 MB into
 * main.old.log, and the next rotation replaces that archive (one kept). Every message,
 * whoever logs it, passes through the redaction (core/log-redact.ts) first.
 */
export const LOG_MAX_BYTES = 5 * 1024 * 1024

export function configureLog(log: NodeLogger, isPackaged: boolean): void {
  log.hooks.push((message) => ({ ...message, data: redactLogArgs(message.data) }))
  log.transports.file.level = 'info'
  log.transports.file.maxSize = LOG_MAX_BYTES
  log.transports.console.level = isPackaged ? 'warn' : 'debug'
  // Main's log lines are never sent to a renderer (electron-log/main has this transport).
  const ipc = log.transports.ipc
  if (ipc) ipc.level = false
}
