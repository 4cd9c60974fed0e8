import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type OpenMeteoStandin, startOpenMeteoStandin } from '../testing/open-meteo-standin'
import { openMeteo, type WeatherProvider, WeatherProviderError } from './provider'

const GARDEN = { latitude: 52.52, longitude: 13.405 }
const ORCHARD = { latitude: 48.137, longitude: 11.575 }
const JUNE = { from: '2031-06-10', to: '2031-06-12' }
const ZONE = 'Europe/Berlin'

let standin: OpenMeteoStandin
let weather: WeatherProvider

beforeAll(async () => {
  standin = await startOpenMeteoStandin()
  weather = openMeteo({ forecastUrl: standin.url, geocodingUrl: standin.url, timeoutMs: 300 })
})
afterAll(() => standin.close())

/** The error a promise rejects with (the test fails if it resolves). */
async function failure(p: Promise<unknown>): Promise<WeatherProviderError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(WeatherProviderError)
  return e as WeatherProviderError
}

const last = () => standin.requests.at(-1)

/** A one-off server answering every request with `body`: answers the stand-in never gives. */
async function answering(body: unknown): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const series = (...values: (number | null)[]) => ({
  weather_code: values,
  temperature_2m_max: values,
  temperature_2m_min: values,
  precipitation_sum: values,
  precipitation_probability_max: values,
  wind_speed_10m_max: values,
  wind_gusts_10m_max: values,
})

