import { z } from 'zod'
import { weatherLimits } from '../weather/limits'
import { SERVICE_KINDS } from '../weather/risk'
import {
  day,
  id,
  idInput,
  instant,
  NUL_MESSAGE,
  optionalText,
  storedDay,
  storedInstant,
  withoutNul,
} from './common'

/**
 * Weather risk, better days, time off and reassignment: what the screens ask the core.
 * Risks are worked out when asked, from the forecast cache, each job's place and its
 * service's limits (shared/weather), so they follow every change offline too.
 */
export const WEATHER_RISKS = ['low', 'moderate', 'high', 'unknown'] as const
export const weatherRisk = z.enum(WEATHER_RISKS)

export const jobRisk = z.object({
  appointmentId: id,
  risk: weatherRisk,
  /** In words: "8 mm rain expected, limit 5 mm", "no forecast: the job has no place on the map". */
  reason: z.string(),
  /** When the forecast it rests on was fetched; null: there is none. */
  fetchedAt: instant.nullable(),
})
export type JobRisk = z.infer<typeof jobRisk>

export const forecastDay = z.object({
  date: day,
  weatherCode: z.number().int().nullable(),
  precipitationMm: z.number().nullable(),
  precipitationProbability: z.number().nullable(),
  windKmh: z.number().nullable(),
  gustKmh: z.number().nullable(),
  tempMinC: z.number().nullable(),
  tempMaxC: z.number().nullable(),
  fetchedAt: instant,
})
export type ForecastDay = z.infer<typeof forecastDay>

export const betterDay = z.object({
  startAt: instant,
  teamMemberId: id,
  teamMemberName: z.string(),
  sameCrew: z.boolean(),
  reason: z.string(),
})

/** One job a plan moves, as the review screen shows it. */
export const plannedMove = z.object({
  appointmentId: id,
  clientName: z.string(),
  serviceId: id,
  serviceName: z.string(),
  /** Who has it now. */
  fromMemberId: id.nullable(),
  fromStartAt: instant,
  durationMinutes: z.number().int(),
  toStartAt: instant,
  toMemberId: id,
  toMemberName: z.string(),
  /** Same time with another crew member, or another day. */
  kind: z.enum(['reassigned', 'moved']),
  /** A reassignment plan's other choices: who else is qualified, working and free then. */
  alternatives: z.array(z.object({ id, name: z.string() })).optional(),
})
export type PlannedMove = z.infer<typeof plannedMove>

export const reassignmentPlan = z.object({
  teamMemberId: id,
  from: day,
  to: day,
  moves: z.array(plannedMove),
  unplaced: z.array(
    z.object({
      appointmentId: id,
      clientName: z.string(),
      serviceName: z.string(),
      startAt: instant,
      reason: z.string(),
    }),
  ),
})
export type ReassignmentPlan = z.infer<typeof reassignmentPlan>

export const timeOffRow = z.object({
  id,
  teamMemberId: id,
  teamMemberName: z.string(),
  startsOn: day,
  /** Included; null: until further notice. */
  endsOn: day.nullable(),
  reason: z.string(),
})
export type TimeOff = z.infer<typeof timeOffRow>

const range = <T extends z.ZodRawShape>(shape: T, most: { days: number; words: string }) =>
  // Days jobs can be on: a range is planned and read day by day, with days added. Its
  // length is bounded: the work grows with it, and no screen asks for more.
  z.strictObject({ ...shape, from: storedDay, to: storedDay }).superRefine((v, ctx) => {
    const { from, to } = v as unknown as { from: string; to: string }
    if (from > to)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after the end' })
    else if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > most.days)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `must be within ${most.words} of the start`,
      })
  })

export const WEATHER_SOURCES = ['server', 'this-laptop'] as const

export const weatherStatus = z.object({
  /** Who refreshes the forecasts: the central server, or this laptop (no server). */
  source: z.enum(WEATHER_SOURCES),
  forecastUrl: z.string(),
  geocodingUrl: z.string(),
  lastRefreshAt: instant.nullable(),
  /** The last refresh's trouble in words, or null. */
  lastError: z.string().nullable(),
  /** The newest forecast held, for "forecast from 9 h ago". */
  newestForecastAt: instant.nullable(),
})

