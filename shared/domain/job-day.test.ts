import { describe, expect, it } from 'vitest'
import { absenceOn, absenceWords, otherDayQuestion, workedWords } from './job-day'

const CHICAGO = 'America/Chicago'
// Thu, Dec 3 2026, 10:00 AM in Chicago (UTC-6).
const NOW = Date.parse('2026-12-03T16:00:00Z')

describe('a job of another day', () => {
  it("asks nothing for today's job, in the business's zone", () => {
    // 11:30 PM on Dec 3 in Chicago is already Dec 4 in UTC: still today there.
    expect(otherDayQuestion('2026-12-04T05:30:00Z', 'start', NOW, CHICAGO)).toBeNull()
    expect(otherDayQuestion('2026-12-03T06:00:00Z', 'complete', NOW, CHICAGO)).toBeNull()
  })

  it('names the day before a job of a later day is started or completed', () => {
    expect(otherDayQuestion('2026-12-04T13:00:00Z', 'start', NOW, CHICAGO)).toBe(
      'This job is on Fri, Dec 4. Start it now?',
    )
    expect(otherDayQuestion('2026-12-08T13:00:00Z', 'complete', NOW, CHICAGO)).toBe(
      'This job is on Tue, Dec 8. Complete it now?',
    )
  })

  it("asks nothing for an earlier day's job: catching up is routine", () => {
    // 12:30 AM on Dec 3 in UTC is still Dec 2 in Chicago.
    expect(otherDayQuestion('2026-12-03T00:30:00Z', 'complete', NOW, CHICAGO)).toBeNull()
    expect(otherDayQuestion('2026-11-20T15:00:00Z', 'start', NOW, CHICAGO)).toBeNull()
  })
})

describe('when a job was really worked', () => {
  const job = { scheduledAt: '2026-12-03T13:00:00Z', startedAt: null, completedAt: null }

  it('says nothing of a job not started', () => {
    expect(workedWords(job, CHICAGO)).toBeNull()
  })

  it('gives the start, then the finish, in the business zone', () => {
    const started = { ...job, startedAt: '2026-12-03T13:04:00Z' }
    expect(workedWords(started, CHICAGO)).toBe('Started 7:04 AM')
    expect(workedWords({ ...started, completedAt: '2026-12-03T18:40:00Z' }, CHICAGO)).toBe(
      'Started 7:04 AM · Finished 12:40 PM',
    )
  })

  it('only the finish for a job completed without a start, and the day when not the booked one', () => {
    const at = '2026-12-03T18:40:00Z'
    expect(workedWords({ ...job, startedAt: at, completedAt: at }, CHICAGO)).toBe(
      'Finished 12:40 PM',
    )
    expect(
      workedWords(
        { ...job, startedAt: '2026-12-01T14:00:00Z', completedAt: '2026-12-03T18:40:00Z' },
        CHICAGO,
      ),
    ).toBe('Started Tue, Dec 1 at 8:00 AM · Finished 12:40 PM')
  })
})

describe('days off', () => {
  const sick = { startsOn: '2026-12-02', endsOn: '2026-12-08', reason: 'Sick' }

  it('is off on the days of a range, back the day after it', () => {
    expect(absenceOn([sick], '2026-12-01')).toBeNull()
    expect(absenceOn([sick], '2026-12-09')).toBeNull()
    expect(absenceOn([sick], '2026-12-02')).toEqual({ reason: 'Sick', back: '2026-12-09' })
    expect(absenceOn([sick], '2026-12-08')).toEqual({ reason: 'Sick', back: '2026-12-09' })
  })

  it('counts ranges that follow one another as one, and one without an end as open', () => {
    const more = { startsOn: '2026-12-09', endsOn: '2026-12-10', reason: 'Holiday' }
    expect(absenceOn([sick, more], '2026-12-04')).toEqual({ reason: 'Sick', back: '2026-12-11' })
    const open = { startsOn: '2026-12-11', endsOn: null, reason: '' }
    expect(absenceOn([sick, more, open], '2026-12-04')).toEqual({ reason: 'Sick', back: null })
  })

  it('says it in plain words', () => {
    expect(absenceWords('Maria Garcia', { reason: 'Sick', back: '2026-12-09' }, 'tomorrow')).toBe(
      'Maria Garcia is off tomorrow (Sick), back Wed, Dec 9.',
    )
    expect(absenceWords('Maria Garcia', { reason: ' ', back: null }, 'today')).toBe(
      'Maria Garcia is off today, until further notice.',
    )
  })
})
