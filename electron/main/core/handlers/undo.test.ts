import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeCore } from '../app-core'
import type { AppContext } from '../context'
import { buildFixture, type Fixture, TEST_PIN } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'

let ctx: AppContext
let f: Fixture
beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
})
afterAll(() => closeCore(ctx))

const book = async (scheduledAt: string) =>
  (
    await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt,
      acceptConflict: true,
    })
  ).appointment

describe('undoing a delete', () => {
  it('brings the appointment back as it was; a second Undo changes nothing', async () => {
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    const job = await book('2027-06-01T15:00:00Z')
    await call(ctx, 'appointments.delete', { id: job.id })
    expect((await callError(ctx, 'appointments.get', { id: job.id })).code).toBe('NOT_FOUND')
    await call(ctx, 'appointments.restore', { id: job.id })
    const back = await call(ctx, 'appointments.get', { id: job.id })
    expect(back).toMatchObject({ scheduledAt: job.scheduledAt, status: 'scheduled' })
    await call(ctx, 'appointments.restore', { id: job.id })
    expect((await call(ctx, 'appointments.get', { id: job.id })).updatedAt).toBe(back.updatedAt)
  })

  it('is refused when the crew member was booked in its time since, unless kept anyway', async () => {
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    const job = await book('2027-06-08T15:00:00Z')
    await call(ctx, 'appointments.delete', { id: job.id })
    const other = await book('2027-06-08T15:30:00Z')
    const refused = await callError(ctx, 'appointments.restore', { id: job.id })
    expect(refused.code).toBe('CONFLICT')
    expect(refused.message).toMatch(
      /^Ana Crew is already booked .*\(Smith Residence, Lawn mowing\)$/,
    )
    expect(refused.issues).toEqual([{ path: 'conflictsWith', message: other.id }])
    expect((await callError(ctx, 'appointments.get', { id: job.id })).code).toBe('NOT_FOUND')
    await call(ctx, 'appointments.restore', { id: job.id, acceptConflict: true })
    expect(await call(ctx, 'appointments.get', { id: job.id })).toMatchObject({ id: job.id })
    // The double booking the user kept goes to the server as accepted, not as a conflict.
    const { rows } = await ctx.db.pg.query<{ accepted: string[] }>(
      `SELECT accepted FROM sync_outbox WHERE row_id = $1 AND fields ? 'deleted_at'
       ORDER BY seq DESC LIMIT 1`,
      [job.id],
    )
    expect(rows[0]?.accepted).toEqual([other.id])
  })

  it('is refused to a crew lead, and for an id that never was', async () => {
    const job = await book('2027-06-02T15:00:00Z')
    await call(ctx, 'appointments.delete', { id: job.id })
    await call(ctx, 'session.switch', { userId: f.lead.id })
    expect((await callError(ctx, 'appointments.restore', { id: job.id })).code).toBe('FORBIDDEN')
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    expect((await callError(ctx, 'appointments.get', { id: job.id })).code).toBe('NOT_FOUND')
    const unknown = '0190a0a0-0000-7000-8000-00000000dead'
    expect((await callError(ctx, 'appointments.restore', { id: unknown })).code).toBe('NOT_FOUND')
  })
})

describe('undoing a completion', () => {
  it('a crew lead puts back the job they just completed', async () => {
    const job = await book('2027-06-03T15:00:00Z')
    await call(ctx, 'session.switch', { userId: f.lead.id })
    await call(ctx, 'appointments.setStatus', { id: job.id, status: 'completed' })
    await call(ctx, 'appointments.setStatus', { id: job.id, status: 'scheduled' })
    expect(await call(ctx, 'appointments.get', { id: job.id })).toMatchObject({
      status: 'scheduled',
    })
  })

  it('but not a job completed long ago', async () => {
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    const job = await book('2027-06-04T15:00:00Z')
    await call(ctx, 'appointments.setStatus', { id: job.id, status: 'completed' })
    await ctx.db.pg.query(
      `UPDATE appointments SET completed_at = now() - interval '2 minutes' WHERE id = $1`,
      [job.id],
    )
    await call(ctx, 'session.switch', { userId: f.lead.id })
    const refused = await callError(ctx, 'appointments.setStatus', {
      id: job.id,
      status: 'scheduled',
    })
    expect(refused.code).toBe('CONFLICT')
    expect((await call(ctx, 'appointments.get', { id: job.id })).status).toBe('completed')
  })
})

describe('putting a cancelled job back', () => {
  it('is refused when the crew member was booked in its time since, unless kept anyway', async () => {
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    const job = await book('2027-06-15T15:00:00Z')
    await call(ctx, 'appointments.setStatus', { id: job.id, status: 'cancelled' })
    const other = await book('2027-06-15T15:30:00Z')
    const refused = await callError(ctx, 'appointments.setStatus', {
      id: job.id,
      status: 'scheduled',
    })
    expect(refused.code).toBe('CONFLICT')
    expect(refused.issues).toEqual([{ path: 'conflictsWith', message: other.id }])
    expect((await call(ctx, 'appointments.get', { id: job.id })).status).toBe('cancelled')
    const kept = await call(ctx, 'appointments.setStatus', {
      id: job.id,
      status: 'scheduled',
      acceptConflict: true,
    })
    expect(kept.appointment.status).toBe('scheduled')
    expect(kept.warnings.map((w) => w.code)).toContain('DOUBLE_BOOKED')
  })

  it('a completed job reopened held its time all along: nothing to refuse', async () => {
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    const job = await book('2027-06-22T15:00:00Z')
    await book('2027-06-22T15:30:00Z')
    await call(ctx, 'appointments.setStatus', { id: job.id, status: 'in_progress' })
    await call(ctx, 'appointments.setStatus', { id: job.id, status: 'completed' })
    const reopened = await call(ctx, 'appointments.setStatus', { id: job.id, status: 'scheduled' })
    expect(reopened.appointment.status).toBe('scheduled')
  })
})
