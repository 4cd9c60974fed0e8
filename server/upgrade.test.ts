import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOMAIN_MIGRATIONS_FOLDER } from '../drizzle/runner/folders'
import { loadMigrations, migrate } from '../drizzle/runner/migrations'
import { populate } from '../scripts/bench/sync-data'
import { uuidv7 } from '../shared/domain/ids'
import { deviceStamps } from '../shared/sync/device-stamps.test-support'
import type { Mutation } from '../shared/sync/protocol'
import { buildServer } from './app'
import {
  createPool,
  finishServerUpgrade,
  migrateServer,
  pgRunner,
  SERVER_MIGRATIONS_FOLDER,
  SERVER_MIGRATIONS_TABLE,
} from './db'
import { pull } from './pull'
import { rowValuesSql } from './rows'
import { push } from './sync'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice, type Device } from './tokens'

/**
 * A server that kept its rows as JSON in `sync_rows` (before migration 0004), holding a
 * year of a business (100,000 appointments), upgrades to rows in their tables while
 * laptops keep pushing: nothing stored is lost, every push is applied, and an upgrade
 * cut short resumes.
 */
const APPOINTMENTS = 100_000
const LAST_JSON_MIGRATION = '0003_conflict_details'
const appointmentId = (i: number) => `00000000-0000-7000-b000-${i.toString(16).padStart(12, '0')}`
const clientId = (i: number) => `00000000-0000-7000-a000-${i.toString(16).padStart(12, '0')}`

type Values = Record<string, unknown>

