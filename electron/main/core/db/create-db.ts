import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { type Extensions, PGlite } from '@electric-sql/pglite'
import { NodeFS } from '@electric-sql/pglite/nodefs'
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite'
import {
  type BackfillOptions,
  backfillPriority,
  PRIORITY_NOT_NULL_MIGRATION,
} from '../../../../drizzle/runner/backfill-priority'
import { loadMigrations, type Migration, migrate } from '../../../../drizzle/runner/migrations'
import { PGLITE_EXTENSIONS } from '../../../../drizzle/runner/pglite-extensions'
import { pgliteRunner, type SqlRunner } from '../../../../drizzle/runner/sql-runner'
import type { CoreResources } from '../paths'
import { acquireLock } from './data-dir-lock'
import { restoreIndexes } from './deferred-indexes'
import { DurableNodeFS } from './durable-fs'
import { maintain } from './maintenance'
import { schema } from './schema'
import { templateFiles, templateIsCurrent } from './template-manifest'

/**
 * - `fsync`: a commit returns once its WAL is on disk: survives a crash of the app and
 *   of the machine (power loss, battery death).
 * - `os`: writes reach the OS at once (a killed app loses nothing) but are flushed to
 *   disk by the OS later: a machine crash can lose the last seconds. Faster; used for
 *   throwaway databases.
 */
export type Durability = 'fsync' | 'os'

export interface CreateDbOptions {
  /** The app's data folder; `null` for an in-memory database. */
  dataDir: string | null
  resources: CoreResources
  durability?: Durability
  /** `false` opens without migrating; `{ target }` stops after that migration. */
  migrate?: boolean | { target: string }
  backfill?: BackfillOptions
  onMigration?: (m: Migration) => void
  /** PGlite extensions to load beside the schema's own (e.g. amcheck for integrity checks). */
  extensions?: Extensions
}

export type DrizzleDb = PgliteDatabase<typeof schema>

export interface Db {
  pg: PGlite
  db: DrizzleDb
  runner: SqlRunner
  dataDir: string | null
  migrationsFolder: string
  /** True when this open created the database (from the template or by initdb). */
  created: boolean
  close(): Promise<void>
}

const WAL_SETTINGS = ['-c', 'max_wal_size=64MB', '-c', 'min_wal_size=32MB']

/**
 * PostgreSQL's page cache lives in PGlite's WebAssembly memory, which is touched in full
 * at start and never given back: its default 128 MB was a third of the app's memory.
 * The data files are read through the OS, whose cache keeps them anyway, so a smaller
 * cache costs the lists nothing measurable at 100,000 appointments (the hot index pages
 * fit in 16 MB; 32 MB read no faster) and saves about 110 MB against the default
 * (scripts/bench/open-child.ts reports the figures).
 */
const MEMORY_SETTINGS = ['-c', 'shared_buffers=16MB']

function startParams(durability: Durability): string[] {
  const base = [...PGlite.defaultStartParams, ...MEMORY_SETTINGS]
  if (durability === 'os') return [...base, ...WAL_SETTINGS]
  return [
    ...base.filter((p) => p !== '-F'),
    '-c',
    'fsync=on',
    '-c',
    'wal_sync_method=fsync',
    ...WAL_SETTINGS,
  ]
}

/** The template as a tarball (for in-memory databases), when it matches this history. */
function readTemplate(resources: CoreResources): Blob | undefined {
  if (!resources.templateDir || !templateIsCurrent(resources)) return undefined
  return new Blob([readFileSync(templateFiles(resources.templateDir).tarball)])
}

async function openPglite(
  pgdata: string | null,
  durability: Durability,
  template?: Blob,
  extensions?: Extensions,
) {
  const fs = pgdata
    ? durability === 'fsync'
      ? new DurableNodeFS(pgdata)
      : new NodeFS(pgdata)
    : undefined
  return PGlite.create({
    ...(fs ? { fs } : {}),
    ...(template ? { loadDataDir: template } : {}),
    extensions: { ...PGLITE_EXTENSIONS, ...extensions },
    startParams: startParams(pgdata ? durability : 'os'),
  })
}

async function checkpointAndClose(pg: PGlite) {
  if (pg.closed) return
  try {
    await maintain(pg)
    await pg.exec('CHECKPOINT')
  } finally {
    await pg.close()
  }
}

/**
 * A brand-new data folder is built aside (`pgdata.partial`), copied from the template or
 * made by initdb and migrated when there is none, and only then renamed into place, so
 * an interrupted first launch never leaves a half-made database behind.
 */
async function createDataDir(pgdata: string, opts: CreateDbOptions, migrations: Migration[]) {
  const partial = `${pgdata}.partial`
  rmSync(partial, { recursive: true, force: true })
  const { templateDir } = opts.resources
  if (templateDir && templateIsCurrent(opts.resources)) {
    cpSync(templateFiles(templateDir).dataDir, partial, { recursive: true })
  } else {
    const pg = await openPglite(partial, 'os')
    try {
      await migrate(pgliteRunner(pg), migrations)
    } finally {
      await checkpointAndClose(pg)
    }
  }
  renameSync(partial, pgdata)
}

export async function createDb(opts: CreateDbOptions): Promise<Db> {
  const durability = opts.durability ?? 'fsync'
  const migrations = loadMigrations(opts.resources.migrationsFolder)
  let release = () => {}
  let pgdata: string | null = null
  let created = false
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true })
    release = acquireLock(join(opts.dataDir, 'groundskeeper.lock'))
    pgdata = join(opts.dataDir, 'pgdata')
  }
  let pg: PGlite | undefined
  try {
    // Only a database wanted at the latest migration can start from the template.
    const wantsLatest = opts.migrate === undefined || opts.migrate === true
    if (pgdata && !existsSync(join(pgdata, 'PG_VERSION')) && wantsLatest) {
      await createDataDir(pgdata, opts, migrations)
      created = true
    }
    created ||= !pgdata || !existsSync(join(pgdata, 'PG_VERSION'))
    const template = !pgdata && wantsLatest ? readTemplate(opts.resources) : undefined
    pg = await openPglite(pgdata, durability, template, opts.extensions)
    const runner = pgliteRunner(pg)
    // A first pull cut by a crash left indexes aside: back before migrations expect them.
    await restoreIndexes(pg)
    if (opts.migrate !== false) {
      await migrate(runner, migrations, {
        ...(typeof opts.migrate === 'object' ? { target: opts.migrate.target } : {}),
        gates: {
          [PRIORITY_NOT_NULL_MIGRATION]: async (r) => {
            await backfillPriority(r, opts.backfill)
          },
        },
        ...(opts.onMigration ? { onApplied: opts.onMigration } : {}),
      })
    }
    // Statistics may be missing (a database from before this check, or lost in a
    // crash): gather them before the first query is planned.
    if (opts.migrate !== false) await maintain(pg)
    const open = pg
    return {
      pg: open,
      db: drizzle({ client: open, schema }),
      runner,
      dataDir: opts.dataDir,
      migrationsFolder: opts.resources.migrationsFolder,
      created,
      close: async () => {
        try {
          await checkpointAndClose(open)
        } finally {
          release()
        }
      },
    }
  } catch (e) {
    if (pg) await pg.close().catch(() => {})
    release()
    throw e
  }
}
