import type { PGlite } from '@electric-sql/pglite'
import { BUSINESS_SETTINGS_ID, DEFAULT_SETTINGS } from '../../../../shared/contract/settings'
import type { PlannedMove, TimeOff } from '../../../../shared/contract/weather'
import { uuidv7 } from '../../../../shared/domain/ids'
import {
  type CrewMember,
  OPEN_ENDED_REVIEW_DAYS,
  type PlannedJob,
  planReassignment,
} from '../../../../shared/domain/reassign'
import { addDays, dayStartMs, localDay, shiftDays } from '../../../../shared/domain/time'
import { effectiveHours } from '../../../../shared/domain/working-hours'
import { AppError } from '../../../../shared/errors'
import { type AssessedJob, atRisk } from '../../../../shared/weather/assess'
import { BETTER_DAYS, betterDays } from '../../../../shared/weather/better-days'
import { limitsOf } from '../../../../shared/weather/limits'
import type { DailyForecast } from '../../../../shared/weather/risk'
import { assessHeld, assessUpcoming } from '../../../../weather/refresh'
import {
  type BusinessLocale,
  businessLocale,
  businessZone,
  readForecasts,
  readJobs,
  type WeatherJob,
} from '../../../../weather/sql'
import { requireActor } from '../auth'
import type { AppContext } from '../context'
import { getState } from '../sync/store'
import { saveWeatherSettings, weatherRunStatus, weatherSettings } from '../weather/local'
import { describeDay } from './appointment-checks'
import type { Handlers } from './types'

/**
 * Weather risk, better days, time off and reassignment plans: read from this laptop's
 * tables (the forecast cache syncs from the server, or this laptop refreshes it), worked
 * out by the pure rules in shared/ — so they answer offline, and the same as the server.
 */
const iso = (ms: number) => new Date(ms).toISOString()
const DAY = 86_400_000
const SEARCH_DAYS = 14

/** A job's move as the screens show it. */
const plannedMove = (
  job: WeatherJob,
  to: {
    startMs: number
    memberId: string
    memberName: string
    kind: PlannedMove['kind']
    alternatives?: PlannedMove['alternatives']
  },
): PlannedMove => ({
  appointmentId: job.id,
  clientName: job.clientName,
  serviceId: job.serviceId,
  serviceName: job.serviceName,
  fromMemberId: job.teamMemberId,
  fromStartAt: iso(job.startMs),
  durationMinutes: job.durationMinutes,
  toStartAt: iso(to.startMs),
  toMemberId: to.memberId,
  toMemberName: to.memberName,
  kind: to.kind,
  ...(to.alternatives ? { alternatives: to.alternatives } : {}),
})

/** A job left where it is, with the reason. */
const unplacedJob = (job: WeatherJob, reason: string) => ({
  appointmentId: job.id,
  clientName: job.clientName,
  serviceName: job.serviceName,
  startAt: iso(job.startMs),
  reason,
})

const riskOut = (r: AssessedJob) => ({
  appointmentId: r.id,
  risk: r.risk,
  reason: r.reason,
  fetchedAt: r.fetchedAtMs === null ? null : iso(r.fetchedAtMs),
})

/** Live crew members with their specialties and time off (as [start, end) instants). */
async function readCrew(pg: PGlite, timeZone: string): Promise<CrewMember[]> {
  const { rows } = await pg.query<{
    id: string
    name: string
    is_available: boolean
    working_hours: string | null
    working_days: string | null
    business_hours: string | null
    business_days: string | null
    specialties: string[] | null
    off: { s: string; e: string | null }[] | null
  }>(
    `SELECT m.id, m.name, m.is_available, m.working_hours, m.working_days,
       b.working_hours AS business_hours, b.working_days AS business_days,
       (SELECT array_agg(s.service_id::text) FROM team_member_specialties s
        WHERE s.team_member_id = m.id AND s.deleted_at IS NULL) AS specialties,
       (SELECT json_agg(json_build_object('s', t.starts_on::text, 'e', t.ends_on::text))
        FROM time_off t WHERE t.team_member_id = m.id AND t.deleted_at IS NULL) AS off
     FROM team_members m
     LEFT JOIN business_settings b ON b.id = $1 AND b.deleted_at IS NULL
     WHERE m.deleted_at IS NULL ORDER BY m.name, m.id`,
    [BUSINESS_SETTINGS_ID],
  )
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    specialties: new Set(r.specialties ?? []),
    hours: effectiveHours(
      { workingHours: r.working_hours, workingDays: r.working_days },
      effectiveHours(
        { workingHours: r.business_hours, workingDays: r.business_days },
        DEFAULT_SETTINGS.workingHours,
      ),
    ),
    timeOff: [
      ...(r.off ?? []).map(
        (o) =>
          [
            dayStartMs(o.s, timeZone),
            o.e === null ? Number.POSITIVE_INFINITY : dayStartMs(addDays(o.e, 1), timeZone),
          ] as const,
      ),
      // The old single flag: out until further notice.
      ...(r.is_available ? [] : [[Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] as const]),
    ],
  }))
}