const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http:// or https:// address' })
  .max(500)
  .refine(withoutNul, NUL_MESSAGE)

export const weatherContract = {
  /** The risk of every live job starting in [from, to) (at most 62 days). */
  'weather.risks': {
    input: z
      .strictObject({ from: instant, to: instant, teamMemberId: id.optional() })
      .superRefine((v, ctx) => {
        const span = Date.parse(v.to) - Date.parse(v.from)
        if (span <= 0)
          ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' })
        if (span > 62 * 86_400_000)
          ctx.addIssue({
            code: 'custom',
            path: ['to'],
            message: 'the range must not exceed 62 days',
          })
      }),
    output: z.object({ risks: z.array(jobRisk) }),
  },
  /**
   * The weather strip: per day, the worst forecast over the places of that day's jobs
   * (or over every place held when the day has none); days without a forecast are left out.
   */
  'weather.days': {
    input: range({ teamMemberId: id.optional() }, { days: 93, words: 'three months' }),
    output: z.object({ days: z.array(forecastDay) }),
  },
  /** The better days of a job at risk, best first. */
  'weather.betterDays': {
    input: idInput,
    output: z.object({ risk: jobRisk, options: z.array(betterDay) }),
  },
  /** A move for each at-risk job of a day (its best better day), booked one after another. */
  'weather.planDay': {
    input: z.strictObject({ date: storedDay, teamMemberId: id.optional() }),
    output: z.object({ moves: z.array(plannedMove), unplaced: reassignmentPlan.shape.unplaced }),
  },
  'weather.status': { input: z.strictObject({}), output: weatherStatus },
  /** Runs one refresh now (a laptop without a server; with one, the server refreshes). */
  'weather.refresh': {
    input: z.strictObject({}),
    /** Places asked for, forecast days stored, places that failed. */
    output: z.object({
      places: z.number().int(),
      fetched: z.number().int(),
      failed: z.number().int(),
    }),
  },
  'weather.updateSettings': {
    input: z.strictObject({ forecastUrl: httpUrl.optional(), geocodingUrl: httpUrl.optional() }),
    output: weatherStatus,
  },
  'team.timeOff.list': {
    input: z.strictObject({
      teamMemberId: id.optional(),
      from: storedDay.optional(),
      to: storedDay.optional(),
    }),
    output: z.object({ results: z.array(timeOffRow) }),
  },
  /** Marks a member out for whole days; the answer carries the plan for their jobs then. */
  'team.timeOff.add': {
    input: z
      .strictObject({
        teamMemberId: id,
        startsOn: storedDay,
        endsOn: storedDay.nullable().default(null),
        reason: optionalText(200).default(''),
      })
      .superRefine((v, ctx) => {
        if (v.endsOn && v.endsOn < v.startsOn)
          ctx.addIssue({
            code: 'custom',
            path: ['endsOn'],
            message: 'must not be before the first day',
          })
      }),
    output: z.object({ timeOff: timeOffRow, plan: reassignmentPlan }),
  },
  'team.timeOff.remove': { input: idInput, output: z.object({ id }) },
  /** Who takes a member's jobs while they are out (nothing is changed). */
  'team.reassignmentPlan': {
    input: range({ teamMemberId: id }, { days: 366, words: 'a year' }),
    output: reassignmentPlan,
  },
  /**
   * Moves jobs, all or none, in one transaction: each to its new start and crew member,
   * each checked for double bookings against the others and every other job.
   */
  'appointments.moveMany': {
    input: z.strictObject({
      moves: z
        .array(z.strictObject({ id, scheduledAt: storedInstant, teamMemberId: id }))
        .min(1)
        .max(500)
        .refine((m) => new Set(m.map((x) => x.id)).size === m.length, 'must not move a job twice'),
    }),
    output: z.object({ moved: z.number().int() }),
  },
} as const

/** The weather fields of a catalog service. */
export const serviceWeather = {
  weatherKind: z.enum(SERVICE_KINDS).nullable(),
  weatherLimits: weatherLimits.nullable(),
}
