import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelInput } from '../../../../shared/contract'
import { HORIZON_DAYS, type VisitValues, visitId } from '../../../../shared/domain/series'
import { describeSeries, occurrences, weekdayOf } from '../../../../shared/domain/series-rule'
import { addDays, localDay, localToUtc } from '../../../../shared/domain/time'
import type { AppContext } from '../context'
import { clashes } from '../series/store'
import { buildFixture, type Fixture, snapshot, TEST_PIN } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'

let ctx: AppContext
let f: Fixture
const ZONE = 'America/Chicago'
const today = () => localDay(Date.now(), ZONE)
const dayParts = (day: string) => {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  return { year, month, day: date }
}

beforeAll(async () => {
  ctx = await memoryCore()
  // Messages are not what these tests are about: the visits' confirmations and
  // reminders, planned meanwhile, would hold on to the visits each test clears.
  await ctx.notifier.stop()
  f = await buildFixture(ctx)
})
afterAll(() => ctx.db.close())
beforeEach(async () => {
  await ctx.horizon.settled()
  await ctx.db.pg.exec('DELETE FROM appointments; DELETE FROM series')
  await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
})

const weekday = () => weekdayOf(addDays(today(), 1))

const create = (overrides: Partial<ChannelInput<'series.create'>> = {}) =>
  call(ctx, 'series.create', {
    clientId: f.smith.id,
    serviceId: f.mowing.id,
    teamMemberId: f.ana.id,
    rule: { kind: 'weekly', weekdays: [weekday()] },
    startsOn: today(),
    endsOn: null,
    startTime: '08:30',
    ...overrides,
  })

interface VisitRow {
  id: string
  day: string
  at: string
  status: string
  exception: boolean
  deleted: boolean
  price: string
  series: string
}

async function visits(): Promise<VisitRow[]> {
  const { rows } = await ctx.db.pg.query<VisitRow>(
    `SELECT id, series_occurrence::text AS day, to_char(scheduled_at AT TIME ZONE '${ZONE}', 'HH24:MI') AS at,
       status, series_exception AS exception, deleted_at IS NOT NULL AS deleted, price::text, series_id AS series
     FROM appointments WHERE series_id IS NOT NULL ORDER BY series_occurrence`,
  )
  return rows
}
const live = async () => (await visits()).filter((v) => !v.deleted)

