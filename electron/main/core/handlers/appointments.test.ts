import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AppContext } from '../context'
import { buildFixture, type Fixture, snapshot, TEST_PIN } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'

let ctx: AppContext
let f: Fixture
beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
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
    scheduledAt: '2026-05-04T14:00:00Z',
    ...overrides,
  })

describe('booking', () => {
  it('books with the service defaults and returns the joined row', async () => {
    const { appointment, warnings } = await book({ notes: 'Gate code 1234' })
    expect(appointment).toMatchObject({
      clientName: 'Smith Residence',
      serviceName: 'Lawn mowing',
      teamMemberName: 'Ana Crew',
      status: 'scheduled',
      price: '55.00',
      durationMinutes: 60,
      priority: 'MEDIUM',
      scheduledAt: '2026-05-04T14:00:00.000Z',
      endsAt: '2026-05-04T15:00:00.000Z',
      notes: 'Gate code 1234',
    })
    expect(warnings).toEqual([])
    expect(await call(ctx, 'appointments.get', { id: appointment.id })).toEqual(appointment)
  })

  it('refuses a double booking with CONFLICT naming the clash, unless accepted', async () => {
    const first = (await book()).appointment
    const before = await snapshot(ctx)
    const err = await callError(ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2026-05-04T14:30:00Z',
    })
    expect(err.code).toBe('CONFLICT')
    expect(err.message).toMatch(/^Ana Crew is already booked /)
    expect(err.issues).toEqual([{ path: 'conflictsWith', message: first.id }])
    expect(await snapshot(ctx)).toBe(before)

    const accepted = await book({
      clientId: f.jones.id,
      scheduledAt: '2026-05-04T14:30:00Z',
      acceptConflict: true,
    })
    expect(accepted.warnings.map((w) => w.code)).toEqual(['DOUBLE_BOOKED'])
  })

  it('allows back-to-back jobs and ignores cancelled ones', async () => {
    const first = (await book()).appointment
    await book({ scheduledAt: '2026-05-04T15:00:00Z' })
    await call(ctx, 'appointments.setStatus', { id: first.id, status: 'cancelled' })
    await book({ scheduledAt: '2026-05-04T14:15:00Z', durationMinutes: 30 })
  })

  it('warns when the assignee lacks the specialty or is unavailable', async () => {
    const { warnings } = await book({ teamMemberId: f.ben.id })
    expect(warnings.map((w) => w.code).sort()).toEqual(['MISSING_SPECIALTY', 'UNAVAILABLE'])
  })

  it('refuses archived services and unknown references, writing nothing', async () => {
    const before = await snapshot(ctx)
    expect(
      await callError(ctx, 'appointments.create', {
        clientId: f.smith.id,
        serviceId: f.retired.id,
        scheduledAt: '2026-05-04T14:00:00Z',
      }),
    ).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'serviceId' }] })
    expect(
      await callError(ctx, 'appointments.create', {
        clientId: '0190a0a0-0000-7000-8000-000000000000',
        serviceId: f.mowing.id,
        scheduledAt: '2026-05-04T14:00:00Z',
      }),
    ).toMatchObject({ code: 'NOT_FOUND', issues: [{ path: 'clientId' }] })
    expect(await snapshot(ctx)).toBe(before)
  })

  it('refuses a time outside the years the app stores, writing nothing', async () => {
    const before = await snapshot(ctx)
    for (const scheduledAt of ['9999-12-31T23:00:00-05:00', '0000-01-01T00:00:00Z']) {
      expect(
        await callError(ctx, 'appointments.create', {
          clientId: f.smith.id,
          serviceId: f.mowing.id,
          scheduledAt,
        }),
      ).toMatchObject({
        code: 'VALIDATION',
        issues: [{ path: 'scheduledAt', message: 'must be in the years 1900 to 2199' }],
      })
    }
    expect(await snapshot(ctx)).toBe(before)
    // A row stored before the rule (a typing slip, 2602) is still shown, to be fixed.
    const { appointment } = await book()
    await ctx.db.pg.query(
      "UPDATE appointments SET scheduled_at = '2602-05-04T14:00:00Z' WHERE id = $1",
      [appointment.id],
    )
    const shown = await call(ctx, 'appointments.get', { id: appointment.id })
    expect(shown.scheduledAt).toBe('2602-05-04T14:00:00.000Z')
    const fixed = await call(ctx, 'appointments.reschedule', {
      id: appointment.id,
      scheduledAt: '2026-05-04T14:00:00Z',
      acceptConflict: true,
    })
    expect(fixed.appointment.scheduledAt).toBe('2026-05-04T14:00:00.000Z')
    // A search bound may be any year the database knows, but not the year 0.
    expect(
      await callError(ctx, 'appointments.list', { scheduledFrom: '0000-01-01T00:00:00Z' }),
    ).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'scheduledFrom', message: 'must be in the years 1 to 9999' }],
    })
    const later = await call(ctx, 'appointments.list', { scheduledFrom: '2602-01-01T00:00:00Z' })
    expect(later.results.map((a) => a.id)).toEqual([])
  })

  it('keeps money exact', async () => {
    const { appointment } = await book({ price: '0.1' })
    const updated = await call(ctx, 'appointments.update', {
      id: appointment.id,
      price: '1234567.89',
    })
    expect(updated.appointment.price).toBe('1234567.89')
    expect(
      (await callError(ctx, 'appointments.update', { id: appointment.id, price: 12.5 })).code,
    ).toBe('VALIDATION')
  })
})

