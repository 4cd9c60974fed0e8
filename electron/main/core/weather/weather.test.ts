import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, dayStartMs, localDay, shiftDays } from '../../../../shared/domain/time'
import {
  type OpenMeteoStandin,
  startOpenMeteoStandin,
} from '../../../../testing/open-meteo-standin'
import { openMeteo } from '../../../../weather/provider'
import { refreshCycle } from '../../../../weather/refresh'
import type { AppContext } from '../context'
import { setState } from '../sync/store'
import { buildFixture, type Fixture } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'
import { localWeatherStore, weatherRunStatus } from './local'

/**
 * The weather service on a laptop without a server, against a loopback stand-in of
 * Open-Meteo: risks from a rainy day, better days, moves, and the refresh's cadence and
 * failures, with a clock the tests set.
 */
const ZONE = 'America/Chicago'
const HOME = { latitude: 41.88, longitude: -87.63 }
const FAR = { latitude: 42.5, longitude: -88.5 }
const HOUR = 3_600_000

/**
 * The Tuesday at least two days ahead in the business's zone (so the Monday before it is
 * still ahead). The laptop's refresh runs on a clock set to the Sunday before it, so its
 * 7 days reach that Tuesday, the Wednesday and the Thursday whatever today's weekday.
 */
function nextTuesday(): string {
  const today = localDay(Date.now(), ZONE)
  for (let d = 2; d <= 8; d++) {
    const day = addDays(today, d)
    if (new Date(`${day}T12:00:00Z`).getUTCDay() === 2) return day
  }
  throw new Error('no Tuesday')
}
const at = (day: string, hour: number) =>
  new Date(dayStartMs(day, ZONE) + hour * HOUR).toISOString()

let ctx: AppContext
let f: Fixture
let standin: OpenMeteoStandin
const tuesday = nextTuesday()
/** The refresh's clock runs from the Sunday before the Tuesday (never behind the real one). */
const clockAhead = Math.max(0, dayStartMs(addDays(tuesday, -2), ZONE) + 12 * HOUR - Date.now())
const wednesday = addDays(tuesday, 1)
const thursday = addDays(tuesday, 2)
let greenhouse: { id: string }
let home: { id: string }

async function book(serviceId: string, when: string, teamMemberId: string) {
  return (
    await call(ctx, 'appointments.create', {
      clientId: home.id,
      serviceId,
      teamMemberId,
      scheduledAt: when,
      acceptConflict: true,
    })
  ).appointment
}

beforeAll(async () => {
  standin = await startOpenMeteoStandin()
  ctx = await memoryCore({ weather: { nowMs: () => Date.now() + clockAhead } })
  f = await buildFixture(ctx)
  await call(ctx, 'settings.update', { timeZone: ZONE })
  await call(ctx, 'weather.updateSettings', { forecastUrl: standin.url, geocodingUrl: standin.url })
  await call(ctx, 'catalog.services.update', { id: f.mowing.id, weatherKind: 'mowing' })
  greenhouse = await call(ctx, 'catalog.services.create', {
    name: 'Greenhouse care',
    basePrice: '40',
    durationMinutes: 60,
    weatherKind: 'indoor',
  })
  await call(ctx, 'team.setSpecialties', { id: f.ana.id, serviceIds: [f.mowing.id, greenhouse.id] })
  home = await call(ctx, 'clients.create', {
    name: 'Lakeside Home',
    email: 'lakeside@example.com',
    ...HOME,
  })
  standin.setDay(HOME, tuesday, { precipitationMm: 9, precipitationProbability: 90 })
})
afterAll(async () => {
  await ctx.db.close()
  await standin.close()
})

