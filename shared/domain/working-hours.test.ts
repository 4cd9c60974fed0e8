import { describe, expect, it } from 'vitest'
import {
  covers,
  describeDays,
  describeHours,
  effectiveHours,
  followUpStart,
  formatDays,
  memberHours,
  nextOpenHour,
  nextWorkingStart,
  parseDays,
  type WorkingHours,
  withinHours,
  workedSpan,
} from './working-hours'

const business: WorkingHours = { start: '07:00', end: '18:00', days: [1, 2, 3, 4, 5, 6] }
const zone = 'America/Chicago'
// Tuesday 2 March 2027 in Chicago (CST, UTC-6).
const at = (hhmm: string, day = '2027-03-02') => Date.parse(`${day}T${hhmm}:00-06:00`)

describe('effectiveHours', () => {
  it("is the business's hours and days when the member has none", () => {
    expect(effectiveHours({ workingHours: null, workingDays: null }, business)).toEqual(business)
  })
  it('takes the member’s own hours and days, each on its own', () => {
    expect(effectiveHours({ workingHours: '08:30-15:00', workingDays: null }, business)).toEqual({
      start: '08:30',
      end: '15:00',
      days: [1, 2, 3, 4, 5, 6],
    })
    expect(effectiveHours({ workingHours: null, workingDays: '2,4' }, business)).toEqual({
      start: '07:00',
      end: '18:00',
      days: [2, 4],
    })
  })
  it('treats a value that does not parse as unset', () => {
    expect(effectiveHours({ workingHours: '16:00-07:00', workingDays: '9' }, business)).toEqual(
      business,
    )
  })
})

describe('withinHours', () => {
  const hours: WorkingHours = { start: '07:00', end: '16:00', days: [1, 2, 3, 4, 5] }
  it('holds a job from opening to closing on a working day', () => {
    expect(withinHours(at('07:00'), 60, hours, zone)).toBe(true)
    expect(withinHours(at('15:00'), 60, hours, zone)).toBe(true)
  })
  it('refuses a job that starts before opening or ends after closing', () => {
    expect(withinHours(at('06:45'), 60, hours, zone)).toBe(false)
    expect(withinHours(at('15:30'), 45, hours, zone)).toBe(false)
  })
  it('refuses a day off (Saturday), whatever the time', () => {
    expect(withinHours(at('09:00', '2027-03-06'), 60, hours, zone)).toBe(false)
  })
  it('reads the day and time in the business zone, not UTC', () => {
    // 22:00 UTC on Friday 5 March is 16:00 in Chicago: closing time, so a job then is out;
    // 01:00 UTC on Saturday is still Friday 19:00 in Chicago.
    expect(withinHours(Date.parse('2027-03-05T21:00:00Z'), 60, hours, zone)).toBe(true)
    expect(withinHours(Date.parse('2027-03-05T22:00:00Z'), 30, hours, zone)).toBe(false)
  })
  it('refuses a job that runs past midnight', () => {
    const allDay: WorkingHours = { start: '00:00', end: '23:59', days: [0, 1, 2, 3, 4, 5, 6] }
    expect(withinHours(at('23:00'), 120, allDay, zone)).toBe(false)
  })
})

describe('days and words', () => {
  it('parses and formats the stored days', () => {
    expect(parseDays('5,1,3,1')).toEqual([1, 3, 5])
    expect(parseDays('')).toEqual([])
    expect(parseDays('1,7')).toBeNull()
    expect(formatDays([5, 1, 3, 1])).toBe('1,3,5')
  })
  it('gives the minutes worked on a day, none on a day off', () => {
    const hours: WorkingHours = { start: '07:30', end: '16:00', days: [1, 2, 3, 4, 5] }
    expect(workedSpan(hours, '2027-03-02')).toEqual({ start: 450, end: 960 })
    expect(workedSpan(hours, '2027-03-07')).toBeNull()
  })
  it('names ranges of days and lists the rest', () => {
    expect(describeDays([1, 2, 3, 4, 5])).toBe('Monday to Friday')
    expect(describeDays([1, 3, 5])).toBe('Monday, Wednesday and Friday')
    expect(describeDays([0, 5, 6])).toBe('Friday to Sunday')
    expect(describeDays([0, 1, 2, 3, 4, 5, 6])).toBe('every day')
    expect(describeHours({ start: '07:00', end: '16:30', days: [2, 4] })).toBe(
      '7:00 AM to 4:30 PM, Tuesday and Thursday',
    )
  })
})

describe('memberHours', () => {
  it('reads the days as the contract lists them', () => {
    expect(memberHours({ workingHours: '06:00-14:00', workingDays: [5, 1] }, business)).toEqual({
      start: '06:00',
      end: '14:00',
      days: [1, 5],
    })
    expect(memberHours({ workingHours: null, workingDays: null }, business)).toEqual(business)
  })
})

