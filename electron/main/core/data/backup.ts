import { createHash } from 'node:crypto'
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import { amcheck } from '@electric-sql/pglite/contrib/amcheck'
import { NodeFS } from '@electric-sql/pglite/nodefs'
import { z } from 'zod'
import { loadMigrations } from '../../../../drizzle/runner/migrations'
import { PGLITE_EXTENSIONS } from '../../../../drizzle/runner/pglite-extensions'
import { BACKUP_MAX_BYTES, BACKUP_PIECE_BYTES } from '../../../../shared/contract/data'
import { zonedIso } from '../../../../shared/domain/time'
import { AppError } from '../../../../shared/errors'
import type { AppContext } from '../context'
import { checkIntegrity } from '../db/integrity'
import { businessTimeZone } from '../handlers/business-zone'
import type { CoreResources } from '../paths'
import { type JobReport, UNTRACKED } from './progress'
import { replaceDatabase } from './replace-data'

/**
 * One file holds the whole local database: a magic line, a JSON manifest (format, when,
 * which migrations, the payload's SHA-256) and PGlite's gzipped data directory. A
 * restore checks all of it, and loads the copy aside and checks it with amcheck, before
 * the current database is touched; the database it replaces is kept beside it.
 */
const MAGIC = 'GROUNDSKEEPER-BACKUP\n'
const FORMAT = 1

/** The manifest as written; a file whose manifest is not this shape is refused. */
const backupManifest = z.object({
  format: z.number(),
  createdAt: z.iso.datetime(),
  migrations: z.array(z.object({ tag: z.string(), hash: z.string() })),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
})
export type BackupManifest = z.infer<typeof backupManifest>

/**
 * Whether the payload is whole gzip, read through to its end. PGlite unpacks a data
 * directory in work of its own that nothing awaits: a broken stream there fails outside
 * any caller's reach, so it is found here first.
 */
async function isWholeGzip(payload: Uint8Array): Promise<boolean> {
  try {
    await pipeline(
      Readable.from([payload]),
      createGunzip(),
      new Writable({ write: (_chunk, _encoding, done) => done() }),
    )
    return true
  } catch {
    return false
  }
}

export interface BackupInfo {
  file: string
  bytes: number
  createdAt: string
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

export function backupDir(ctx: AppContext): string {
  if (!ctx.db.dataDir)
    throw new AppError('UNAVAILABLE', 'an in-memory database cannot be backed up')
  const dir = join(ctx.db.dataDir, 'backups')
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new AppError(
      'UNAVAILABLE',
      `backups are kept in the folder ${dir}, but a file of that name is there: move it aside`,
    )
  }
  return dir
}

/** A backup file in the backups folder, by name; NOT_FOUND when there is none. */
function backupPath(ctx: AppContext, file: string): string {
  const path = join(backupDir(ctx), basename(file))
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new AppError('NOT_FOUND', `there is no backup named ${basename(file)}`)
  }
  return path
}

/** The backup's own header, read from its first bytes: null when it is not one. */
function readManifest(path: string): BackupManifest | null {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(256 * 1024)
    const n = readSync(fd, head, 0, head.length, 0)
    const text = head.subarray(0, n).toString('utf8')
    if (!text.startsWith(MAGIC)) return null
    const end = text.indexOf('\n', MAGIC.length)
    if (end < 0) return null
    const read = backupManifest.safeParse(JSON.parse(text.slice(MAGIC.length, end)))
    return read.success ? read.data : null
  } catch {
    return null
  } finally {
    closeSync(fd)
  }
}

export async function backup(
  ctx: AppContext,
  dir = backupDir(ctx),
  progress: JobReport = UNTRACKED,
): Promise<BackupInfo> {
  await ctx.db.pg.exec('CHECKPOINT')
  await progress.step('Compressing the database')
  const payload = new Uint8Array(await (await ctx.db.pg.dumpDataDir('gzip')).arrayBuffer())
  const applied = await ctx.db.runner.query<{ hash: string; created_at: string }>(
    'SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at',
  )
  const known = loadMigrations(ctx.db.migrationsFolder)
  const createdAt = new Date().toISOString()
  const manifest: BackupManifest = {
    format: FORMAT,
    createdAt,
    migrations: applied.map((r) => ({
      tag: known.find((m) => m.hash === r.hash)?.tag ?? `unknown-${r.created_at}`,
      hash: r.hash,
    })),
    sha256: sha256(payload),
    bytes: payload.byteLength,
  }
  await progress.step('Writing the backup file')
  mkdirSync(dir, { recursive: true })
  const file = backupFileName(dir, createdAt, await businessTimeZone(ctx.db.db))
  const head = Buffer.from(`${MAGIC}${JSON.stringify(manifest)}\n`, 'utf8')
  writeFileSync(`${file}.partial`, Buffer.concat([head, payload]))
  renameSync(`${file}.partial`, file)
  return { file: basename(file), bytes: head.byteLength + payload.byteLength, createdAt }
}

