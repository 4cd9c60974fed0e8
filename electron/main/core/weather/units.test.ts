import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, dayStartMs, localDay } from '../../../../shared/domain/time'
import { placeKey } from '../../../../shared/weather/place'
import type { DailyForecast } from '../../../../shared/weather/risk'
import type { WeatherProvider } from '../../../../weather/provider'
import { refreshCycle } from '../../../../weather/refresh'
import { forecastRows } from '../../../../weather/store'
import type { AppContext } from '../context'
import { buildFixture, type Fixture } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'
import { localWeatherStore } from './local'

/**
 * The business's units on a laptop: chosen in the settings, they word every job's risk
 * (the screens' reasons, better days and the refresh that plans clients' weather
 * notices) in °F, inches and mph, while the forecast cache stays metric.
 */
const ZONE = 'America/Chicago'
const HOME = { latitude: 41.88, longitude: -87.63 }
const HOUR = 3_600_000

let ctx: AppContext
let f: Fixture
const day = addDays(localDay(Date.now(), ZONE), 3)
const at = (d: string, hour: number) => new Date(dayStartMs(d, ZONE) + hour * HOUR).toISOString()
const jobs: Record<'mowing' | 'spraying' | 'planting' | 'heavy', string> = {
  mowing: '',
  spraying: '',
  planting: '',
  heavy: '',
}

/**
 * The weather service out of reach: the day with the jobs is held already (the days
 * after it, for better days, fail), so the refresh words the risks from the cache.
 */
const offline: WeatherProvider = {
  name: 'offline',
  daily: () => Promise.reject(new Error('the weather service could not be reached')),
  geocode: () => Promise.reject(new Error('the weather service could not be reached')),
}

beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
  await call(ctx, 'catalog.services.update', { id: f.mowing.id, weatherKind: 'mowing' })
  const services = [f.mowing.id]
  for (const kind of ['spraying', 'planting', 'heavy'] as const) {
    const s = await call(ctx, 'catalog.services.create', {
      name: `Work: ${kind}`,
      basePrice: '40',
      durationMinutes: 60,
      weatherKind: kind,
    })
    services.push(s.id)
  }
  await call(ctx, 'team.setSpecialties', { id: f.ana.id, serviceIds: services })
  const client = await call(ctx, 'clients.create', { name: 'Lakeside Home', ...HOME })
  for (const [i, kind] of (['mowing', 'spraying', 'planting', 'heavy'] as const).entries()) {
    const { appointment } = await call(ctx, 'appointments.create', {
      clientId: client.id,
      serviceId: services[i] as string,
      teamMemberId: f.ana.id,
      scheduledAt: at(day, 8 + 2 * i),
      acceptConflict: true,
    })
    jobs[kind] = appointment.id
  }
  // A wet, windy day with frost at dawn and heat by the afternoon, held as fetched now.
  const place = placeKey(HOME)
  const wild: DailyForecast = {
    date: day,
    precipitationMm: 8,
    precipitationProbability: 90,
    windKmh: 30,
    gustKmh: 45,
    tempMinC: -1,
    tempMaxC: 38,
  }
  await localWeatherStore(ctx.db.pg).saveForecasts(
    forecastRows({ place, from: day, to: day, days: [day] }, [wild], Date.now()),
  )
})
afterAll(async () => {
  await ctx.db.close()
})

const reasons = async () => {
  const { risks } = await call(ctx, 'weather.risks', { from: at(day, 0), to: at(day, 24) })
  return Object.fromEntries(
    Object.entries(jobs).map(([kind, id]) => [
      kind,
      risks.find((r) => r.appointmentId === id)?.reason,
    ]),
  )
}

describe("the business's units", () => {
  it('are metric until the business chooses, and refused when not metric or US', async () => {
    expect((await call(ctx, 'settings.get', {})).units).toBe('metric')
    expect((await reasons()).mowing).toBe(
      '8 mm rain expected, limit 5 mm; rain 90% likely, limit 70%',
    )
    const refused = await callError(ctx, 'settings.update', { units: 'imperial' })
    expect(refused.code).toBe('VALIDATION')
    expect(refused.issues).toEqual([{ path: 'units', message: 'must be metric or US' }])
  })

  it("word every job's risk in °F, inches and mph once set to US", async () => {
    const saved = await call(ctx, 'settings.update', { units: 'us' })
    expect(saved).toMatchObject({ units: 'us', timeZone: ZONE })
    expect((await call(ctx, 'settings.get', {})).units).toBe('us')
    expect(await reasons()).toEqual({
      mowing: '0.31 in rain expected, limit 0.20 in; rain 90% likely, limit 70%',
      spraying: 'wind up to 19 mph, limit 12 mph; 0.31 in rain expected, this work needs a dry day',
      planting: 'frost expected (30 °F)',
      heavy: '100 °F expected, limit 95 °F',
    })
    const better = await call(ctx, 'weather.betterDays', { id: jobs.heavy })
    expect(better.risk.reason).toBe('100 °F expected, limit 95 °F')
    // The forecast the strip reads stays metric: the screens convert it.
    const { days } = await call(ctx, 'weather.days', { from: day, to: day })
    expect(days[0]).toMatchObject({ precipitationMm: 8, windKmh: 30, tempMaxC: 38 })
  })

  it('word the refresh that plans the weather notices in them too', async () => {
    const result = await refreshCycle({
      db: ctx.db.pg,
      store: localWeatherStore(ctx.db.pg),
      provider: offline,
      nowMs: Date.now(),
    })
    expect(result.units).toBe('us')
    expect(result.risks.find((r) => r.id === jobs.planting)?.reason).toBe('frost expected (30 °F)')
  })

  it('go back to metric words when set back, the stored limits untouched', async () => {
    await call(ctx, 'settings.update', { units: 'metric' })
    expect((await reasons()).heavy).toBe('38 °C expected, limit 35 °C')
    const { results } = await call(ctx, 'catalog.services.list', { limit: 100 })
    expect(results.find((s) => s.id === f.mowing.id)?.weatherLimits).toBeNull()
  })
})