describe('moving and editing', () => {
  it('reschedules to another time and member, checking clashes there', async () => {
    const a = (await book()).appointment
    const b = (
      await book({
        teamMemberId: f.ben.id,
        scheduledAt: '2026-05-05T14:00:00Z',
        acceptConflict: true,
      })
    ).appointment
    const moved = await call(ctx, 'appointments.reschedule', {
      id: a.id,
      scheduledAt: '2026-05-06T09:00:00Z',
      durationMinutes: 90,
    })
    expect(moved.appointment).toMatchObject({
      scheduledAt: '2026-05-06T09:00:00.000Z',
      durationMinutes: 90,
    })
    const err = await callError(ctx, 'appointments.reschedule', {
      id: a.id,
      scheduledAt: '2026-05-05T14:30:00Z',
      teamMemberId: f.ben.id,
    })
    expect(err.code).toBe('CONFLICT')
    expect(err.issues).toEqual([{ path: 'conflictsWith', message: b.id }])
  })

  it('does not move finished work until it is reopened', async () => {
    const a = (await book()).appointment
    await call(ctx, 'appointments.setStatus', { id: a.id, status: 'completed' })
    expect(
      (
        await callError(ctx, 'appointments.reschedule', {
          id: a.id,
          scheduledAt: '2026-05-07T09:00:00Z',
        })
      ).code,
    ).toBe('CONFLICT')
    const reopened = await call(ctx, 'appointments.setStatus', { id: a.id, status: 'scheduled' })
    expect(reopened.appointment).toMatchObject({
      status: 'scheduled',
      startedAt: null,
      completedAt: null,
    })
  })

  it('lets the office fix the price and notes of finished work sent with unchanged times', async () => {
    const a = (await book()).appointment
    await call(ctx, 'appointments.setStatus', { id: a.id, status: 'completed' })
    const fixed = await call(ctx, 'appointments.update', {
      id: a.id,
      clientId: a.clientId,
      serviceId: a.serviceId,
      teamMemberId: a.teamMemberId,
      scheduledAt: '2026-05-04T09:00:00-05:00',
      durationMinutes: a.durationMinutes,
      price: '60.00',
      notes: 'Billed extra for hauling',
    })
    expect(fixed.appointment).toMatchObject({ price: '60.00', status: 'completed' })
    const moved = await callError(ctx, 'appointments.update', {
      id: a.id,
      scheduledAt: '2026-05-05T09:00:00-05:00',
    })
    expect(moved.code).toBe('CONFLICT')
  })

  it('soft-deletes: the appointment is gone from get and list', async () => {
    const a = (await book()).appointment
    await call(ctx, 'appointments.delete', { id: a.id })
    expect((await callError(ctx, 'appointments.get', { id: a.id })).code).toBe('NOT_FOUND')
    expect((await call(ctx, 'appointments.list', {})).count).toBe(0)
    expect((await callError(ctx, 'appointments.delete', { id: a.id })).code).toBe('NOT_FOUND')
  })
})

