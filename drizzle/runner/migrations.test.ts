import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterEach, describe, expect, it } from 'vitest'
import {
  BackfillError,
  backfillPriority,
  PRIORITY_NOT_NULL_MIGRATION,
  priorityColumnState,
} from './backfill-priority'
import { DOMAIN_MIGRATIONS_FOLDER } from './folders'
import { appliedMigrations, loadMigrations, MigrationError, migrate } from './migrations'
import { PGLITE_EXTENSIONS } from './pglite-extensions'
import { rowId, SERIES_VISITS_SQL } from './series-visits.test-support'
import { pgliteRunner, type SqlRunner } from './sql-runner'

const migrations = loadMigrations(DOMAIN_MIGRATIONS_FOLDER)
const STAGE_1 = '0000_initial'
const STAGE_2 = '0001_service_priority_nullable'

const open: PGlite[] = []
afterEach(async () => {
  for (const pg of open.splice(0)) await pg.close()
})

/** A bare in-memory PostgreSQL (PGlite), nothing applied: what the runner starts from. */
async function bare(): Promise<{ pg: PGlite; runner: SqlRunner }> {
  const pg = await PGlite.create({ extensions: PGLITE_EXTENSIONS })
  open.push(pg)
  return { pg, runner: pgliteRunner(pg) }
}

async function addServices(pg: PGlite, rows: number) {
  await pg.exec(`INSERT INTO services (id, name, base_price, duration_minutes)
    SELECT gen_random_uuid(), 'Service ' || g, (g % 500)::numeric(10,2), 30 + g % 200
    FROM generate_series(1, ${rows}) g`)
}

async function priorityColumn(pg: PGlite) {
  const { rows } = await pg.query<{ is_nullable: string; column_default: string | null }>(
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
    const files = readdirSync(DOMAIN_MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql'))
    expect(files.map((f) => f.replace(/\.sql$/, '')).sort()).toEqual(migrations.map((m) => m.tag))
  })

  it('keeps the staged priority rollout as three migrations with the backfill between', () => {
    expect(migrations.map((m) => m.tag)).toEqual(
      expect.arrayContaining([STAGE_1, STAGE_2, PRIORITY_NOT_NULL_MIGRATION]),
    )
    const initial = readFileSync(join(DOMAIN_MIGRATIONS_FOLDER, `${STAGE_1}.sql`), 'utf8')
    expect(initial).not.toMatch(/priority/)
  })
})

describe('the migration runner', () => {
  it('migrates an empty database to the latest, and again is a no-op', async () => {
    const { pg, runner } = await bare()
    const applied: string[] = []
    await migrate(runner, migrations, { onApplied: (m) => applied.push(m.tag) })
    expect(applied).toEqual(migrations.map((m) => m.tag))
    expect(await appliedMigrations(runner, migrations)).toEqual(applied)
    expect(await priorityColumn(pg)).toEqual({
      is_nullable: 'NO',
      column_default: "'MEDIUM'::text",
    })
    const idx = await pg.query("SELECT 1 FROM pg_indexes WHERE indexname = 'services_priority_idx'")
    expect(idx.rows).toHaveLength(1)
    expect(await migrate(runner, migrations)).toEqual([])
  })

  it('refuses a migration older than the newest applied one, and an edited one', async () => {
    const { runner } = await bare()
    await migrate(runner, migrations, { target: STAGE_2 })
    const late = { tag: '0001_sneaky', when: 1, hash: 'x', statements: ['SELECT 1'] }
    await expect(migrate(runner, [...migrations, late])).rejects.toThrow(
      /older than the newest applied migration/,
    )
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, hash: 'changed' } : m))
    await expect(migrate(runner, edited)).rejects.toThrow(/changed after it was applied/)
    await expect(migrate(runner, migrations, { target: 'nope' })).rejects.toThrow(/unknown/)
  })

  it('runs a gate before its migration, outside the migration transaction', async () => {
    const { pg, runner } = await bare()
    await migrate(runner, migrations, { target: STAGE_2 })
    await addServices(pg, 50)
    const seen: string[] = []
    await migrate(runner, migrations, {
      gates: {
        [PRIORITY_NOT_NULL_MIGRATION]: async (r) => {
          seen.push(...(await appliedMigrations(r, migrations)))
          await backfillPriority(r, { batchSize: 7 })
        },
      },
    })
    expect(seen).toEqual([STAGE_1, STAGE_2])
    expect((await priorityColumn(pg))?.is_nullable).toBe('NO')
  })
})