const planned = (j: WeatherJob): PlannedJob => ({
  id: j.id,
  teamMemberId: j.teamMemberId,
  startMs: j.startMs,
  durationMinutes: j.durationMinutes,
  status: j.status === 'in_progress' ? 'scheduled' : j.status,
  serviceId: j.serviceId,
})

async function oneJob(pg: PGlite, id: string): Promise<WeatherJob> {
  const [job] = await readJobs(pg, { ids: [id], openOnly: false })
  if (!job) throw new AppError('NOT_FOUND', 'appointment not found')
  return job
}

/** Forecasts at one place by local day. */
async function forecastsAt(
  pg: PGlite,
  place: string | null,
  from: string,
  to: string,
): Promise<Map<string, DailyForecast>> {
  if (!place) return new Map()
  const held = await readForecasts(pg, [place], from, to)
  return new Map([...held.values()].map((f) => [f.date, f]))
}

/** The better days of one job, given the jobs already booked (and planned). */
async function optionsFor(
  pg: PGlite,
  job: WeatherJob,
  risk: AssessedJob,
  crew: CrewMember[],
  booked: PlannedJob[],
  business: BusinessLocale,
) {
  const { timeZone, units } = business
  const forecasts = await forecastsAt(pg, risk.place, risk.day, addDays(risk.day, BETTER_DAYS))
  return betterDays({
    job: planned(job),
    limits: limitsOf(job),
    forecasts,
    dayOf: (ms) => localDay(ms, timeZone),
    shiftDays: (ms, n) => shiftDays(ms, n, timeZone),
    members: crew,
    jobs: booked,
    days: BETTER_DAYS,
    timeZone,
    units,
  })
}

async function bookedAround(pg: PGlite, fromMs: number, toMs: number): Promise<PlannedJob[]> {
  const jobs = await readJobs(pg, { fromMs: fromMs - DAY, toMs: toMs + DAY })
  return jobs.map(planned)
}

async function readTimeOff(
  pg: PGlite,
  where: { id?: string; teamMemberId?: string; from?: string; to?: string },
): Promise<TimeOff[]> {
  const params: unknown[] = []
  const cond = ['t.deleted_at IS NULL']
  const add = (sql: string, v: unknown) => {
    params.push(v)
    cond.push(sql.replace('?', `$${params.length}`))
  }
  if (where.id) add('t.id = ?', where.id)
  if (where.teamMemberId) add('t.team_member_id = ?', where.teamMemberId)
  if (where.from) add('(t.ends_on IS NULL OR t.ends_on >= ?::date)', where.from)
  if (where.to) add('t.starts_on <= ?::date', where.to)
  const { rows } = await pg.query<{
    id: string
    team_member_id: string
    name: string
    starts_on: string
    ends_on: string | null
    reason: string
  }>(
    `SELECT t.id, t.team_member_id, m.name, t.starts_on::text, t.ends_on::text, t.reason
     FROM time_off t JOIN team_members m ON m.id = t.team_member_id
     WHERE ${cond.join(' AND ')} ORDER BY t.starts_on, m.name, t.id`,
    params,
  )
  return rows.map((r) => ({
    id: r.id,
    teamMemberId: r.team_member_id,
    teamMemberName: r.name,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    reason: r.reason,
  }))
}