describe('booking a series', () => {
  it('books every visit of the next 12 weeks at the local start time, with ids made from the day', async () => {
    const { series, summary } = await create()
    const days = occurrences(
      `FREQ=WEEKLY;BYDAY=${weekday()}`,
      today(),
      today(),
      addDays(today(), HORIZON_DAYS),
    )
    expect(days.length).toBeGreaterThanOrEqual(12)
    const rows = await live()
    expect(rows.map((v) => v.day)).toEqual(days)
    expect(rows.every((v) => v.at === '08:30' && v.status === 'scheduled' && !v.exception)).toBe(
      true,
    )
    expect(rows.map((v) => v.id)).toEqual(days.map((d) => visitId(series.rootId, d)))
    expect(summary).toMatchObject({ booked: days.length, updated: 0, removed: 0, clashes: [] })
    expect(series.current.description).toMatch(/^Every week on \w+day, from /)
    // Extending again books nothing twice.
    expect(await ctx.horizon.run()).toBe(0)
    expect(await live()).toHaveLength(days.length)
  })

  it('stores skipped days as cancelled exceptions that are never booked again', async () => {
    const skip = occurrences(
      `FREQ=WEEKLY;BYDAY=${weekday()}`,
      today(),
      addDays(today(), 14),
      addDays(today(), 21),
    )[0] as string
    await create({ skipDates: [skip] })
    const skipped = (await visits()).find((v) => v.day === skip)
    expect(skipped).toMatchObject({ status: 'cancelled', exception: true, deleted: false })
    await call(ctx, 'series.update', {
      visitId: (await live())[0]?.id as string,
      scope: 'all',
      changes: { startTime: '10:00' },
    })
    expect((await visits()).find((v) => v.day === skip)).toMatchObject({
      status: 'cancelled',
      at: '08:30',
    })
  })

  it('reports the visits that double-book their crew member, and books them', async () => {
    const second = occurrences(
      `FREQ=WEEKLY;BYDAY=${weekday()}`,
      today(),
      addDays(today(), 7),
      addDays(today(), 13),
    )[0] as string
    const { appointment } = await call(ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      // 09:00 in Chicago, summer time or winter.
      scheduledAt: new Date(
        localToUtc({ ...dayParts(second), hour: 9, minute: 0 }, ZONE),
      ).toISOString(),
    })
    const { summary } = await create()
    expect(summary.clashes).toHaveLength(1)
    expect(summary.clashes[0]).toMatchObject({ teamMemberName: 'Ana Crew' })
    expect(summary.clashes[0]?.with).toEqual([
      {
        id: appointment.id,
        text: expect.stringMatching(/^Jones HOA, Lawn mowing at 9:00–10:00 AM on /),
      },
    ])
    expect((await live()).some((v) => v.day === second)).toBe(true)
  })

  it("says how many visits fall outside the crew member's hours or in their time off", async () => {
    const ben = await call(ctx, 'team.update', {
      id: f.ben.id,
      workingHours: '08:00-15:00',
      workingDays: [1, 2, 3, 4],
    })
    try {
      const start = addDays(today(), 1)
      const fridays = occurrences('FREQ=WEEKLY;BYDAY=FR', start, start, addDays(start, 27))
      const tuesdays = occurrences('FREQ=WEEKLY;BYDAY=TU', start, start, addDays(start, 27))
      await call(ctx, 'team.timeOff.add', {
        teamMemberId: ben.id,
        startsOn: tuesdays[0] as string,
        endsOn: tuesdays[0] as string,
      })
      const { summary } = await create({
        teamMemberId: ben.id,
        rule: { kind: 'weekly', weekdays: ['TU', 'FR'] },
        startsOn: start,
        endsOn: addDays(start, 27),
        startTime: '09:00',
      })
      expect(summary.crew).toEqual([
        `${fridays.length} visits are outside Ben Crew's hours (8:00 AM to 3:00 PM, Monday to Thursday)`,
        "1 visit is in Ben Crew's time off",
      ])
    } finally {
      await call(ctx, 'team.update', { id: f.ben.id, workingHours: null, workingDays: null })
    }
  })

  it("checks more visits at once than a call's arguments can hold (a big season's import)", async () => {
    const HOUR = 3_600_000
    const first = Date.parse('2031-01-06T14:00:00Z')
    const visits: VisitValues[] = Array.from({ length: 150_000 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      seriesId: 'none',
      occurrence: '2031-01-06',
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: new Date(first + i * HOUR).toISOString(),
      durationMinutes: 30,
      price: '40',
      notes: '',
      location: null,
    }))
    const clashing = visits[100_000] as VisitValues
    const { appointment } = await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: clashing.scheduledAt,
    })
    const found = await ctx.db.db.transaction((tx) => clashes(tx, visits))
    expect(found.map((c) => [c.visitId, c.with.map((w) => w.id)])).toEqual([
      [clashing.id, [appointment.id]],
    ])
  })
})

