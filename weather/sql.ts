import { BUSINESS_SETTINGS_ID, DEFAULT_SETTINGS } from '../shared/contract/settings'
import { addDays, isValidTimeZone } from '../shared/domain/time'
import type { HeldForecast, JobForRisk } from '../shared/weather/assess'
import { FORECAST_RETENTION_DAYS } from '../shared/weather/cadence'
import type { Coordinates } from '../shared/weather/place'
import type { ServiceKind } from '../shared/weather/risk'
import { UNIT_SYSTEMS, type Units } from '../shared/weather/units'

/**
 * What the weather service reads, in SQL that PostgreSQL and PGlite both run: the central
 * refresh, a laptop refreshing for itself, the screens and the REST API read it alike.
 */
export interface Queryable {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>
}

/** What the weather words need of the business: its zone (days) and units (amounts). */
export interface BusinessLocale {
  timeZone: string
  units: Units
}

export async function businessLocale(db: Queryable): Promise<BusinessLocale> {
  const { rows } = await db.query<{ time_zone: string | null; units: string | null }>(
    `SELECT time_zone, units FROM business_settings WHERE id = $1 AND deleted_at IS NULL`,
    [BUSINESS_SETTINGS_ID],
  )
  const zone = rows[0]?.time_zone
  const units = UNIT_SYSTEMS.find((u) => u === rows[0]?.units)
  // What the app assumes until the business saves its own.
  return {
    timeZone: zone && isValidTimeZone(zone) ? zone : DEFAULT_SETTINGS.timeZone,
    units: units ?? DEFAULT_SETTINGS.units,
  }
}

export async function businessZone(db: Queryable): Promise<string> {
  return (await businessLocale(db)).timeZone
}

export interface WeatherJob extends JobForRisk {
  clientId: string
  clientName: string
  serviceName: string
  teamMemberId: string | null
  teamMemberName: string | null
  durationMinutes: number
  status: 'scheduled' | 'in_progress' | 'completed' | 'cancelled'
}

interface JobRow {
  id: string
  client_id: string
  client_name: string
  service_id: string
  service_name: string
  team_member_id: string | null
  team_member_name: string | null
  scheduled_at: string
  duration_minutes: number
  status: WeatherJob['status']
  location: string | null
  address: string | null
  postal_code: string | null
  latitude: number | null
  longitude: number | null
  weather_kind: ServiceKind | null
  weather_limits: string | null
}

export interface JobFilter {
  /** Starting in [fromMs, toMs); left out: any time (with `ids`). */
  fromMs?: number
  toMs?: number
  teamMemberId?: string | undefined
  ids?: readonly string[] | undefined
  /** Scheduled and in-progress jobs only (default), or every live one. */
  openOnly?: boolean
}

/** Live jobs starting in [from, to), with what their risk needs, earliest first. */
export async function readJobs(db: Queryable, filter: JobFilter): Promise<WeatherJob[]> {
  const params: unknown[] = []
  const where = ['a.deleted_at IS NULL']
  if (filter.fromMs !== undefined) {
    params.push(new Date(filter.fromMs).toISOString())
    where.push(`a.scheduled_at >= $${params.length}`)
  }
  if (filter.toMs !== undefined) {
    params.push(new Date(filter.toMs).toISOString())
    where.push(`a.scheduled_at < $${params.length}`)
  }
  if (filter.openOnly !== false) where.push(`a.status IN ('scheduled', 'in_progress')`)
  if (filter.teamMemberId) {
    params.push(filter.teamMemberId)
    where.push(`a.team_member_id = $${params.length}`)
  }
  if (filter.ids) {
    params.push(filter.ids)
    where.push(`a.id = ANY($${params.length}::uuid[])`)
  }
  const { rows } = await db.query<JobRow>(
    `SELECT a.id, a.client_id, c.name AS client_name, a.service_id, s.name AS service_name,
       a.team_member_id, m.name AS team_member_name,
       to_char(a.scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS scheduled_at,
       a.duration_minutes, a.status, a.location, c.address, c.postal_code,
       c.latitude::float8 AS latitude, c.longitude::float8 AS longitude,
       s.weather_kind, s.weather_limits
     FROM appointments a
     JOIN clients c ON c.id = a.client_id
     JOIN services s ON s.id = a.service_id
     LEFT JOIN team_members m ON m.id = a.team_member_id
     WHERE ${where.join(' AND ')}
     ORDER BY a.scheduled_at, a.id`,
    params,
  )
  return rows.map(toJob)
}

