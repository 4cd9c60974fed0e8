import { addDays, dayStartMs, localDay } from '../shared/domain/time'
import { plural } from '../shared/domain/words'
import { type AssessedJob, assessJobs, atRisk, type JobForRisk } from '../shared/weather/assess'
import { BETTER_DAYS } from '../shared/weather/better-days'
import { type DueRequest, dueRequests, FORECAST_DAYS } from '../shared/weather/cadence'
import { type Coordinates, geocodeId, jobPlace, placeCoordinates } from '../shared/weather/place'
import { heldMessage, holdAfter, holdInForce } from './hold'
import { type WeatherProvider, WeatherProviderError } from './provider'
import {
  type BusinessLocale,
  businessLocale,
  type Queryable,
  readForecasts,
  readGeocodes,
  readJobs,
  type WeatherJob,
} from './sql'
import {
  forecastRows,
  type GeocodeWrite,
  type RefreshFailure,
  saveGeocodes,
  type WeatherStore,
} from './store'

/**
 * One refresh cycle of the forecast cache, the same on the central server and on a
 * laptop without one: look up the places of upcoming jobs not yet on the map, fetch the
 * forecasts that are due (shared/weather/cadence.ts), store them, and assess every
 * upcoming job again. A place that fails (asking, or saving) is reported and retried next
 * cycle; it never stops the others. A 429 does stop the cycle: it limits this caller,
 * not the place (weather/hold.ts). Where rows are written is the caller's (weather/store.ts).
 */
export interface RefreshOptions {
  db: Queryable
  store: WeatherStore
  provider: WeatherProvider
  nowMs: number
  lookaheadDays?: number
  maxPlaces?: number
  /** No request before this time (a 429's hold, weather/hold.ts); null: none. */
  notBeforeMs?: number | null
}

export interface RefreshResult {
  /** Places whose forecasts were due this cycle. */
  places: number
  /** Forecast days stored. */
  fetched: number
  failed: RefreshFailure[]
  /** Addresses looked up (found or not). */
  geocoded: number
  /**
   * No request before this time: a hold still in force, or the one a 429 set in this
   * cycle (which then left the remaining places for later). The caller keeps it.
   */
  notBeforeMs: number | null
  timeZone: string
  units: BusinessLocale['units']
  jobs: WeatherJob[]
  /** Every upcoming job's risk after the refresh, worded in the business's units. */
  risks: AssessedJob[]
}

const words = (e: unknown) => (e instanceof Error ? e.message : String(e))

/**
 * The risk of some jobs from what is held: looked-up places and cached forecasts; their
 * days in the business's zone, their reasons in its units.
 */
export async function assessHeld(
  db: Queryable,
  jobs: readonly JobForRisk[],
  business: BusinessLocale,
): Promise<AssessedJob[]> {
  const { timeZone, units } = business
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
  return assessJobs(jobs, { timeZone, units, geocoded, forecasts })
}

/** Upcoming jobs of the lookahead and their assessed risk, from what is held now. */
export async function assessUpcoming(
  db: Queryable,
  nowMs: number,
  lookaheadDays: number,
): Promise<BusinessLocale & { jobs: WeatherJob[]; risks: AssessedJob[] }> {
  const business = await businessLocale(db)
  const { timeZone } = business
  const last = addDays(localDay(nowMs, timeZone), lookaheadDays - 1)
  const jobs = await readJobs(db, {
    fromMs: nowMs,
    toMs: dayStartMs(addDays(last, 1), timeZone),
  })
  return { ...business, jobs, risks: await assessHeld(db, jobs, business) }
}