describe('changing a series', () => {
  it('"this and following" changes the visit and the ones after it, and keeps exceptions', async () => {
    const { series } = await create()
    const rows = await live()
    const [first, , third, fourth, fifth] = rows as [
      VisitRow,
      VisitRow,
      VisitRow,
      VisitRow,
      VisitRow,
    ]
    // A visit moved on its own is an exception.
    await call(ctx, 'appointments.update', { id: fifth.id, notes: 'Gate code 4321' })
    const { summary, series: after } = await call(ctx, 'series.update', {
      visitId: third.id,
      scope: 'following',
      changes: { startTime: '13:15', price: '60' },
    })
    const now = await live()
    expect(now.find((v) => v.id === first.id)).toMatchObject({
      at: '08:30',
      price: '55.00',
      series: series.rootId,
    })
    expect(now.find((v) => v.id === third.id)).toMatchObject({ at: '13:15', price: '60.00' })
    expect(now.find((v) => v.id === fourth.id)).toMatchObject({ at: '13:15', price: '60.00' })
    expect(now.find((v) => v.id === fifth.id)).toMatchObject({ at: '08:30', exception: true })
    expect(now.find((v) => v.id === third.id)?.series).not.toBe(series.rootId)
    expect(after.segments).toHaveLength(2)
    expect(summary.updated).toBe(rows.length - 3)
    // Seen from the first visit, its part of the series ends the day before the third's:
    // the two parts' seasons read one after the other, not one over the other.
    const seen = await call(ctx, 'series.get', { id: first.id })
    expect(seen.current.description).toBe(
      describeSeries(seen.current.rule, seen.current.startsOn, addDays(third.day, -1)),
    )
    // The whole series: the exception still stands.
    await call(ctx, 'series.update', {
      visitId: first.id,
      scope: 'all',
      changes: { durationMinutes: 45 },
    })
    expect((await live()).find((v) => v.id === fifth.id)).toMatchObject({
      at: '08:30',
      exception: true,
    })
    expect(await live()).toHaveLength(rows.length)
  })

  it('a new repeat removes the days it no longer has and books the new ones', async () => {
    await create()
    const first = (await live())[0] as VisitRow
    const other = weekdayOf(addDays(today(), 3))
    const { summary } = await call(ctx, 'series.update', {
      visitId: first.id,
      scope: 'all',
      changes: { rule: { kind: 'weekly', weekdays: [other] } },
    })
    const days = occurrences(
      `FREQ=WEEKLY;BYDAY=${other}`,
      today(),
      today(),
      addDays(today(), HORIZON_DAYS),
    )
    expect((await live()).map((v) => v.day)).toEqual(days)
    expect(summary.removed).toBeGreaterThan(0)
    expect(summary.booked).toBe(days.length)
  })

  it('"this visit" changes that visit alone, as an exception', async () => {
    await create()
    const [first, second] = (await live()) as [VisitRow, VisitRow]
    await call(ctx, 'series.update', {
      visitId: second.id,
      scope: 'this',
      changes: { startTime: '07:00' },
    })
    const now = await live()
    expect(now.find((v) => v.id === second.id)).toMatchObject({ at: '07:00', exception: true })
    expect(now.find((v) => v.id === first.id)).toMatchObject({ at: '08:30', exception: false })
  })

  it('skipping cancels the visit for good; ending removes the visits from that day on', async () => {
    await create()
    const rows = await live()
    const [, second, third] = rows as [VisitRow, VisitRow, VisitRow]
    await call(ctx, 'series.skip', { visitId: second.id })
    expect((await live()).find((v) => v.id === second.id)).toMatchObject({
      status: 'cancelled',
      exception: true,
    })
    expect(await ctx.horizon.run()).toBe(0)
    const ended = await call(ctx, 'series.end', { visitId: third.id, scope: 'following' })
    expect(ended.removed).toBe(rows.length - 3 + 1)
    expect((await live()).map((v) => v.id)).toEqual([rows[0]?.id, second.id])
    // A visit the end removed, brought back by a person, is theirs: the series leaves it.
    const fourth = rows[3] as VisitRow
    await call(ctx, 'appointments.restore', { id: fourth.id })
    expect(await ctx.horizon.run()).toBe(0)
    expect((await live()).find((v) => v.id === fourth.id)).toMatchObject({ exception: true })
  })

  it('a deleted visit brought back by Undo is the series visit it was, and follows its edits', async () => {
    await create()
    const [first, second] = (await live()) as [VisitRow, VisitRow]
    const deleted = await call(ctx, 'appointments.delete', { id: second.id })
    expect(deleted.seriesException).toBe(false)
    await call(ctx, 'appointments.restore', { id: second.id, seriesException: false })
    expect((await live()).find((v) => v.id === second.id)).toMatchObject({ exception: false })
    await call(ctx, 'series.update', {
      visitId: first.id,
      scope: 'all',
      changes: { startTime: '07:15' },
    })
    expect((await live()).find((v) => v.id === second.id)).toMatchObject({ at: '07:15' })
  })

  it('extends many series a few at a time, letting other callers in between', async () => {
    for (let n = 0; n < 25; n++) await create({ startTime: `0${6 + (n % 4)}:${10 + n}` })
    let done = false
    let turns = 0
    const run = ctx.horizon.run().then((written) => {
      done = true
      return written
    })
    const other = async () => {
      while (!done) {
        await new Promise((resolve) => setImmediate(resolve))
        if (!done) turns++
      }
    }
    const [written] = await Promise.all([run, other()])
    expect(written).toBe(0)
    // 25 series, four to a transaction: a turn for others after each.
    expect(turns).toBeGreaterThanOrEqual(2)
  })

  it('a crew lead starting a visit does not make it an exception; cancelling it does', async () => {
    await create()
    const [first, second] = (await live()) as [VisitRow, VisitRow]
    await call(ctx, 'appointments.setStatus', { id: first.id, status: 'cancelled' })
    await call(ctx, 'session.switch', { userId: f.lead.id })
    await call(ctx, 'appointments.setStatus', { id: second.id, status: 'in_progress' })
    const now = await live()
    expect(now.find((v) => v.id === first.id)?.exception).toBe(true)
    expect(now.find((v) => v.id === second.id)).toMatchObject({
      exception: false,
      status: 'in_progress',
    })
  })
})

