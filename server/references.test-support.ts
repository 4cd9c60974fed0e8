import type pg from 'pg'
import type { Mutation } from '../shared/sync/protocol'
import { REFERENCES } from './upgrade'

/**
 * Tests of the server's rules push jobs that name clients, services and crews made up on
 * the spot. The central tables hold the laptops' foreign keys, so those rows must exist:
 * this creates each one named and not yet there, directly in its table (they are the
 * scene of the test, not what it checks), following the keys the schema declares. A
 * service costs 55.00 for an hour.
 */

const INSERT: Record<string, string> = {
  clients: `INSERT INTO clients (id, name) SELECT x, 'Client ' || left(x::text, 8) FROM unnest($1::uuid[]) x`,
  services: `INSERT INTO services (id, name, base_price, duration_minutes)
    SELECT x, 'Service ' || left(x::text, 8), 55, 60 FROM unnest($1::uuid[]) x`,
  team_members: `INSERT INTO team_members (id, name) SELECT x, 'Crew ' || left(x::text, 8) FROM unnest($1::uuid[]) x`,
  products: `INSERT INTO products (id, name, unit_price) SELECT x, 'Product ' || left(x::text, 8), 3 FROM unnest($1::uuid[]) x`,
}

export async function ensureReferences(pool: pg.Pool, mutations: readonly Mutation[]) {
  const wanted = new Map<string, Set<string>>()
  for (const m of mutations) {
    for (const [column, table] of REFERENCES.get(m.table) ?? []) {
      if (!INSERT[table]) continue // jobs are made by the tests themselves
      const id = m.fields[column]
      if (typeof id === 'string') wanted.set(table, (wanted.get(table) ?? new Set()).add(id))
    }
  }
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query("SET LOCAL groundskeeper.applying = 'on'")
    for (const [table, ids] of wanted) {
      const { rows } = await client.query<{ id: string }>(
        `SELECT id FROM ${table} WHERE id = ANY($1::uuid[])`,
        [[...ids]],
      )
      const present = new Set(rows.map((r) => r.id))
      const missing = [...ids].filter((id) => !present.has(id))
      if (missing.length) await client.query(INSERT[table] as string, [missing])
    }
    await client.query('COMMIT')
  } catch (e) {
    await client.query('ROLLBACK')
    throw e
  } finally {
    client.release()
  }
}
