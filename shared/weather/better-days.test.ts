import { describe, expect, it } from 'vitest'
import type { CrewMember, PlannedJob } from '../domain/reassign'
import { betterDays } from './better-days'
import { assessRisk, type DailyForecast, KIND_LIMITS } from './risk'

const TUE = Date.parse('2027-06-08T00:00:00Z')
const DAY = 86_400_000
const H = 3_600_000
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const forecast = (date: string, rain: number): DailyForecast => ({
  date,
  precipitationMm: rain,
  precipitationProbability: rain > 0 ? 90 : 10,
  windKmh: 10,
  gustKmh: 12,
  tempMinC: 12,
  tempMaxC: 22,
})
// Nine millimetres on Tuesday, dry after.
const forecasts = new Map(
  [0, 1, 2, 3, 4, 5, 6, 7].map((d) => {
    const date = dayOf(TUE + d * DAY)
    return [date, forecast(date, d === 0 ? 9 : 0)] as const
  }),
)
const crew = (id: string, skills: string[]): CrewMember => ({
  id,
  name: id,
  specialties: new Set(skills),
  timeOff: [],
})
const job = (id: string, who: string, service: string, startMs: number): PlannedJob => ({
  id,
  teamMemberId: who,
  serviceId: service,
  startMs,
  durationMinutes: 60,
  status: 'scheduled',
})

describe('a wet Tuesday', () => {
  const mowing = job('mow-tue', 'ana', 'mow', TUE + 9 * H)
  const indoor = job('greenhouse-tue', 'ana', 'greenhouse', TUE + 13 * H)
  const members = [crew('ana', ['mow', 'greenhouse']), crew('ben', ['mow'])]

  it("flags that Tuesday's mowing, not the indoor job", () => {
    const risk = (limits: typeof KIND_LIMITS.mowing) =>
      assessRisk(forecasts.get(dayOf(TUE)) ?? null, limits, { known: true }).risk
    expect(risk(KIND_LIMITS.mowing)).toBe('high')
    expect(risk(KIND_LIMITS.indoor)).toBe('low')
    const wed = forecasts.get(dayOf(TUE + DAY)) ?? null
    expect(assessRisk(wed, KIND_LIMITS.mowing, { known: true }).risk).toBe('low')
    expect(indoor.serviceId).toBe('greenhouse')
  })

  it('suggests the Wednesday when the crew is free, the Thursday when it is not', () => {
    const input = { job: mowing, limits: KIND_LIMITS.mowing, forecasts, dayOf, members }
    const free = betterDays({ ...input, jobs: [mowing, indoor] })
    expect(free[0]).toMatchObject({
      startMs: TUE + DAY + 9 * H,
      teamMemberId: 'ana',
      sameCrew: true,
    })
    const busy = betterDays({
      ...input,
      jobs: [mowing, indoor, job('wed', 'ana', 'mow', TUE + DAY + 8.5 * H)],
      limit: 20,
    })
    expect(busy[0]).toMatchObject({ startMs: TUE + 2 * DAY + 9 * H, teamMemberId: 'ana' })
    // A wet Wednesday too: the first dry day is Thursday.
    const wetter = new Map(forecasts)
    wetter.set(dayOf(TUE + DAY), forecast(dayOf(TUE + DAY), 6))
    expect(betterDays({ ...input, forecasts: wetter, jobs: [mowing] })[0]?.startMs).toBe(
      TUE + 2 * DAY + 9 * H,
    )
    // Ben, who also mows, is free on Wednesday: offered after Ana's own days.
    expect(busy.find((b) => !b.sameCrew)).toMatchObject({
      startMs: TUE + DAY + 9 * H,
      teamMemberId: 'ben',
    })
  })
})

describe('better days and working hours', () => {
  it('offers only a day and time the crew member works', () => {
    // Tuesday 2027-06-08; Sunday the 13th is dry but no one works Sundays.
    const mowing = job('mow-sat', 'ana', 'mow', TUE + 4 * DAY + 9 * H)
    const weekdays = { start: '07:00', end: '18:00', days: [1, 2, 3, 4, 5, 6] }
    const days = betterDays({
      job: mowing,
      limits: KIND_LIMITS.mowing,
      forecasts,
      dayOf,
      members: [{ ...crew('ana', ['mow']), hours: weekdays }],
      jobs: [mowing],
      days: 3,
      timeZone: 'UTC',
    })
    expect(days.map((d) => dayOf(d.startMs))).toEqual(['2027-06-14', '2027-06-15'])
  })
})