describe('refusals change nothing', () => {
  it('gives typed errors for bad input, a one-off visit, unknown ids and crew leads', async () => {
    await create()
    const visit = (await live())[1] as VisitRow
    const { appointment } = await call(ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      scheduledAt: '2027-05-04T14:00:00Z',
    })
    const before = await snapshot(ctx)
    const cases: [string, unknown, string][] = [
      [
        'series.update',
        {
          visitId: visit.id,
          scope: 'this',
          changes: { rule: { kind: 'weekly', weekdays: ['MO'] } },
        },
        'VALIDATION',
      ],
      ['series.update', { visitId: visit.id, scope: 'some', changes: {} }, 'VALIDATION'],
      // Nothing to change: the visit stays part of its series, the series whole.
      ['series.update', { visitId: visit.id, scope: 'this', changes: {} }, 'VALIDATION'],
      ['series.update', { visitId: visit.id, scope: 'following', changes: {} }, 'VALIDATION'],
      [
        'series.update',
        {
          visitId: visit.id,
          scope: 'all',
          changes: { teamMemberId: '0190a0a0-0000-7000-8000-00000000dead' },
        },
        'NOT_FOUND',
      ],
      [
        'series.update',
        { visitId: visit.id, scope: 'all', changes: { startTime: '25:00' } },
        'VALIDATION',
      ],
      [
        'series.update',
        { visitId: visit.id, scope: 'following', changes: { endsOn: addDays(today(), -30) } },
        'VALIDATION',
      ],
      ['series.skip', { visitId: appointment.id }, 'VALIDATION'],
      [
        'series.create',
        {
          clientId: f.smith.id,
          serviceId: f.mowing.id,
          rule: { kind: 'weekly', weekdays: [] },
          startsOn: today(),
          startTime: '08:00',
        },
        'VALIDATION',
      ],
      [
        'series.create',
        {
          clientId: f.smith.id,
          serviceId: f.mowing.id,
          rule: { kind: 'monthlyWeekday', ordinal: 5, weekday: 'TU' },
          startsOn: today(),
          startTime: '08:00',
        },
        'VALIDATION',
      ],
      [
        'series.create',
        {
          clientId: f.smith.id,
          serviceId: f.mowing.id,
          rule: { kind: 'weekly', weekdays: ['TU'] },
          startsOn: today(),
          endsOn: addDays(today(), -1),
          startTime: '08:00',
        },
        'VALIDATION',
      ],
      [
        'series.create',
        {
          clientId: f.smith.id,
          serviceId: f.retired.id,
          rule: { kind: 'weekly', weekdays: ['TU'] },
          startsOn: today(),
          startTime: '08:00',
        },
        'VALIDATION',
      ],
    ]
    for (const [channel, input, code] of cases) {
      const err = await callError(ctx, channel, input)
      expect(err.code, `${channel} ${JSON.stringify(input)}`).toBe(code)
    }
    expect(await snapshot(ctx)).toBe(before)
    await call(ctx, 'session.switch', { userId: f.lead.id })
    const asLead = await snapshot(ctx)
    expect((await callError(ctx, 'series.skip', { visitId: visit.id })).code).toBe('FORBIDDEN')
    expect(await snapshot(ctx)).toBe(asLead)
  })
})
