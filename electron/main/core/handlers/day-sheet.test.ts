import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AppContext } from '../context'
import { buildFixture, type Fixture, TEST_PIN } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'

/** A crew's day on paper: the jobs of one local day, in order, with where and what to bring. */
let ctx: AppContext
let f: Fixture
beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
  await call(ctx, 'settings.update', { timeZone: 'America/Chicago' })
  await call(ctx, 'notifications.updateSettings', { businessName: 'Greenway Gardens' })
  await call(ctx, 'clients.update', {
    id: f.smith.id,
    phone: '(555) 010-2030',
    address: '12 Elm Street, Springfield',
    postalCode: '60601',
    latitude: 41.88,
    longitude: -87.63,
  })
  await call(ctx, 'clients.update', { id: f.jones.id, address: '4 Oak Court' })
})
afterAll(() => ctx.db.close())
beforeEach(async () => {
  await ctx.db.pg.exec('DELETE FROM appointments')
  await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
})

const book = async (
  scheduledAt: string,
  overrides: { clientId?: string; teamMemberId?: string | null; [k: string]: unknown } = {},
) =>
  (
    await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt,
      acceptConflict: true,
      ...overrides,
    })
  ).appointment

/** What to bring: there is no channel for a job's product lines yet, so they are rows here. */
async function bring(appointmentId: string, productId: string, quantity: string) {
  await ctx.db.pg.query(
    `INSERT INTO appointment_products (id, appointment_id, product_id, quantity, unit_price)
     VALUES (gen_random_uuid(), $1, $2, $3, 42)`,
    [appointmentId, productId, quantity],
  )
}

