import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { HORIZON_DAYS } from '../../../../shared/domain/series'
import { occurrences } from '../../../../shared/domain/series-rule'
import { addDays, localDay } from '../../../../shared/domain/time'
import type { AppContext } from '../context'
import { buildFixture, type Fixture, snapshot, TEST_PIN } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'
import { parseDays } from './import-series'

let ctx: AppContext
let f: Fixture
const ZONE = 'America/Chicago'
const today = () => localDay(Date.now(), ZONE)

beforeAll(async () => {
  ctx = await memoryCore()
  // Booking confirmations are not what these tests read: no pass may write one between a
  // snapshot and the next.
  await ctx.notifier.stop()
  f = await buildFixture(ctx)
})
afterAll(() => ctx.db.close())
beforeEach(async () => {
  await ctx.horizon.settled()
  await ctx.db.pg.exec('DELETE FROM notifications; DELETE FROM appointments; DELETE FROM series')
  await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
})

const HEADER = 'client,service,crew,days,every_weeks,starts_on,ends_on,start_time,price,notes'
const file = (...rows: string[]) => [HEADER, ...rows].join('\n')
const importSeries = (csv: string, mode: 'all' | 'valid' = 'all') =>
  call(ctx, 'data.import', { kind: 'series', csv, mode })

async function visitsOf(clientId: string) {
  const { rows } = await ctx.db.pg.query<{ day: string; at: string; price: string }>(
    `SELECT series_occurrence::text AS day, to_char(scheduled_at AT TIME ZONE $2, 'HH24:MI') AS at,
       price::text AS price
     FROM appointments WHERE client_id = $1 AND series_id IS NOT NULL AND deleted_at IS NULL
     ORDER BY series_occurrence`,
    [clientId, ZONE],
  )
  return rows
}

describe('parseDays', () => {
  it('reads days written short, as codes or in full, and names the first that is not one', () => {
    expect(parseDays('Mon Thu')).toEqual({ days: ['MO', 'TH'] })
    expect(parseDays('TU,FR')).toEqual({ days: ['TU', 'FR'] })
    expect(parseDays('wednesday / Sat. and sunday')).toEqual({ days: ['WE', 'SA', 'SU'] })
    expect(parseDays('Mon Funday')).toEqual({ unknown: 'funday' })
  })
})

