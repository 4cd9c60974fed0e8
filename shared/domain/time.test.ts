import { describe, expect, it } from 'vitest'
import { isValidTimeZone, localToUtc, zoneOffsetMinutes } from './time'

describe('time zones', () => {
  it('knows IANA zones and rejects others', () => {
    expect(isValidTimeZone('America/Chicago')).toBe(true)
    expect(isValidTimeZone('Mars/Olympus')).toBe(false)
  })

  it('gives standard and daylight offsets', () => {
    expect(zoneOffsetMinutes('America/Chicago', Date.UTC(2026, 0, 15, 12))).toBe(-360)
    expect(zoneOffsetMinutes('America/Chicago', Date.UTC(2026, 6, 15, 12))).toBe(-300)
    expect(zoneOffsetMinutes('Asia/Kolkata', Date.UTC(2026, 6, 15, 12))).toBe(330)
  })

  it('converts local wall time to UTC, across DST changes', () => {
    const jan = localToUtc({ year: 2026, month: 1, day: 15, hour: 8, minute: 0 }, 'America/Chicago')
    expect(new Date(jan).toISOString()).toBe('2026-01-15T14:00:00.000Z')
    const jul = localToUtc({ year: 2026, month: 7, day: 15, hour: 8, minute: 0 }, 'America/Chicago')
    expect(new Date(jul).toISOString()).toBe('2026-07-15T13:00:00.000Z')
    // 2026-03-08 02:30 does not exist in Chicago; 2026-11-01 01:30 exists twice.
    const gap = localToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/Chicago')
    expect(new Date(gap).toISOString()).toBe('2026-03-08T08:30:00.000Z')
    const overlap = localToUtc(
      { year: 2026, month: 11, day: 1, hour: 1, minute: 30 },
      'America/Chicago',
    )
    expect(new Date(overlap).toISOString()).toBe('2026-11-01T06:30:00.000Z')
  })
})
