import { localDay } from '../domain/time'
import { limitsOf } from './limits'
import { type Coordinates, jobPlace } from './place'
import { type Assessment, assessRisk, type DailyForecast, type ServiceKind } from './risk'
import type { Units } from './units'

/**
 * The weather risk of many jobs at once, from rows as the databases hold them: the rule
 * the screens, the central refresh and the REST API all apply (risk.ts says how one
 * forecast meets one service's limits; this finds each job's place, day and forecast).
 */
export interface JobForRisk {
  id: string
  startMs: number
  location: string | null
  client: {
    address: string | null
    postalCode: string | null
    latitude: number | null
    longitude: number | null
  }
  serviceId: string
  weatherKind: ServiceKind | null
  weatherLimits: string | null
}

export interface HeldForecast extends DailyForecast {
  fetchedAtMs: number
}

export interface AssessedJob extends Assessment {
  id: string
  /** The forecast's place key and the job's local day; place null: not on the map. */
  place: string | null
  day: string
  /** An address still to look up for this job's place. */
  lookup: string | null
  fetchedAtMs: number | null
}

export interface AssessContext {
  timeZone: string
  /** Looked-up coordinates by normalised query (null: nothing found; absent: never asked). */
  geocoded: ReadonlyMap<string, Coordinates | null>
  /** Held forecasts by `${place}|${day}`. */
  forecasts: ReadonlyMap<string, HeldForecast>
  /** The business's units, in which the reasons word amounts; metric when left out. */
  units?: Units
}

const QUARTER = 900_000

export function assessJobs(jobs: readonly JobForRisk[], ctx: AssessContext): AssessedJob[] {
  // Both memos matter at 100,000 jobs: a zone's day of an instant costs a formatter call
  // (remembered per quarter hour: every zone's offset is a multiple of 15 minutes), and a
  // service's limits a JSON parse; jobs share quarter hours and services.
  const days = new Map<number, string>()
  const dayOf = (ms: number) => {
    const q = Math.floor(ms / QUARTER)
    let day = days.get(q)
    if (day === undefined) {
      day = localDay(q * QUARTER, ctx.timeZone)
      days.set(q, day)
    }
    return day
  }
  const limits = new Map<string, ReturnType<typeof limitsOf>>()
  const limitsFor = (job: JobForRisk) => {
    let l = limits.get(job.serviceId)
    if (!l) {
      l = limitsOf(job)
      limits.set(job.serviceId, l)
    }
    return l
  }
  const geocoded = (query: string) => ctx.geocoded.get(query)
  const options = { units: ctx.units }
  return jobs.map((job) => {
    const { place, lookup } = jobPlace({ job, client: job.client, geocoded })
    const day = dayOf(job.startMs)
    const forecast = place ? (ctx.forecasts.get(`${place}|${day}`) ?? null) : null
    const assessed: Assessment =
      place === null && lookup
        ? {
            risk: 'unknown',
            reason: 'no forecast yet: the address is still to be found on the map',
          }
        : place === null && (job.location || job.client.address || job.client.postalCode)
          ? { risk: 'unknown', reason: 'no forecast: the address was not found on the map' }
          : assessRisk(forecast, limitsFor(job), { known: place !== null }, options)
    return {
      id: job.id,
      ...assessed,
      place,
      day,
      lookup,
      fetchedAtMs: forecast?.fetchedAtMs ?? null,
    }
  })
}

export const atRisk = (risk: string) => risk === 'high' || risk === 'moderate'
