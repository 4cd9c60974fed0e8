import { describe, expect, it } from 'vitest'
import { type Assignment, assignmentWarnings, timeOffWords } from './assignee-warnings'
import type { WorkingHours } from './working-hours'

const zone = 'America/Chicago'
const maria: WorkingHours = { start: '07:00', end: '16:00', days: [1, 2, 3, 4, 5] }
const sick = [{ startsOn: '2026-12-02', endsOn: '2026-12-08', reason: 'Sick' }]
const OFF = 'Maria Garcia is off from Wed, Dec 2 to Tue, Dec 8 (Sick)'
const OUTSIDE =
  "This time is outside Maria Garcia's working hours (7:00 AM to 4:00 PM, Monday to Friday)"

/** Maria's job at a Chicago local time (CST, UTC-6), all well unless changed. */
const warn = (local: string | null, changes: Partial<Assignment> = {}) =>
  assignmentWarnings({
    member: { name: 'Maria Garcia', markedAvailable: true },
    service: { name: 'Mowing', isSpecialty: true },
    timeOff: sick,
    hours: maria,
    startMs: local === null ? null : Date.parse(`${local}:00-06:00`),
    durationMinutes: 60,
    timeZone: zone,
    ...changes,
  })

describe('assignmentWarnings', () => {
  it('says nothing for a time she works, out of her time off, on a service of hers', () => {
    expect(warn('2026-12-09T07:00')).toEqual([])
    expect(warn('2026-12-09T15:00')).toEqual([])
    expect(warn(null)).toEqual([])
  })

  it('says a crew member marked unavailable', () => {
    expect(
      warn('2026-12-09T09:00', { member: { name: 'Maria Garcia', markedAvailable: false } }),
    ).toEqual([{ code: 'UNAVAILABLE', message: 'Maria Garcia is marked unavailable' }])
  })

  it('says a time in her time off, in the business’s days', () => {
    expect(warn('2026-12-08T07:00')).toEqual([{ code: 'UNAVAILABLE', message: OFF }])
    // 11 PM on Dec 8 in Chicago is Dec 9 in UTC: still her time off, read in the zone.
    expect(warn('2026-12-08T23:00')).toEqual([{ code: 'UNAVAILABLE', message: OFF }])
    // 11 PM on Dec 1 in Chicago is Dec 2 in UTC: not yet her time off (but late).
    expect(warn('2026-12-01T23:00').map((w) => w.code)).toEqual(['OUTSIDE_HOURS'])
  })

  it('says a time outside her hours or her days', () => {
    const outside = [{ code: 'OUTSIDE_HOURS', message: OUTSIDE }]
    // 3:30 PM for an hour runs past 4 PM; Saturday Dec 12 is not one of her days.
    expect(warn('2026-12-09T15:30')).toEqual(outside)
    expect(warn('2026-12-12T09:00')).toEqual(outside)
    expect(warn('2026-12-09T06:30')).toEqual(outside)
  })

  it('on a day off says only the time off: her hours add nothing', () => {
    // Saturday Dec 5, at 6 AM, in her time off: outside her days and her hours too.
    expect(warn('2026-12-05T06:00')).toEqual([{ code: 'UNAVAILABLE', message: OFF }])
    expect(warn('2026-12-04T15:30')).toEqual([{ code: 'UNAVAILABLE', message: OFF }])
  })

  it('says a service that is not one of her specialties, whether or not it is named', () => {
    expect(warn('2026-12-09T09:00', { service: { name: 'Mowing', isSpecialty: false } })).toEqual([
      { code: 'MISSING_SPECIALTY', message: 'Maria Garcia does not have Mowing as a specialty' },
    ])
    expect(
      warn('2026-12-09T09:00', { service: { name: null, isSpecialty: false } })[0]?.message,
    ).toBe('Maria Garcia does not have this service as a specialty')
    expect(warn('2026-12-09T09:00', { service: null })).toEqual([])
  })

  it('says everything at once, in one order, with no time chosen only the member and service', () => {
    const all = {
      member: { name: 'Maria Garcia', markedAvailable: false },
      service: { name: 'Mowing', isSpecialty: false },
    }
    expect(warn('2026-12-09T15:30', all).map((w) => w.code)).toEqual([
      'UNAVAILABLE',
      'OUTSIDE_HOURS',
      'MISSING_SPECIALTY',
    ])
    expect(warn('2026-12-03T09:00', all).map((w) => w.message)).toEqual([
      'Maria Garcia is marked unavailable',
      OFF,
      'Maria Garcia does not have Mowing as a specialty',
    ])
    expect(warn(null, all).map((w) => w.code)).toEqual(['UNAVAILABLE', 'MISSING_SPECIALTY'])
  })
})

describe('timeOffWords', () => {
  it('says a range, a single day, and time off until further notice', () => {
    expect(timeOffWords('Maria Garcia', sick[0] as (typeof sick)[0])).toBe(OFF)
    expect(
      timeOffWords('Maria Garcia', { startsOn: '2026-12-07', endsOn: '2026-12-07', reason: ' ' }),
    ).toBe('Maria Garcia is off on Mon, Dec 7')
    expect(timeOffWords('Maria Garcia', { startsOn: '2026-12-02', endsOn: null })).toBe(
      'Maria Garcia is off from Wed, Dec 2 until further notice',
    )
  })
})
