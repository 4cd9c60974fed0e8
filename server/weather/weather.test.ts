import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTs } from '../../scripts/lib/run-ts'
import { BUSINESS_SETTINGS_ID } from '../../shared/contract/settings'
import { uuidv7 } from '../../shared/domain/ids'
import { addDays, dayStartMs, localDay } from '../../shared/domain/time'
import { deviceStamps } from '../../shared/sync/device-stamps.test-support'
import type { Mutation } from '../../shared/sync/protocol'
import { type OpenMeteoStandin, startOpenMeteoStandin } from '../../testing/open-meteo-standin'
import { openMeteo } from '../../weather/provider'
import { type ApiFixture, apiFixture } from '../api/api.test-support'
import { serverClock } from '../api/clock'
import { storedEvents } from '../events/events.test-support'
import { startEventStream } from '../events/stream'
import { Subscribers } from '../events/subscribers'
import { pull } from '../pull'
import { push } from '../sync'
import { createDevice, type Device } from '../tokens'
import { refreshOnce, weatherService } from './service'

/**
 * The central forecast refresh against a loopback Open-Meteo: forecasts stored in the
 * domain table through the sync merge (so laptops pull them), each job's risk on the REST
 * API, and one `weather.alert.updated.v1` per change of risk.
 */
const ZONE = 'UTC'
const HOUR = 3_600_000
const HOME = { latitude: 41.88, longitude: -87.63 }

