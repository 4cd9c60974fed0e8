import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOMAIN_MIGRATIONS_FOLDER } from '../drizzle/runner/folders'
import { loadMigrations, migrate } from '../drizzle/runner/migrations'
import { createPool, pgRunner, SERVER_MIGRATIONS_FOLDER, SERVER_MIGRATIONS_TABLE } from './db'
import { freshDatabase, type TestDatabase } from './test-db'

/**
 * A server that stored the series' writes before they were marked (server migration
 * 0010): the versions of visits a series still governs are marked as the laptops mark
 * theirs, their status and its times excepted; exceptions and other jobs keep theirs.
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

const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`
const STAMP = '001790000000000-00000-laptop'

describe("marking the series' own writes on the server (0010)", () => {
  it('marks governed visits, not their status, exceptions or other jobs', async () => {
    await migrate(pgRunner(pool), loadMigrations(DOMAIN_MIGRATIONS_FOLDER))
    await migrate(pgRunner(pool), loadMigrations(SERVER_MIGRATIONS_FOLDER), {
      table: SERVER_MIGRATIONS_TABLE,
      target: '0009_weather_alerts',
    })
    await pool.query(`
      INSERT INTO clients (id, name) VALUES ('${id(1)}', 'Client');
      INSERT INTO services (id, name, base_price, duration_minutes) VALUES ('${id(2)}', 'Mowing', 50, 60);
      INSERT INTO series (id, root_id, client_id, service_id, rule, starts_on, start_time, duration_minutes, price)
        VALUES ('${id(3)}', '${id(3)}', '${id(1)}', '${id(2)}', 'FREQ=WEEKLY', '2027-04-05', '08:30', 60, 50);
      INSERT INTO appointments (id, client_id, service_id, scheduled_at, duration_minutes, price,
          series_id, series_occurrence, series_exception)
        VALUES ('${id(10)}', '${id(1)}', '${id(2)}', '2027-04-05T13:30:00Z', 60, 50, '${id(3)}', '2027-04-05', false),
               ('${id(11)}', '${id(1)}', '${id(2)}', '2027-04-12T18:00:00Z', 60, 50, '${id(3)}', '2027-04-12', true),
               ('${id(12)}', '${id(1)}', '${id(2)}', '2027-04-13T15:00:00Z', 60, 50, NULL, NULL, false);`)
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