/** Who takes a member's jobs from `from` to `to` (local days, both included). */
async function reassignment(pg: PGlite, teamMemberId: string, from: string, to: string) {
  const timeZone = await businessZone(pg)
  const fromMs = dayStartMs(from, timeZone)
  const toMs = dayStartMs(addDays(to, 1), timeZone)
  const crew = await readCrew(pg, timeZone)
  // An archived member is planned for too (their jobs need someone), never as a taker.
  if (!crew.some((m) => m.id === teamMemberId)) {
    const { rows } = await pg.query('SELECT 1 FROM team_members WHERE id = $1', [teamMemberId])
    if (!rows.length) throw new AppError('NOT_FOUND', 'team member not found')
  }
  const jobs = await readJobs(pg, { fromMs: fromMs - DAY, toMs: toMs + (SEARCH_DAYS + 1) * DAY })
  const plan = planReassignment({
    absentId: teamMemberId,
    fromMs,
    toMs,
    members: crew,
    jobs: jobs.map(planned),
    searchDays: SEARCH_DAYS,
    dayStartMs: (ms) => dayStartMs(localDay(ms, timeZone), timeZone),
    shiftDays: (ms, n) => shiftDays(ms, n, timeZone),
    timeZone,
  })
  const byId = new Map(jobs.map((j) => [j.id, j]))
  const names = new Map(crew.map((m) => [m.id, m.name]))
  return {
    teamMemberId,
    from,
    to,
    moves: plan.moves.flatMap((m) => {
      const job = byId.get(m.jobId)
      return job
        ? [
            plannedMove(job, {
              startMs: m.startMs,
              memberId: m.toMemberId,
              memberName: names.get(m.toMemberId) ?? '',
              kind: m.kind,
              alternatives: m.alternatives.map((id) => ({ id, name: names.get(id) ?? '' })),
            }),
          ]
        : []
    }),
    unplaced: plan.unplaced.flatMap((u) => {
      const job = byId.get(u.jobId)
      return job ? [unplacedJob(job, u.reason)] : []
    }),
  }
}

async function status(ctx: AppContext) {
  const pg = ctx.db.pg
  const settings = await weatherSettings(pg)
  const run = await weatherRunStatus(pg)
  const { rows } = await pg.query<{ at: string | null }>(
    `SELECT to_char(max(fetched_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
     FROM weather_forecasts WHERE deleted_at IS NULL`,
  )
  // Syncing, the server refreshes: this laptop's own last run (from before it connected)
  // says nothing of the forecasts it has now.
  const server = (await getState(pg, 'config')) !== undefined
  return {
    source: server ? ('server' as const) : ('this-laptop' as const),
    forecastUrl: settings.forecastUrl,
    geocodingUrl: settings.geocodingUrl,
    lastRefreshAt: server ? null : run.lastRefreshAt,
    lastError: server ? null : run.lastError,
    newestForecastAt: rows[0]?.at ?? null,
  }
}

/** The upcoming jobs (the forecast's 7 days) whose risk is moderate or high. */
export async function upcomingAtRisk(pg: PGlite, nowMs: number): Promise<string[]> {
  const { risks } = await assessUpcoming(pg, nowMs, 7)
  return risks.filter((r) => atRisk(r.risk)).map((r) => r.id)
}

