import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed } from '../seed/seed'
import { memoryDb } from '../test/helpers'
import type { Db } from './create-db'
import { maintain } from './maintenance'

let db: Db
beforeAll(async () => {
  db = await memoryDb()
  await seed(db.pg, { appointments: 2000, anchor: new Date('2026-06-01') })
})
afterAll(() => db.close())

const stats = async () =>
  (
    await db.pg.query<{ reltuples: number }>(
      "SELECT reltuples FROM pg_class WHERE relname = 'appointments'",
    )
  ).rows[0]?.reltuples

describe('maintenance (PGlite has no autovacuum)', () => {
  it('leaves planner statistics after a bulk load', async () => {
    expect(await stats()).toBeGreaterThan(1500)
    expect(await maintain(db.pg)).toEqual({ analyzed: [], vacuumed: [] })
  })

  it('marks a bulk load all-visible, so index-only scans skip the rows', async () => {
    const { rows } = await db.pg.query<{ pages: number; visible: number }>(
      `SELECT relpages AS pages, relallvisible AS visible FROM pg_class
       WHERE relname = 'appointments'`,
    )
    expect(rows[0]?.pages).toBeGreaterThan(10)
    expect(rows[0]?.visible).toBe(rows[0]?.pages)
    const plan = await db.pg.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT id FROM appointments
       WHERE deleted_at IS NULL ORDER BY scheduled_at DESC, id DESC OFFSET 1000 LIMIT 20`,
    )
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n')
    expect(text).toMatch(/Index Only Scan/)
    expect(text).toMatch(/Heap Fetches: 0/)
  })

  it('vacuums and analyzes a table once enough of it changed', async () => {
    await db.pg.exec("UPDATE appointments SET notes = notes || '.' WHERE status = 'completed'")
    const report = await maintain(db.pg)
    expect(report.vacuumed).toContain('appointments')
    expect(report.analyzed).toContain('appointments')
    const { rows } = await db.pg.query<{ dead: number }>(
      "SELECT n_dead_tup::int AS dead FROM pg_stat_user_tables WHERE relname = 'appointments'",
    )
    expect(rows[0]?.dead).toBe(0)
  })
})
