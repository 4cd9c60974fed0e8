import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import type { SqlRunner } from './sql-runner'

/**
 * Applies the drizzle-kit migration history, keeping Drizzle's own bookkeeping table
 * (`drizzle.__drizzle_migrations`) so either tool sees the same state. Beyond Drizzle's
 * migrator it:
 * - refuses a migration whose journal time is older than the newest applied one
 *   (Drizzle would skip it silently) and an applied migration whose file changed;
 * - runs "gates" between migrations: work that must happen outside a migration
 *   transaction before a given migration (the batched priority backfill before the
 *   NOT NULL step). Migrations between two gates apply in one transaction.
 */
export interface Migration {
  tag: string
  when: number
  hash: string
  statements: string[]
}

export type MigrationGate = (runner: SqlRunner) => Promise<void>

export interface MigrateOptions {
  /** Stop after applying this migration (a tag such as `0001_service_priority_nullable`). */
  target?: string
  /** Work to run before the migration with the given tag is applied. */
  gates?: Record<string, MigrationGate>
  onApplied?: (migration: Migration) => void
  /** The bookkeeping table (schema `drizzle`); a second history keeps its own. */
  table?: string
}

const DEFAULT_TABLE = '__drizzle_migrations'
const TABLE_NAME = /^[a-z_][a-z0-9_]*$/

export class MigrationError extends Error {
  override name = 'MigrationError'
  constructor(
    message: string,
    readonly tag?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export function loadMigrations(folder: string): Migration[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[]
  }
  const files = readMigrationFiles({ migrationsFolder: folder })
  return journal.entries.map((entry, i) => {
    const file = files[i]
    if (!file) throw new MigrationError(`migration ${entry.tag} has no file`, entry.tag)
    return {
      tag: entry.tag,
      when: entry.when,
      hash: file.hash,
      statements: file.sql.map((s) => s.trim()).filter((s) => s.length > 0),
    }
  })
}

interface AppliedRow {
  hash: string
  created_at: string | number
}

async function ensureBookkeeping(runner: SqlRunner, table = DEFAULT_TABLE): Promise<AppliedRow[]> {
  if (!TABLE_NAME.test(table)) throw new MigrationError(`bad bookkeeping table name ${table}`)
  await runner.exec(`CREATE SCHEMA IF NOT EXISTS drizzle;
    CREATE TABLE IF NOT EXISTS drizzle.${table} (
      id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`)
  return runner.query<AppliedRow>(
    `SELECT hash, created_at FROM drizzle.${table} ORDER BY created_at`,
  )
}

/** Tags of the applied migrations, oldest first. */
export async function appliedMigrations(
  runner: SqlRunner,
  migrations: Migration[],
  table = DEFAULT_TABLE,
): Promise<string[]> {
  const rows = await ensureBookkeeping(runner, table)
  return pendingAndApplied(rows, migrations).applied.map((m) => m.tag)
}

function pendingAndApplied(rows: AppliedRow[], migrations: Migration[]) {
  const byWhen = new Map(rows.map((r) => [Number(r.created_at), r.hash]))
  const newest = rows.length ? Math.max(...rows.map((r) => Number(r.created_at))) : -1
  const applied: Migration[] = []
  const pending: Migration[] = []
  for (const m of migrations) {
    const hash = byWhen.get(m.when)
    if (hash !== undefined) {
      if (hash !== m.hash) {
        throw new MigrationError(
          `migration ${m.tag} was changed after it was applied to this database`,
          m.tag,
        )
      }
      applied.push(m)
    } else if (m.when <= newest) {
      throw new MigrationError(
        `migration ${m.tag} is older than the newest applied migration and would be skipped; ` +
          'regenerate it so that it sorts last',
        m.tag,
      )
    } else {
      pending.push(m)
    }
  }
  return { applied, pending }
}

async function applyChunk(runner: SqlRunner, chunk: Migration[], opts: MigrateOptions) {
  if (chunk.length === 0) return
  await runner.transaction(async (tx) => {
    for (const m of chunk) {
      try {
        for (const statement of m.statements) await tx.exec(statement)
      } catch (cause) {
        const detail = cause instanceof Error ? cause.message : String(cause)
        const hint = (cause as { hint?: string }).hint
        throw new MigrationError(
          `migration ${m.tag} failed: ${detail}${hint ? ` (${hint})` : ''}`,
          m.tag,
          { cause },
        )
      }
      await tx.query(
        `INSERT INTO drizzle.${opts.table ?? DEFAULT_TABLE} (hash, created_at) VALUES ($1, $2)`,
        [m.hash, m.when],
      )
    }
  })
  for (const m of chunk) opts.onApplied?.(m)
}

/** Applies pending migrations (up to `target`), running gates where they stand. */
export async function migrate(
  runner: SqlRunner,
  migrations: Migration[],
  opts: MigrateOptions = {},
): Promise<Migration[]> {
  if (opts.target && !migrations.some((m) => m.tag === opts.target)) {
    throw new MigrationError(`unknown migration ${opts.target}`, opts.target)
  }
  const { applied, pending } = pendingAndApplied(
    await ensureBookkeeping(runner, opts.table),
    migrations,
  )
  if (opts.target && applied.some((m) => m.tag === opts.target)) return []
  const stopAt = opts.target ? pending.findIndex((m) => m.tag === opts.target) : pending.length - 1
  const todo = pending.slice(0, stopAt + 1)
  let chunk: Migration[] = []
  for (const m of todo) {
    const gate = opts.gates?.[m.tag]
    if (gate) {
      await applyChunk(runner, chunk, opts)
      chunk = []
      await gate(runner)
    }
    chunk.push(m)
  }
  await applyChunk(runner, chunk, opts)
  return todo
}