export async function refreshCycle(options: RefreshOptions): Promise<RefreshResult> {
  const { db, store, provider, nowMs } = options
  const lookaheadDays = options.lookaheadDays ?? 7
  const maxPlaces = options.maxPlaces ?? 50
  const failed: RefreshFailure[] = []
  let notBeforeMs = holdInForce(options.notBeforeMs, nowMs)
  /**
   * One request to the weather service, unless requests are held (a 429): then none, and
   * the place is counted as not refreshed, saying until when. A 429 holds the rest.
   */
  const ask = async <T>(place: string, request: () => Promise<T>): Promise<T | Held> => {
    if (notBeforeMs !== null) {
      failed.push({ place, message: heldMessage(notBeforeMs), transient: true })
      return HELD
    }
    try {
      return await request()
    } catch (e) {
      notBeforeMs = holdAfter(e, nowMs) ?? notBeforeMs
      throw e
    }
  }

  // 1. Addresses of upcoming jobs never looked up: at most maxPlaces per cycle.
  let state = await assessUpcoming(db, nowMs, lookaheadDays)
  const lookups = [...new Set(state.risks.flatMap((j) => (j.lookup ? [j.lookup] : [])))].slice(
    0,
    maxPlaces,
  )
  const found: GeocodeWrite[] = []
  const lookedUp = (query: string, hit: (Coordinates & { label: string }) | null) => ({
    id: geocodeId(query),
    fields: {
      query,
      latitude: hit?.latitude ?? null,
      longitude: hit?.longitude ?? null,
      label: hit?.label ?? null,
      looked_up_at: new Date(nowMs).toISOString(),
    },
  })
  for (const query of lookups) {
    try {
      const hit = await ask(query, () => provider.geocode(query))
      if (hit !== HELD) found.push(lookedUp(query, hit))
    } catch (e) {
      // A final refusal is remembered as "not found"; a passing trouble is asked again.
      if (e instanceof WeatherProviderError && !e.transient) found.push(lookedUp(query, null))
      else failed.push({ place: query, message: words(e), transient: true })
    }
  }
  const geocoded = await saveGeocodes(store, found, failed)
  if (geocoded) state = await assessUpcoming(db, nowMs, lookaheadDays)

  // 2. The forecasts that are due: the days with jobs; then, for a job found at risk,
  // the days after it where the better days dialog looks (BETTER_DAYS), as far as the
  // service forecasts. No other day is asked for.
  const { timeZone } = state
  const today = localDay(nowMs, timeZone)
  const horizon = addDays(today, FORECAST_DAYS - 1)
  let fetched = 0
  let places = 0
  const fetchDue = async (needs: { place: string; day: string }[], limit: number) => {
    if (limit <= 0 || !needs.length) return 0
    const held = await readForecasts(db, [...new Set(needs.map((n) => n.place))], today, horizon)
    const due = dueRequests({
      needs,
      fetched: new Map([...held].map(([k, f]) => [k, f.fetchedAtMs])),
      nowMs,
      today,
      timeZone,
      lookaheadDays: FORECAST_DAYS,
      maxPlaces: limit,
    })
    for (const request of due) fetched += await fetchPlace(request)
    places += due.length
    return due.length
  }
  /** One place: asked, checked and saved on its own; its failure is reported, not thrown. */
  const fetchPlace = async (request: DueRequest): Promise<number> => {
    try {
      const days = await ask(request.place, () =>
        provider.daily(placeCoordinates(request.place), request, timeZone),
      )
      if (days === HELD) return 0
      const rows = forecastRows(request, days, nowMs)
      await store.saveForecasts(rows)
      const missing = request.days.length - rows.length
      if (missing > 0)
        failed.push({
          place: request.place,
          message: `the weather service sent no usable forecast for ${plural(missing, 'day')}`,
          transient: true,
        })
      return rows.length
    } catch (e) {
      failed.push({
        place: request.place,
        message: words(e),
        transient: e instanceof WeatherProviderError ? e.transient : true,
      })
      return 0
    }
  }
  const used = await fetchDue(
    state.risks.flatMap((j) => (j.place ? [{ place: j.place, day: j.day }] : [])),
    maxPlaces,
  )
  if (fetched) state = await assessUpcoming(db, nowMs, lookaheadDays)
  const following = state.risks.flatMap((j) => {
    if (!j.place || !atRisk(j.risk)) return []
    const out: { place: string; day: string }[] = []
    const last = minDay(addDays(j.day, BETTER_DAYS), horizon)
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
    geocoded,
    notBeforeMs,
    timeZone,
    units: state.units,
    jobs: state.jobs,
    risks: state.risks,
  }
}

const HELD = Symbol('held')
type Held = typeof HELD

const minDay = (a: string, b: string) => (a < b ? a : b)