describe('a rainy Tuesday', () => {
  let mowTuesday: { id: string }
  let mowTuesdayLate: { id: string }
  let indoorTuesday: { id: string }
  let mowMonday: { id: string }

  beforeAll(async () => {
    mowTuesday = await book(f.mowing.id, at(tuesday, 9), f.ana.id)
    mowTuesdayLate = await book(f.mowing.id, at(tuesday, 14), f.ana.id)
    indoorTuesday = await book(greenhouse.id, at(tuesday, 11), f.ana.id)
    mowMonday = await book(f.mowing.id, at(addDays(tuesday, -1), 9), f.ana.id)
    const result = await call(ctx, 'weather.refresh', {})
    expect(result.failed).toBe(0)
    expect(result.fetched).toBeGreaterThan(0)
  })

  it("flags exactly that Tuesday's mowing jobs, with the reason in words, not the indoor one", async () => {
    const { risks } = await call(ctx, 'weather.risks', {
      from: at(addDays(tuesday, -1), 0),
      to: at(addDays(tuesday, 1), 0),
    })
    const byId = new Map(risks.map((r) => [r.appointmentId, r]))
    expect(byId.get(mowTuesday.id)).toMatchObject({ risk: 'high' })
    expect(byId.get(mowTuesday.id)?.reason).toContain('9 mm rain expected, limit 5 mm')
    expect(byId.get(mowTuesdayLate.id)?.risk).toBe('high')
    expect(byId.get(indoorTuesday.id)?.risk).toBe('low')
    expect(byId.get(mowMonday.id)?.risk).toBe('low')
    expect(byId.get(mowTuesday.id)?.fetchedAt).not.toBeNull()

    // The client is told of the weather about the rainy jobs only (a laptop without a
    // server sends its own notices).
    const { rows } = await ctx.db.pg.query<{ appointment_id: string; detail: string }>(
      `SELECT appointment_id, detail FROM notifications WHERE kind = 'weather'`,
    )
    expect(rows.map((r) => r.appointment_id).sort()).toEqual(
      [mowTuesday.id, mowTuesdayLate.id].sort(),
    )
    expect(rows[0]?.detail).toContain('9 mm rain expected')

    const listed = await call(ctx, 'appointments.list', { atRisk: true, limit: 100 })
    expect(listed.results.map((r) => r.id).sort()).toEqual(
      [mowTuesday.id, mowTuesdayLate.id].sort(),
    )
  })

  it('suggests the Wednesday when the crew is free, and moving applies', async () => {
    const { options, risk } = await call(ctx, 'weather.betterDays', { id: mowTuesday.id })
    expect(risk.risk).toBe('high')
    expect(options[0]).toMatchObject({
      startAt: at(wednesday, 9),
      teamMemberId: f.ana.id,
      sameCrew: true,
    })
  })

  it('suggests the Thursday when the crew is busy on Wednesday; the move applies with no double booking', async () => {
    const blocker = await book(f.mowing.id, at(wednesday, 9), f.ana.id)
    const { options } = await call(ctx, 'weather.betterDays', { id: mowTuesday.id })
    expect(options[0]).toMatchObject({ startAt: at(thursday, 9), teamMemberId: f.ana.id })
    expect(options.some((o) => o.startAt === at(wednesday, 9) && o.teamMemberId === f.ana.id)).toBe(
      false,
    )
    // Onto the busy Wednesday slot: refused, and nothing moves.
    const refused = await callError(ctx, 'appointments.moveMany', {
      moves: [{ id: mowTuesday.id, scheduledAt: at(wednesday, 9), teamMemberId: f.ana.id }],
    })
    expect(refused.code).toBe('CONFLICT')
    const first = options[0] as (typeof options)[number]
    await call(ctx, 'appointments.moveMany', {
      moves: [{ id: mowTuesday.id, scheduledAt: first.startAt, teamMemberId: first.teamMemberId }],
    })
    const moved = await call(ctx, 'appointments.get', { id: mowTuesday.id })
    expect(moved.scheduledAt).toBe(at(thursday, 9))
    await call(ctx, 'appointments.delete', { id: blocker.id })
  })

  it("plans the day's at-risk jobs one after another, never onto each other", async () => {
    const late2 = await book(f.mowing.id, at(tuesday, 16), f.ana.id)
    const { moves } = await call(ctx, 'weather.planDay', { date: tuesday })
    expect(moves.map((m) => m.appointmentId).sort()).toEqual([mowTuesdayLate.id, late2.id].sort())
    await call(ctx, 'appointments.moveMany', {
      moves: moves.map((m) => ({
        id: m.appointmentId,
        scheduledAt: m.toStartAt,
        teamMemberId: m.toMemberId,
      })),
    })
    const { risks } = await call(ctx, 'weather.risks', {
      from: at(tuesday, 0),
      to: at(wednesday, 0),
    })
    expect(risks.filter((r) => r.risk === 'high')).toEqual([])
  })

  it('shows the strip: the worst of the places with jobs, and its age', async () => {
    const { days } = await call(ctx, 'weather.days', { from: tuesday, to: thursday })
    const tue = days.find((d) => d.date === tuesday)
    expect(tue).toMatchObject({ precipitationMm: 9, precipitationProbability: 90 })
    expect(Date.parse(tue?.fetchedAt ?? '')).toBeGreaterThan(Date.now() - 60_000)
  })
})

