import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { weekdayOf } from '../../../../shared/domain/series-rule'
import { addDays, localDay, minuteOfDay } from '../../../../shared/domain/time'
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

describe('undoing a change to a visit of a series', () => {
  const zone = async () => (await call(ctx, 'settings.get', {})).timeZone
  /** A weekly series of Ana's at 08:30, on the weekday `ahead` days from today: its visits. */
  async function series(ahead: number): Promise<string[]> {
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    const today = localDay(Date.now(), await zone())
    const { series } = await call(ctx, 'series.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      rule: { kind: 'weekly', weekdays: [weekdayOf(addDays(today, ahead))] },
      startsOn: today,
      endsOn: null,
      startTime: '08:30',
    })
    const { rows } = await ctx.db.pg.query<{ id: string }>(
      `SELECT id FROM appointments WHERE series_id = $1 AND deleted_at IS NULL
       ORDER BY series_occurrence`,
      [series.rootId],
    )
    expect(rows.length).toBeGreaterThanOrEqual(4)
    return rows.map((r) => r.id)
  }
  const visit = (id: string) => call(ctx, 'appointments.get', { id })
  /** The visit's local start, in minutes after midnight. */
  const startsAt = async (id: string) =>
    minuteOfDay(Date.parse((await visit(id)).scheduledAt), await zone())
  const later = async (id: string, minutes: number) =>
    new Date(Date.parse((await visit(id)).scheduledAt) + minutes * 60_000).toISOString()
  const editAll = (visitId: string, startTime: string) =>
    call(ctx, 'series.update', { visitId, scope: 'all', changes: { startTime } })
  const AT_0830 = 8 * 60 + 30
  const AT_0715 = 7 * 60 + 15

  it('a visit moved, then put back by Undo, is the series visit it was, and follows its edits', async () => {
    const [first, second, third] = (await series(1)) as [string, string, string]
    const job = await visit(second)
    const moved = await call(ctx, 'appointments.reschedule', {
      id: second,
      scheduledAt: await later(second, 75),
      durationMinutes: 90,
    })
    expect(moved.appointment.seriesException).toBe(true)
    expect(moved.seriesExceptionBefore).toBe(false)
    // The Undo: the placement and the flag as the move found them.
    const undone = await call(ctx, 'appointments.reschedule', {
      id: second,
      scheduledAt: job.scheduledAt,
      durationMinutes: job.durationMinutes,
      teamMemberId: job.teamMemberId,
      seriesException: moved.seriesExceptionBefore,
    })
    expect(undone.appointment).toMatchObject({
      scheduledAt: job.scheduledAt,
      seriesException: false,
    })
    expect(undone.seriesExceptionBefore).toBe(true)
    // Moved there and back by hand, without the Undo's flag: the person's own visit.
    const original = await visit(third)
    await call(ctx, 'appointments.reschedule', { id: third, scheduledAt: await later(third, 75) })
    const byHand = await call(ctx, 'appointments.reschedule', {
      id: third,
      scheduledAt: original.scheduledAt,
    })
    expect(byHand.appointment.seriesException).toBe(true)

    await editAll(first, '07:15')
    expect(await startsAt(second)).toBe(AT_0715)
    expect(await startsAt(third)).toBe(AT_0830)
  })

  it('a visit cancelled, then put back by Undo, is the series visit it was, and follows its edits', async () => {
    const [first, second, third, fourth] = (await series(2)) as [string, string, string, string]
    const cancelled = await call(ctx, 'appointments.setStatus', { id: second, status: 'cancelled' })
    expect(cancelled.appointment.seriesException).toBe(true)
    expect(cancelled.seriesExceptionBefore).toBe(false)
    // The Undo of Cancel, as the details dialog sends it.
    const back = await call(ctx, 'appointments.setStatus', {
      id: second,
      status: 'scheduled',
      acceptConflict: false,
      seriesException: cancelled.seriesExceptionBefore,
    })
    expect(back.appointment).toMatchObject({ status: 'scheduled', seriesException: false })
    // A visit that was the person's own before it was cancelled stays theirs after the Undo.
    await call(ctx, 'appointments.reschedule', { id: third, scheduledAt: await later(third, 75) })
    const own = await call(ctx, 'appointments.setStatus', { id: third, status: 'cancelled' })
    expect(own.seriesExceptionBefore).toBe(true)
    await call(ctx, 'appointments.setStatus', {
      id: third,
      status: 'scheduled',
      seriesException: own.seriesExceptionBefore,
    })
    // Reopened (not an Undo): the cancel made it the person's own, and it stays so.
    await call(ctx, 'appointments.setStatus', { id: fourth, status: 'cancelled' })
    const reopened = await call(ctx, 'appointments.setStatus', { id: fourth, status: 'scheduled' })
    expect(reopened.appointment.seriesException).toBe(true)

    await editAll(first, '07:15')
    expect(await visit(second)).toMatchObject({ status: 'scheduled', seriesException: false })
    expect(await startsAt(second)).toBe(AT_0715)
    expect(await startsAt(third)).toBe(AT_0830 + 75)
    expect(await startsAt(fourth)).toBe(AT_0830)
  })

  it('only the office hands the flag back: a crew lead who sends it is refused, nothing written', async () => {
    const [first, second] = (await series(3)) as [string, string]
    await call(ctx, 'appointments.reschedule', { id: second, scheduledAt: await later(second, 75) })
    const before = await visit(second)
    expect(before.seriesException).toBe(true)
    await call(ctx, 'session.switch', { userId: f.lead.id })
    for (const seriesException of [false, true]) {
      const refused = await callError(ctx, 'appointments.setStatus', {
        id: second,
        status: 'in_progress',
        seriesException,
      })
      expect(refused.code).toBe('FORBIDDEN')
    }
    const refused = await callError(ctx, 'appointments.reschedule', {
      id: first,
      scheduledAt: await later(first, 75),
      seriesException: true,
    })
    expect(refused.code).toBe('FORBIDDEN')
    expect(await visit(second)).toEqual(before)
    // Without it, the crew lead works the visit as before; the flag is left as it was.
    const started = await call(ctx, 'appointments.setStatus', { id: second, status: 'in_progress' })
    expect(started.appointment).toMatchObject({ status: 'in_progress', seriesException: true })
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
  })

  it('outside a series the flag is ignored: a one-off job stays one', async () => {
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    const job = await book('2027-06-29T15:00:00Z')
    const moved = await call(ctx, 'appointments.reschedule', {
      id: job.id,
      scheduledAt: '2027-06-29T17:00:00Z',
      seriesException: true,
    })
    expect(moved.appointment).toMatchObject({ seriesId: null, seriesException: false })
    expect(moved.seriesExceptionBefore).toBe(false)
  })
})
