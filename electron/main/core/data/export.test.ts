import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Appointment } from '../../../../shared/contract/appointments'
import { weekdayOf } from '../../../../shared/domain/series-rule'
import { addDays, localDay } from '../../../../shared/domain/time'
import type { AppContext } from '../context'
import { buildFixture, type Fixture } from '../test/fixture'
import { call, memoryCore } from '../test/helpers'

/** JSON exports: times in the business's zone with their offset, the zone named. */
const ZONE = 'America/Chicago'
const ZONED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/
/** The instant to the second: zoned times are written in whole seconds (time.ts, zonedIso). */
const toSecond = (iso: unknown) => Math.floor(Date.parse(String(iso)) / 1000) * 1000

let ctx: AppContext
let f: Fixture
beforeAll(async () => {
  ctx = await memoryCore()
  // Confirmations and reminders are not what these tests are about.
  await ctx.notifier.stop()
  f = await buildFixture(ctx)
  await call(ctx, 'settings.update', { timeZone: ZONE })
})
afterAll(async () => {
  await ctx.horizon.settled()
  await ctx.db.close()
})

type Exported = Record<string, unknown> & { timeZone: string }
const exportJson = async (kind: 'appointments' | 'clients' | 'services' | 'products') =>
  JSON.parse((await call(ctx, 'data.export', { kind, format: 'json' })).content) as Exported[]

/** Every text in the file that is an instant in UTC (`...Z`): none should be left. */
const utcInstants = (records: readonly Exported[]) =>
  records.flatMap((r) =>
    Object.values(r).filter((v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT.*Z$/.test(v)),
  )

describe('JSON exports in the business zone', () => {
  it('writes a job’s times as Chicago’s clock with the offset of the day, naming the zone', async () => {
    const book = async (scheduledAt: string) =>
      (
        await call(ctx, 'appointments.create', {
          clientId: f.smith.id,
          serviceId: f.mowing.id,
          scheduledAt,
          durationMinutes: 90,
        })
      ).appointment
    // 10:00 AM in Chicago: daylight time in July (UTC-5), standard time in January (UTC-6).
    const summer = await book('2027-07-15T15:00:00Z')
    const winter = await book('2027-01-14T16:00:00Z')
    // A job done has its start and end of work stamped: instants too.
    await call(ctx, 'appointments.setStatus', { id: winter.id, status: 'in_progress' })
    const done = (await call(ctx, 'appointments.setStatus', { id: winter.id, status: 'completed' }))
      .appointment

    const records = await exportJson('appointments')
    // Still an array of records, as readers of the file expect.
    expect(Array.isArray(records)).toBe(true)
    const byId = (a: Appointment) => records.find((r) => r.id === a.id)
    expect(byId(summer)).toMatchObject({
      scheduledAt: '2027-07-15T10:00:00-05:00',
      endsAt: '2027-07-15T11:30:00-05:00',
      status: 'scheduled',
      timeZone: ZONE,
    })
    expect(byId(winter)).toMatchObject({
      scheduledAt: '2027-01-14T10:00:00-06:00',
      endsAt: '2027-01-14T11:30:00-06:00',
      timeZone: ZONE,
    })
    // The bookkeeping times too, each still the instant stored (to the second).
    for (const a of [summer, done]) {
      const r = byId(a)
      for (const field of ['createdAt', 'updatedAt'] as const) {
        expect(r?.[field]).toMatch(ZONED)
        expect(toSecond(r?.[field])).toBe(toSecond(a[field]))
      }
    }
    for (const field of ['startedAt', 'completedAt'] as const) {
      expect(byId(winter)?.[field]).toMatch(ZONED)
      expect(toSecond(byId(winter)?.[field])).toBe(toSecond(done[field]))
    }
    expect(utcInstants(records)).toEqual([])
  })

  it('leaves a date without a time as it is', async () => {
    const today = localDay(Date.now(), ZONE)
    await call(ctx, 'series.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      rule: { kind: 'weekly', weekdays: [weekdayOf(addDays(today, 1))] },
      startsOn: today,
      endsOn: addDays(today, 7),
      startTime: '08:30',
    })
    await ctx.horizon.settled()
    const visit = (await exportJson('appointments')).find((r) => r.seriesOccurrence)
    expect(visit?.seriesOccurrence).toBe(addDays(today, 1))
    expect(visit?.scheduledAt).toMatch(new RegExp(`^${addDays(today, 1)}T08:30:00-0[56]:00$`))
  })

  it('writes clients, services and products’ times in the zone, naming it', async () => {
    for (const kind of ['clients', 'services', 'products'] as const) {
      const records = await exportJson(kind)
      expect(records.length).toBeGreaterThan(0)
      for (const r of records) {
        expect(r.timeZone).toBe(ZONE)
        expect(r.createdAt).toMatch(ZONED)
        expect(r.updatedAt).toMatch(ZONED)
      }
      expect(utcInstants(records)).toEqual([])
    }
    const [smith] = (await exportJson('clients')).filter((r) => r.id === f.smith.id)
    expect(toSecond(smith?.createdAt)).toBe(toSecond(f.smith.createdAt))
  })
})