describe('the refresh cycle', () => {
  it('fetches only what is due, checking more often as the day nears (a controllable clock)', async () => {
    const c = await memoryCore()
    const g = await buildFixture(c)
    await call(c, 'settings.update', { timeZone: ZONE })
    const client = await call(c, 'clients.create', { name: 'Far Farm', ...FAR })
    const t0 = dayStartMs(localDay(Date.now(), ZONE), ZONE) + 12 * HOUR
    const today = localDay(t0, ZONE)
    const tomorrow = addDays(today, 1)
    const later = addDays(today, 5)
    for (const day of [tomorrow, later])
      await call(c, 'appointments.create', {
        clientId: client.id,
        serviceId: g.mowing.id,
        teamMemberId: g.ana.id,
        scheduledAt: at(day, 10),
        acceptConflict: true,
      })
    const provider = openMeteo({ forecastUrl: standin.url, geocodingUrl: standin.url })
    const store = localWeatherStore(c.db.pg)
    const cycle = (nowMs: number) => refreshCycle({ db: c.db.pg, store, provider, nowMs })
    const forecastRequests = () => standin.requests.filter((r) => r.path === '/v1/forecast')
    const before = forecastRequests().length
    const farRequests = () =>
      forecastRequests()
        .slice(before)
        .filter((r) => Number(r.query.latitude) === 42.5)

    expect((await cycle(t0)).fetched).toBe(2)
    expect(farRequests()).toHaveLength(1)
    expect(farRequests()[0]?.query).toMatchObject({ start_date: tomorrow, end_date: later })
    // An hour later nothing is due.
    expect((await cycle(t0 + HOUR)).places).toBe(0)
    // Past 3 hours, tomorrow (a day or less away) is due again; the day 5 days away is not.
    const r3 = await cycle(t0 + 3 * HOUR + 60_000)
    expect(r3.places).toBe(1)
    expect(farRequests().at(-1)?.query).toMatchObject({ start_date: tomorrow, end_date: tomorrow })
    // 20 hours on, tomorrow is due again but the far day is not (a day has not passed).
    const n = farRequests().length
    await cycle(t0 + 20 * HOUR)
    expect(farRequests()).toHaveLength(n + 1)
    expect(farRequests().at(-1)?.query).toMatchObject({ start_date: tomorrow, end_date: tomorrow })
    // A day later the far day is due (tomorrow's job is over by then, so not asked for).
    await cycle(t0 + 24 * HOUR + 60_000)
    expect(farRequests().at(-1)?.query).toMatchObject({ start_date: later, end_date: later })
    await c.db.close()
  })

  it('one failing place never stops the others; a failed place is tried again next cycle', async () => {
    const c = await memoryCore()
    const g = await buildFixture(c)
    await call(c, 'settings.update', { timeZone: ZONE })
    const a = await call(c, 'clients.create', { name: 'A', latitude: 40.1, longitude: -88.1 })
    const b = await call(c, 'clients.create', { name: 'B', latitude: 40.2, longitude: -88.2 })
    const day = addDays(localDay(Date.now(), ZONE), 2)
    for (const client of [a, b])
      await call(c, 'appointments.create', {
        clientId: client.id,
        serviceId: g.mowing.id,
        teamMemberId: g.ana.id,
        scheduledAt: at(day, 10),
        acceptConflict: true,
      })
    const provider = openMeteo({
      forecastUrl: standin.url,
      geocodingUrl: standin.url,
      timeoutMs: 300,
    })
    const store = localWeatherStore(c.db.pg)
    const now = Date.now()
    // (A 429 limits the caller, not the place: it holds the rest, refresh-limits.test.ts.)
    for (const mode of ['error500', 'timeout', 'malformed'] as const) {
      await c.db.pg.query('DELETE FROM weather_forecasts')
      standin.fail(mode, { at: { latitude: 40.1, longitude: -88.1 }, retryAfterSeconds: 30 })
      const r = await refreshCycle({ db: c.db.pg, store, provider, nowMs: now })
      expect(
        r.failed.map((x) => x.place),
        mode,
      ).toEqual(['40.10,-88.10'])
      expect(r.fetched, mode).toBe(1)
      const risks = new Map(r.risks.map((x) => [x.place, x.risk]))
      expect(risks.get('40.10,-88.10'), mode).toBe('unknown')
      expect(risks.get('40.20,-88.20'), mode).toBe('low')
      const again = await refreshCycle({ db: c.db.pg, store, provider, nowMs: now + 60_000 })
      expect(again.failed, mode).toEqual([])
      expect(again.fetched, mode).toBe(1)
    }
    await c.db.close()
  })

  it('looks up an address without coordinates once, and remembers a place not found', async () => {
    const c = await memoryCore()
    const g = await buildFixture(c)
    standin.setPlace('60614', {
      latitude: 41.92,
      longitude: -87.65,
      label: 'Chicago, Illinois, United States',
    })
    const found = await call(c, 'clients.create', {
      name: 'Postcode',
      address: '1 Elm St',
      postalCode: '60614',
    })
    const lost = await call(c, 'clients.create', { name: 'Nowhere', address: 'Nowhere Lane 5' })
    const day = addDays(localDay(Date.now(), ZONE), 2)
    const jobs = []
    for (const client of [found, lost])
      jobs.push(
        (
          await call(c, 'appointments.create', {
            clientId: client.id,
            serviceId: g.mowing.id,
            teamMemberId: g.ana.id,
            scheduledAt: at(day, client === found ? 10 : 13),
            acceptConflict: true,
          })
        ).appointment,
      )
    await call(c, 'weather.updateSettings', { forecastUrl: standin.url, geocodingUrl: standin.url })
    const searches = () => standin.requests.filter((r) => r.path === '/v1/search').length
    const before = searches()
    await call(c, 'weather.refresh', {})
    expect(searches() - before).toBe(2)
    const { risks } = await call(c, 'weather.risks', {
      from: at(day, 0),
      to: at(addDays(day, 1), 0),
    })
    const byId = new Map(risks.map((r) => [r.appointmentId, r]))
    expect(byId.get(jobs[0]?.id ?? '')?.risk).toBe('low')
    expect(byId.get(jobs[1]?.id ?? '')).toMatchObject({
      risk: 'unknown',
      reason: 'no forecast: the address was not found on the map',
    })
    await call(c, 'weather.refresh', {})
    expect(searches() - before).toBe(2)
    expect((await weatherRunStatus(c.db.pg)).lastError).toBeNull()
    await c.db.close()
  })

  it("says nothing of this laptop's own last refresh once a server refreshes for it", async () => {
    const c = await memoryCore()
    const g = await buildFixture(c)
    const client = await call(c, 'clients.create', { name: 'C', latitude: 40.3, longitude: -88.3 })
    await call(c, 'appointments.create', {
      clientId: client.id,
      serviceId: g.mowing.id,
      teamMemberId: g.ana.id,
      scheduledAt: at(addDays(localDay(Date.now(), ZONE), 2), 10),
      acceptConflict: true,
    })
    await call(c, 'weather.updateSettings', { forecastUrl: standin.url, geocodingUrl: standin.url })
    standin.fail('error500', { at: { latitude: 40.3, longitude: -88.3 } })
    await call(c, 'weather.refresh', {})
    const alone = await call(c, 'weather.status', {})
    expect(alone).toMatchObject({ source: 'this-laptop', lastError: expect.any(String) })
    await setState(c.db.pg, 'config', {
      serverUrl: 'http://127.0.0.1:9',
      token: 'gk_test',
      device: { id: 'd', label: 'Office', user: 'Ada', role: 'admin' },
    })
    expect(await call(c, 'weather.status', {})).toMatchObject({
      source: 'server',
      lastRefreshAt: null,
      lastError: null,
    })
    await c.db.close()
  })
})

describe('moving jobs', () => {
  it('moves all or none: a double booking at the last move leaves the first ones unmoved', async () => {
    const day = addDays(tuesday, 3)
    const one = await book(f.mowing.id, at(day, 8), f.ana.id)
    const two = await book(f.mowing.id, at(day, 10), f.ana.id)
    const wall = await book(f.mowing.id, at(addDays(day, 1), 10), f.ana.id)
    const err = await callError(ctx, 'appointments.moveMany', {
      moves: [
        { id: one.id, scheduledAt: at(addDays(day, 1), 8), teamMemberId: f.ana.id },
        { id: two.id, scheduledAt: at(addDays(day, 1), 10), teamMemberId: f.ana.id },
      ],
    })
    expect(err.code).toBe('CONFLICT')
    expect((await call(ctx, 'appointments.get', { id: one.id })).scheduledAt).toBe(at(day, 8))
    expect(wall.id).toBeTruthy()
    expect(shiftDays(Date.parse(at(day, 8)), 1, ZONE)).toBe(Date.parse(at(addDays(day, 1), 8)))
  })
})