describe('Open-Meteo forecasts', () => {
  it('reads each day of the range, exactly, and no other day', async () => {
    standin.setDay(GARDEN, '2031-06-11', {
      precipitationMm: 12.4,
      precipitationProbability: 85,
      windKmh: 31.7,
      gustKmh: 58.2,
      tempMinC: -1.5,
      tempMaxC: 14.3,
      weatherCode: 63,
    })
    const days = await weather.daily(GARDEN, JUNE, ZONE)
    expect(days.map((d) => d.date)).toEqual(['2031-06-10', '2031-06-11', '2031-06-12'])
    expect(days[1]).toEqual({
      date: '2031-06-11',
      precipitationMm: 12.4,
      precipitationProbability: 85,
      windKmh: 31.7,
      gustKmh: 58.2,
      tempMinC: -1.5,
      tempMaxC: 14.3,
      weatherCode: 63,
    })
    expect(days[0]).toEqual({
      date: '2031-06-10',
      precipitationMm: 0,
      precipitationProbability: 10,
      windKmh: 10,
      gustKmh: 20,
      tempMinC: 8,
      tempMaxC: 18,
      weatherCode: 1,
    })
  })

  it('asks for the daily variables in km/h, in the place’s time zone, for the range', async () => {
    await weather.daily(ORCHARD, { from: '2031-07-01', to: '2031-07-01' }, 'America/Chicago')
    expect(last()?.path).toBe('/v1/forecast')
    expect(last()?.query).toEqual({
      latitude: '48.137',
      longitude: '11.575',
      daily:
        'weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,' +
        'precipitation_probability_max,wind_speed_10m_max,wind_gusts_10m_max',
      timezone: 'America/Chicago',
      start_date: '2031-07-01',
      end_date: '2031-07-01',
      wind_speed_unit: 'kmh',
    })
  })

  it('keeps a missing value missing, never zero', async () => {
    standin.setDay(GARDEN, '2031-06-20', {
      precipitationMm: null,
      precipitationProbability: null,
      gustKmh: null,
      weatherCode: null,
    })
    const [day] = await weather.daily(GARDEN, { from: '2031-06-20', to: '2031-06-20' }, ZONE)
    expect(day).toMatchObject({
      precipitationMm: null,
      precipitationProbability: null,
      gustKmh: null,
      weatherCode: null,
      windKmh: 10,
    })
  })

  it('counts a 500 as worth trying again', async () => {
    standin.fail('error500')
    const e = await failure(weather.daily(GARDEN, JUNE, ZONE))
    expect(e).toMatchObject({ status: 500, transient: true, retryAfterMs: null })
    expect(e.message).toBe('the weather service answered 500')
  })

  it('counts a 400 as final and says the service’s reason', async () => {
    standin.fail('error400')
    const e = await failure(weather.daily(GARDEN, JUNE, ZONE))
    expect(e).toMatchObject({ status: 400, transient: false })
    expect(e.message).toContain('the weather service answered 400: Cannot initialize')
  })

  it('gives up on a service that does not answer, as worth trying again', async () => {
    standin.fail('timeout')
    const started = Date.now()
    const e = await failure(weather.daily(GARDEN, JUNE, ZONE))
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(e).toMatchObject({ status: null, transient: true })
    expect(e.message).toBe('the weather service did not answer within 0.3 s')
  })

  it('keeps the wait a 429 asks for', async () => {
    standin.fail('rate-limit', { retryAfterSeconds: 7 })
    const e = await failure(weather.daily(GARDEN, JUNE, ZONE))
    expect(e).toMatchObject({ status: 429, transient: true, retryAfterMs: 7000 })
  })

  it('refuses a forecast without its daily values, as final', async () => {
    standin.fail('malformed')
    const e = await failure(weather.daily(GARDEN, JUNE, ZONE))
    expect(e.transient).toBe(false)
    expect(e.message).toBe('the weather service sent a forecast this app cannot read')
  })

  it('drops days outside the range asked for, should the service send them', async () => {
    const server = await answering({
      daily: { time: ['2031-06-09', '2031-06-10', '2031-06-13'], ...series(1, 2, 3) },
    })
    try {
      const days = await openMeteo({ forecastUrl: server.url }).daily(GARDEN, JUNE, ZONE)
      expect(days.map((d) => [d.date, d.weatherCode])).toEqual([['2031-06-10', 2]])
    } finally {
      await server.close()
    }
  })

  it('drops a day with a value its cache row would refuse, and keeps the other days', async () => {
    // The limits are the sync protocol's: a weather code is 0-99, wind at most 500 km/h.
    const server = await answering({
      daily: {
        time: ['2031-06-10', '2031-06-11', '2031-06-12'],
        ...series(1, 2, 3),
        weather_code: [250, 2, 3],
        wind_speed_10m_max: [10, 900, 10],
      },
    })
    try {
      const days = await openMeteo({ forecastUrl: server.url }).daily(GARDEN, JUNE, ZONE)
      expect(days.map((d) => [d.date, d.weatherCode])).toEqual([['2031-06-12', 3]])
    } finally {
      await server.close()
    }
  })

  it('drops a day with a chance of rain over 100 %, not the whole forecast', async () => {
    const server = await answering({
      daily: {
        time: ['2031-06-10', '2031-06-11'],
        ...series(1, 2),
        precipitation_probability_max: [130, 40],
      },
    })
    try {
      const days = await openMeteo({ forecastUrl: server.url }).daily(GARDEN, JUNE, ZONE)
      expect(days.map((d) => [d.date, d.precipitationProbability])).toEqual([['2031-06-11', 40]])
    } finally {
      await server.close()
    }
  })

  it('refuses daily values that do not line up with the days, as final', async () => {
    const server = await answering({
      daily: { time: ['2031-06-10', '2031-06-11'], ...series(1, 2), wind_gusts_10m_max: [20] },
    })
    try {
      const e = await failure(openMeteo({ forecastUrl: server.url }).daily(GARDEN, JUNE, ZONE))
      expect(e.transient).toBe(false)
      expect(e.message).toBe('the weather service sent a forecast this app cannot read')
    } finally {
      await server.close()
    }
  })

  it('counts an unreachable service as worth trying again', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const gone = openMeteo({ forecastUrl: `http://127.0.0.1:${port}`, timeoutMs: 2_000 })
    const e = await failure(gone.daily(GARDEN, JUNE, ZONE))
    expect(e).toMatchObject({ status: null, transient: true })
    expect(e.message).toBe('the weather service could not be reached')
  })

  it('a failure at one place leaves another place’s forecast alone', async () => {
    standin.fail('error500', { at: ORCHARD })
    await expect(weather.daily(GARDEN, JUNE, ZONE)).resolves.toHaveLength(3)
    await failure(weather.daily(ORCHARD, JUNE, ZONE))
    await expect(weather.daily(ORCHARD, JUNE, ZONE)).resolves.toHaveLength(3)
  })
})

describe('Open-Meteo geocoding', () => {
  it('finds a place by name, labelled with its region and country', async () => {
    standin.setPlace('Springfield', {
      latitude: 39.80172,
      longitude: -89.64371,
      label: 'Springfield, Illinois, United States',
    })
    await expect(weather.geocode('  springfield ')).resolves.toEqual({
      latitude: 39.80172,
      longitude: -89.64371,
      label: 'Springfield, Illinois, United States',
    })
    expect(last()?.path).toBe('/v1/search')
    expect(last()?.query).toEqual({
      name: 'springfield',
      count: '1',
      language: 'en',
      format: 'json',
    })
  })

  it('answers null for a place the service does not know', async () => {
    await expect(weather.geocode('Nowhere At All')).resolves.toBeNull()
  })

  it('answers null for a blank query without asking', async () => {
    const before = standin.requests.length
    await expect(weather.geocode('   ')).resolves.toBeNull()
    expect(standin.requests).toHaveLength(before)
  })

  it('refuses a place off the globe, as final', async () => {
    standin.setPlace('Atlantis', { latitude: 123, longitude: 0 })
    const e = await failure(weather.geocode('Atlantis'))
    expect(e.transient).toBe(false)
    expect(e.message).toBe('the weather service sent a place this app cannot read')
  })
})