describe('importing recurring visits', () => {
  it('reads a time a spreadsheet wrote without its leading zero', async () => {
    const report = await importSeries(
      file(`Jones HOA,Lawn mowing,,Thu,,${addDays(today(), 3)},,7:45,,written as 7:45`),
    )
    expect(report).toMatchObject({ created: 1, refused: 0, errors: [] })
  })

  it("books each row's series with its visits, and books nothing the second time", async () => {
    const start = today()
    const end = addDays(start, 120)
    const csv = file(
      `Smith Residence,Lawn mowing,Ana Crew,Tue Fri,,${start},${end},08:00,"$1,200",Gate code 4411`,
      // Spelled with other case and spacing; no crew; every other week; the service's price.
      `  jones   hoa ,lawn MOWING,,Wed,2,${start},,13:30,,`,
    )
    const report = await importSeries(csv)
    expect(report).toMatchObject({
      rows: 2,
      created: 2,
      imported: 2,
      skipped: 0,
      refused: 0,
      written: true,
      errors: [],
      lines: { created: [2, 3], updated: [], skipped: [] },
    })

    const horizon = addDays(start, HORIZON_DAYS)
    const smith = await visitsOf(f.smith.id)
    // The season's end, or the horizon when it comes first.
    const last = [end, horizon].sort()[0] as string
    const smithDays = occurrences('FREQ=WEEKLY;BYDAY=TU,FR', start, start, last)
    expect(smith.map((v) => v.day)).toEqual(smithDays)
    expect(new Set(smith.map((v) => `${v.at} ${v.price}`))).toEqual(new Set(['08:00 1200.00']))
    const jones = await visitsOf(f.jones.id)
    expect(jones.map((v) => v.day)).toEqual(
      occurrences('FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', start, start, horizon),
    )
    expect(new Set(jones.map((v) => `${v.at} ${v.price}`))).toEqual(new Set(['13:30 55.00']))
    expect(report.visits).toEqual({
      booked: smith.length + jones.length,
      clashCount: 0,
      clashes: [],
    })
    // Every visit goes to the server like any booking.
    const { rows: queued } = await ctx.db.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sync_outbox o JOIN appointments a ON a.id = o.row_id
       WHERE a.series_id IS NOT NULL`,
    )
    expect(queued[0]?.n).toBe(smith.length + jones.length)

    const before = await snapshot(ctx)
    const again = await importSeries(csv)
    expect(again).toMatchObject({ created: 0, skipped: 2, lines: { skipped: [2, 3] } })
    expect(again.visits?.booked).toBe(0)
    expect(await snapshot(ctx)).toBe(before)
  })

  it('names every bad row and writes nothing, unless asked to book the good rows', async () => {
    const start = today()
    const extra = await call(ctx, 'clients.create', { name: 'Smith Residence' })
    try {
      const csv = file(
        `Jones HOA,Lawn mowing,Ana Crew,Mon,,${start},,09:00,,`,
        `Nobody Here,Lawn mowing,,Mon,,${start},,09:00,,`,
        `Smith Residence,Lawn mowing,,Mon,,${start},,09:00,,`,
        `Jones HOA,Retired service,,Mon,,${start},,09:00,,`,
        `Jones HOA,Lawn mowing,Zed Crew,Funday,,${start},,09:00,,`,
        `Jones HOA,Lawn mowing,,Mon,0,${start},${addDays(start, -1)},9am,,`,
        `Jones HOA,Lawn mowing,,Mon`,
        // A name not found does not hide what else is wrong in the row.
        `Nobody Else,Lawn mowing,,Mon,,${start},,9am,,`,
      )
      const before = await snapshot(ctx)
      const report = await importSeries(csv)
      expect(report).toMatchObject({ written: false, created: 0, refused: 7 })
      expect(report.errors.map((e) => [e.line, e.field])).toEqual([
        [3, 'client'],
        [4, 'client'],
        [5, 'service'],
        [6, 'crew'],
        [6, 'days'],
        [7, 'every_weeks'],
        [7, 'start_time'],
        [7, 'ends_on'],
        [8, ''],
        [9, 'client'],
        [9, 'start_time'],
      ])
      const messages = report.errors.map((e) => e.message)
      expect(messages).toContain('no client is named "Nobody Here"')
      expect(messages).toContain(
        '2 clients are named "Smith Residence": rename one, or book it in the app',
      )
      expect(messages).toContain('"Retired service" is archived and cannot be booked')
      expect(messages).toContain('"funday" is not a day of the week (write them as Mon Thu)')
      expect(await snapshot(ctx)).toBe(before)

      const partial = await importSeries(csv, 'valid')
      expect(partial).toMatchObject({ written: true, created: 1, refused: 7 })
      expect((await visitsOf(f.jones.id)).length).toBeGreaterThan(0)
    } finally {
      await call(ctx, 'clients.archive', { id: extra.id })
    }
  })

  it('reads a file as a spreadsheet saves it: spaces around cells, empty rows, a note over two lines, refusals by the line they start on', async () => {
    const start = today()
    const csv = [
      HEADER,
      '',
      ` Smith Residence , Lawn mowing , Ana Crew , Mon , 1 , ${start} , , 09:00 , ,"Gate code 12`,
      'back gate"',
      ',,,,,,,,,',
      ` , , , , , , , , , `,
      `Nobody Here,Lawn mowing,,Mon,,${start},,09:00,,`,
    ].join('\n')
    const report = await importSeries(csv, 'valid')
    expect(report).toMatchObject({ rows: 2, written: true, created: 1, refused: 1 })
    expect(report.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [7, 'client', 'no client is named "Nobody Here"'],
    ])
    const { rows } = await ctx.db.pg.query<{ notes: string; team_member_id: string }>(
      `SELECT DISTINCT notes, team_member_id FROM appointments WHERE client_id = $1`,
      [f.smith.id],
    )
    expect(rows).toEqual([{ notes: 'Gate code 12\nback gate', team_member_id: f.ana.id }])
  })

  it('refuses a name two clients share however the file spells it, whatever else the file names', async () => {
    const start = today()
    const twin = await call(ctx, 'clients.create', { name: 'JONES  hoa' })
    try {
      const row = `Jones HOA,Lawn mowing,,Mon,,${start},,09:00,,`
      for (const csv of [
        file(row),
        file(row, `smith  RESIDENCE,Lawn mowing,,Tue,,${start},,09:00,,`),
      ]) {
        const report = await importSeries(csv, 'valid')
        expect(report.errors.map((e) => [e.line, e.message])).toEqual([
          [2, '2 clients are named "Jones HOA": rename one, or book it in the app'],
        ])
      }
      expect(await visitsOf(f.jones.id)).toEqual([])
    } finally {
      await call(ctx, 'clients.archive', { id: twin.id })
    }
  })

  it('books visits that double-book a crew member and names each clash', async () => {
    const start = today()
    const day = addDays(start, 2)
    await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: new Date(Date.parse(`${day}T15:30:00Z`)).toISOString(),
    })
    const { rows } = await ctx.db.pg.query<{ at: string }>(
      `SELECT to_char(scheduled_at AT TIME ZONE $1, 'HH24:MI') AS at FROM appointments`,
      [ZONE],
    )
    const report = await importSeries(
      file(
        `Jones HOA,Lawn mowing,Ana Crew,Mon Tue Wed Thu Fri Sat Sun,,${day},${day},${rows[0]?.at},,`,
      ),
    )
    expect(report.visits).toMatchObject({ booked: 1, clashCount: 1 })
    expect(report.visits?.clashes[0]).toMatchObject({ teamMemberName: 'Ana Crew' })
    expect(report.visits?.clashes[0]?.with[0]?.text).toMatch(/^Smith Residence, Lawn mowing at /)
  })

  it('is for admins: an office manager is refused and nothing is booked', async () => {
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    const error = await callError(ctx, 'data.import', {
      kind: 'series',
      csv: file(`Jones HOA,Lawn mowing,,Mon,,${today()},,09:00,,`),
    })
    expect(error.code).toBe('FORBIDDEN')
    expect(await visitsOf(f.jones.id)).toEqual([])
  })
})
