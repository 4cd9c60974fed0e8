import { describe, expect, it } from 'vitest'
import { addDays, localDay } from '../../../../shared/domain/time'
import { connect, type Device } from '../../../../testing/sync-harness'
import type { AppContext } from '../context'
import { reconcileRoots } from '../series/store'
import { buildFixture } from '../test/fixture'
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

async function visits(ctx: AppContext): Promise<Row[]> {
  const { rows } = await ctx.db.pg.query<Row>(
    `SELECT id, series_occurrence::text AS day, status, series_exception AS exception,
       to_char(scheduled_at AT TIME ZONE '${ZONE}', 'HH24:MI') AS at, price::text,
       deleted_at IS NOT NULL AS deleted
     FROM appointments WHERE series_id IS NOT NULL ORDER BY series_occurrence`,
  )
  return rows
}

describe('a series edited on two laptops', () => {
  it('converges with no visit duplicated or lost', async () => {
    const a = await bed.device('series-a')
    const b = await bed.device('series-b')
    const f = await buildFixture(a.ctx)
    await connect(a, bed.server)
    await connect(b, bed.server)
    const today = localDay(Date.now(), ZONE)
    await call(a.ctx, 'series.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      rule: { kind: 'weekly', weekdays: ['MO', 'TH'] },
      startsOn: addDays(today, 1),
      startTime: '08:30',
    })
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
