import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decode } from '../../../../shared/sync/hlc'
import { connect } from '../../../../testing/sync-harness'
import type { Db } from '../db/create-db'
import { call, memoryDb } from '../test/helpers'
import { readOutbox } from './store'
import { syncTestBed } from './test-bed.test-support'
import { readVersions } from './versions.test-support'
import { setWallClock } from './wall-clock.test-support'

/**
 * The laptop's hybrid logical clock is SQL (`sync_tick()`, migration 0005), so that the
 * outbox triggers stamp a write in its own transaction; these tests run that function,
 * with the wall clock it reads moved by `setWallClock`.
 */
describe("the laptop's clock (sync_tick)", () => {
  let db: Db
  beforeAll(async () => {
    db = await memoryDb()
  })
  afterAll(() => db.close())

  const tick = async () =>
    (await db.pg.query<{ t: string }>('SELECT sync_tick() AS t')).rows[0]?.t as string

  it('reads the real wall clock, and strictly increases over many ticks', async () => {
    const before = Date.now()
    const first = decode(await tick())
    expect(first.ms).toBeGreaterThanOrEqual(before - 5)
    expect(first.ms).toBeLessThanOrEqual(Date.now() + 5)
    const { rows } = await db.pg.query<{ t: string }>(
      'SELECT n, sync_tick() AS t FROM generate_series(1, 3000) AS n ORDER BY n',
    )
    const stamps = rows.map((r) => r.t)
    // In the order taken, each is later than the one before.
    for (let i = 1; i < stamps.length; i++)
      expect((stamps[i] as string) > (stamps[i - 1] as string)).toBe(true)
  })

  it('counts within one millisecond, and carries into the next at the counter limit', async () => {
    const T = Date.UTC(2030, 0, 1)
    await setWallClock(db.pg, { fixedMs: T })
    const a = decode(await tick())
    const b = decode(await tick())
    const c = decode(await tick())
    expect([a.ms, b.ms, c.ms]).toEqual([T, T, T])
    expect([b.counter - a.counter, c.counter - b.counter]).toEqual([1, 1])
    expect(new Set([a.node, b.node, c.node]).size).toBe(1)

    await db.pg.query(
      "UPDATE sync_clock SET last = lpad($1::text, 15, '0') || '-99999-' || node WHERE id = 1",
      [T],
    )
    expect(decode(await tick())).toMatchObject({ ms: T + 1, counter: 0 })
  })

  it('never goes backwards when the wall clock does, and follows it once it is past', async () => {
    const T = Date.UTC(2031, 0, 1)
    await setWallClock(db.pg, { fixedMs: T })
    const before = await tick()
    await setWallClock(db.pg, { fixedMs: T - 10 * 60_000 })
    const after = await tick()
    expect(after > before).toBe(true)
    expect(decode(after)).toMatchObject({ ms: T, counter: decode(before).counter + 1 })
    await setWallClock(db.pg, { fixedMs: T + 5 })
    expect(decode(await tick())).toMatchObject({ ms: T + 5, counter: 0 })
  })

  it('stamps each local write through the outbox trigger', async () => {
    await setWallClock(db.pg, { fixedMs: Date.UTC(2032, 0, 1) })
    const before = await tick()
    await db.pg.query(
      "INSERT INTO clients (id, name) VALUES ('0190f000-0000-7000-8000-000000000001', 'Stamp test')",
    )
    const after = await tick()
    const [entry] = await readOutbox(db.pg, 10)
    const stamp = entry?.mutation.hlc ?? ''
    expect(stamp > before && stamp < after).toBe(true)
  })
})

describe('the clock after a pull', () => {
  const bed = syncTestBed()

  it('moves past every pulled version: a later local edit wins over a laptop whose clock is ahead', async () => {
    const ahead = await bed.device('clock-ahead')
    const behind = await bed.device('clock-behind')
    await connect(ahead, bed.server)
    await connect(behind, bed.server)
    // Four minutes fast: inside what the server accepts, far beyond the time between the
    // two edits below.
    await setWallClock(ahead.ctx.db.pg, { offsetMs: 4 * 60_000 })
    const client = await call(ahead.ctx, 'clients.create', { name: 'Early Bird' })
    await call(ahead.ctx, 'sync.now', {})
    expect(await readOutbox(ahead.ctx.db.pg, 10)).toEqual([])

    await call(behind.ctx, 'sync.now', {})
    const [pulled] = await readVersions(behind.ctx.db.pg, { table: 'clients', id: client.id })
    const seen = pulled?.versions.name as string
    expect(decode(seen).ms).toBeGreaterThan(Date.now() + 3 * 60_000)

    // The next local write on the laptop that is behind is stamped after what it pulled...
    await call(behind.ctx, 'clients.update', { id: client.id, name: 'Early Bird Lawns' })
    const [edit] = await readOutbox(behind.ctx.db.pg, 10)
    expect((edit?.mutation.hlc as string) > seen).toBe(true)
    // ...so it wins everywhere, as the person who made it last expects.
    await call(behind.ctx, 'sync.now', {})
    await call(ahead.ctx, 'sync.now', {})
    expect((await call(ahead.ctx, 'clients.get', { id: client.id })).name).toBe('Early Bird Lawns')
    await bed.agree(ahead, behind)
  })
})

describe('start and completion times', () => {
  it('are taken from the clock that stamps the write, so the server agrees with them', async () => {
    const { buildFixture } = await import('../test/fixture')
    const { memoryCore } = await import('../test/helpers')
    const ctx = await memoryCore()
    try {
      const f = await buildFixture(ctx)
      const { appointment } = await call(ctx, 'appointments.create', {
        clientId: f.smith.id,
        serviceId: f.mowing.id,
        teamMemberId: f.ana.id,
        scheduledAt: '2027-02-01T15:00:00Z',
      })
      // As after pulling from a laptop whose clock runs 4 minutes ahead of this one's.
      const ahead = Date.now() + 4 * 60_000
      await ctx.db.pg.query(
        "UPDATE sync_clock SET last = lpad($1::text, 15, '0') || '-00000-' || node WHERE id = 1",
        [ahead],
      )
      const { appointment: started } = await call(ctx, 'appointments.setStatus', {
        id: appointment.id,
        status: 'in_progress',
      })
      const entries = await readOutbox(ctx.db.pg, 1000)
      const write = entries.find(
        (e) => e.mutation.rowId === appointment.id && e.mutation.fields.status === 'in_progress',
      )
      const stamped = decode(write?.mutation.hlc ?? '').ms
      expect(stamped).toBeGreaterThanOrEqual(ahead)
      expect(Math.abs(Date.parse(started.startedAt ?? '') - stamped)).toBeLessThan(1000)
    } finally {
      await ctx.db.close()
    }
  })
})