export const weatherHandlers = {
  'weather.risks': async (ctx, input) => {
    await requireActor(ctx)
    const pg = ctx.db.pg
    const jobs = await readJobs(pg, {
      fromMs: Date.parse(input.from),
      toMs: Date.parse(input.to),
      teamMemberId: input.teamMemberId,
    })
    const risks = await assessHeld(pg, jobs, await businessLocale(pg))
    return { risks: risks.map(riskOut) }
  },

  'weather.days': async (ctx, input) => {
    await requireActor(ctx)
    const pg = ctx.db.pg
    const business = await businessLocale(pg)
    const { timeZone } = business
    const jobs = await readJobs(pg, {
      fromMs: dayStartMs(input.from, timeZone),
      toMs: dayStartMs(addDays(input.to, 1), timeZone),
      teamMemberId: input.teamMemberId,
    })
    const risks = await assessHeld(pg, jobs, business)
    const placesByDay = new Map<string, Set<string>>()
    for (const r of risks) {
      if (!r.place) continue
      const set = placesByDay.get(r.day) ?? new Set()
      set.add(r.place)
      placesByDay.set(r.day, set)
    }
    const held = await readForecasts(pg, null, input.from, input.to)
    const byDay = new Map<string, typeof held extends Map<string, infer V> ? V[] : never>()
    for (const f of held.values()) {
      const list = byDay.get(f.date) ?? []
      list.push(f)
      byDay.set(f.date, list)
    }
    const worst = (values: (number | null | undefined)[], pick: (...n: number[]) => number) => {
      const known = values.filter((v): v is number => typeof v === 'number')
      return known.length ? pick(...known) : null
    }
    const days = [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, all]) => {
        const wanted = placesByDay.get(date)
        const used = wanted ? all.filter((f) => wanted.has(f.place)) : all
        const list = used.length ? used : all
        const most = (pick: (f: (typeof list)[number]) => number | null | undefined) =>
          worst(list.map(pick), Math.max)
        return {
          date,
          weatherCode: most((f) => f.weatherCode),
          precipitationMm: most((f) => f.precipitationMm),
          precipitationProbability: most((f) => f.precipitationProbability),
          windKmh: most((f) => f.windKmh),
          gustKmh: most((f) => f.gustKmh),
          tempMinC: worst(
            list.map((f) => f.tempMinC),
            Math.min,
          ),
          tempMaxC: most((f) => f.tempMaxC),
          // The oldest forecast shown: the age the strip admits to.
          fetchedAt: iso(Math.min(...list.map((f) => f.fetchedAtMs))),
        }
      })
    return { days }
  },

  'weather.betterDays': async (ctx, input) => {
    await requireActor(ctx)
    const pg = ctx.db.pg
    const business = await businessLocale(pg)
    const job = await oneJob(pg, input.id)
    const [risk] = await assessHeld(pg, [job], business)
    if (!risk) throw new AppError('NOT_FOUND', 'appointment not found')
    const crew = await readCrew(pg, business.timeZone)
    const booked = await bookedAround(pg, job.startMs, job.startMs + (BETTER_DAYS + 1) * DAY)
    const options = await optionsFor(pg, job, risk, crew, booked, business)
    const names = new Map(crew.map((m) => [m.id, m.name]))
    return {
      risk: riskOut(risk),
      options: options.map((o) => ({
        startAt: iso(o.startMs),
        teamMemberId: o.teamMemberId,
        teamMemberName: names.get(o.teamMemberId) ?? '',
        sameCrew: o.sameCrew,
        reason: o.reason,
      })),
    }
  },

  'weather.planDay': async (ctx, input) => {
    await requireActor(ctx, 'appointments.write')
    const pg = ctx.db.pg
    const business = await businessLocale(pg)
    const { timeZone } = business
    const fromMs = dayStartMs(input.date, timeZone)
    const jobs = await readJobs(pg, {
      fromMs,
      toMs: dayStartMs(addDays(input.date, 1), timeZone),
      teamMemberId: input.teamMemberId,
    })
    const risks = await assessHeld(pg, jobs, business)
    const crew = await readCrew(pg, timeZone)
    const names = new Map(crew.map((m) => [m.id, m.name]))
    // Each move counts as booked for the jobs after it: the plan never double-books.
    const booked = await bookedAround(pg, fromMs, fromMs + (BETTER_DAYS + 2) * DAY)
    const moves: PlannedMove[] = []
    const unplaced: ReturnType<typeof unplacedJob>[] = []
    for (const job of jobs) {
      const risk = risks.find((r) => r.id === job.id)
      if (!risk || !atRisk(risk.risk) || job.status !== 'scheduled') continue
      const [best] = await optionsFor(pg, job, risk, crew, booked, business)
      if (!best) {
        unplaced.push(
          unplacedJob(
            job,
            `no day in the next ${BETTER_DAYS} passes its weather limits with someone free`,
          ),
        )
        continue
      }
      const i = booked.findIndex((b) => b.id === job.id)
      const moved = { ...planned(job), startMs: best.startMs, teamMemberId: best.teamMemberId }
      if (i >= 0) booked[i] = moved
      else booked.push(moved)
      moves.push(
        plannedMove(job, {
          startMs: best.startMs,
          memberId: best.teamMemberId,
          memberName: names.get(best.teamMemberId) ?? '',
          kind: best.startMs === job.startMs ? 'reassigned' : 'moved',
        }),
      )
    }
    return { moves, unplaced }
  },

  'weather.status': async (ctx) => {
    await requireActor(ctx)
    return status(ctx)
  },

  'weather.refresh': async (ctx) => {
    await requireActor(ctx, 'settings.write')
    const result = await ctx.weather.refresh()
    if (result === 'server')
      throw new AppError(
        'CONFLICT',
        'this laptop syncs with a server: the server refreshes the forecasts, and they arrive with sync',
      )
    return { places: result.places, fetched: result.fetched, failed: result.failed.length }
  },

  'weather.updateSettings': async (ctx, input) => {
    await requireActor(ctx, 'settings.write')
    const pg = ctx.db.pg
    const current = await weatherSettings(pg)
    await saveWeatherSettings(pg, {
      forecastUrl: (input.forecastUrl ?? current.forecastUrl).replace(/\/+$/, ''),
      geocodingUrl: (input.geocodingUrl ?? current.geocodingUrl).replace(/\/+$/, ''),
    })
    return status(ctx)
  },

  'team.timeOff.list': async (ctx, input) => {
    await requireActor(ctx)
    return {
      results: await readTimeOff(ctx.db.pg, {
        ...(input.teamMemberId ? { teamMemberId: input.teamMemberId } : {}),
        ...(input.from ? { from: input.from } : {}),
        ...(input.to ? { to: input.to } : {}),
      }),
    }
  },

  'team.timeOff.add': async (ctx, input) => {
    await requireActor(ctx, 'team.write')
    const pg = ctx.db.pg
    const { rows } = await pg.query<{ id: string }>(
      'SELECT id FROM team_members WHERE id = $1 AND deleted_at IS NULL',
      [input.teamMemberId],
    )
    if (!rows.length)
      throw new AppError('NOT_FOUND', 'team member not found', [
        { path: 'teamMemberId', message: 'no such team member' },
      ])
    // Days already off are not booked off twice: the one range is changed instead.
    const { rows: overlap } = await pg.query<{ s: string; e: string | null }>(
      `SELECT starts_on::text AS s, ends_on::text AS e FROM time_off
       WHERE team_member_id = $1 AND deleted_at IS NULL
         AND starts_on <= coalesce($3::date, 'infinity'::date)
         AND coalesce(ends_on, 'infinity'::date) >= $2::date
       ORDER BY starts_on LIMIT 1`,
      [input.teamMemberId, input.startsOn, input.endsOn],
    )
    const [taken] = overlap
    if (taken) {
      const range = taken.e
        ? taken.e === taken.s
          ? `on ${describeDay(taken.s)}`
          : `from ${describeDay(taken.s)} to ${describeDay(taken.e)}`
        : `from ${describeDay(taken.s)} until further notice`
      throw new AppError('CONFLICT', `they are already off ${range}`, [
        { path: 'startsOn', message: `overlaps their time off ${range}: remove that one first` },
      ])
    }
    const id = uuidv7()
    await pg.query(
      `INSERT INTO time_off (id, team_member_id, starts_on, ends_on, reason)
       VALUES ($1, $2, $3::date, $4::date, $5)`,
      [id, input.teamMemberId, input.startsOn, input.endsOn, input.reason],
    )
    const [timeOff] = await readTimeOff(pg, { id })
    if (!timeOff) throw new AppError('INTERNAL', 'the time off was not saved')
    // Until further notice: plan the next two weeks. Longer than a year: its first year
    // (the most a plan covers; the review names the days it planned).
    const asked = input.endsOn ?? addDays(input.startsOn, OPEN_ENDED_REVIEW_DAYS - 1)
    const to = [asked, addDays(input.startsOn, 365)].sort()[0] as string
    return { timeOff, plan: await reassignment(pg, input.teamMemberId, input.startsOn, to) }
  },

  'team.timeOff.remove': async (ctx, input) => {
    await requireActor(ctx, 'team.write')
    const { rows } = await ctx.db.pg.query<{ id: string }>(
      `UPDATE time_off SET deleted_at = now(), updated_at = now()
       WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
      [input.id],
    )
    if (!rows.length) throw new AppError('NOT_FOUND', 'time off not found')
    return { id: input.id }
  },

  'team.reassignmentPlan': async (ctx, input) => {
    await requireActor(ctx, 'appointments.write')
    return reassignment(ctx.db.pg, input.teamMemberId, input.from, input.to)
  },
} satisfies Partial<Handlers>
