import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, dayStartMs, localDay } from '../../../../shared/domain/time'
import type { AppContext } from '../context'
import { buildFixture, type Fixture } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'

/**
 * Archiving a crew member: refused while a series still books them visits (it would go
 * on doing so), allowed once the series is someone else's; their jobs still to come get
 * a reassignment plan in which they themselves never take a job.
 */
const ZONE = 'America/Chicago'
let ctx: AppContext
let f: Fixture

beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
  await call(ctx, 'settings.update', { timeZone: ZONE })
  await call(ctx, 'team.setSpecialties', { id: f.ben.id, serviceIds: [f.mowing.id] })
  await call(ctx, 'team.setSpecialties', { id: f.ana.id, serviceIds: [f.mowing.id] })
})
afterAll(() => ctx.db.close())

describe('archiving a crew member', () => {
  it('is refused while a series books them, naming it, and changes nothing', async () => {
    const today = localDay(Date.now(), ZONE)
    const { series } = await call(ctx, 'series.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ben.id,
      rule: { kind: 'weekly', weekdays: ['MO', 'WE'] },
      startsOn: addDays(today, 1),
      endsOn: null,
      startTime: '08:30',
    })
    const error = await callError(ctx, 'team.archive', { id: f.ben.id })
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toContain(`Ben Crew still has recurring visits booked`)
    expect(error.message).toContain(`Lawn mowing for ${f.smith.name}`)
    expect((await call(ctx, 'team.get', { id: f.ben.id })).archived).toBe(false)

    // Given to Ana, the series no longer holds Ben: he is archived.
    const visits = await call(ctx, 'appointments.list', {
      teamMemberId: f.ben.id,
      ordering: 'scheduled_date',
      limit: 1,
    })
    const [first] = visits.results
    expect(first?.seriesId).toBe(series.current.id)
    await call(ctx, 'series.update', {
      visitId: first?.id as string,
      scope: 'all',
      changes: { teamMemberId: f.ana.id },
    })
    expect((await call(ctx, 'team.archive', { id: f.ben.id })).archived).toBe(true)
    expect((await call(ctx, 'team.archive', { id: f.ben.id, archived: false })).archived).toBe(
      false,
    )
  })

  it("plans who takes an archived member's jobs, never the member", async () => {
    const day = addDays(localDay(Date.now(), ZONE), 3)
    const job = await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ben.id,
      scheduledAt: new Date(dayStartMs(day, ZONE) + 15 * 3_600_000).toISOString(),
      acceptConflict: true,
    })
    await call(ctx, 'team.archive', { id: f.ben.id })
    const plan = await call(ctx, 'team.reassignmentPlan', {
      teamMemberId: f.ben.id,
      from: localDay(Date.now(), ZONE),
      to: day,
    })
    const move = plan.moves.find((m) => m.appointmentId === job.appointment.id)
    expect(move?.toMemberId).toBe(f.ana.id)
    expect(plan.moves.every((m) => m.toMemberId !== f.ben.id)).toBe(true)
    expect(
      (
        await callError(ctx, 'team.reassignmentPlan', {
          teamMemberId: f.smith.id,
          from: day,
          to: day,
        })
      ).code,
    ).toBe('NOT_FOUND')

    // Left with them, the job can still be moved, saying whose it is; not given to them anew.
    const moved = await call(ctx, 'appointments.reschedule', {
      id: job.appointment.id,
      scheduledAt: new Date(dayStartMs(day, ZONE) + 16 * 3_600_000).toISOString(),
      acceptConflict: true,
    })
    expect(moved.warnings.map((w) => w.message)).toContain(
      'Ben Crew is no longer on the crew (archived): give the job to someone',
    )
    const other = await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: new Date(dayStartMs(day, ZONE) + 8 * 3_600_000).toISOString(),
      acceptConflict: true,
    })
    const refused = await callError(ctx, 'appointments.update', {
      id: other.appointment.id,
      teamMemberId: f.ben.id,
    })
    expect(refused.code).toBe('NOT_FOUND')
  })
})
