import { afterEach, describe, expect, it } from 'vitest'
import { type LogSink, log, setLogSink } from './log'
import { REDACTED } from './log-redact'

function recorder() {
  const lines: { level: string; args: unknown[] }[] = []
  const sink: LogSink = {
    error: (...args) => lines.push({ level: 'error', args }),
    warn: (...args) => lines.push({ level: 'warn', args }),
    info: (...args) => lines.push({ level: 'info', args }),
    debug: (...args) => lines.push({ level: 'debug', args }),
  }
  return { lines, sink }
}

let restore: LogSink | undefined
afterEach(() => {
  if (restore) setLogSink(restore)
})

describe('the core log', () => {
  it('writes scope, message and details to the sink, redacted', () => {
    const { lines, sink } = recorder()
    restore = setLogSink(sink)
    log.warn('notifications', 'SMS to +1 555 123 4567 failed', {
      error: new Error('mailbox ann@example.com full'),
      client: { name: 'Ann Lee' },
      count: 2,
    })
    expect(lines).toHaveLength(1)
    expect(lines[0]?.level).toBe('warn')
    expect(lines[0]?.args[0]).toBe('[notifications]')
    expect(lines[0]?.args[1]).toBe('SMS to [phone] failed')
    const details = lines[0]?.args[2] as Record<string, unknown>
    expect(details.client).toEqual({ name: REDACTED })
    expect(details.count).toBe(2)
    expect((details.error as { message: string }).message).toBe('mailbox [email] full')
    expect(JSON.stringify(lines)).not.toMatch(/Ann|ann@|555/)
  })

  it('never throws into the caller when the sink fails', () => {
    const failing: LogSink = {
      error: () => {
        throw new Error('disk full')
      },
      warn: () => {},
      info: () => {},
      debug: () => {},
    }
    restore = setLogSink(failing)
    expect(() => log.error('sync', 'round failed')).not.toThrow()
  })
})
