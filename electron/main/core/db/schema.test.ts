import type { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../../../shared/domain/ids'
import { memoryDb } from '../test/helpers'
import type { Db } from './create-db'

let db: Db
let pg: PGlite
const clientId = uuidv7()
const serviceId = uuidv7()

beforeAll(async () => {
  db = await memoryDb()
  pg = db.pg
  await pg.query("INSERT INTO clients (id, name) VALUES ($1, 'Ada Lovelace')", [clientId])
  await pg.query(
    "INSERT INTO services (id, name, base_price, duration_minutes) VALUES ($1, 'Mowing', '55.00', 45)",
    [serviceId],
  )
})
afterAll(() => db.close())

/** Runs `sql` in a savepoint and reports the SQLSTATE it failed with (or 'ok'). */
async function outcome(sql: string, params: unknown[] = []): Promise<string> {
  try {
    await pg.transaction(async (tx) => {
      await tx.query(sql, params)
      await tx.rollback()
    })
    return 'ok'
  } catch (e) {
    return (e as { code?: string }).code ?? 'unknown'
  }
}

const appointment = (overrides: Record<string, unknown> = {}) => {
  const row: Record<string, unknown> = {
    id: uuidv7(),
    client_id: clientId,
    service_id: serviceId,
    scheduled_at: '2026-05-01T14:00:00Z',
    duration_minutes: 45,
    price: '55.00',
    ...overrides,
  }
  const cols = Object.keys(row)
  return [
    `INSERT INTO appointments (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row),
  ] as const
}

describe('the database refuses bad rows', () => {
  it('accepts a valid appointment (the baseline the refusals are measured against)', async () => {
    expect(await outcome(...appointment())).toBe('ok')
    expect(await outcome(...appointment({ location: 'x'.repeat(500) }))).toBe('ok')
  })

  it.each([
    ['an unknown status', { status: 'done' }, '23514'],
    ['a negative price', { price: '-1.00' }, '23514'],
    ['a zero duration', { duration_minutes: 0 }, '23514'],
    ['a missing client', { client_id: uuidv7() }, '23503'],
    ['a missing service', { service_id: uuidv7() }, '23503'],
    ['a missing team member', { team_member_id: uuidv7() }, '23503'],
    ['no start time', { scheduled_at: null }, '23502'],
    ['a price beyond numeric(10,2)', { price: '123456789.00' }, '22003'],
    ['a blank location', { location: '   ' }, '23514'],
    ['a location over 500 characters', { location: 'x'.repeat(501) }, '23514'],
  ])('an appointment with %s', async (_, overrides, code) => {
    expect(await outcome(...appointment(overrides))).toBe(code)
  })

  it.each([
    [
      "INSERT INTO services (id, name, base_price, duration_minutes) VALUES ($1, 'X', '-5', 30)",
      '23514',
    ],
    [
      "INSERT INTO services (id, name, base_price, duration_minutes, priority) VALUES ($1, 'Y', '5', 30, 'URGENT')",
      '23514',
    ],
    [
      "INSERT INTO services (id, name, base_price, duration_minutes) VALUES ($1, '   ', '5', 30)",
      '23514',
    ],
    [
      "INSERT INTO services (id, name, base_price, duration_minutes) VALUES ($1, 'Mowing', '5', 30)",
      '23505',
    ],
    ["INSERT INTO clients (id, name, email) VALUES ($1, 'Bob', 'not an email')", '23514'],
    ["INSERT INTO clients (id, name, latitude) VALUES ($1, 'Bob', 91)", '23514'],
    ["INSERT INTO team_members (id, name, color) VALUES ($1, 'Cy', 'green')", '23514'],
    ["INSERT INTO users (id, name, role) VALUES ($1, 'Dee', 'superuser')", '23514'],
    ["INSERT INTO products (id, name, unit_price) VALUES ($1, 'Mulch', '-0.01')", '23514'],
  ])('%s', async (sql, code) => {
    expect(await outcome(sql, [uuidv7()])).toBe(code)
  })

  it('stores MEDIUM when a service is inserted without a priority', async () => {
    const id = uuidv7()
    await pg.query(
      "INSERT INTO services (id, name, base_price, duration_minutes) VALUES ($1, 'Edging', '40', 30)",
      [id],
    )
    const { rows } = await pg.query<{ priority: string }>(
      'SELECT priority FROM services WHERE id = $1',
      [id],
    )
    expect(rows[0]?.priority).toBe('MEDIUM')
    expect(await outcome('UPDATE services SET priority = NULL WHERE id = $1', [id])).toBe('23502')
  })

  it('keeps prices exact', async () => {
    const { rows } = await pg.query<{ total: string }>(
      "SELECT ('0.10'::numeric(10,2) + '0.20'::numeric(10,2))::text AS total",
    )
    expect(rows[0]?.total).toBe('0.30')
  })
})
