import { afterAll, describe, expect, it } from 'vitest'
import { sourceResources } from '../paths'
import { tempDir } from '../test/helpers'
import { createDb } from './create-db'

const resources = sourceResources()
const ROWS = 100_000

async function fillServices(dataDir: string, target: string, rows = ROWS) {
  const db = await createDb({ dataDir, resources, migrate: { target }, durability: 'os' })
  try {
    await db.pg.exec(`INSERT INTO services (id, name, base_price, duration_minutes)
      SELECT gen_random_uuid(), 'Service ' || g, (g % 500)::numeric(10,2), 30 + g % 200
      FROM generate_series(1, ${rows}) g`)
  } finally {
    await db.close()
  }
}

describe('opening a large data folder left at every earlier stage', () => {
  const dirs: { path: string; cleanup: () => void }[] = []
  afterAll(() => {
    for (const d of dirs) d.cleanup()
  })

  for (const stage of ['0000_initial', '0001_service_priority_nullable']) {
    it(`keeps all ${ROWS} services of a database left at ${stage}, none NULL`, async () => {
      const dir = tempDir()
      dirs.push(dir)
      await fillServices(dir.path, stage)
      const progress: number[] = []
      const db = await createDb({
        dataDir: dir.path,
        resources,
        backfill: { batchSize: 10_000, onProgress: (p) => progress.push(p.done) },
      })
      try {
        const { rows } = await db.pg.query<{ n: number; nulls: number; medium: number }>(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE priority IS NULL)::int AS nulls,
                  count(*) FILTER (WHERE priority = 'MEDIUM')::int AS medium FROM services`,
        )
        expect(rows[0]).toEqual({ n: ROWS, nulls: 0, medium: ROWS })
        const { rows: column } = await db.pg.query<{ is_nullable: string }>(
          `SELECT is_nullable FROM information_schema.columns
           WHERE table_name = 'services' AND column_name = 'priority'`,
        )
        expect(column[0]?.is_nullable).toBe('NO')
        expect(progress.at(-1)).toBe(ROWS)
        expect(progress.length).toBeGreaterThanOrEqual(ROWS / 10_000)
      } finally {
        await db.close()
      }
    })
  }
})
