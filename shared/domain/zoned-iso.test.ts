import { describe, expect, it } from 'vitest'
import { zonedColumn, zonedIso } from './time'

describe('times written in the business zone', () => {
  it('shows the zone’s clock with the exact offset, across daylight saving', () => {
    expect(zonedIso('2027-05-04T15:00:00.000Z', 'America/Chicago')).toBe(
      '2027-05-04T10:00:00-05:00',
    )
    expect(zonedIso('2027-01-04T15:00:00.000Z', 'America/Chicago')).toBe(
      '2027-01-04T09:00:00-06:00',
    )
    expect(zonedIso('2027-05-04T15:00:00.000Z', 'Asia/Kolkata')).toBe('2027-05-04T20:30:00+05:30')
    expect(zonedIso('2027-05-04T15:00:00.000Z', 'UTC')).toBe('2027-05-04T15:00:00+00:00')
  })

  it('names the same instant, whatever the zone', () => {
    const at = '2027-03-14T07:59:59.000Z'
    for (const tz of ['America/Chicago', 'Europe/Berlin', 'Australia/Adelaide'])
      expect(Date.parse(zonedIso(at, tz))).toBe(Date.parse(at))
  })

  it('leaves what is not a time as it is, and names the column with the zone', () => {
    expect(zonedIso('soon', 'UTC')).toBe('soon')
    expect(zonedColumn('scheduled_at', 'America/Chicago')).toBe('scheduled_at (America/Chicago)')
  })
})
