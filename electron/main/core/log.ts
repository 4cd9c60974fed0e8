import { redact, redactText } from './log-redact'

/**
 * The core's log: one line per event, `[scope] message {details}`, with every argument
 * passed through the redaction (log-redact.ts) before it reaches a sink, so nothing
 * personal is written whichever sink it is.
 *
 * The sink is process-wide, as `console` is: the desktop app points it at electron-log
 * (a rotating file) once at start-up; the bridge, the tools and the tests keep the
 * console. Nothing is opened at import time. Logging never throws into its caller.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug'
export type LogSink = Record<LogLevel, (...args: unknown[]) => void>

let sink: LogSink = console

/** Where the core's log lines go from now on (returns the previous sink). */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink
  sink = next
  return previous
}

function write(level: LogLevel, scope: string, message: string, details?: object): void {
  try {
    const args: unknown[] = [`[${scope}]`, redactText(message)]
    if (details !== undefined) args.push(redact(details))
    sink[level](...args)
  } catch {
    // A failing sink (a full disk, a closed stream) must not fail the work being logged.
  }
}

/**
 * `message` is fixed text, never a record's data; `details` holds diagnostics under keys
 * such as `error`, `code`, `channel`, `count` (personal keys are redacted anyway).
 */
export const log = {
  error: (scope: string, message: string, details?: object) =>
    write('error', scope, message, details),
  warn: (scope: string, message: string, details?: object) =>
    write('warn', scope, message, details),
  info: (scope: string, message: string, details?: object) =>
    write('info', scope, message, details),
  debug: (scope: string, message: string, details?: object) =>
    write('debug', scope, message, details),
}