// 2027-05-04 in Chicago (UTC-5) runs from 05:00Z that day to 05:00Z the next.
describe('the day sheet', () => {
  it("lists one crew member's jobs of the local day in time order, with place, phone and products", async () => {
    const late = await book('2027-05-05T04:30:00Z', { clientId: f.jones.id, notes: 'Gate B' })
    const early = await book('2027-05-04T13:00:00Z')
    const elsewhere = await book('2027-05-04T15:00:00Z', { location: 'Plot 7, Canal Lane' })
    const seed = await call(ctx, 'catalog.products.create', {
      name: 'Grass seed',
      unit: 'bag',
      unitPrice: '30',
    })
    await bring(early.id, f.mulch.id, '2.50')
    await bring(early.id, seed.id, '1')
    // Not on the sheet: the day before and after (local), cancelled, another crew, deleted.
    await book('2027-05-04T04:59:00Z')
    await book('2027-05-05T05:00:00Z')
    const cancelled = await book('2027-05-04T16:00:00Z')
    await call(ctx, 'appointments.setStatus', { id: cancelled.id, status: 'cancelled' })
    await book('2027-05-04T17:00:00Z', { teamMemberId: f.ben.id })
    const deleted = await book('2027-05-04T18:00:00Z')
    await call(ctx, 'appointments.delete', { id: deleted.id })

    const sheet = await call(ctx, 'daySheet.get', { date: '2027-05-04', crew: f.ana.id })
    expect(sheet).toMatchObject({
      date: '2027-05-04',
      timeZone: 'America/Chicago',
      businessName: 'Greenway Gardens',
    })
    expect(sheet.crews.map((c) => [c.teamMemberId, c.name])).toEqual([[f.ana.id, 'Ana Crew']])
    const jobs = sheet.crews[0]?.jobs ?? []
    expect(jobs.map((j) => j.id)).toEqual([early.id, elsewhere.id, late.id])
    expect(jobs[0]).toMatchObject({
      scheduledAt: '2027-05-04T13:00:00.000Z',
      endsAt: '2027-05-04T14:00:00.000Z',
      clientName: 'Smith Residence',
      clientPhone: '(555) 010-2030',
      place: '12 Elm Street, Springfield, 60601',
      latitude: 41.88,
      longitude: -87.63,
      serviceName: 'Lawn mowing',
      products: [
        { name: 'Grass seed', unit: 'bag', quantity: '1' },
        { name: 'Hardwood mulch', unit: 'cu yd', quantity: '2.5' },
      ],
    })
    // Its own place: the client's coordinates do not point there.
    expect(jobs[1]).toMatchObject({ place: 'Plot 7, Canal Lane', latitude: null, longitude: null })
    expect(jobs[2]).toMatchObject({
      clientName: 'Jones HOA',
      clientPhone: null,
      place: '4 Oak Court',
      notes: 'Gate B',
      products: [],
    })
  })

  it('gives when each job was really started and finished, not only that it was', async () => {
    const done = await book('2027-05-04T13:00:00Z')
    const going = await book('2027-05-04T15:00:00Z')
    const waiting = await book('2027-05-04T17:00:00Z')
    await call(ctx, 'appointments.setStatus', { id: done.id, status: 'in_progress' })
    await call(ctx, 'appointments.setStatus', { id: done.id, status: 'completed' })
    await call(ctx, 'appointments.setStatus', { id: going.id, status: 'in_progress' })
    const stamps = async (id: string) => {
      const { startedAt, completedAt } = await call(ctx, 'appointments.get', { id })
      return { startedAt, completedAt }
    }
    const sheet = await call(ctx, 'daySheet.get', { date: '2027-05-04', crew: f.ana.id })
    const jobs = sheet.crews[0]?.jobs ?? []
    expect(jobs.map((j) => j.id)).toEqual([done.id, going.id, waiting.id])
    expect(jobs[0]).toMatchObject(await stamps(done.id))
    expect(jobs[0]?.completedAt).toEqual(expect.any(String))
    expect(jobs[1]).toMatchObject({ ...(await stamps(going.id)), completedAt: null })
    expect(jobs[1]?.startedAt).toEqual(expect.any(String))
    expect(jobs[2]).toMatchObject({ startedAt: null, completedAt: null })
  })

  it("names a crew member's empty day rather than leaving the sheet blank", async () => {
    const sheet = await call(ctx, 'daySheet.get', { date: '2027-05-04', crew: f.ben.id })
    expect(sheet.crews).toEqual([{ teamMemberId: f.ben.id, name: 'Ben Crew', jobs: [] }])
  })

  it("gives everyone's day, one crew after another by name, unassigned jobs last", async () => {
    const unassigned = await book('2027-05-04T12:00:00Z', { teamMemberId: null })
    const ben = await book('2027-05-04T14:00:00Z', { teamMemberId: f.ben.id })
    const ana2 = await book('2027-05-04T16:00:00Z')
    const ana1 = await book('2027-05-04T13:00:00Z')
    const sheet = await call(ctx, 'daySheet.get', { date: '2027-05-04', crew: 'all' })
    expect(sheet.crews.map((c) => [c.name, c.jobs.map((j) => j.id)])).toEqual([
      ['Ana Crew', [ana1.id, ana2.id]],
      ['Ben Crew', [ben.id]],
      ['Unassigned', [unassigned.id]],
    ])
  })

  it("lets a crew lead print only their own crew's sheet", async () => {
    const mine = await book('2027-05-04T13:00:00Z')
    await call(ctx, 'session.switch', { userId: f.lead.id })
    const sheet = await call(ctx, 'daySheet.get', { date: '2027-05-04', crew: f.ana.id })
    expect(sheet.crews[0]?.jobs.map((j) => j.id)).toEqual([mine.id])
    for (const crew of [f.ben.id, 'all']) {
      const error = await callError(ctx, 'daySheet.get', { date: '2027-05-04', crew })
      expect(error).toMatchObject({
        code: 'FORBIDDEN',
        message: "a crew lead may print only their own crew's day sheet",
      })
    }
  })

  it('refuses an impossible date and a crew that is not chosen from the list', async () => {
    for (const input of [
      { date: '2027-02-30', crew: 'all' },
      { date: '4 May', crew: 'all' },
      { date: '2027-05-04', crew: 'everyone' },
    ]) {
      expect(await callError(ctx, 'daySheet.get', input as never)).toMatchObject({
        code: 'VALIDATION',
      })
    }
    const error = await callError(ctx, 'daySheet.get', { date: '2027-05-04', crew: 'everyone' })
    expect(error.issues?.[0]?.message).toBe('must be chosen from the list, or all')
  })
})
