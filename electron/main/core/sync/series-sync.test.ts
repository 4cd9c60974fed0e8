import { describe, expect, it } from 'vitest'
import type { ChannelInput } from '../../../../shared/contract'
import type { Weekday } from '../../../../shared/domain/series-rule'
import { addDays, localDay } from '../../../../shared/domain/time'
import { connect, type Device } from '../../../../testing/sync-harness'
import type { AppContext } from '../context'
import { reconcileRoots } from '../series/store'
import { buildFixture, type Fixture } from '../test/fixture'
import { call } from '../test/helpers'
import { syncTestBed } from './test-bed.test-support'

/**
 * Two laptops edit one series offline — each splits it at a different visit, one skips a
 * visit, the other moves one, both extend it as days pass — then sync, reconcile what they
 * pulled, and sync again: both hold the server's rows, one visit per day, none lost, each
 * edit kept where it applies.
 */
const bed = syncTestBed()
const ZONE = 'America/Chicago'
const DAY = 86_400_000

/** Syncs, lets the pulled series be reconciled, and syncs what that wrote. */
async function sync(d: Device) {
  await call(d.ctx, 'sync.now', {})
  await d.ctx.horizon.settled()
  await call(d.ctx, 'sync.now', {})
}

interface Row {
  id: string
  day: string
  at: string
  price: string
  status: string
  exception: boolean
  deleted: boolean
}

/** The visits of every series, or of the one whose root is given. */
async function visits(ctx: AppContext, rootId?: string): Promise<Row[]> {
  const { rows } = await ctx.db.pg.query<Row>(
    `SELECT a.id, a.series_occurrence::text AS day, a.status, a.series_exception AS exception,
       to_char(a.scheduled_at AT TIME ZONE '${ZONE}', 'HH24:MI') AS at, a.price::text,
       a.deleted_at IS NOT NULL AS deleted
     FROM appointments a JOIN series s ON s.id = a.series_id
     WHERE $1::uuid IS NULL OR s.root_id = $1 ORDER BY a.series_occurrence`,
    [rootId ?? null],
  )
  return rows
}

/** Two laptops connected to the test server, the first holding the usual fixture. */
async function twoLaptops(a: string, b: string) {
  const devices = [await bed.device(a), await bed.device(b)] as const
  const f = await buildFixture(devices[0].ctx)
  for (const d of devices) await connect(d, bed.server)
  return { a: devices[0], b: devices[1], f }
}

/**
 * A weekly series from tomorrow on, booked on `d`: Smith's mowing by Ana on Mondays and
 * Thursdays at 08:30 unless told otherwise. Its root.
 */
async function weeklySeries(
  d: Device,
  f: Fixture,
  change: Partial<Pick<ChannelInput<'series.create'>, 'clientId' | 'startTime'>> & {
    weekdays?: Weekday[]
  } = {},
) {
  const { weekdays = ['MO', 'TH'], ...rest } = change
  const { summary } = await call(d.ctx, 'series.create', {
    clientId: f.smith.id,
    serviceId: f.mowing.id,
    teamMemberId: f.ana.id,
    startTime: '08:30',
    ...rest,
    rule: { kind: 'weekly', weekdays },
    startsOn: addDays(localDay(Date.now(), ZONE), 1),
  })
  return summary.rootId
}