describe('the NOT NULL step and the batched backfill', () => {
  it('refuses clearly while NULLs remain, naming the backfill, and changes nothing', async () => {
    const { pg, runner } = await bare()
    await migrate(runner, migrations, { target: STAGE_2 })
    await addServices(pg, 5000)
    const err = await migrate(runner, migrations).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MigrationError)
    expect((err as MigrationError).tag).toBe(PRIORITY_NOT_NULL_MIGRATION)
    expect((err as Error).message).toMatch(/NULL values.*db:backfill-priority/)
    expect(await appliedMigrations(runner, migrations)).toEqual([STAGE_1, STAGE_2])
    const { rows } = await pg.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM services WHERE priority IS NULL',
    )
    expect(rows[0]?.n).toBe(5000)
    expect(await priorityColumnState(runner)).toBe('nullable')

    const progress: number[] = []
    const done = await backfillPriority(runner, {
      batchSize: 700,
      onProgress: (p) => progress.push(p.done),
    })
    expect(done).toEqual({ done: 5000, total: 5000, batches: Math.ceil(5000 / 700) })
    expect(progress.at(-1)).toBe(5000)
    await migrate(runner, migrations)
    expect(await priorityColumnState(runner)).toBe('not-null')
  })

  it('refuses a bad batch size and a database without the column', async () => {
    const { runner } = await bare()
    await migrate(runner, migrations, { target: STAGE_1 })
    await expect(backfillPriority(runner, { batchSize: 0 })).rejects.toThrow(BackfillError)
    await expect(backfillPriority(runner)).rejects.toThrow(/apply migration 0001/)
  })
})

describe("marking the series' own writes (0017)", () => {
  it('marks the versions of visits a series governs, but not their status, exceptions or other jobs', async () => {
    const { pg, runner } = await bare()
    await migrate(runner, migrations, { target: '0016_team_member_names_changed' })
    const id = rowId
    await pg.exec(SERIES_VISITS_SQL)
    // A row pulled from a server and waiting in the inbox, and another laptop's visit.
    const stamp = '001790000000000-00000-server'
    await pg.query(
      `INSERT INTO sync_inbox (table_name, row_id, values, versions, seq, rank)
       VALUES ('appointments', $1, $2, $3, 1, 0)`,
      [
        id(13),
        JSON.stringify({ series_id: id(3), series_exception: false, status: 'completed' }),
        JSON.stringify({ scheduled_at: stamp, status: stamp }),
      ],
    )
    await migrate(runner, migrations)
    const { rows: inbox } = await pg.query<{ versions: Record<string, string> }>(
      'SELECT versions FROM sync_inbox WHERE row_id = $1',
      [id(13)],
    )
    expect(inbox[0]?.versions).toEqual({ scheduled_at: `!${stamp}`, status: stamp })
    const versions = async (row: string) =>
      (
        await pg.query<{ versions: Record<string, string> }>(
          'SELECT versions FROM sync_versions WHERE row_id = $1',
          [row],
        )
      ).rows[0]?.versions ?? {}
    const governed = await versions(id(10))
    expect(governed.scheduled_at).toMatch(/^!\d{15}-/)
    expect(governed.deleted_at).toMatch(/^!/)
    for (const f of ['status', 'started_at', 'completed_at'])
      expect(governed[f]).toMatch(/^\d{15}-/)
    for (const other of [id(11), id(12)])
      for (const v of Object.values(await versions(other))) expect(v).toMatch(/^\d{15}-/)
    // The visit's write still waiting to be sent goes with the same marks.
    const { rows: waiting } = await pg.query<{
      row_id: string
      versions: Record<string, string> | null
    }>("SELECT row_id, versions FROM sync_outbox WHERE table_name = 'appointments' ORDER BY row_id")
    expect(waiting.map((w) => w.versions === null)).toEqual([false, true, true])
    expect(waiting[0]?.versions?.scheduled_at).toMatch(/^!/)
    expect(waiting[0]?.versions?.status).toMatch(/^\d{15}-/)
  })
})