describe('status and roles', () => {
  it('runs the lifecycle, stamping start and completion', async () => {
    const a = (await book()).appointment
    const started = await call(ctx, 'appointments.setStatus', { id: a.id, status: 'in_progress' })
    expect(started.appointment.startedAt).not.toBeNull()
    const done = await call(ctx, 'appointments.setStatus', { id: a.id, status: 'completed' })
    expect(done.appointment.completedAt).not.toBeNull()
    // Within the minute, the Undo takes it back to in progress, keeping when it started.
    const back = await call(ctx, 'appointments.setStatus', { id: a.id, status: 'in_progress' })
    expect(back.appointment.startedAt).toBe(started.appointment.startedAt)
    expect(back.appointment.completedAt).toBeNull()
    await call(ctx, 'appointments.setStatus', { id: a.id, status: 'completed' })
    // Later, there is no going back to work on it.
    await ctx.db.pg.query(
      `UPDATE appointments SET completed_at = completed_at - interval '2 minutes' WHERE id = $1`,
      [a.id],
    )
    expect(
      (await callError(ctx, 'appointments.setStatus', { id: a.id, status: 'in_progress' })).code,
    ).toBe('CONFLICT')
  })

  it('lets a crew lead work their own crew’s jobs and nothing more', async () => {
    const own = (await book()).appointment
    const other = (await book({ teamMemberId: f.ben.id, acceptConflict: true })).appointment
    await call(ctx, 'session.switch', { userId: f.lead.id })
    const before = await snapshot(ctx)

    expect(
      (await callError(ctx, 'appointments.setStatus', { id: other.id, status: 'in_progress' }))
        .code,
    ).toBe('FORBIDDEN')
    expect((await callError(ctx, 'appointments.update', { id: own.id, price: '1.00' })).code).toBe(
      'FORBIDDEN',
    )
    expect(
      (
        await callError(ctx, 'appointments.reschedule', {
          id: own.id,
          scheduledAt: '2026-05-09T10:00:00Z',
        })
      ).code,
    ).toBe('FORBIDDEN')
    expect((await callError(ctx, 'appointments.delete', { id: own.id })).code).toBe('FORBIDDEN')
    expect(
      (await callError(ctx, 'catalog.services.update', { id: f.mowing.id, basePrice: '1' })).code,
    ).toBe('FORBIDDEN')
    expect(
      (
        await callError(ctx, 'appointments.create', {
          clientId: f.smith.id,
          serviceId: f.mowing.id,
          scheduledAt: '2026-05-10T10:00:00Z',
        })
      ).code,
    ).toBe('FORBIDDEN')
    expect(await snapshot(ctx)).toBe(before)

    await call(ctx, 'appointments.setStatus', { id: own.id, status: 'in_progress' })
    const noted = await call(ctx, 'appointments.update', { id: own.id, notes: 'Back gate broken' })
    expect(noted.appointment.notes).toBe('Back gate broken')
    await call(ctx, 'appointments.setStatus', { id: own.id, status: 'completed' })
    expect(
      (await callError(ctx, 'appointments.setStatus', { id: own.id, status: 'scheduled' })).code,
    ).toBe('CONFLICT')

    const followUp = await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      scheduledAt: '2099-05-18T14:00:00Z',
      followUpOfId: own.id,
    })
    expect(followUp.appointment).toMatchObject({
      followUpOfId: own.id,
      teamMemberId: f.ana.id,
      price: '55.00',
    })
    // Booked by mistake, it is taken back from the toast: the crew lead deletes it.
    const mistake = await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      scheduledAt: '2099-06-01T14:00:00Z',
      followUpOfId: own.id,
    })
    await call(ctx, 'appointments.delete', { id: mistake.appointment.id })
    expect((await callError(ctx, 'appointments.get', { id: mistake.appointment.id })).code).toBe(
      'NOT_FOUND',
    )
    // Another crew or another place is refused, saying so, as the server refuses it.
    const before2 = await snapshot(ctx)
    const elsewhere = await callError(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      scheduledAt: '2099-05-25T14:00:00Z',
      followUpOfId: own.id,
      teamMemberId: f.ben.id,
    })
    expect(elsewhere.message).toBe('a follow-up is for the crew of the visit it follows')
    const moved = await callError(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      scheduledAt: '2099-05-25T14:00:00Z',
      followUpOfId: own.id,
      location: '1 Other Street',
    })
    expect(moved.message).toBe('a follow-up is at the place of the visit it follows')
    expect(await snapshot(ctx)).toBe(before2)
  })
})
