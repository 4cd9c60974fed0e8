import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOMAIN_MIGRATIONS_FOLDER } from '../drizzle/runner/folders'
import { loadMigrations, migrate } from '../drizzle/runner/migrations'
import { rowId, SERIES_VISITS_SQL } from '../drizzle/runner/series-visits.test-support'
import { uuidv7 } from '../shared/domain/ids'
import { deviceStamps } from '../shared/sync/device-stamps.test-support'
import { clockAfter } from '../shared/sync/hlc'
import type { Mutation } from '../shared/sync/protocol'
import {
  createPool,
  migrateServer,
  pgRunner,
  SERVER_MIGRATIONS_FOLDER,
  SERVER_MIGRATIONS_TABLE,
} from './db'
import { ensureReferences } from './references.test-support'
import { push } from './sync'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice, type Device } from './tokens'

/**
 * The series' own writes on the server: those stored before they were marked (server
 * migration 0010) are marked as the laptops mark theirs; those a laptop from before
 * marked versions still sends plain are marked as they arrive; and a visit a person
 * changed while the series removed it comes back as the two merge, in either order.
 */
let db: TestDatabase
let pool: pg.Pool
beforeAll(async () => {
  db = await freshDatabase()
  pool = createPool(db.url, db.poolMax)
})
afterAll(async () => {
  await pool.end()
  await db.drop()
})

const id = rowId
const STAMP = '001790000000000-00000-laptop'

describe("marking the series' own writes on the server (0010)", () => {
  it('marks governed visits, not their status, exceptions or other jobs', async () => {
    await migrate(pgRunner(pool), loadMigrations(DOMAIN_MIGRATIONS_FOLDER))
    await migrate(pgRunner(pool), loadMigrations(SERVER_MIGRATIONS_FOLDER), {
      table: SERVER_MIGRATIONS_TABLE,
      target: '0009_weather_alerts',
    })
    await pool.query(SERIES_VISITS_SQL)
    const plain = { scheduled_at: STAMP, status: STAMP, completed_at: STAMP, deleted_at: STAMP }
    for (const [n, row] of [10, 11, 12].entries())
      await pool.query(
        `INSERT INTO sync_rows (table_name, row_id, versions, seq) VALUES ('appointments', $1, $2, $3)`,
        [id(row), JSON.stringify(plain), n + 1],
      )
    await migrate(pgRunner(pool), loadMigrations(SERVER_MIGRATIONS_FOLDER), {
      table: SERVER_MIGRATIONS_TABLE,
    })
    const { rows } = await pool.query<{ row_id: string; versions: Record<string, string> }>(
      "SELECT row_id, versions FROM sync_rows WHERE table_name = 'appointments' ORDER BY row_id",
    )
    expect(rows.map((r) => r.versions)).toEqual([
      { ...plain, scheduled_at: `!${STAMP}`, deleted_at: `!${STAMP}` },
      plain,
      plain,
    ])
  })
})