describe('a series edited on two laptops', () => {
  it('converges with no visit duplicated or lost', async () => {
    const { a, b, f } = await twoLaptops('series-a', 'series-b')
    await weeklySeries(a, f)
    await sync(a)
    await sync(b)
    const booked = (await visits(b.ctx)).filter((v) => !v.deleted)
    expect(booked.map((v) => v.id)).toEqual((await visits(a.ctx)).map((v) => v.id))
    const at = (n: number) => booked[n] as Row

    // Offline: A changes the time from the 4th visit on and skips the 8th; B changes the
    // price from the 6th on and moves the 2nd on its own.
    await call(b.ctx, 'session.switch', { userId: b.adminId, pin: '1357' })
    await call(a.ctx, 'series.update', {
      visitId: at(3).id,
      scope: 'following',
      changes: { startTime: '10:00' },
    })
    await call(a.ctx, 'series.skip', { visitId: at(7).id })
    await call(b.ctx, 'series.update', {
      visitId: at(5).id,
      scope: 'following',
      changes: { price: '70' },
    })
    await call(b.ctx, 'appointments.update', { id: at(1).id, notes: 'Dog in the yard' })
    // Days pass on both: each extends the series by itself.
    for (const d of [a, b])
      await d.ctx.db.db.transaction((tx) => reconcileRoots(tx, undefined, Date.now() + 10 * DAY))

    for (const d of [a, b, a, b]) await sync(d)
    await bed.agree(a, b)

    const rows = await visits(a.ctx)
    const live = rows.filter((v) => !v.deleted)
    expect(new Set(live.map((v) => v.day)).size).toBe(live.length)
    expect(live.length).toBeGreaterThan(booked.length)
    const byId = new Map(live.map((v) => [v.id, v]))
    expect(byId.get(at(0).id)).toMatchObject({ at: '08:30', price: '55.00' })
    expect(byId.get(at(1).id)).toMatchObject({ exception: true, at: '08:30' })
    expect(byId.get(at(3).id)).toMatchObject({ at: '10:00', price: '55.00' })
    expect(byId.get(at(4).id)).toMatchObject({ at: '10:00', price: '55.00' })
    // B split from the 6th visit with the time it knew: that part keeps it, at B's price.
    expect(byId.get(at(5).id)).toMatchObject({ at: '08:30', price: '70.00' })
    expect(byId.get(at(7).id)).toMatchObject({ status: 'cancelled', exception: true })
    // Every day the merged series has from the first visit on is booked, once.
    expect(live.map((v) => v.day)).toEqual([...new Set(rows.map((v) => v.day))])
  }, 120_000)
})

describe('a visit changed on one laptop while its series changes on another', () => {
  it.each([
    ['the visit', 'reaches the server first'],
    ['the series', 'reaches the server first'],
  ])(
    "keeps the person's change to the visit when %s %s",
    async (first) => {
      const { a, b, f } = await twoLaptops(`series-c-${first}`, `series-d-${first}`)
      const rootId = await weeklySeries(a, f)
      await sync(a)
      await sync(b)
      const booked = (await visits(b.ctx, rootId)).filter((v) => !v.deleted)
      const at = (n: number) => booked[n] as Row
      const moved = await call(b.ctx, 'appointments.get', { id: at(1).id })

      // Offline, B first: moves the 2nd visit to 14:00, deletes the 3rd, notes the 4th and
      // moves the 7th. Then A, later by the clock: the whole series to 10:00 at $80, and
      // the series ended from the 6th visit on.
      await call(b.ctx, 'session.switch', { userId: b.adminId, pin: '1357' })
      const twoPm = (iso: string, hour: number) => {
        const d = new Date(iso)
        d.setUTCHours(d.getUTCHours() + hour)
        return d.toISOString()
      }
      await call(b.ctx, 'appointments.update', {
        id: at(1).id,
        scheduledAt: twoPm(moved.scheduledAt, 6),
      })
      await call(b.ctx, 'appointments.delete', { id: at(2).id })
      await call(b.ctx, 'appointments.update', { id: at(3).id, notes: 'Gate code 1234' })
      const seventh = await call(b.ctx, 'appointments.get', { id: at(6).id })
      await call(b.ctx, 'appointments.update', {
        id: at(6).id,
        scheduledAt: twoPm(seventh.scheduledAt, 7),
      })
      await call(a.ctx, 'series.update', {
        visitId: at(0).id,
        scope: 'all',
        changes: { startTime: '10:00', price: '80' },
      })
      await call(a.ctx, 'series.end', { visitId: at(5).id, scope: 'following' })

      for (const d of first === 'the visit' ? [b, a, b, a] : [a, b, a, b]) await sync(d)
      await bed.agree(a, b)

      const rows = await visits(a.ctx, rootId)
      const byId = new Map(rows.map((v) => [v.id, v]))
      const live = rows.filter((v) => !v.deleted)
      expect(new Set(live.map((v) => v.day)).size).toBe(live.length)
      expect(byId.get(at(0).id)).toMatchObject({ at: '10:00', price: '80.00', deleted: false })
      // Moved on B: stays where B put it; the price B did not touch follows the series.
      expect(byId.get(at(1).id)).toMatchObject({ at: '14:30', price: '80.00', exception: true })
      expect(byId.get(at(2).id)).toMatchObject({ deleted: true })
      expect(byId.get(at(3).id)).toMatchObject({ at: '10:00', exception: true, deleted: false })
      expect(byId.get(at(4).id)).toMatchObject({ at: '10:00', deleted: false })
      expect(byId.get(at(5).id)).toMatchObject({ deleted: true })
      // Moved on B while A ended the series: B's visit stays booked, as it would had B
      // moved it after the end.
      expect(byId.get(at(6).id)).toMatchObject({ at: '15:30', exception: true, deleted: false })
      expect(byId.get(at(7).id)).toMatchObject({ deleted: true })
    },
    120_000,
  )
})

