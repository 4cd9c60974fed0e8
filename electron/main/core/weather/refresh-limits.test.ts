import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, dayStartMs, localDay } from '../../../../shared/domain/time'
import { forecastId } from '../../../../shared/weather/place'
import {
  type OpenMeteoStandin,
  startOpenMeteoStandin,
} from '../../../../testing/open-meteo-standin'
import { openMeteo, type WeatherProvider } from '../../../../weather/provider'
import { type RefreshResult, refreshCycle } from '../../../../weather/refresh'
import type { AppContext } from '../context'
import { setState } from '../sync/store'
import { buildFixture, type Fixture } from '../test/fixture'
import { call, memoryCore } from '../test/helpers'
import { LocalWeather, localWeatherStore, weatherRunStatus } from './local'

/**
 * The laptop's refresh at its limits, against a loopback Open-Meteo and a clock the tests
 * set: a 429 holds every request until its Retry-After (a restart too), a day with values
 * the cache would refuse stops only its place, a job at risk has forecasts for its better
 * days, and old days are forgotten.
 */
const ZONE = 'America/Chicago'
const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString()
const at = (day: string, hour: number) => iso(dayStartMs(day, ZONE) + hour * HOUR)

let standin: OpenMeteoStandin
let provider: WeatherProvider
beforeAll(async () => {
  standin = await startOpenMeteoStandin()
  provider = openMeteo({ forecastUrl: standin.url, geocodingUrl: standin.url })
})
afterAll(() => standin.close())

/** A laptop with a job on `day` at each place (latitude, longitude). */
async function laptop(places: [number, number][], day: (today: string) => string) {
  const c = await memoryCore()
  const f: Fixture = await buildFixture(c)
  await call(c, 'settings.update', { timeZone: ZONE })
  for (const [i, [latitude, longitude]] of places.entries()) {
    const client = await call(c, 'clients.create', { name: `Client ${i}`, latitude, longitude })
    await call(c, 'appointments.create', {
      clientId: client.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: at(day(localDay(Date.now(), ZONE)), 10 + i),
      acceptConflict: true,
    })
  }
  return Object.assign(c, { fixture: f })
}

/** Forecast requests for places at a latitude. */
const asked = (latitude: number) =>
  standin.requests.filter((r) => r.path === '/v1/forecast' && Number(r.query.latitude) === latitude)

async function heldDays(c: AppContext, place: string): Promise<string[]> {
  const { rows } = await c.db.pg.query<{ day: string }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM weather_forecasts WHERE place = $1 ORDER BY day`,
    [place],
  )
  return rows.map((r) => r.day)
}

describe('a 429 from the weather service', () => {
  it('holds every request until its Retry-After, across a restart; then the refresh resumes', async () => {
    const c = await laptop(
      [
        [30.1, -90.1],
        [30.2, -90.2],
      ],
      (today) => addDays(today, 2),
    )
    const t0 = Date.now()
    let clock = t0
    // A restarted laptop is a new LocalWeather on the same database.
    const restart = () => new LocalWeather(() => c.db, c.changes, { provider, nowMs: () => clock })
    const requests = () => asked(30.1).length + asked(30.2).length
    standin.fail('rate-limit', { at: { latitude: 30.1, longitude: -90.1 }, retryAfterSeconds: 600 })

    const first = (await restart().refresh()) as RefreshResult
    // The first place answered 429: the second was never asked, and waits with it.
    expect(requests()).toBe(1)
    expect(first.fetched).toBe(0)
    expect(first.failed.map((f) => f.place).sort()).toEqual(['30.10,-90.10', '30.20,-90.20'])
    expect(first.failed.find((f) => f.place === '30.20,-90.20')?.message).toBe(
      `not asked: the weather service limited this app's requests until ${iso(t0 + 600_000)}`,
    )
    expect((await weatherRunStatus(c.db.pg)).notBefore).toBe(iso(t0 + 600_000))

    // 5 s later (a job changed), after a restart, and a minute before the hold ends: no
    // request reaches the service.
    for (const later of [5_000, 60_000, 540_000]) {
      clock = t0 + later
      const held = (await restart().refresh()) as RefreshResult
      expect(requests(), `${later} ms`).toBe(1)
      expect(held.fetched).toBe(0)
      expect(held.failed).toHaveLength(2)
    }

    clock = t0 + 600_000 + 1_000
    const after = (await restart().refresh()) as RefreshResult
    expect(requests()).toBe(3)
    expect(after.fetched).toBe(2)
    expect(after.failed).toEqual([])
    expect((await weatherRunStatus(c.db.pg)).notBefore).toBeNull()
    await c.db.close()
  })
})