describe("merging the series' writes with people's", () => {
  // Two office laptops: one where people work on a visit, one whose series writes to it.
  let person: Device
  let series: Device
  let pool2: pg.Pool
  const stamp = { person: deviceStamps('office'), series: deviceStamps('seriesdesk') }
  beforeAll(async () => {
    const fresh = await freshDatabase()
    const extra = createPool(fresh.url, fresh.poolMax)
    afterAll(async () => {
      await extra.end()
      await fresh.drop()
    })
    await migrateServer(extra)
    pool2 = extra
    const device = async (label: string) =>
      (await createDevice(extra, { label, userName: label, role: 'office_manager' })).device
    person = await device('office')
    series = await device('series desk')
  })
  const client = uuidv7()
  const service = uuidv7()
  const seriesId = uuidv7()
  /** A person's write: plain versions. */
  const byPerson = (rowId: string, fields: Mutation['fields'], extra = {}): Mutation => ({
    id: uuidv7(),
    table: 'appointments',
    rowId,
    hlc: stamp.person(),
    fields,
    ...extra,
  })
  /** The series' write: every field's version marked, as a laptop's reconcile sends it. */
  const bySeries = (rowId: string, fields: Mutation['fields'], extra = {}): Mutation => {
    const hlc = stamp.series()
    const versions = Object.fromEntries(Object.keys(fields).map((f) => [f, `!${hlc}`]))
    return { id: uuidv7(), table: 'appointments', rowId, hlc, fields, versions, ...extra }
  }
  const send = async (from: Device, mutations: Mutation[]) => {
    await ensureReferences(pool2, mutations)
    const results = await push(pool2, from, mutations)
    expect(results.map((r) => r.status)).toEqual(mutations.map(() => 'applied'))
  }
  /** Sends a person's write and the series' in an order. */
  const inOrder = async (personFirst: boolean, mine: Mutation, its: Mutation) => {
    if (personFirst) await send(person, [mine])
    await send(series, [its])
    if (!personFirst) await send(person, [mine])
  }
  const row = async (id: string) => {
    const { rows } = await pool2.query<{
      at: string
      deleted: boolean
      exception: boolean
      versions: Record<string, string>
      seq: string
    }>(
      `SELECT a.scheduled_at AS at, a.deleted_at IS NOT NULL AS deleted,
         a.series_exception AS exception, s.versions, s.seq
       FROM appointments a JOIN sync_rows s ON s.row_id = a.id WHERE a.id = $1`,
      [id],
    )
    return rows[0]
  }
  /** A visit the series booked; with the versions its laptops then hold. */
  async function bookedVisit(): Promise<{ id: string; base: Record<string, string> }> {
    const id = uuidv7()
    if (!(await pool2.query('SELECT 1 FROM series WHERE id = $1', [seriesId])).rowCount)
      await send(person, [
        {
          ...byPerson(seriesId, {
            root_id: seriesId,
            client_id: client,
            service_id: service,
            team_member_id: null,
            rule: 'FREQ=WEEKLY;BYDAY=TU',
            starts_on: '2027-04-06',
            ends_on: null,
            start_time: '08:30',
            duration_minutes: 60,
            price: '55.00',
            notes: '',
            location: null,
            deleted_at: null,
          }),
          table: 'series',
        },
      ])
    await send(series, [
      bySeries(id, {
        client_id: client,
        service_id: service,
        team_member_id: null,
        scheduled_at: '2027-04-06T13:30:00.000Z',
        duration_minutes: 60,
        status: 'scheduled',
        notes: '',
        location: null,
        price: '55.00',
        series_id: seriesId,
        series_occurrence: '2027-04-06',
        series_exception: false,
        deleted_at: null,
      }),
    ])
    return { id, base: (await row(id))?.versions ?? {} }
  }
  const MOVED = '2027-04-06T19:00:00.000Z'

  it("sends a series' write a person outranked back to its laptop: the row gets a new change number", async () => {
    const { id, base } = await bookedVisit()
    await send(person, [byPerson(id, { scheduled_at: MOVED, series_exception: true }, { base })])
    const before = await row(id)
    await send(series, [bySeries(id, { scheduled_at: '2027-04-06T15:00:00.000Z' }, { base })])
    const later = await row(id)
    expect(later).toMatchObject({ at: new Date(MOVED) })
    expect(Number(later?.seq)).toBeGreaterThan(Number(before?.seq))
  })

  for (const personFirst of [true, false]) {
    const order = personFirst ? 'the person first' : 'the series first'
    it(`keeps a person's move over the series' later write, ${order}`, async () => {
      const { id, base } = await bookedVisit()
      const move = byPerson(id, { scheduled_at: MOVED, series_exception: true }, { base })
      const edit = bySeries(id, { scheduled_at: '2027-04-06T15:00:00.000Z' }, { base })
      await inOrder(personFirst, move, edit)
      expect(await row(id)).toMatchObject({ at: new Date(MOVED), exception: true, deleted: false })
    })

    it(`brings back a visit a person changed while the series removed it, ${order}`, async () => {
      const { id, base } = await bookedVisit()
      const note = byPerson(id, { notes: 'Gate code 4321', series_exception: true }, { base })
      const removal = bySeries(id, { deleted_at: '2027-04-01T12:00:00.000Z' }, { base })
      await inOrder(personFirst, note, removal)
      const stored = await row(id)
      expect(stored).toMatchObject({ exception: true, deleted: false })
      // The same restore whichever came first: the series' own, one step after the removal.
      expect(stored?.versions.deleted_at).toBe(`!${clockAfter(removal.hlc, 'restored')}`)
      // Nothing is left to settle: no conflict for the removal.
      const { rows } = await pool2.query('SELECT 1 FROM sync_conflicts WHERE row_id = $1', [id])
      expect(rows).toHaveLength(0)
    })

    it(`lets a person's deletion outrank the restore, ${order}`, async () => {
      const { id, base } = await bookedVisit()
      // Someone deletes the visit, and someone else, a moment later by the clock, notes it.
      const deletion = byPerson(
        id,
        { deleted_at: '2027-04-02T12:00:00.000Z', series_exception: true },
        { base },
      )
      const note = byPerson(id, { notes: 'Gate code 4321', series_exception: true }, { base })
      const removal = bySeries(id, { deleted_at: '2027-04-01T12:00:00.000Z' }, { base })
      await send(person, [note])
      await inOrder(personFirst, deletion, removal)
      expect(await row(id)).toMatchObject({ deleted: true })
    })
  }
})
