import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { leaks } from '../../../../shared/contract/plain-words.test-support'
import type { ErrorData } from '../../../../shared/errors'
import type { AppContext } from '../context'
import { buildFixture, type Fixture, TEST_PIN } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'

/**
 * What a person reads about a booking: crew members, clients and services by name,
 * times in the business's zone; the ids only beside the text, for the screen to use.
 */
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
  await call(ctx, 'settings.update', { timeZone: 'America/Chicago' })
})

// Thu, Dec 10 2026, 8:00-9:30 AM in Chicago.
const first = () =>
  call(ctx, 'appointments.create', {
    clientId: f.smith.id,
    serviceId: f.mowing.id,
    teamMemberId: f.ana.id,
    scheduledAt: '2026-12-10T14:00:00Z',
    durationMinutes: 90,
  })

/** Ana at 9:00 AM the same day: inside the first job. */
const clashing = () => ({
  clientId: f.jones.id,
  serviceId: f.mowing.id,
  teamMemberId: f.ana.id,
  scheduledAt: '2026-12-10T15:00:00Z',
})

const plain = (e: ErrorData) => [
  ...leaks(e.message),
  ...(e.issues ?? []).filter((i) => i.path !== 'conflictsWith').flatMap((i) => leaks(i.message)),
]

describe('booking messages', () => {
  it('a double booking names the crew member, the job and its time in the business zone', async () => {
    const { appointment } = await first()
    const input = clashing()
    const err = await callError(ctx, 'appointments.create', input)
    expect(err.code).toBe('CONFLICT')
    expect(err.message).toBe(
      'Ana Crew is already booked 8:00–9:30 AM on Thu, Dec 10 (Smith Residence, Lawn mowing)',
    )
    expect(err.issues).toEqual([{ path: 'conflictsWith', message: appointment.id }])
    expect(plain(err)).toEqual([])

    await call(ctx, 'settings.update', { timeZone: 'Europe/Berlin' })
    expect((await callError(ctx, 'appointments.create', input)).message).toBe(
      'Ana Crew is already booked 3:00–4:30 PM on Thu, Dec 10 (Smith Residence, Lawn mowing)',
    )

    const { warnings } = await call(ctx, 'appointments.create', { ...input, acceptConflict: true })
    expect(warnings).toEqual([
      {
        code: 'DOUBLE_BOOKED',
        message:
          'Double-booked: Ana Crew is also booked 3:00–4:30 PM on Thu, Dec 10 (Smith Residence, Lawn mowing)',
        appointmentIds: [appointment.id],
      },
    ])
  })

  it('lists several clashes, earliest first', async () => {
    await first()
    await call(ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.pruning.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2026-12-10T16:00:00Z',
      durationMinutes: 60,
      acceptConflict: true,
    })
    const err = await callError(ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2026-12-10T13:00:00Z',
      durationMinutes: 300,
    })
    expect(err.message).toBe(
      'Ana Crew is already booked 8:00–9:30 AM on Thu, Dec 10 (Smith Residence, Lawn mowing) ' +
        'and 10:00–11:00 AM on Thu, Dec 10 (Jones HOA, Tree pruning)',
    )
    expect(err.issues).toHaveLength(2)
  })

  it('a move onto a booked crew member says so in the same words', async () => {
    await first()
    const other = await call(ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2026-12-11T15:00:00Z',
    })
    const err = await callError(ctx, 'appointments.reschedule', {
      id: other.appointment.id,
      scheduledAt: '2026-12-10T15:00:00Z',
    })
    expect(err.message).toBe(
      'Ana Crew is already booked 8:00–9:30 AM on Thu, Dec 10 (Smith Residence, Lawn mowing)',
    )
  })

  it('warnings about the assignee name the crew member and the service', async () => {
    const { warnings } = await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ben.id,
      scheduledAt: '2026-12-10T14:00:00Z',
    })
    expect(warnings.map((w) => w.message).sort()).toEqual([
      'Ben Crew does not have Lawn mowing as a specialty',
      'Ben Crew is marked unavailable',
    ])
  })

  it('no refusal of a booking or a status change shows an id, an instant or an internal value', async () => {
    const { appointment } = await first()
    await call(ctx, 'appointments.setStatus', { id: appointment.id, status: 'in_progress' })
    const refusals = [
      await callError(ctx, 'appointments.create', clashing()),
      await callError(ctx, 'appointments.reschedule', { id: appointment.id, scheduledAt: 'soon' }),
      await callError(ctx, 'appointments.get', { id: crypto.randomUUID() }),
      await callError(ctx, 'appointments.create', {
        clientId: f.smith.id,
        serviceId: f.retired.id,
        scheduledAt: '2026-12-10T14:00:00Z',
      }),
    ]
    await call(ctx, 'appointments.setStatus', { id: appointment.id, status: 'completed' })
    // Past the minute in which its completion can be taken back.
    await ctx.db.pg.query(
      `UPDATE appointments SET completed_at = completed_at - interval '2 minutes' WHERE id = $1`,
      [appointment.id],
    )
    refusals.push(
      await callError(ctx, 'appointments.setStatus', { id: appointment.id, status: 'in_progress' }),
      await callError(ctx, 'appointments.reschedule', {
        id: appointment.id,
        scheduledAt: '2026-12-12T14:00:00Z',
      }),
    )
    for (const err of refusals) expect(plain(err), err.message).toEqual([])
  })
})
