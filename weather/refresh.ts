import { addDays, dayStartMs, localDay } from '../shared/domain/time'
import { type AssessedJob, assessJobs, atRisk, type JobForRisk } from '../shared/weather/assess'
import { type DueRequest, dueRequests } from '../shared/weather/cadence'
import {
  type Coordinates,
  forecastId,
  geocodeId,
  jobPlace,
  placeCoordinates,
} from '../shared/weather/place'
import type { DailyForecast } from '../shared/weather/risk'
import { type WeatherProvider, WeatherProviderError } from './provider'
import {
  businessZone,
  type Queryable,
  readForecasts,
  readGeocodes,
  readJobs,
  type WeatherJob,
} from './sql'

/**
 * One refresh cycle of the forecast cache, the same on the central server and on a
 * laptop without one: look up the places of upcoming jobs not yet on the map, fetch the
 * forecasts that are due (shared/weather/cadence.ts), store them, and assess every
 * upcoming job again. A place that fails is reported and retried next cycle; it never
 * stops the others. Where rows are written is the caller's (`WeatherStore`): through the
 * sync merge on the server, into the laptop's tables (captured for sync) on a laptop.
 */
export interface ForecastWrite {
  id: string
  fields: {
    place: string
    day: string
    precipitation_mm: number | null
    precipitation_probability: number | null
    wind_kmh: number | null
    gust_kmh: number | null
    temp_min_c: number | null
    temp_max_c: number | null
    weather_code: number | null
    fetched_at: string
  }
}

export interface GeocodeWrite {
  id: string
  fields: {
    query: string
    latitude: number | null
    longitude: number | null
    label: string | null
    looked_up_at: string
  }
}

export interface WeatherStore {
  saveForecasts(rows: ForecastWrite[]): Promise<void>
  saveGeocodes(rows: GeocodeWrite[]): Promise<void>
}

export interface RefreshOptions {
  db: Queryable
  store: WeatherStore
  provider: WeatherProvider
  nowMs: number
  lookaheadDays?: number
  maxPlaces?: number
}

export interface RefreshFailure {
  place: string
  message: string
  transient: boolean
}

export interface RefreshResult {
  /** Places whose forecasts were due this cycle. */
  places: number
  /** Forecast days stored. */
  fetched: number
  failed: RefreshFailure[]
  /** Addresses looked up (found or not). */
  geocoded: number
  timeZone: string
  jobs: WeatherJob[]
  /** Every upcoming job's risk after the refresh. */
  risks: AssessedJob[]
}

const words = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** The risk of some jobs from what is held: looked-up places and cached forecasts. */
export async function assessHeld(
  db: Queryable,
  jobs: readonly JobForRisk[],
  timeZone: string,
): Promise<AssessedJob[]> {
  if (!jobs.length) return []
  const placeOf = (job: JobForRisk, found: (q: string) => Coordinates | null | undefined) =>
    jobPlace({ job, client: job.client, geocoded: found })
  const queries = new Set<string>()
  for (const j of jobs) {
    const { lookup } = placeOf(j, () => undefined)
    if (lookup) queries.add(lookup)
  }
  const geocoded = await readGeocodes(db, [...queries])
  const places = new Set<string>()
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const j of jobs) {
    const { place } = placeOf(j, (q) => geocoded.get(q))
    if (place) places.add(place)
    first = Math.min(first, j.startMs)
    last = Math.max(last, j.startMs)
  }
  const forecasts = await readForecasts(
    db,
    [...places],
    localDay(first, timeZone),
    localDay(last, timeZone),
  )
  return assessJobs(jobs, { timeZone, geocoded, forecasts })
}

/** Upcoming jobs of the lookahead and their assessed risk, from what is held now. */
export async function assessUpcoming(
  db: Queryable,
  nowMs: number,
  lookaheadDays: number,
): Promise<{ timeZone: string; jobs: WeatherJob[]; risks: AssessedJob[] }> {
  const timeZone = await businessZone(db)
  const last = addDays(localDay(nowMs, timeZone), lookaheadDays - 1)
  const jobs = await readJobs(db, {
    fromMs: nowMs,
    toMs: dayStartMs(addDays(last, 1), timeZone),
  })
  return { timeZone, jobs, risks: await assessHeld(db, jobs, timeZone) }
}

