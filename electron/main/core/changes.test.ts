import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChangedNotice } from '../../../shared/contract/tables'
import { connect } from '../../../testing/sync-harness'
import type { AppContext } from './context'
import { syncTestBed } from './sync/test-bed.test-support'
import { buildFixture } from './test/fixture'
import { call, callError, memoryCore } from './test/helpers'

/** Every notice the core gives while `run` runs. */
async function noticesDuring(ctx: AppContext, run: () => Promise<unknown>) {
  const seen: ChangedNotice[] = []
  const stop = ctx.changes.subscribe((n) => seen.push(n))
  try {
    await run()
  } finally {
    stop()
  }
  return seen
}

describe('changed notices from dispatch', () => {
  let ctx: AppContext
  let fixture: Awaited<ReturnType<typeof buildFixture>>
  beforeAll(async () => {
    ctx = await memoryCore()
    fixture = await buildFixture(ctx)
  })
  afterAll(() => ctx.db.close())

  it('name the tables a successful write touched', async () => {
    const seen = await noticesDuring(ctx, () =>
      call(ctx, 'clients.update', { id: fixture.smith.id, notes: 'side gate' }),
    )
    expect(seen).toEqual([{ tables: ['clients'] }])
    const booked = await noticesDuring(ctx, () =>
      call(ctx, 'appointments.create', {
        clientId: fixture.smith.id,
        serviceId: fixture.mowing.id,
        scheduledAt: '2027-05-03T15:00:00Z',
      }),
    )
    expect(booked).toEqual([{ tables: ['appointments', 'appointment_products'] }])
  })

  it('say nothing for reads and for refused writes', async () => {
    const seen = await noticesDuring(ctx, async () => {
      await call(ctx, 'clients.list', {})
      await call(ctx, 'calendar.range', {
        from: '2027-05-03T00:00:00Z',
        to: '2027-05-10T00:00:00Z',
      })
      await callError(ctx, 'clients.update', { id: fixture.smith.id, email: 'not an email' })
      await callError(ctx, 'catalog.products.update', { id: fixture.mulch.id, unitPrice: '-3' })
    })
    expect(seen).toEqual([])
  })

  it('keep telling the others when one listener throws', async () => {
    const stopBad = ctx.changes.subscribe(() => {
      throw new Error('a broken window')
    })
    try {
      const seen = await noticesDuring(ctx, () =>
        call(ctx, 'catalog.services.update', { id: fixture.mowing.id, basePrice: '56' }),
      )
      expect(seen).toEqual([{ tables: ['services'] }])
    } finally {
      stopBad()
    }
  })
})

describe('changed notices from sync', () => {
  const bed = syncTestBed()

  it('name the tables a pull merged rows into, and nothing when it merged none', async () => {
    const office = await bed.device('changes-office')
    const field = await bed.device('changes-field')
    await connect(office, bed.server)
    await connect(field, bed.server)
    await call(field.ctx, 'sync.now', {})
    const fixture = await buildFixture(office.ctx)
    await call(office.ctx, 'team.update', { id: fixture.ana.id, color: '#123456' })
    await call(office.ctx, 'sync.now', {})

    const pulled = await noticesDuring(field.ctx, () => call(field.ctx, 'sync.now', {}))
    const tables = new Set(pulled.flatMap((n) => n.tables))
    for (const t of ['team_members', 'services', 'clients', 'products']) expect(tables).toContain(t)

    // A round with nothing new merged tells only of the link itself (the round, the call).
    const quiet = await noticesDuring(field.ctx, () => call(field.ctx, 'sync.now', {}))
    expect([...new Set(quiet.flatMap((n) => n.tables))].sort()).toEqual(['sync_link', 'sync_state'])
  })
})