describe('nextOpenHour', () => {
  const iso = (ms: number) => new Date(ms).toISOString()
  it('is the next whole hour while open, else the next opening', () => {
    // Tuesday: open 07:00-18:00.
    expect(iso(nextOpenHour(at('10:20'), business, zone))).toBe(iso(at('11:00')))
    expect(iso(nextOpenHour(at('03:00'), business, zone))).toBe(iso(at('07:00')))
    expect(iso(nextOpenHour(at('06:10'), business, zone))).toBe(iso(at('07:00')))
    // Past the last hour: the next working day's opening.
    expect(iso(nextOpenHour(at('17:30'), business, zone))).toBe(iso(at('07:00', '2027-03-03')))
    expect(iso(nextOpenHour(at('22:00'), business, zone))).toBe(iso(at('07:00', '2027-03-03')))
    // Saturday evening: Sunday is closed, so Monday.
    expect(iso(nextOpenHour(at('19:00', '2027-03-06'), business, zone))).toBe(
      iso(at('07:00', '2027-03-08')),
    )
  })

  it('opens at the local time across a change of clocks, and never waits for no days', () => {
    // Sunday 14 March 2027: clocks go forward at 2 AM in Chicago; Monday opens at 07:00 CDT.
    const sundayNight = Date.parse('2027-03-14T23:00:00-05:00')
    expect(iso(nextOpenHour(sundayNight, business, zone))).toBe('2027-03-15T12:00:00.000Z')
    const never = { ...business, days: [] }
    expect(iso(nextOpenHour(at('03:20'), never, zone))).toBe(iso(at('04:00')))
  })
})

describe('time off covering a day', () => {
  it('includes both ends, and every day on until further notice', () => {
    const range = { startsOn: '2027-01-04', endsOn: '2027-01-05' }
    expect(
      ['2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06'].map((d) => covers(range, d)),
    ).toEqual([false, true, true, false])
    expect(covers({ startsOn: '2027-01-04', endsOn: null }, '2030-06-01')).toBe(true)
  })
})

describe('followUpStart', () => {
  const maria: WorkingHours = { start: '07:00', end: '16:00', days: [1, 2, 3, 4, 5] }
  // Her visit on Tue, Dec 1 2026 at 10:00 in Chicago.
  const visit = {
    startMs: Date.parse('2026-12-01T10:00:00-06:00'),
    durationMinutes: 60,
    hours: maria,
    timeOff: [] as { startsOn: string; endsOn: string | null; reason?: string }[],
    timeZone: zone,
    nowMs: Date.parse('2026-12-01T12:00:00-06:00'),
  }
  const iso = (ms: number) => new Date(ms).toISOString()
  const at = (local: string) => iso(Date.parse(local))

  it('proposes the same time a week on when she works then', () => {
    expect(iso(followUpStart(visit))).toBe(at('2026-12-08T10:00:00-06:00'))
  })

  it('moves past her time off to the start of her next working day', () => {
    const timeOff = [{ startsOn: '2026-12-07', endsOn: '2026-12-11', reason: 'Sick' }]
    expect(iso(followUpStart({ ...visit, timeOff }))).toBe(at('2026-12-14T07:00:00-06:00'))
  })

  it('moves a week on that is a day she does not work, or a visit long past, forward', () => {
    const saturday = { ...visit, startMs: Date.parse('2026-11-28T10:00:00-06:00') }
    expect(iso(followUpStart(saturday))).toBe(at('2026-12-07T07:00:00-06:00'))
    const old = { ...visit, startMs: Date.parse('2026-11-02T10:00:00-06:00') }
    expect(iso(followUpStart(old))).toBe(at('2026-12-02T07:00:00-06:00'))
  })
})

describe('nextWorkingStart', () => {
  // Maria works Monday to Friday from 7:00 and is off sick from Wed, Dec 2 to Tue, Dec 8 2026.
  const maria: WorkingHours = { start: '07:00', end: '16:00', days: [1, 2, 3, 4, 5] }
  const sick = [{ startsOn: '2026-12-02', endsOn: '2026-12-08', reason: 'Sick' }]
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  it('skips the days of time off, both ends included, to the start of her hours', () => {
    // Her job is on Tue, Dec 1: the next day is Wed, Dec 2, in her time off; Dec 8 too.
    expect(iso(nextWorkingStart('2026-12-02', maria, sick, zone))).toBe(
      iso(Date.parse('2026-12-09T07:00:00-06:00')),
    )
    expect(iso(nextWorkingStart('2026-12-02', maria, [], zone))).toBe(
      iso(Date.parse('2026-12-02T07:00:00-06:00')),
    )
  })
  it('skips the days she does not work: a Saturday goes to Monday', () => {
    expect(iso(nextWorkingStart('2026-12-12', maria, sick, zone))).toBe(
      iso(Date.parse('2026-12-14T07:00:00-06:00')),
    )
    // Off Wednesday to Friday, then the weekend: Monday.
    const lateWeek = [{ startsOn: '2026-12-09', endsOn: '2026-12-11', reason: '' }]
    expect(iso(nextWorkingStart('2026-12-09', maria, lateWeek, zone))).toBe(
      iso(Date.parse('2026-12-14T07:00:00-06:00')),
    )
    // The business works Saturdays: someone on its days is proposed Saturday.
    expect(iso(nextWorkingStart('2026-12-12', business, [], zone))).toBe(
      iso(Date.parse('2026-12-12T07:00:00-06:00')),
    )
  })
  it('starts at her own hours, and finds nothing when she is off until further notice', () => {
    const own = { ...maria, start: '08:30' }
    expect(iso(nextWorkingStart('2026-12-02', own, sick, zone))).toBe(
      iso(Date.parse('2026-12-09T08:30:00-06:00')),
    )
    const open = [{ startsOn: '2026-12-02', endsOn: null }]
    expect(nextWorkingStart('2026-12-02', maria, open, zone)).toBeNull()
    expect(nextWorkingStart('2026-12-02', { ...maria, days: [] }, [], zone)).toBeNull()
  })
})
