import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { KEPT_REPLACED } from '../../../../shared/contract/data'
import { AppError } from '../../../../shared/errors'
import { keepSessionAfterRestore } from '../auth'
import type { AppContext } from '../context'
import { createDb } from '../db/create-db'
import { NameCache } from '../name-cache'
import { type JobReport, UNTRACKED } from './progress'
import { keepLaptopSync, keepLaptopUsers, readLaptopSync, readLaptopUsers } from './restore-sync'

/**
 * Replacing the laptop's database (a restore, or putting back the data a restore
 * replaced): the database in use is kept beside the data as `pgdata.before-restore-…`,
 * whatever goes in its place, so each replacement can itself be put back. This
 * laptop's own users, PINs and sync settings stay as they are.
 */
const KEPT = 'pgdata.before-restore-'
const KEPT_NAME = /^pgdata\.before-restore-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/

export interface ReplacedData {
  /** The folder's name in the data folder. */
  name: string
  /** When it was replaced (ISO). */
  replacedAt: string
}

/** The databases kept by the last replacements, newest first. */
export function listReplaced(ctx: AppContext): ReplacedData[] {
  return ctx.db.dataDir ? keptIn(ctx.db.dataDir) : []
}

function keptIn(dataDir: string): ReplacedData[] {
  return readdirSync(dataDir)
    .map((name) => ({ name, at: KEPT_NAME.exec(name) }))
    .filter((f): f is { name: string; at: RegExpExecArray } => f.at !== null)
    .map(({ name, at }) => ({
      name,
      replacedAt: `${at[1]}T${at[2]}:${at[3]}:${at[4]}.${at[5]}Z`,
    }))
    .sort((a, b) => b.name.localeCompare(a.name))
}

/**
 * Each replacement keeps the database it replaced; the oldest of them go, so that
 * restores do not fill the disk: a restore is undone from the latest, not from the fourth.
 */
function pruneKeptData(dataDir: string) {
  for (const old of keptIn(dataDir).slice(KEPT_REPLACED)) {
    rmSync(join(dataDir, old.name), { recursive: true, force: true })
  }
}

export interface Replacement {
  /** Puts the new database into `pgdata` (an empty place). */
  put(pgdata: string): Promise<void>
  /** After a failure: what to do with what `put` left in `pgdata` (by default, delete it). */
  takeBack?(pgdata: string): void
  /** Whether the new database is another laptop's or an older copy's: it gets a clock of its own. */
  newClock: boolean
}

/**
 * Swaps the database in use for the one `put` provides, with sync and the notifier
 * stopped meanwhile. A failure puts the previous database back exactly as it was.
 */
export async function replaceDatabase(
  ctx: AppContext,
  how: Replacement,
  progress: JobReport = UNTRACKED,
): Promise<{ previousDataKept: string; sync: string }> {
  const dataDir = ctx.db.dataDir
  if (!dataDir) throw new AppError('UNAVAILABLE', 'an in-memory database cannot be restored')
  const pgdata = join(dataDir, 'pgdata')
  const name = `${KEPT}${new Date().toISOString().replace(/[:.]/g, '-')}`
  const kept = join(dataDir, name)
  await progress.step('Replacing the data')
  await ctx.sync.stop()
  // The notifier works on the database too: it waits while the database is replaced.
  const notifying = ctx.notifier.active
  await ctx.notifier.stop()
  const laptopSync = await readLaptopSync(ctx.db.pg)
  const laptopUsers = await readLaptopUsers(ctx.db.pg)
  const restoredBy = ctx.session.userId
  await ctx.db.close()
  renameSync(pgdata, kept)
  try {
    await how.put(pgdata)
    ctx.db = await createDb({ dataDir, resources: ctx.resources, durability: ctx.durability })
  } catch (e) {
    // Put the previous database back exactly as it was.
    if (existsSync(pgdata)) {
      if (how.takeBack) how.takeBack(pgdata)
      else rmSync(pgdata, { recursive: true, force: true })
    }
    renameSync(kept, pgdata)
    ctx.db = await createDb({ dataDir, resources: ctx.resources, durability: ctx.durability })
    await ctx.sync.start()
    if (notifying) ctx.notifier.start()
    throw new AppError(
      'INTERNAL',
      'the restore failed; the previous data is back in place',
      undefined,
      { cause: e },
    )
  }
  pruneKeptData(dataDir)
  await progress.step('Finishing the restore')
  // A backup may come from another laptop: this one keeps a clock node of its own.
  if (how.newClock)
    await ctx.db.pg.query(
      'UPDATE sync_clock SET node = substr(md5(random()::text || clock_timestamp()::text), 1, 16)',
    )
  const sync = await keepLaptopSync(ctx.db.pg, laptopSync)
  await keepLaptopUsers(ctx.db.pg, laptopUsers)
  await keepSessionAfterRestore(ctx, restoredBy)
  ctx.names = new NameCache()
  await ctx.sync.start()
  if (notifying) ctx.notifier.start()
  return { previousDataKept: name, sync }
}

/**
 * Puts back a database a replacement kept (`name`, from `listReplaced`): the one in use
 * is kept in its turn, so putting back is itself undone the same way.
 */
export async function putBack(ctx: AppContext, name: string, progress: JobReport = UNTRACKED) {
  const dataDir = ctx.db.dataDir
  if (!dataDir) throw new AppError('UNAVAILABLE', 'an in-memory database cannot be restored')
  const found = listReplaced(ctx).find((r) => r.name === name)
  if (!found)
    throw new AppError('NOT_FOUND', 'invalid input', [
      { path: 'name', message: 'no data replaced by a restore is kept under that name' },
    ])
  const from = join(dataDir, name)
  // An emptied or foreign folder would open as a new, empty database: never put back.
  if (!existsSync(join(from, 'PG_VERSION')))
    throw new AppError('VALIDATION', 'invalid input', [
      { path: 'name', message: 'this folder does not hold a database' },
    ])
  const { previousDataKept, sync } = await replaceDatabase(
    ctx,
    {
      put: async (pgdata) => renameSync(from, pgdata),
      // Failed to open: it goes back where it was kept, untouched.
      takeBack: (pgdata) => renameSync(pgdata, from),
      // It is this laptop's own database from before: its clock is this laptop's.
      newClock: false,
    },
    progress,
  )
  const { rows } = await ctx.db.pg.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM appointments WHERE deleted_at IS NULL',
  )
  return {
    putBack: name,
    replacedAt: found.replacedAt,
    appointments: rows[0]?.n ?? 0,
    previousDataKept,
    sync,
  }
}