describe('the central forecast refresh', () => {
  let api: ApiFixture
  let standin: OpenMeteoStandin
  let office: Device
  const stamp = deviceStamps('weatheroffice')
  const m = (table: Mutation['table'], rowId: string, fields: Mutation['fields']): Mutation => ({
    id: uuidv7(),
    table,
    rowId,
    hlc: stamp(),
    fields,
  })
  const rainy = addDays(localDay(Date.now(), ZONE), 2)
  const at = (day: string, hour: number) =>
    new Date(dayStartMs(day, ZONE) + hour * HOUR).toISOString()
  const ids = {
    client: uuidv7(),
    mowing: uuidv7(),
    indoor: uuidv7(),
    mowJob: uuidv7(),
    indoorJob: uuidv7(),
  }
  const alerts = async () =>
    (await storedEvents(api.pool)).filter((e) => e.type === 'weather.alert.updated.v1')

  beforeAll(async () => {
    api = await apiFixture()
    standin = await startOpenMeteoStandin()
    standin.setDay(HOME, rainy, { precipitationMm: 9 })
    office = (
      await createDevice(api.pool, { label: 'office', userName: 'o', role: 'office_manager' })
    ).device
    const results = await push(api.pool, office, [
      // The business works in UTC, the zone this test counts its days in.
      m('business_settings', BUSINESS_SETTINGS_ID, { time_zone: 'UTC' }),
      m('clients', ids.client, { name: 'Lakeside Home', ...HOME }),
      m('services', ids.mowing, {
        name: 'Mowing (weather)',
        base_price: '55.00',
        duration_minutes: 60,
        weather_kind: 'mowing',
      }),
      m('services', ids.indoor, {
        name: 'Greenhouse care',
        base_price: '40.00',
        duration_minutes: 60,
        weather_kind: 'indoor',
      }),
      ...[
        [ids.mowJob, ids.mowing, 9],
        [ids.indoorJob, ids.indoor, 13],
      ].map(([id, service, hour]) =>
        m('appointments', id as string, {
          client_id: ids.client,
          service_id: service as string,
          team_member_id: api.business.crew.ana,
          scheduled_at: at(rainy, hour as number),
          duration_minutes: 60,
          status: 'scheduled',
          notes: '',
          price: '55.00',
        }),
      ),
    ])
    expect(results.map((r) => r.reason ?? r.status)).toEqual(Array(6).fill('applied'))
  })
  afterAll(async () => {
    await standin.close()
    await api.close()
  })

  it('`npm run server:weather -- refresh` stores the forecasts through the sync merge, and raises one alert', async () => {
    const run = await runTs('scripts/server-weather.ts', [
      'refresh',
      '--database-url',
      api.pool.options.connectionString as string,
      '--weather-url',
      standin.url,
      '--geocoding-url',
      standin.url,
    ])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    // The rainy day, and the 7 days after it where the mowing job's better days are looked for.
    expect(run.stdout).toMatch(/refreshed 2 places: 8 forecast days stored/)
    expect(run.stdout).toMatch(/1 at risk, 1 alert raised/)

    const { rows } = await api.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM weather_forecasts f JOIN sync_rows r
         ON r.table_name = 'weather_forecasts' AND r.row_id = f.id WHERE f.place = '41.88,-87.63'`,
    )
    expect(rows[0]?.n).toBeGreaterThan(0)
    // A laptop's pull hands them out like any other change.
    const pulled = await pull(api.pool, 0, 1000, office)
    expect(pulled.changes.some((c) => c.table === 'weather_forecasts')).toBe(true)

    const raised = await alerts()
    expect(raised).toHaveLength(1)
    expect(raised[0]?.data).toMatchObject({
      appointmentId: ids.mowJob,
      clientId: ids.client,
      risk: 'high',
      previousRisk: 'unknown',
      reason: '9 mm rain expected, limit 5 mm',
    })
  })

  it('shows each job’s risk on the REST API, the indoor job low', async () => {
    const one = await api.call(api.tokens.office, { url: `/api/v1/appointments/${ids.mowJob}` })
    expect(one.json()).toMatchObject({
      weather_risk: 'high',
      weather_reason: '9 mm rain expected, limit 5 mm',
    })
    const list = await api.call(api.tokens.office, {
      url: `/api/v1/appointments/?schedule_start_date=${rainy}&schedule_end_date=${addDays(rainy, 1)}&limit=100`,
    })
    const rows = list.json().results as { id: string; weather_risk: string }[]
    expect(rows.find((r) => r.id === ids.indoorJob)?.weather_risk).toBe('low')
    expect(rows.find((r) => r.id === ids.mowJob)?.weather_risk).toBe('high')
  })

  it("words the REST API's reasons in the units the business chose, raising no alert", async () => {
    const units = async (value: 'us' | 'metric') => {
      const [result] = await push(api.pool, office, [
        m('business_settings', BUSINESS_SETTINGS_ID, { units: value }),
      ])
      expect(result?.reason ?? result?.status).toBe('applied')
      // Nothing is due a moment later: the cycle words the risks it holds anew.
      const cycle = await refreshOnce({
        pool: api.pool,
        clock: serverClock(),
        provider: openMeteo({ forecastUrl: standin.url, geocodingUrl: standin.url }),
      })
      expect(cycle.units).toBe(value)
      expect(cycle.alerts).toBe(0)
      const one = await api.call(api.tokens.office, { url: `/api/v1/appointments/${ids.mowJob}` })
      return one.json().weather_reason
    }
    expect(await units('us')).toBe('0.35 in rain expected, limit 0.20 in')
    expect(await units('metric')).toBe('9 mm rain expected, limit 5 mm')
    expect(await alerts()).toHaveLength(1)
  })

  it('raises nothing while the risk stays, and one alert when it clears', async () => {
    const provider = openMeteo({ forecastUrl: standin.url, geocodingUrl: standin.url })
    const clock = serverClock()
    const now = Date.now()
    // An hour later (or just before midnight, when a new day would enter the lookahead)
    // nothing is due: no request, no alert.
    const midnight = dayStartMs(addDays(localDay(now, ZONE), 1), ZONE)
    const later = Math.max(now + 1000, Math.min(now + HOUR, midnight - 60_000))
    const before = standin.requests.length
    const quiet = await refreshOnce({ pool: api.pool, clock, provider, nowMs: later })
    expect(quiet.places).toBe(0)
    expect(quiet.alerts).toBe(0)
    expect(standin.requests.length).toBe(before)
    // The rain goes; the next due check (6 h for a day 1-3 days away) clears the risk.
    standin.setDay(HOME, rainy, { precipitationMm: 0 })
    const cleared = await refreshOnce({
      pool: api.pool,
      clock,
      provider,
      nowMs: now + 6 * HOUR + 60_000,
    })
    expect(cleared.alerts).toBe(1)
    const raised = await alerts()
    expect(raised).toHaveLength(2)
    expect(raised[1]?.data).toMatchObject({
      appointmentId: ids.mowJob,
      risk: 'low',
      previousRisk: 'high',
    })
    const again = await refreshOnce({
      pool: api.pool,
      clock,
      provider,
      nowMs: now + 6 * HOUR + 120_000,
    })
    expect(again.alerts).toBe(0)
  })

  it('runs as a pg-boss job once the workers start, and is scheduled every 4 hours', async () => {
    const far = { latitude: 45.5, longitude: -73.57 }
    const clientId = uuidv7()
    await push(api.pool, office, [
      m('clients', clientId, { name: 'Mount Royal Garden', ...far }),
      m('appointments', uuidv7(), {
        client_id: clientId,
        service_id: ids.mowing,
        team_member_id: api.business.crew.ben,
        scheduled_at: at(rainy, 10),
        duration_minutes: 60,
        status: 'scheduled',
        notes: '',
        price: '55.00',
      }),
    ])
    const stream = await startEventStream({
      pool: api.pool,
      databaseUrl: api.pool.options.connectionString as string,
      subscribers: new Subscribers(),
      relay: false,
      onError: () => {},
    })
    try {
      await weatherService({
        pool: api.pool,
        clock: serverClock(),
        provider: openMeteo({ forecastUrl: standin.url, geocodingUrl: standin.url }),
      }).start(stream.boss)
      const end = Date.now() + 30_000
      for (;;) {
        const { rows } = await api.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM weather_forecasts WHERE place = '45.50,-73.57'`,
        )
        if ((rows[0]?.n ?? 0) > 0) break
        if (Date.now() > end) throw new Error('the refresh job did not run')
        await new Promise((r) => setTimeout(r, 200))
      }
      const { rows } = await api.pool.query<{ cron: string }>(
        `SELECT cron FROM pgboss.schedule WHERE name = 'weather_refresh'`,
      )
      expect(rows.map((r) => r.cron)).toEqual(['0 */4 * * *'])
    } finally {
      await stream.stop()
    }
  })

  it('refuses a bad flag with a clear message', async () => {
    const run = await runTs('scripts/server-weather.ts', [
      'refresh',
      '--database-url',
      api.pool.options.connectionString as string,
      '--weather-url',
      'ftp://nowhere',
    ])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--weather-url must be an http:\/\/ or https:\/\/ address/)
  })
})
