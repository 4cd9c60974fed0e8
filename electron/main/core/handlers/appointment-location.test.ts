import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AppContext } from '../context'
import { buildFixture, type Fixture, snapshot, TEST_PIN } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'

/** An appointment's own location: a postcode or an address, else the client's address. */
let ctx: AppContext
let f: Fixture
beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
  await call(ctx, 'clients.update', {
    id: f.smith.id,
    address: '12 Elm Street, Leeds',
    postalCode: 'LS1 4AP',
  })
})
afterAll(() => ctx.db.close())
beforeEach(async () => {
  await ctx.db.pg.exec('DELETE FROM appointments')
  await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
})

const book = (overrides: Record<string, unknown> = {}) =>
  call(ctx, 'appointments.create', {
    clientId: f.smith.id,
    serviceId: f.mowing.id,
    teamMemberId: f.ana.id,
    scheduledAt: '2026-06-01T14:00:00Z',
    ...overrides,
  })

describe('an appointment’s location', () => {
  it('is stored trimmed, and an empty one is none (null)', async () => {
    const { appointment } = await book({ location: '  Plot 7, Canal Lane  ' })
    expect(appointment.location).toBe('Plot 7, Canal Lane')
    expect((await call(ctx, 'appointments.get', { id: appointment.id })).location).toBe(
      'Plot 7, Canal Lane',
    )
    expect((await book({ scheduledAt: '2026-06-02T14:00:00Z' })).appointment.location).toBeNull()
    const blank = await book({ scheduledAt: '2026-06-03T14:00:00Z', location: '   ' })
    expect(blank.appointment.location).toBeNull()
  })

  it('is changed by an edit, kept when the edit leaves it out, and cleared by an empty one', async () => {
    const { appointment } = await book()
    const set = await call(ctx, 'appointments.update', { id: appointment.id, location: 'LS6 2AB' })
    expect(set.appointment.location).toBe('LS6 2AB')
    const other = await call(ctx, 'appointments.update', { id: appointment.id, notes: 'gate' })
    expect(other.appointment.location).toBe('LS6 2AB')
    const cleared = await call(ctx, 'appointments.update', { id: appointment.id, location: '' })
    expect(cleared.appointment.location).toBeNull()
    const nulled = await call(ctx, 'appointments.update', { id: appointment.id, location: null })
    expect(nulled.appointment.location).toBeNull()
  })

  it('is refused beyond 500 characters, naming the field and writing nothing', async () => {
    const { appointment } = await book({ location: 'x'.repeat(500) })
    expect(appointment.location).toHaveLength(500)
    const before = await snapshot(ctx)
    for (const err of [
      await callError(ctx, 'appointments.update', {
        id: appointment.id,
        location: 'y'.repeat(501),
      }),
      await callError(ctx, 'appointments.create', {
        clientId: f.smith.id,
        serviceId: f.mowing.id,
        scheduledAt: '2026-06-04T14:00:00Z',
        location: 'y'.repeat(501),
      }),
      await callError(ctx, 'appointments.create', {
        clientId: f.smith.id,
        serviceId: f.mowing.id,
        scheduledAt: '2026-06-04T14:00:00Z',
        location: 42,
      }),
    ]) {
      expect(err.code).toBe('VALIDATION')
      expect(err.issues?.map((i) => i.path)).toEqual(['location'])
    }
    expect(await snapshot(ctx)).toBe(before)
  })

  it('is for the office to change: a crew lead is refused, and may send it unchanged', async () => {
    const { appointment } = await book({ location: 'LS6 2AB' })
    await call(ctx, 'session.switch', { userId: f.lead.id })
    const before = await snapshot(ctx)
    const err = await callError(ctx, 'appointments.update', {
      id: appointment.id,
      location: 'Somewhere else',
    })
    expect(err.code).toBe('FORBIDDEN')
    expect(err.issues?.map((i) => i.path)).toEqual(['location'])
    expect(await snapshot(ctx)).toBe(before)
    const noted = await call(ctx, 'appointments.update', {
      id: appointment.id,
      location: 'LS6 2AB',
      notes: 'ring twice',
    })
    expect(noted.appointment).toMatchObject({ location: 'LS6 2AB', notes: 'ring twice' })
  })

  it('goes with a crew lead’s follow-up: the place of the visit it follows', async () => {
    const { appointment } = await book({ location: 'Plot 7, Canal Lane' })
    await call(ctx, 'session.switch', { userId: f.lead.id })
    const { appointment: next } = await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      scheduledAt: '2099-06-08T14:00:00Z',
      followUpOfId: appointment.id,
    })
    expect(next.location).toBe('Plot 7, Canal Lane')
  })

  it('is found by the list’s search', async () => {
    const { appointment } = await book({ location: 'Canal Lane allotments' })
    await book({ scheduledAt: '2026-06-05T14:00:00Z' })
    const found = await call(ctx, 'appointments.list', { search: 'allotment' })
    expect(found.results.map((a) => a.id)).toEqual([appointment.id])
  })

  it("is the calendar export's LOCATION, else the client's address", async () => {
    await book({ location: 'Plot 7; Canal Lane' })
    await book({ scheduledAt: '2026-06-02T14:00:00Z' })
    await book({ clientId: f.jones.id, scheduledAt: '2026-06-03T14:00:00Z' })
    const ics = await call(ctx, 'data.export', { kind: 'calendar', format: 'ics' })
    const locations = ics.content
      .replace(/\r\n /g, '')
      .split('BEGIN:VEVENT')
      .slice(1)
      .map((e) => /\r\nLOCATION:(.*)\r\n/.exec(e)?.[1] ?? null)
    // Jones has no address: no LOCATION at all.
    expect(locations).toEqual(['Plot 7\\; Canal Lane', '12 Elm Street\\, Leeds\\, LS1 4AP', null])
    const csv = await call(ctx, 'data.export', { kind: 'appointments', format: 'csv' })
    expect(csv.content.split('\r\n')[0]).toContain(',location,')
    expect(csv.content).toContain('Plot 7; Canal Lane')
  })
})
