import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nodeLog from 'electron-log/node'
import { afterEach, describe, expect, it } from 'vitest'
import { configureLog, LOG_MAX_BYTES } from './log-setup'

/** A fresh electron-log logger (the same package the app uses) writing into a temp folder. */
function tempLogger() {
  const dir = mkdtempSync(join(tmpdir(), 'gk-log-'))
  const logger = nodeLog.create({ logId: `test-${Math.random()}` })
  configureLog(logger, true)
  logger.transports.file.resolvePathFn = () => join(dir, 'main.log')
  logger.transports.console.level = false
  return { dir, logger }
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('the log file', () => {
  it('never holds personal data, whatever is logged', () => {
    const { dir, logger } = tempLogger()
    dirs.push(dir)
    logger.info('SMS to +1 (555) 123-4567 for ann@example.com', { client: { name: 'Ann Lee' } })
    logger.error(new Error('Failed query: insert into clients\nparams: Ann Lee,4 Elm St'))
    logger.debug('below the file level: not written')
    const text = readFileSync(join(dir, 'main.log'), 'utf8')
    expect(text).toContain('[info]')
    expect(text).toContain('[phone]')
    expect(text).toContain('[email]')
    expect(text).toContain('[redacted]')
    // (the phone's digits as written, not "555" alone, which a timestamp may hold)
    expect(text).not.toMatch(/Ann|ann@|\(555\)|123-4567|Elm/)
    expect(text).not.toContain('below the file level')
  })

  it('rotates at 5 MB, keeping one archive', () => {
    const { dir, logger } = tempLogger()
    dirs.push(dir)
    // About 100 kB a line (the redaction cuts each string at 2,000 characters).
    const chunk = Array.from({ length: 50 }, () => 'x'.repeat(1_990))
    const write = (bytes: number) => {
      for (let n = 0; n < bytes / 100_000; n++) logger.info('job', chunk)
    }
    write(LOG_MAX_BYTES + 100_000)
    expect(existsSync(join(dir, 'main.old.log'))).toBe(true)
    expect(statSync(join(dir, 'main.log')).size).toBeLessThan(LOG_MAX_BYTES)
    write(LOG_MAX_BYTES + 100_000)
    expect(readdirSync(dir).sort()).toEqual(['main.log', 'main.old.log'])
    expect(statSync(join(dir, 'main.old.log')).size).toBeGreaterThan(LOG_MAX_BYTES * 0.9)
    expect(statSync(join(dir, 'main.old.log')).size).toBeLessThan(LOG_MAX_BYTES * 1.1)
  })
})