describe('a double booking of a series visit, settled by unassigning the visit', () => {
  it('makes it an exception: the series leaves it unassigned and where it was', async () => {
    const { a, b, f } = await twoLaptops('series-e', 'series-f')
    await sync(a)
    await sync(b)
    const rootId = await weeklySeries(a, f, {
      clientId: f.jones.id,
      weekdays: ['TU'],
      startTime: '07:15',
    })
    const [first] = await visits(a.ctx, rootId)
    const visit = await call(a.ctx, 'appointments.get', { id: first?.id ?? '' })
    // B, not having seen the series, books Ana at the time of its first visit.
    await call(b.ctx, 'session.switch', { userId: b.adminId, pin: '1357' })
    const { appointment: other } = await call(b.ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: visit.scheduledAt,
    })
    for (const d of [a, b, a]) await sync(d)
    const { conflicts } = await call(a.ctx, 'sync.conflicts', { status: 'open' })
    const c = conflicts.find(
      (x) => x.kind === 'double_booking' && [x.sides[0].rowId, x.sides[1].rowId].includes(visit.id),
    )
    expect(c?.sides.map((s) => s.rowId).sort()).toEqual([visit.id, other.id].sort())
    await call(a.ctx, 'sync.resolve', {
      id: c?.id ?? '',
      resolution: c?.sides[0].rowId === visit.id ? 'unassign_first' : 'unassign_second',
    })
    // Later, the whole series moves to 09:00.
    await call(a.ctx, 'series.update', {
      visitId: visit.id,
      scope: 'all',
      changes: { startTime: '09:00' },
    })
    for (const d of [a, b, a, b]) await sync(d)
    await bed.agree(a, b)
    for (const d of [a, b]) {
      const [kept, second] = await visits(d.ctx, rootId)
      expect(kept).toMatchObject({ id: visit.id, at: '07:15', exception: true, deleted: false })
      expect(second).toMatchObject({ at: '09:00', exception: false })
      const job = await call(d.ctx, 'appointments.get', { id: visit.id })
      expect(job.teamMemberId).toBeNull()
    }
  }, 120_000)
})

describe('a visit its crew starts while the series changes on another laptop', () => {
  it.each([['the start'], ['the series change']])(
    'stays where the crew started it when %s reaches the server first',
    async (first) => {
      const office = await bed.device(`series-office-${first}`)
      const f = await buildFixture(office.ctx)
      await connect(office, bed.server)
      const rootId = await weeklySeries(office, f)
      await sync(office)
      // Ana's crew lead, on a laptop connected as Ana's crew.
      const crew = await bed.crewLaptop(`series-crew-${first}`, f.ana.id)
      const booked = (await visits(crew.ctx, rootId)).filter((v) => !v.deleted)
      const at = (n: number) => booked[n] as Row

      // Offline, the crew starts the 1st visit and completes the 2nd; the office, not
      // having seen either, moves the whole series to 10:00 and ends it from the 2nd on.
      await call(crew.ctx, 'appointments.setStatus', { id: at(0).id, status: 'in_progress' })
      await call(crew.ctx, 'appointments.setStatus', { id: at(1).id, status: 'completed' })
      await call(office.ctx, 'series.update', {
        visitId: at(0).id,
        scope: 'all',
        changes: { startTime: '10:00' },
      })
      await call(office.ctx, 'series.end', { visitId: at(1).id, scope: 'following' })

      for (const d of first === 'the start'
        ? [crew, office, crew, office]
        : [office, crew, office, crew])
        await sync(d)
      await bed.agree(office, crew)

      for (const d of [office, crew]) {
        const byId = new Map((await visits(d.ctx, rootId)).map((v) => [v.id, v]))
        expect(byId.get(at(0).id)).toMatchObject({
          at: '08:30',
          status: 'in_progress',
          deleted: false,
        })
        expect(byId.get(at(1).id)).toMatchObject({
          at: '08:30',
          status: 'completed',
          deleted: false,
        })
        expect(byId.get(at(2).id)).toMatchObject({ deleted: true })
      }
      // No removal stood against the crew's work: nothing for the office to settle.
      const { conflicts } = await call(office.ctx, 'sync.conflicts', { status: 'open' })
      expect(conflicts).toEqual([])
    },
    120_000,
  )
})
