import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChangedNotice } from '../../../../shared/contract/tables'
import { HORIZON_DAYS, visitId } from '../../../../shared/domain/series'
import { occurrences, weekdayOf } from '../../../../shared/domain/series-rule'
import { addDays, localDay, localToUtc } from '../../../../shared/domain/time'
import type { AppContext } from '../context'
import { buildFixture, type Fixture, TEST_PIN } from '../test/fixture'
import { call, memoryCore } from '../test/helpers'
import { HORIZON_CLASHES_KEY, keptClashes, saveClashes } from './clash-record'
import { SeriesHorizon } from './horizon'

let ctx: AppContext
let f: Fixture
const ZONE = 'America/Chicago'
const DAY_MS = 86_400_000
const today = () => localDay(Date.now(), ZONE)
const weekday = () => weekdayOf(addDays(today(), 1))
const rule = () => `FREQ=WEEKLY;BYDAY=${weekday()}`

beforeAll(async () => {
  ctx = await memoryCore()
  await ctx.notifier.stop()
  f = await buildFixture(ctx)
})
afterAll(() => ctx.db.close())
beforeEach(async () => {
  await ctx.horizon.settled()
  await ctx.db.pg.exec(
    `DELETE FROM appointments; DELETE FROM series; DELETE FROM app_settings WHERE key = '${HORIZON_CLASHES_KEY}'`,
  )
  await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
})

/** Ana mows Smith Residence weekly at 08:30 (an hour), from today. */
const createSeries = () =>
  call(ctx, 'series.create', {
    clientId: f.smith.id,
    serviceId: f.mowing.id,
    teamMemberId: f.ana.id,
    rule: { kind: 'weekly', weekdays: [weekday()] },
    startsOn: today(),
    endsOn: null,
    startTime: '08:30',
  })

/** The first day of the series beyond today's horizon: booked once a week has passed. */
const nextBeyond = () =>
  occurrences(
    rule(),
    today(),
    addDays(today(), HORIZON_DAYS + 1),
    addDays(today(), HORIZON_DAYS + 7),
  )[0] as string

/** A horizon a week ahead of today, and the notices it sends. */
function weekLater() {
  const notices: ChangedNotice[] = []
  const stop = ctx.changes.subscribe((n) => notices.push(n))
  const horizon = new SeriesHorizon(() => ctx.db, ctx.changes, {
    nowMs: () => Date.now() + 7 * DAY_MS,
  })
  return { horizon, notices, stop }
}

const kept = () => ctx.db.db.transaction((tx) => keptClashes(tx))

describe('extending the horizon checks the visits it books for double bookings', () => {
  it('keeps a visit that double-books its crew member for the office, naming the other job', async () => {
    const { series } = await createSeries()
    const day = nextBeyond()
    const visit = visitId(series.rootId, day)
    // A one-off booked where the series has no visit yet: nothing clashed then.
    const [year, month, date] = day.split('-').map(Number) as [number, number, number]
    const { appointment } = await call(ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: new Date(
        localToUtc({ year, month, day: date, hour: 9, minute: 0 }, ZONE),
      ).toISOString(),
    })
    expect(await kept()).toEqual([])

    const { horizon, notices, stop } = weekLater()
    try {
      expect(await horizon.run()).toBeGreaterThanOrEqual(1)
      const list = await kept()
      expect(list).toEqual([
        {
          visitId: visit,
          scheduledAt: expect.any(String),
          teamMemberName: 'Ana Crew',
          when: expect.stringMatching(/^8:30–9:30 AM on /),
          job: 'Smith Residence, Lawn mowing',
          with: [
            {
              id: appointment.id,
              text: expect.stringMatching(/^Jones HOA, Lawn mowing at 9:00–10:00 AM on /),
            },
          ],
          foundAt: expect.any(String),
        },
      ])
      // The screens that read the list are told.
      expect(notices.some((n) => n.tables.includes('app_settings'))).toBe(true)
      // Booked all the same, and not accepted for sync: a server still sees the overlap.
      const { rows: sent } = await ctx.db.pg.query<{ accepted: unknown }>(
        `SELECT accepted FROM sync_outbox WHERE table_name = 'appointments' AND row_id = $1`,
        [visit],
      )
      expect(sent.length).toBeGreaterThan(0)
      expect(sent.every((s) => s.accepted === null)).toBe(true)

      // Another run keeps it once.
      expect(await horizon.run()).toBe(0)
      expect(await kept()).toEqual(list)
      // The office reads it through its channel, as it stands now; "keep both" lets it go
      // until the horizon finds it again (here: never, it books that visit no more).
      expect((await call(ctx, 'series.clashes', {})).clashes.map((c) => c.visitId)).toEqual([visit])
      await call(ctx, 'series.keepClash', { visitId: visit })
      expect((await call(ctx, 'series.clashes', {})).clashes).toEqual([])
      await horizon.run()
      expect(await kept()).toEqual([])
      // Listed again for the test's last step: settled by the other job's cancelling.
      await ctx.db.db.transaction((tx) => saveClashes(tx, list))
      // Settled (the one-off cancelled): it leaves the list.
      await call(ctx, 'appointments.setStatus', { id: appointment.id, status: 'cancelled' })
      notices.length = 0
      await horizon.run()
      expect(await kept()).toEqual([])
      expect(notices.some((n) => n.tables.includes('app_settings'))).toBe(true)
    } finally {
      stop()
    }
  })

  it('keeps nothing when the visits it books clash with nothing', async () => {
    const { series } = await createSeries()
    const day = nextBeyond()
    const { horizon, notices, stop } = weekLater()
    try {
      expect(await horizon.run()).toBeGreaterThanOrEqual(1)
      const { rows } = await ctx.db.pg.query('SELECT 1 FROM appointments WHERE id = $1', [
        visitId(series.rootId, day),
      ])
      expect(rows).toHaveLength(1)
      expect(await kept()).toEqual([])
      const { rows: setting } = await ctx.db.pg.query('SELECT 1 FROM app_settings WHERE key = $1', [
        HORIZON_CLASHES_KEY,
      ])
      expect(setting).toHaveLength(0)
      expect(notices.flatMap((n) => n.tables)).toEqual(['appointments'])
    } finally {
      stop()
    }
  })
})