export function toJob(r: JobRow): WeatherJob {
  return {
    id: r.id,
    startMs: Date.parse(r.scheduled_at),
    location: r.location,
    client: {
      address: r.address,
      postalCode: r.postal_code,
      latitude: r.latitude === null ? null : Number(r.latitude),
      longitude: r.longitude === null ? null : Number(r.longitude),
    },
    serviceId: r.service_id,
    weatherKind: r.weather_kind,
    weatherLimits: r.weather_limits,
    clientId: r.client_id,
    clientName: r.client_name,
    serviceName: r.service_name,
    teamMemberId: r.team_member_id,
    teamMemberName: r.team_member_name,
    durationMinutes: r.duration_minutes,
    status: r.status,
  }
}

/** Looked-up places for some queries (null coordinates: nothing was found). */
export async function readGeocodes(
  db: Queryable,
  queries: readonly string[],
): Promise<Map<string, Coordinates | null>> {
  if (!queries.length) return new Map()
  const { rows } = await db.query<{
    query: string
    latitude: number | null
    longitude: number | null
  }>(
    `SELECT query, latitude, longitude FROM geocodes
     WHERE deleted_at IS NULL AND query = ANY($1::text[])`,
    [queries],
  )
  return new Map(
    rows.map((r) => [
      r.query,
      r.latitude === null || r.longitude === null
        ? null
        : { latitude: Number(r.latitude), longitude: Number(r.longitude) },
    ]),
  )
}

/** A cached forecast day as its table holds it (and as a refresh writes it). */
export type ForecastRow = {
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

const num = (v: number | null) => (v === null ? null : Number(v))

/** Held forecasts by `${place}|${day}`, for some places (all: null) and days. */
export async function readForecasts(
  db: Queryable,
  places: readonly string[] | null,
  fromDay: string,
  toDay: string,
): Promise<Map<string, HeldForecast & { place: string }>> {
  const params: unknown[] = [fromDay, toDay]
  if (places) params.push(places)
  const { rows } = await db.query<ForecastRow>(
    `SELECT place, to_char(day, 'YYYY-MM-DD') AS day, precipitation_mm, precipitation_probability,
       wind_kmh, gust_kmh, temp_min_c, temp_max_c, weather_code,
       to_char(fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS fetched_at
     FROM weather_forecasts
     WHERE deleted_at IS NULL AND day BETWEEN $1::date AND $2::date
       ${places ? 'AND place = ANY($3::text[])' : ''}`,
    params,
  )
  return new Map(
    rows.map((r) => [
      `${r.place}|${r.day}`,
      {
        place: r.place,
        date: r.day,
        precipitationMm: num(r.precipitation_mm),
        precipitationProbability: num(r.precipitation_probability),
        windKmh: num(r.wind_kmh),
        gustKmh: num(r.gust_kmh),
        tempMinC: num(r.temp_min_c),
        tempMaxC: num(r.temp_max_c),
        weatherCode: num(r.weather_code),
        fetchedAtMs: Date.parse(r.fetched_at),
      },
    ]),
  )
}

/**
 * The forecast cache keeps a day FORECAST_RETENTION_DAYS after it, then forgets it, the
 * way the send log is pruned (notify/sql.ts `pruneLog`): a plain delete, not a synced
 * tombstone, with the row's sync bookkeeping (`sync_rows` on the server, `sync_versions`
 * on a laptop). Each machine forgets on its own by the same rule, so no deletion travels
 * and none is fought over: the server no longer hands the row out, and a laptop drops
 * its copy when its own day comes. At most `batch` rows per call; returns how many went.
 */
export async function pruneForecasts(
  db: Queryable,
  versions: 'sync_rows' | 'sync_versions',
  today: string,
  batch = 5000,
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `DELETE FROM weather_forecasts WHERE id IN (
       SELECT id FROM weather_forecasts WHERE day < $1::date LIMIT ${batch})
     RETURNING id`,
    [addDays(today, -FORECAST_RETENTION_DAYS)],
  )
  if (rows.length)
    await db.query(
      `DELETE FROM ${versions} WHERE table_name = 'weather_forecasts' AND row_id = ANY($1::uuid[])`,
      [rows.map((r) => r.id)],
    )
  return rows.length
}