describe('upgrading a server that stored rows as JSON', () => {
  let db: TestDatabase
  let pool: pg.Pool
  let device: Device
  let token: string
  /** What every row must hold after the upgrade, by table and id. */
  const expected = new Map<string, Values>()
  const orphan = uuidv7()

  beforeAll(async () => {
    db = await freshDatabase()
    pool = createPool(db.url, db.poolMax)
    const runner = pgRunner(pool)
    await migrate(runner, loadMigrations(DOMAIN_MIGRATIONS_FOLDER))
    await migrate(runner, loadMigrations(SERVER_MIGRATIONS_FOLDER), {
      table: SERVER_MIGRATIONS_TABLE,
      target: LAST_JSON_MIGRATION,
    })
    await populate(pool, APPOINTMENTS, { legacy: true })
    // A job whose client never reached the server: the JSON store took it, its table won't.
    const { rows: sample } = await pool.query<{ values: Values; versions: Values }>(
      `SELECT "values", versions FROM sync_rows WHERE row_id = $1`,
      [appointmentId(1)],
    )
    const [first] = sample
    if (!first) throw new Error('no seeded appointment')
    await pool.query(
      `INSERT INTO sync_rows (table_name, row_id, "values", versions, seq)
       VALUES ('appointments', $1, $2, $3, nextval('sync_seq'))`,
      [orphan, { ...first.values, client_id: uuidv7() }, first.versions],
    )
    const { rows } = await pool.query<{ table_name: string; row_id: string; values: Values }>(
      `SELECT table_name, row_id, "values" FROM sync_rows WHERE row_id <> $1`,
      [orphan],
    )
    for (const r of rows) expected.set(`${r.table_name}:${r.row_id}`, r.values)
    ;({ device, token } = await createDevice(pool, {
      label: 'office',
      userName: 'Olga',
      role: 'office_manager',
    }))
  }, 300_000)
  afterAll(async () => {
    await pool.end()
    await db.drop()
  })

  const stamp = deviceStamps('office')
  const write = (table: Mutation['table'], rowId: string, fields: Mutation['fields']) => {
    const key = `${table}:${rowId}`
    expected.set(key, { ...(expected.get(key) ?? {}), ...fields })
    return { id: uuidv7(), table, rowId, hlc: stamp(), fields } satisfies Mutation
  }

  /** Laptops at work: each round edits a stored job (one not moved yet, often) and books a new one. */
  const pushing = (
    stop: { done: boolean },
    log: { at: number; moved: number }[],
    moved: () => number,
  ) =>
    (async () => {
      let round = 0
      while (!stop.done) {
        round += 1
        const client = uuidv7()
        const job = uuidv7()
        const results = await push(pool, device, [
          write('appointments', appointmentId(APPOINTMENTS - round * 97), {
            notes: `edited during the upgrade, round ${round}`,
          }),
          write('clients', client, { name: `New client ${round}`, notes: '' }),
          write('appointments', job, {
            client_id: client,
            service_id: '00000000-0000-7000-9000-000000000001',
            team_member_id: null,
            scheduled_at: '2027-02-01T09:00:00.000Z',
            duration_minutes: 60,
            status: 'scheduled',
            notes: '',
            price: '55.00',
          }),
        ])
        const outcome = results.map((r) => r.reason ?? r.status)
        if (outcome.some((o) => o !== 'applied')) throw new Error(outcome.join(' | '))
        log.push({ at: Date.now(), moved: moved() })
      }
      return round
    })()

  it('moves every row into its table, resumes after a stop, and takes pushes throughout', async () => {
    // The new version migrates as far as it can serve, and serves: laptops push; readers
    // of the tables alone are told to come back once every row is in.
    await migrateServer(pool, { serveFirst: true })
    const app = buildServer({ pool })
    const list = () =>
      app.inject({
        method: 'GET',
        url: '/api/v1/appointments/?limit=1',
        headers: { authorization: `Token ${token}` },
      })
    const early = await list()
    expect(early.statusCode).toBe(503)
    expect(early.headers['retry-after']).toBe('30')
    let moved = 0
    const stop = { done: false }
    const log: { at: number; moved: number }[] = []
    const pushes = pushing(stop, log, () => moved)
    // A first run of the move stops partway (the process is stopped mid-move).
    await expect(
      finishServerUpgrade(pool, {
        moveBatchSize: 5000,
        onMove: (p) => {
          moved = p.table === 'appointments' ? p.done : 0
          if (p.table === 'appointments' && p.done >= 30_000) throw new Error('stopped')
        },
      }),
    ).rejects.toThrow('stopped')
    const { rows: partway } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM appointments',
    )
    expect(partway[0]?.n).toBeGreaterThanOrEqual(30_000)
    expect(partway[0]?.n).toBeLessThan(APPOINTMENTS)

    // The next start finishes it, pushes going on all along.
    const progress: number[] = []
    await migrateServer(pool, {
      moveBatchSize: 5000,
      onMove: (p) => {
        if (p.table === 'appointments') progress.push(p.done)
        moved = p.table === 'appointments' ? p.done : moved
      },
    })
    stop.done = true
    const rounds = await pushes
    // Pushes were applied between move batches, not only before or after the move.
    const during = log.filter((l) => l.moved > 0 && l.moved < APPOINTMENTS).length
    expect(rounds).toBeGreaterThan(2)
    expect(during).toBeGreaterThan(0)
    // The second run only moved what the first had left.
    expect(progress[0]).toBeLessThanOrEqual(APPOINTMENTS - 30_000 + 5000)

    // The JSON copy is gone; the job its table refused is kept with the reason.
    const { rows: columns } = await pool.query(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'sync_rows' AND column_name = 'values'`,
    )
    expect(columns).toEqual([])
    const { rows: unplaced } = await pool.query<{ row_id: string; reason: string }>(
      'SELECT row_id, reason FROM sync_rows_unplaced',
    )
    expect(unplaced.map((u) => u.row_id)).toEqual([orphan])
    expect(unplaced[0]?.reason).toMatch(/^23503/)

    // Every row, untouched or edited during the upgrade, holds what it should.
    for (const table of ['team_members', 'services', 'clients', 'appointments'] as const) {
      const { rows } = await pool.query<{ id: string; values: Values }>(
        `SELECT d.id, ${rowValuesSql(table, 'd')} AS values FROM ${table} d`,
      )
      const mine = [...expected.entries()].filter(([k]) => k.startsWith(`${table}:`))
      expect(rows.length, table).toBe(mine.length)
      const found = new Map(rows.map((r) => [r.id, r.values]))
      for (const [key, want] of mine) {
        const got = found.get(key.slice(table.length + 1))
        expect(got, key).toBeDefined()
        for (const [field, value] of Object.entries(want)) {
          const same =
            typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)
              ? Date.parse(value) === Date.parse(String(got?.[field]))
              : got?.[field] === value
          if (!same) expect({ key, field, got: got?.[field] }).toEqual({ key, field, got: value })
        }
      }
    }
    expect(expected.get(`clients:${clientId(1)}`)).toBeDefined()

    // The REST API serves again, every job counted (the one set aside is not a job).
    const { rows: jobs } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM appointments WHERE deleted_at IS NULL',
    )
    const late = await list()
    expect(late.statusCode).toBe(200)
    expect(late.json().count).toBe(jobs[0]?.n)
    expect(jobs[0]?.n).toBe(APPOINTMENTS + rounds)
    await app.close()

    // A laptop's first pull gets every row whole.
    let cursor = 0
    let total = 0
    for (;;) {
      const page = await pull(pool, cursor, 1000)
      for (const c of page.changes) expect(Object.keys(c.values).length).toBeGreaterThan(3)
      total += page.changes.length
      cursor = page.cursor
      if (!page.more) break
    }
    expect(total).toBe(expected.size)
  }, 600_000)
})
