import { describe, expect, it } from 'vitest'
import {
  CHECK_EVERY_MS,
  FIRST_CHECK_AFTER_MS,
  nextCheckInMs,
  UPDATE_URL_ENV,
  updatePlan,
  updateReadyNotice,
} from './update-plan'

const plan = (url: string | undefined, isPackaged = true) =>
  updatePlan({ env: { [UPDATE_URL_ENV]: url }, isPackaged })

describe('updating', () => {
  it('is off unless a feed is configured', () => {
    expect(updatePlan({ env: {}, isPackaged: true })).toEqual({
      enabled: false,
      reason: 'not configured',
    })
    expect(plan('   ')).toEqual({ enabled: false, reason: 'not configured' })
  })

  it('uses the configured https feed in an installed app', () => {
    expect(plan(' https://updates.example.com/groundskeeper/ ')).toEqual({
      enabled: true,
      feed: { provider: 'generic', url: 'https://updates.example.com/groundskeeper/' },
      firstCheckAfterMs: FIRST_CHECK_AFTER_MS,
      checkEveryMs: CHECK_EVERY_MS,
    })
    expect(plan('http://127.0.0.1:8080/feed')).toMatchObject({ enabled: true })
  })

  it('stays off when run from the source tree', () => {
    expect(plan('https://updates.example.com/', false)).toEqual({
      enabled: false,
      reason: 'not installed',
    })
  })

  it('refuses a feed that would not be safe or would not work, saying why', () => {
    const cases: [string, string][] = [
      ['updates.example.com', 'is not a web address'],
      ['http://updates.example.com/', 'must start with https://'],
      ['ftp://updates.example.com/', 'must start with https://'],
      ['file:///srv/updates', 'must start with https://'],
      ['https://ann:secret@updates.example.com/', 'must not contain a user name or password'],
      ['https://updates.example.com/?channel=beta', 'must not contain ? or #'],
    ]
    for (const [url, why] of cases) {
      expect(plan(url), url).toEqual({
        enabled: false,
        reason: 'invalid address',
        detail: `GROUNDSKEEPER_UPDATE_URL ${why}; updates stay off`,
      })
    }
  })

  it('checks shortly after start, then every few hours, at once after a long sleep', () => {
    const on = plan('https://updates.example.com/')
    if (!on.enabled) throw new Error('expected updating to be on')
    const now = 1_000_000_000
    expect(nextCheckInMs(on, null, now)).toBe(FIRST_CHECK_AFTER_MS)
    expect(nextCheckInMs(on, now - 60_000, now)).toBe(CHECK_EVERY_MS - 60_000)
    expect(nextCheckInMs(on, now - 2 * CHECK_EVERY_MS, now)).toBe(0)
    expect(CHECK_EVERY_MS).toBeGreaterThanOrEqual(60 * 60 * 1000)
    expect(CHECK_EVERY_MS).toBeLessThanOrEqual(12 * 60 * 60 * 1000)
  })

  it('tells the user, in plain words, that the update installs on quit', () => {
    expect(updateReadyNotice('1.2.0')).toEqual({
      title: 'Update ready',
      body: 'Groundskeeper 1.2.0 has been downloaded. It will be installed when you quit Groundskeeper.',
    })
  })
})