/**
 * A backup's name: when it was made as the business's clocks show it
 * (`groundskeeper-2026-12-01-10-22-49`), as the list shows it. Another file of the same
 * name (a second backup in the same second, the hour a clock change repeats) takes `-2`,
 * `-3` after it.
 */
const backupName = (createdAt: string, timeZone: string) =>
  `groundskeeper-${zonedIso(createdAt, timeZone).slice(0, 19).replace('T', '-').replaceAll(':', '-')}`

function backupFileName(dir: string, createdAt: string, timeZone: string): string {
  const name = backupName(createdAt, timeZone)
  for (let n = 1; ; n++) {
    const file = join(dir, `${name}${n > 1 ? `-${n}` : ''}.gkbackup`)
    if (!existsSync(file)) return file
  }
}

/** The backups here, newest first, each dated by its own header (a copy keeps its date). */
export function listBackups(ctx: AppContext): BackupInfo[] {
  const dir = backupDir(ctx)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.gkbackup'))
    .map((f) => {
      const stat = statSync(join(dir, f))
      const createdAt = readManifest(join(dir, f))?.createdAt ?? stat.mtime.toISOString()
      return { file: f, bytes: stat.size, createdAt }
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file))
}

/** One piece of a backup file from `offset`, to save a copy of it elsewhere. */
export function readBackupPiece(ctx: AppContext, file: string, offset: number) {
  const path = backupPath(ctx, file)
  const total = statSync(path).size
  if (offset > total) {
    throw new AppError(
      'VALIDATION',
      `the backup has ${total} bytes: offset ${offset} is past its end`,
    )
  }
  const fd = openSync(path, 'r')
  try {
    const piece = Buffer.alloc(Math.min(BACKUP_PIECE_BYTES, total - offset))
    const n = readSync(fd, piece, 0, piece.length, offset)
    return { file: basename(path), offset, total, content: piece.subarray(0, n).toString('base64') }
  } finally {
    closeSync(fd)
  }
}

export function deleteBackup(ctx: AppContext, file: string) {
  const path = backupPath(ctx, file)
  unlinkSync(path)
  return { deleted: basename(path) }
}

/** Pieces of an upload left behind (a window closed halfway) go after a day. */
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000
const uploadFile = (dir: string, upload: string) => join(dir, `incoming-${upload}.partial`)

/**
 * A backup brought from elsewhere (another laptop's, a copy kept on a USB stick), sent
 * in pieces in order. The pieces gather in a `.partial` file that is never listed; the
 * last one checks the whole file exactly as a restore would, and only a sound backup is
 * kept, named by the time it was made. A piece out of order, or a file that is not a
 * sound backup, is refused and the upload dropped: the list never holds a bad file.
 */
export async function addBackupPiece(
  ctx: AppContext,
  piece: { upload: string; offset: number; content: string; last: boolean },
  progress: JobReport = UNTRACKED,
) {
  const dir = backupDir(ctx)
  mkdirSync(dir, { recursive: true })
  const partial = uploadFile(dir, piece.upload)
  const bytes = Buffer.from(piece.content, 'base64')
  if (piece.offset === 0) {
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.partial'))) {
      const stale = Date.now() - statSync(join(dir, f)).mtimeMs > STALE_UPLOAD_MS
      if (stale) rmSync(join(dir, f), { force: true })
    }
    writeFileSync(partial, '')
  }
  const received = existsSync(partial) ? statSync(partial).size : -1
  if (received !== piece.offset) {
    // Out of step: the upload is dropped, so no later piece can build on a wrong file.
    rmSync(partial, { force: true })
    throw new AppError(
      'VALIDATION',
      received < 0
        ? 'this upload is not under way (it ended, was dropped or never began): send the file again from its start'
        : `this upload had ${received} bytes, not ${piece.offset}: it is dropped; send the file again from its start`,
    )
  }
  if (received + bytes.byteLength >= BACKUP_MAX_BYTES) {
    rmSync(partial, { force: true })
    throw new AppError('VALIDATION', 'this file is too large to be a backup (under 2 GiB)')
  }
  appendFileSync(partial, bytes)
  if (!piece.last) return { added: false as const, received: received + bytes.byteLength }

  // The bytes checked are the bytes kept: the upload ends here, before the check, so a
  // piece arriving meanwhile under the same id finds none to add to.
  const whole = readFileSync(partial)
  rmSync(partial, { force: true })
  await progress.step('Checking the backup')
  const { manifest, appointments } = await verifyBackup(new Uint8Array(whole), ctx.resources)
  const name = backupName(manifest.createdAt, await businessTimeZone(ctx.db.db))
  let file = `${name}.gkbackup`
  let already = false
  for (let n = 2; existsSync(join(dir, file)); n++) {
    // The same file, byte for byte: a damaged copy under its name does not count.
    if (readFileSync(join(dir, file)).equals(whole)) {
      already = true
      break
    }
    file = `${name}-${n}.gkbackup`
  }
  if (!already) {
    writeFileSync(`${join(dir, file)}.partial`, whole)
    renameSync(`${join(dir, file)}.partial`, join(dir, file))
  }
  return {
    added: true as const,
    file,
    bytes: whole.byteLength,
    createdAt: manifest.createdAt,
    appointments,
    already,
  }
}

