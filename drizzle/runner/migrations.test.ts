import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sourceResources } from '../paths'
import { tempDir } from '../test/helpers'
import { backfillPriority } from './backfill-priority'
import { createDb, PRIORITY_NOT_NULL_MIGRATION } from './create-db'
import { appliedMigrations, loadMigrations, MigrationError, migrate } from './migrations'

const resources = sourceResources()
const migrations = loadMigrations(resources.migrationsFolder)
const ROWS = 100_000
const STAGE_1 = '0000_initial'
const STAGE_2 = '0001_service_priority_nullable'

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

async function priorityColumn(db: Awaited<ReturnType<typeof createDb>>) {
  const { rows } = await db.pg.query<{ is_nullable: string; column_default: string | null }>(
    `SELECT is_nullable, column_default FROM information_schema.columns
     WHERE table_name = 'services' AND column_name = 'priority'`,
  )
  return rows[0]
}

describe('the migration history', () => {
  it('has journal times that strictly increase, so no migration is ever skipped', () => {
    const whens = migrations.map((m) => m.when)
    expect([...whens].sort((a, b) => a - b)).toEqual(whens)
    expect(new Set(whens).size).toBe(whens.length)
    const files = readdirSync(resources.migrationsFolder).filter((f) => f.endsWith('.sql'))
    expect(files.map((f) => f.replace(/\.sql$/, '')).sort()).toEqual(migrations.map((m) => m.tag))
  })

  it('keeps the staged priority rollout as three migrations with the backfill between', () => {
    expect(migrations.map((m) => m.tag)).toEqual(
      expect.arrayContaining([STAGE_1, STAGE_2, PRIORITY_NOT_NULL_MIGRATION]),
    )
    const initial = readFileSync(join(resources.migrationsFolder, `${STAGE_1}.sql`), 'utf8')
    expect(initial).not.toMatch(/priority/)
  })

  it('migrates an empty database to the latest', async () => {
    const db = await createDb({ dataDir: null, resources: { ...resources, templateDir: null } })
    try {
      expect(await appliedMigrations(db.runner, migrations)).toEqual(migrations.map((m) => m.tag))
      expect(await priorityColumn(db)).toEqual({
        is_nullable: 'NO',
        column_default: "'MEDIUM'::text",
      })
      const idx = await db.pg.query(
        "SELECT 1 FROM pg_indexes WHERE indexname = 'services_priority_idx'",
      )
      expect(idx.rows).toHaveLength(1)
      // Running again is a no-op.
      expect(await migrate(db.runner, migrations)).toEqual([])
    } finally {
      await db.close()
    }
  })

  it('refuses a migration older than the newest applied one instead of skipping it', async () => {
    const db = await createDb({ dataDir: null, resources })
    try {
      const late = { tag: '0001_sneaky', when: 1, hash: 'x', statements: ['SELECT 1'] }
      await expect(migrate(db.runner, [...migrations, late])).rejects.toThrow(
        /older than the newest applied migration/,
      )
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, hash: 'changed' } : m))
      await expect(migrate(db.runner, edited)).rejects.toThrow(/changed after it was applied/)
    } finally {
      await db.close()
    }
  })
})

describe('upgrading a large database from every earlier stage', () => {
  const dirs: { path: string; cleanup: () => void }[] = []
  afterAll(() => {
    for (const d of dirs) d.cleanup()
  })

  for (const stage of [STAGE_1, STAGE_2]) {
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
        expect(await priorityColumn(db)).toEqual({
          is_nullable: 'NO',
          column_default: "'MEDIUM'::text",
        })
        expect(progress.at(-1)).toBe(ROWS)
        expect(progress.length).toBeGreaterThanOrEqual(ROWS / 10_000)
      } finally {
        await db.close()
      }
    })
  }
})

describe('the NOT NULL step', () => {
  let dir: { path: string; cleanup: () => void }
  beforeAll(async () => {
    dir = tempDir()
    await fillServices(dir.path, STAGE_2, 5000)
  })
  afterAll(() => dir.cleanup())

  it('refuses clearly while NULLs remain, naming the backfill, and changes nothing', async () => {
    const db = await createDb({ dataDir: dir.path, resources, migrate: false })
    try {
      const err = await migrate(db.runner, migrations).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(MigrationError)
      expect((err as MigrationError).tag).toBe(PRIORITY_NOT_NULL_MIGRATION)
      expect((err as Error).message).toMatch(/NULL values.*db:backfill-priority/)
      expect(await appliedMigrations(db.runner, migrations)).toEqual([STAGE_1, STAGE_2])
      const { rows } = await db.pg.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM services WHERE priority IS NULL',
      )
      expect(rows[0]?.n).toBe(5000)
      expect((await priorityColumn(db))?.is_nullable).toBe('YES')

      // After the backfill the same step applies.
      await backfillPriority(db.runner, { batchSize: 700 })
      await migrate(db.runner, migrations)
      expect((await priorityColumn(db))?.is_nullable).toBe('NO')
    } finally {
      await db.close()
    }
  })
})