export async function refreshCycle(options: RefreshOptions): Promise<RefreshResult> {
  const { db, store, provider, nowMs } = options
  const lookaheadDays = options.lookaheadDays ?? 7
  const maxPlaces = options.maxPlaces ?? 50
  const failed: RefreshFailure[] = []

  // 1. Addresses of upcoming jobs never looked up: at most maxPlaces per cycle.
  let state = await assessUpcoming(db, nowMs, lookaheadDays)
  const lookups = [...new Set(state.risks.flatMap((j) => (j.lookup ? [j.lookup] : [])))].slice(
    0,
    maxPlaces,
  )
  const found: GeocodeWrite[] = []
  for (const query of lookups) {
    try {
      const hit = await provider.geocode(query)
      found.push({
        id: geocodeId(query),
        fields: {
          query,
          latitude: hit?.latitude ?? null,
          longitude: hit?.longitude ?? null,
          label: hit?.label ?? null,
          looked_up_at: new Date(nowMs).toISOString(),
        },
      })
    } catch (e) {
      // A final refusal is remembered as "not found"; a passing trouble is asked again.
      if (e instanceof WeatherProviderError && !e.transient)
        found.push({
          id: geocodeId(query),
          fields: {
            query,
            latitude: null,
            longitude: null,
            label: null,
            looked_up_at: new Date(nowMs).toISOString(),
          },
        })
      else failed.push({ place: query, message: words(e), transient: true })
    }
  }
  if (found.length) {
    await store.saveGeocodes(found)
    state = await assessUpcoming(db, nowMs, lookaheadDays)
  }

  // 2. The forecasts that are due: the days with jobs; then, for a job found at risk,
  // the days after it within the lookahead, where its better days would be.
  const { timeZone } = state
  const today = localDay(nowMs, timeZone)
  const last = addDays(today, lookaheadDays - 1)
  let fetched = 0
  let places = 0
  const fetchDue = async (needs: { place: string; day: string }[], limit: number) => {
    if (limit <= 0 || !needs.length) return 0
    const held = await readForecasts(db, [...new Set(needs.map((n) => n.place))], today, last)
    const due = dueRequests({
      needs,
      fetched: new Map([...held].map(([k, f]) => [k, f.fetchedAtMs])),
      nowMs,
      today,
      timeZone,
      lookaheadDays,
      maxPlaces: limit,
    })
    for (const request of due) fetched += await fetchPlace(request)
    places += due.length
    return due.length
  }
  const fetchPlace = async (request: DueRequest): Promise<number> => {
    let days: DailyForecast[]
    try {
      days = await provider.daily(placeCoordinates(request.place), request, timeZone)
    } catch (e) {
      failed.push({
        place: request.place,
        message: words(e),
        transient: e instanceof WeatherProviderError ? e.transient : true,
      })
      return 0
    }
    const wanted = new Set(request.days)
    const rows = days
      .filter((d) => wanted.has(d.date))
      .map(
        (d): ForecastWrite => ({
          id: forecastId(request.place, d.date),
          fields: {
            place: request.place,
            day: d.date,
            precipitation_mm: d.precipitationMm,
            precipitation_probability: d.precipitationProbability,
            wind_kmh: d.windKmh,
            gust_kmh: d.gustKmh,
            temp_min_c: d.tempMinC,
            temp_max_c: d.tempMaxC,
            weather_code: d.weatherCode ?? null,
            fetched_at: new Date(nowMs).toISOString(),
          },
        }),
      )
    await store.saveForecasts(rows)
    return rows.length
  }
  const used = await fetchDue(
    state.risks.flatMap((j) => (j.place ? [{ place: j.place, day: j.day }] : [])),
    maxPlaces,
  )
  if (fetched) state = await assessUpcoming(db, nowMs, lookaheadDays)
  const following = state.risks.flatMap((j) => {
    if (!j.place || !atRisk(j.risk)) return []
    const out: { place: string; day: string }[] = []
    for (let d = addDays(j.day, 1); d <= last; d = addDays(d, 1))
      out.push({ place: j.place, day: d })
    return out
  })
  const before = fetched
  await fetchDue(following, maxPlaces - used)
  if (fetched > before) state = await assessUpcoming(db, nowMs, lookaheadDays)
  return {
    places,
    fetched,
    failed,
    geocoded: found.length,
    timeZone,
    jobs: state.jobs,
    risks: state.risks,
  }
}
