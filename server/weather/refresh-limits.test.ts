import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUSINESS_SETTINGS_ID } from '../../shared/contract/settings'
import { uuidv7 } from '../../shared/domain/ids'
import { addDays, dayStartMs, localDay } from '../../shared/domain/time'
import { deviceStamps } from '../../shared/sync/device-stamps.test-support'
import type { Mutation } from '../../shared/sync/protocol'
import { forecastId } from '../../shared/weather/place'
import { type OpenMeteoStandin, startOpenMeteoStandin } from '../../testing/open-meteo-standin'
import { openMeteo, type WeatherProvider } from '../../weather/provider'
import { type ApiFixture, apiFixture } from '../api/api.test-support'
import { serverClock } from '../api/clock'
import { push } from '../sync'
import { createDevice, type Device } from '../tokens'
import { refreshOnce, STATE_KEY, serverWeatherStore } from './service'

/**
 * The central refresh at its limits, against a loopback Open-Meteo and a clock the test
 * sets: a 429 holds every request until its Retry-After (kept in the database, so any
 * instance and a restart wait), a day the sync rules would refuse stops only its place,
 * and days past their retention are forgotten with their sync rows.
 */
const ZONE = 'UTC'
const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString()

describe('the central refresh at its limits', () => {
  let api: ApiFixture
  let standin: OpenMeteoStandin
  let provider: WeatherProvider
  let office: Device
  let mowing: string
  const stamp = deviceStamps('weatherlimits')
  const m = (table: Mutation['table'], rowId: string, fields: Mutation['fields']): Mutation => ({
    id: uuidv7(),
    table,
    rowId,
    hlc: stamp(),
    fields,
  })
  const day = addDays(localDay(Date.now(), ZONE), 2)

  /** A client at each place with a mowing job on `day`. */
  async function jobsAt(places: { latitude: number; longitude: number }[]) {
    const writes = places.flatMap((at, i) => {
      const client = uuidv7()
      return [
        m('clients', client, { name: `Client ${at.latitude}`, ...at }),
        m('appointments', uuidv7(), {
          client_id: client,
          service_id: mowing,
          team_member_id: api.business.crew.ana,
          scheduled_at: iso(dayStartMs(day, ZONE) + (8 + i) * HOUR),
          duration_minutes: 60,
          status: 'scheduled',
          notes: '',
          price: '55.00',
        }),
      ]
    })
    const results = await push(api.pool, office, writes)
    expect(results.map((r) => r.reason ?? r.status)).toEqual(writes.map(() => 'applied'))
  }
  const asked = (latitude: number) =>
    standin.requests.filter(
      (r) => r.path === '/v1/forecast' && Number(r.query.latitude) === latitude,
    ).length
  const heldDays = async (place: string) =>
    (
      await api.pool.query<{ day: string }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM weather_forecasts WHERE place = $1 ORDER BY day`,
        [place],
      )
    ).rows.map((r) => r.day)

  beforeAll(async () => {
    api = await apiFixture()
    standin = await startOpenMeteoStandin()
    provider = openMeteo({ forecastUrl: standin.url, geocodingUrl: standin.url })
    office = (
      await createDevice(api.pool, { label: 'office', userName: 'o', role: 'office_manager' })
    ).device
    mowing = uuidv7()
    await push(api.pool, office, [
      m('business_settings', BUSINESS_SETTINGS_ID, { time_zone: ZONE }),
      m('services', mowing, {
        name: 'Mowing (weather)',
        base_price: '55.00',
        duration_minutes: 60,
        weather_kind: 'mowing',
      }),
    ])
  })
  afterAll(async () => {
    await standin.close()
    await api.close()
  })

  it('a 429 holds every request until its Retry-After, then the refresh resumes', async () => {
    await jobsAt([
      { latitude: 20.1, longitude: -80.1 },
      { latitude: 20.2, longitude: -80.2 },
    ])
    const clock = serverClock()
    const t0 = Date.now()
    const requests = () => asked(20.1) + asked(20.2)
    standin.fail('rate-limit', { at: { latitude: 20.1, longitude: -80.1 }, retryAfterSeconds: 900 })
    const first = await refreshOnce({ pool: api.pool, clock, provider, nowMs: t0 })
    expect(requests()).toBe(1)
    expect(first.fetched).toBe(0)
    expect(first.failed.map((f) => f.place).sort()).toEqual(['20.10,-80.10', '20.20,-80.20'])
    const { rows } = await api.pool.query<{ value: { notBefore: string } }>(
      'SELECT value FROM app_settings WHERE key = $1',
      [STATE_KEY],
    )
    expect(rows[0]?.value.notBefore).toBe(iso(t0 + 900_000))
    // The scheduled job, another instance, a restart: each cycle is on its own, with the
    // hold read from the database. None asks before the hold ends.
    for (const later of [5_000, 4 * 60_000, 14 * 60_000]) {
      await refreshOnce({ pool: api.pool, clock, provider, nowMs: t0 + later })
      expect(requests(), `${later} ms`).toBe(1)
    }
    const after = await refreshOnce({ pool: api.pool, clock, provider, nowMs: t0 + 901_000 })
    expect(requests()).toBe(3)
    expect(after.failed).toEqual([])
    expect(after.fetched).toBe(2)
  })

  it('a day with a weather code 250 or wind of 900 km/h stops only its place', async () => {
    const odd = { latitude: 21.1, longitude: -81.1 }
    const windy = { latitude: 21.3, longitude: -81.3 }
    await jobsAt([odd, { latitude: 21.2, longitude: -81.2 }, windy])
    standin.setDay(odd, day, { weatherCode: 250 })
    standin.setDay(windy, day, { windKmh: 900 })
    const r = await refreshOnce({ pool: api.pool, clock: serverClock(), provider })
    // Dropped by the provider, not refused by the sync merge.
    expect(r.failed.map((f) => [f.place, f.message])).toEqual([
      ['21.10,-81.10', 'the weather service sent no usable forecast for 1 day'],
      ['21.30,-81.30', 'the weather service sent no usable forecast for 1 day'],
    ])
    expect(await heldDays('21.10,-81.10')).toEqual([])
    expect(await heldDays('21.20,-81.20')).toEqual([day])
    expect(await heldDays('21.30,-81.30')).toEqual([])
  })

  it('forgets forecast days more than 10 days old, with their sync rows', async () => {
    const today = localDay(Date.now(), ZONE)
    const place = '22.10,-82.10'
    const days = [addDays(today, -11), addDays(today, -10)]
    await serverWeatherStore(api.pool, serverClock()).saveForecasts(
      days.map((d) => ({
        id: forecastId(place, d),
        fields: {
          place,
          day: d,
          precipitation_mm: 0,
          precipitation_probability: 0,
          wind_kmh: 5,
          gust_kmh: 10,
          temp_min_c: 5,
          temp_max_c: 15,
          weather_code: 1,
          fetched_at: iso(Date.now()),
        },
      })),
    )
    const syncRows = async () =>
      (
        await api.pool.query<{ row_id: string }>(
          `SELECT row_id FROM sync_rows WHERE table_name = 'weather_forecasts' AND row_id = ANY($1::uuid[])`,
          [days.map((d) => forecastId(place, d))],
        )
      ).rows.map((r) => r.row_id)
    expect(await syncRows()).toHaveLength(2)
    await refreshOnce({ pool: api.pool, clock: serverClock(), provider })
    expect(await heldDays(place)).toEqual([addDays(today, -10)])
    expect(await syncRows()).toEqual([forecastId(place, addDays(today, -10))])
  })
})