const refuse = (why: string) => new AppError('VALIDATION', `this backup cannot be restored: ${why}`)

/** Reads and checks a backup file; throws a clear VALIDATION error for anything wrong. */
export async function verifyBackup(
  bytes: Uint8Array,
  resources: CoreResources,
): Promise<{ manifest: BackupManifest; payload: Uint8Array; appointments: number }> {
  const magic = Buffer.from(bytes.subarray(0, MAGIC.length)).toString('utf8')
  if (magic !== MAGIC) throw refuse('it is not a Groundskeeper backup file')
  const end = bytes.indexOf(10, MAGIC.length)
  if (end < 0) throw refuse('its header is damaged')
  let header: unknown
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(MAGIC.length, end)).toString('utf8'))
  } catch {
    throw refuse('its header is damaged')
  }
  const read = backupManifest.safeParse(header)
  if (!read.success) throw refuse('its header is damaged')
  const manifest = read.data
  if (manifest.format !== FORMAT) throw refuse(`it uses backup format ${manifest.format}`)
  const payload = bytes.subarray(end + 1)
  if (payload.byteLength !== manifest.bytes || sha256(payload) !== manifest.sha256) {
    throw refuse('it is incomplete or damaged (checksum mismatch)')
  }
  if (!(await isWholeGzip(payload))) throw refuse('its database could not be opened')
  const ours = new Map(loadMigrations(resources.migrationsFolder).map((m) => [m.tag, m.hash]))
  for (const m of manifest.migrations) {
    if (ours.get(m.tag) !== m.hash) {
      throw refuse('it was made by a newer or different version of Groundskeeper')
    }
  }
  // Load it aside and check it page by page before anything is replaced.
  let pg: PGlite | undefined
  try {
    pg = await PGlite.create({
      loadDataDir: new Blob([payload]),
      extensions: { ...PGLITE_EXTENSIONS, amcheck },
    })
    const report = await checkIntegrity(pg)
    if (report.problems.length) throw refuse('its data is damaged')
    const { rows } = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM appointments')
    return { manifest, payload, appointments: rows[0]?.n ?? 0 }
  } catch (e) {
    if (e instanceof AppError) throw e
    throw refuse('its database could not be opened')
  } finally {
    await pg?.close().catch(() => {})
  }
}

export async function restore(ctx: AppContext, file: string, progress: JobReport = UNTRACKED) {
  const { resources } = ctx
  const dataDir = ctx.db.dataDir
  if (!dataDir) throw new AppError('UNAVAILABLE', 'an in-memory database cannot be restored')
  const path = backupPath(ctx, file)
  const { manifest, payload, appointments } = await verifyBackup(
    new Uint8Array(readFileSync(path)),
    resources,
  )

  const { previousDataKept, sync } = await replaceDatabase(
    ctx,
    {
      put: async (pgdata) => {
        const loaded = await PGlite.create({
          fs: new NodeFS(pgdata),
          loadDataDir: new Blob([payload]),
          extensions: PGLITE_EXTENSIONS,
        })
        await loaded.exec('CHECKPOINT')
        await loaded.close()
      },
      newClock: true,
    },
    progress,
  )
  return {
    restoredFrom: basename(path),
    backupCreatedAt: manifest.createdAt,
    appointments,
    previousDataKept,
    sync,
  }
}