describe('a day the cache would refuse', () => {
  it('is dropped and its place reported; the other places are still saved', async () => {
    const c = await laptop(
      [
        [31.1, -91.1],
        [31.2, -91.2],
        [31.3, -91.3],
      ],
      (today) => addDays(today, 2),
    )
    const day = addDays(localDay(Date.now(), ZONE), 2)
    standin.setDay({ latitude: 31.1, longitude: -91.1 }, day, { weatherCode: 250 })
    standin.setDay({ latitude: 31.3, longitude: -91.3 }, day, { windKmh: 900 })
    const r = await refreshCycle({
      db: c.db.pg,
      store: localWeatherStore(c.db.pg),
      provider,
      nowMs: Date.now(),
    })
    expect(r.failed.map((f) => [f.place, f.message])).toEqual([
      ['31.10,-91.10', 'the weather service sent no usable forecast for 1 day'],
      ['31.30,-91.30', 'the weather service sent no usable forecast for 1 day'],
    ])
    expect(await heldDays(c, '31.10,-91.10')).toEqual([])
    expect(await heldDays(c, '31.20,-91.20')).toEqual([day])
    expect(await heldDays(c, '31.30,-91.30')).toEqual([])
    const risks = new Map(r.risks.map((x) => [x.place, x.risk]))
    expect(risks.get('31.10,-91.10')).toBe('unknown')
    expect(risks.get('31.20,-91.20')).toBe('low')
    await c.db.close()
  })

  it('a place the store refuses is reported; the places after it are still saved', async () => {
    const c = await laptop(
      [
        [32.1, -92.1],
        [32.2, -92.2],
      ],
      (today) => addDays(today, 2),
    )
    const local = localWeatherStore(c.db.pg)
    const r = await refreshCycle({
      db: c.db.pg,
      store: {
        ...local,
        saveForecasts: (rows) =>
          rows.some((w) => w.fields.place === '32.10,-92.10')
            ? Promise.reject(new Error('the weather forecasts refused a write: wind_kmh'))
            : local.saveForecasts(rows),
      },
      provider,
      nowMs: Date.now(),
    })
    expect(r.failed.map((f) => f.place)).toEqual(['32.10,-92.10'])
    expect(r.fetched).toBe(1)
    expect(await heldDays(c, '32.20,-92.20')).toHaveLength(1)
    await c.db.close()
  })
})

describe('a job at risk late in the week', () => {
  it('has the 7 days after it forecast, for its better days, up to the 16 days served', async () => {
    const c = await laptop([[33.1, -93.1]], (today) => addDays(today, 6))
    const today = localDay(Date.now(), ZONE)
    const rainy = addDays(today, 6)
    standin.setDay({ latitude: 33.1, longitude: -93.1 }, rainy, { precipitationMm: 12 })
    const store = localWeatherStore(c.db.pg)
    const r = await refreshCycle({ db: c.db.pg, store, provider, nowMs: Date.now() })
    expect(r.risks[0]?.risk).toBe('high')
    const days = await heldDays(c, '33.10,-93.10')
    expect(days).toEqual(Array.from({ length: 8 }, (_, i) => addDays(rainy, i)))
    expect(asked(33.1).at(-1)?.query).toMatchObject({
      start_date: addDays(rainy, 1),
      end_date: addDays(rainy, 7),
    })

    // Looking 14 days ahead, a job at risk on day 13 has its days up to the 16th only.
    const late = addDays(today, 13)
    const client = await call(c, 'clients.create', {
      name: 'Late',
      latitude: 33.2,
      longitude: -93.2,
    })
    await call(c, 'appointments.create', {
      clientId: client.id,
      serviceId: c.fixture.mowing.id,
      teamMemberId: c.fixture.ana.id,
      scheduledAt: at(late, 10),
      acceptConflict: true,
    })
    standin.setDay({ latitude: 33.2, longitude: -93.2 }, late, { precipitationMm: 12 })
    await refreshCycle({ db: c.db.pg, store, provider, nowMs: Date.now(), lookaheadDays: 14 })
    expect(await heldDays(c, '33.20,-93.20')).toEqual([late, addDays(late, 1), addDays(late, 2)])
    expect(
      asked(33.2)
        .map((q) => q.query.end_date)
        .sort()
        .at(-1),
    ).toBe(addDays(today, 15))
    await c.db.close()
  })
})

describe('the forecast cache', () => {
  it('forgets days more than 10 days old, with their versions, also once a server syncs', async () => {
    const c = await memoryCore()
    await call(c, 'settings.update', { timeZone: ZONE })
    const t0 = Date.now()
    let clock = t0
    const today = localDay(t0, ZONE)
    const place = '34.10,-94.10'
    const save = (days: string[]) =>
      localWeatherStore(c.db.pg).saveForecasts(
        days.map((day) => ({
          id: forecastId(place, day),
          fields: {
            place,
            day,
            precipitation_mm: 0,
            precipitation_probability: 0,
            wind_kmh: 5,
            gust_kmh: 10,
            temp_min_c: 5,
            temp_max_c: 15,
            weather_code: 1,
            fetched_at: iso(t0),
          },
        })),
      )
    await save([addDays(today, -12), addDays(today, -11), addDays(today, -10), today])
    const weather = new LocalWeather(() => c.db, c.changes, { provider, nowMs: () => clock })
    await weather.refresh()
    expect(await heldDays(c, place)).toEqual([addDays(today, -10), today])
    const versions = async (day: string) =>
      (
        await c.db.pg.query(
          `SELECT 1 FROM sync_versions WHERE table_name = 'weather_forecasts' AND row_id = $1`,
          [forecastId(place, day)],
        )
      ).rows.length
    expect(await versions(today)).toBe(1)
    expect(await versions(addDays(today, -11))).toBe(0)

    // Syncing with a server, the laptop still forgets its copies (the server forgets its own).
    await setState(c.db.pg, 'config', {
      serverUrl: 'http://127.0.0.1:9',
      token: 'gk_test',
      device: { id: 'd', label: 'Office', user: 'Ada', role: 'admin' },
    })
    clock = t0 + 26 * HOUR
    expect(await weather.refresh()).toBe('server')
    expect(await heldDays(c, place)).toEqual([today])
    await c.db.close()
  })
})
