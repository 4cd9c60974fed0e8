/**
 * `npm run data -- <command> --data-dir DIR ...`: the admin's data tools on the command
 * line, through the same handlers as the app (as the data folder's first admin).
 */

import { randomUUID } from 'node:crypto'
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { openCore } from '../electron/main/core/app-core'
import type { AppContext } from '../electron/main/core/context'
import { verifyBackup } from '../electron/main/core/data/backup'
import { dispatch } from '../electron/main/core/dispatch'
import { sourceResources, sourceVersion } from '../electron/main/core/paths'
import { type Channel, type ChannelInput, type ChannelOutput, contract } from '../shared/contract'
import { BACKUP_PIECE_BYTES } from '../shared/contract/data'
import { csvText } from '../shared/domain/csv'
import { APPOINTMENT_STATUSES } from '../shared/domain/enums'
import { plural } from '../shared/domain/words'
import {
  dataDirToOpen,
  existingDataDir,
  parseFlags,
  refuseStrayFlags,
  runCommand,
  UsageError,
} from './lib/cli'

const USAGE = `npm run data -- <command> --data-dir DIR [options]
  export  --kind appointments|clients|services|products|calendar [--format csv|json|ics]
          [--out NEW_FILE] [--status s1,s2] [--from ISO] [--to ISO]
  import  --kind clients|services|series --file FILE [--valid-rows]
  backup  [--out NEW_FILE]   (also saves a copy there, e.g. on another disk)
  backups   (and the data restores replaced, kept to put back)
  restore --file NAME.gkbackup|PATH   (a path: a backup brought from elsewhere)
  put-back --name pgdata.before-restore-…   (undoes a restore; the data in use is kept)`

async function run<C extends Channel>(
  ctx: AppContext,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await dispatch(ctx, channel, input)
  if (!result.ok) {
    const issues = result.error.issues?.map((i) => `\n  ${i.path}: ${i.message}`).join('') ?? ''
    throw new Error(`${result.error.message}${issues}`)
  }
  return result.data as ChannelOutput<C>
}

/** The flag each input field comes from, to name it in a refusal. */
const FLAG_OF: Record<string, string> = {
  kind: '--kind',
  format: '--format',
  csv: '--file',
  file: '--file',
  name: '--name',
  'filters.scheduledFrom': '--from',
  'filters.scheduledTo': '--to',
  'filters.status': '--status',
}

/**
 * A command's input, checked by its channel's own contract before the data folder is
 * opened: a bad flag is refused with exit 2 and nothing touched.
 */
function checked<C extends Channel>(channel: C, input: unknown): ChannelInput<C> {
  const parsed = contract[channel].input.safeParse(input)
  if (parsed.success) return parsed.data as ChannelInput<C>
  const [issue] = parsed.error.issues
  const path = issue?.path.join('.') ?? ''
  // The app's date message speaks of its date field; here the flag takes ISO text.
  const message =
    path.startsWith('filters.scheduled') && issue?.code !== 'custom'
      ? ISO_FLAG_MESSAGE
      : (issue?.message ?? 'is not valid')
  throw new UsageError(`${FLAG_OF[path] ?? path} ${message}`)
}

const ISO_FLAG_MESSAGE = 'must be a date and time such as 2026-05-01T14:00:00Z'

/** The flags each command takes besides --data-dir: any other is a slip, refused. */
const COMMAND_FLAGS: Record<string, readonly string[]> = {
  export: ['kind', 'format', 'out', 'status', 'from', 'to'],
  import: ['kind', 'file', 'valid-rows'],
  backup: ['out'],
  backups: [],
  restore: ['file'],
  'put-back': ['name'],
}

/**
 * Where an export may be written: a new file, in a folder that exists, outside the data
 * folder (its database and backups are never overwritten). Checked before anything runs;
 * the write itself only creates (`wx`), so a file appearing meanwhile is kept too.
 */
function exportTarget(out: string, dataDir: string): string {
  const path = resolve(out)
  const inside = relative(resolve(dataDir), path)
  const outside = inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)
  if (!outside) throw new UsageError(`--out ${out} is inside the data folder: write it elsewhere`)
  if (existsSync(path))
    throw new UsageError(
      `--out ${out} already exists: choose a new file name (nothing is overwritten)`,
    )
  let folder: ReturnType<typeof statSync> | undefined
  try {
    folder = statSync(dirname(path))
  } catch {
    folder = undefined
  }
  if (!folder?.isDirectory())
    throw new UsageError(`--out ${out}: the folder ${dirname(path)} does not exist`)
  return path
}

function writeExport(out: string, content: string) {
  try {
    writeFileSync(out, content, { flag: 'wx' })
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'error'
    throw new UsageError(
      code === 'EEXIST'
        ? `${out} already exists: choose a new file name with --out (nothing is overwritten)`
        : `${out} cannot be written (${code})`,
    )
  }
}

/** A path rather than a backup's name in the data folder: it holds a folder separator. */
const isPath = (file: string) => file.includes('/') || file.includes(sep)

/**
 * A backup brought from elsewhere, added to the data folder's backups the way the app
 * adds one: in pieces through `data.backupAdd`, which checks the whole file first.
 */
async function addBackupFile(ctx: AppContext, path: string) {
  const fd = openSync(path, 'r')
  try {
    const upload = randomUUID()
    const piece = Buffer.alloc(BACKUP_PIECE_BYTES)
    for (let offset = 0; ; ) {
      const n = readSync(fd, piece, 0, piece.length, offset)
      const last = n < piece.length
      const content = piece.subarray(0, n).toString('base64')
      const r = await run(ctx, 'data.backupAdd', { upload, offset, content, last })
      if (r.added) return r
      offset += n
    }
  } finally {
    closeSync(fd)
  }
}

function readInput(file: string): string {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(file)
  } catch (e) {
    throw new UsageError(
      `--file ${file} cannot be read (${(e as { code?: string }).code ?? 'error'})`,
    )
  }
  const read = csvText(bytes)
  if (!read.ok) throw new UsageError(`--file ${file}: ${read.message}`)
  return read.text
}

await runCommand(USAGE, async () => {
  const [command, ...rest] = process.argv.slice(2)
  if (
    !command ||
    !['export', 'import', 'backup', 'backups', 'restore', 'put-back'].includes(command)
  ) {
    throw new UsageError(`unknown command ${command ?? '(none)'}`)
  }
  const flags = parseFlags(rest, {
    'data-dir': { type: 'string', required: true, help: 'the data folder' },
    kind: { type: 'string', help: 'what to export or import' },
    format: {
      type: 'string',
      pattern: /^(csv|json|ics)$/,
      hint: 'must be csv, json or ics',
      help: 'export format',
    },
    out: { type: 'string', help: 'a new file, outside the data folder' },
    file: {
      type: 'string',
      help: 'the CSV to import, or the backup to restore (a name or a path)',
    },
    status: { type: 'string', help: 'appointment statuses, comma-separated' },
    from: { type: 'string', help: 'appointments from this instant (ISO 8601)' },
    to: { type: 'string', help: 'appointments up to this instant (ISO 8601)' },
    'valid-rows': { type: 'boolean', help: 'import the good rows even if some are bad' },
    name: { type: 'string', help: 'the data a restore replaced, as `backups` lists it' },
  })
  refuseStrayFlags(command, flags, COMMAND_FLAGS[command] ?? [], ['data-dir'])
  // Every input checked before the data folder is opened (or made).
  let task: (ctx: AppContext) => Promise<void>
  // A restore into a folder with no database yet: set up from the backup alone.
  let fresh = false
  // restore --file PATH: a backup brought from elsewhere rather than one in the folder.
  const from =
    command === 'restore' && flags.file && isPath(flags.file) ? resolve(flags.file) : null
  if (command === 'export') {
    const statuses = flags.status?.split(',').filter(Boolean)
    if (statuses?.some((s) => !(APPOINTMENT_STATUSES as readonly string[]).includes(s))) {
      throw new UsageError(`--status takes ${APPOINTMENT_STATUSES.join(', ')}`)
    }
    const { from, to } = flags
    const input = checked('data.export', {
      kind: flags.kind,
      format: flags.format ?? (flags.kind === 'calendar' ? 'ics' : 'csv'),
      filters: {
        ...(statuses?.length ? { status: statuses } : {}),
        ...(from ? { scheduledFrom: from } : {}),
        ...(to ? { scheduledTo: to } : {}),
      },
    })
    const target = flags.out ? exportTarget(flags.out, flags['data-dir']) : null
    task = async (ctx) => {
      const file = await run(ctx, 'data.export', input)
      const out = target ?? exportTarget(file.filename, flags['data-dir'])
      writeExport(out, file.content)
      console.log(`exported ${plural(file.rows, 'row')} to ${out}`)
    }
  } else if (command === 'import') {
    if (!flags.file) throw new UsageError('--file is required')
    const input = checked('data.import', {
      kind: flags.kind,
      csv: readInput(flags.file),
      mode: flags['valid-rows'] ? 'valid' : 'all',
    })
    task = async (ctx) => {
      const report = await run(ctx, 'data.import', input)
      for (const e of report.errors)
        console.log(`line ${e.line}${e.field ? ` (${e.field})` : ''}: ${e.message}`)
      console.log(
        `${report.rows} rows, ${report.imported} imported, ${report.errors.length} problems`,
      )
      if (report.errors.length && !report.imported) process.exitCode = 1
    }
  } else if (command === 'backup') {
    const out = flags.out ? exportTarget(flags.out, flags['data-dir']) : null
    task = async (ctx) => {
      const b = await run(ctx, 'data.backup', {})
      console.log(`backup written: ${b.file} (${(b.bytes / 2 ** 20).toFixed(1)} MiB)`)
      if (!out) return
      try {
        copyFileSync(join(flags['data-dir'], 'backups', b.file), out, constants.COPYFILE_EXCL)
      } catch (e) {
        const code = (e as { code?: string }).code ?? 'error'
        throw new Error(`the copy to ${out} cannot be written (${code}); the backup is kept`)
      }
      console.log(`a copy is saved as ${out}`)
    }
  } else if (command === 'backups') {
    task = async (ctx) => {
      for (const b of (await run(ctx, 'data.backups', {})).backups) {
        console.log(`${b.file}  ${(b.bytes / 2 ** 20).toFixed(1)} MiB`)
      }
      for (const c of (await run(ctx, 'data.replaced', {})).copies) {
        console.log(
          `${c.name}  replaced by a restore at ${c.replacedAt}: put-back --name ${c.name}`,
        )
      }
    }
  } else if (command === 'put-back') {
    if (!flags.name) throw new UsageError('--name is required')
    const input = checked('data.putBack', { name: flags.name })
    task = async (ctx) => {
      const r = await run(ctx, 'data.putBack', input)
      console.log(
        `put back ${r.putBack} (${r.appointments} appointments); the data it replaced is kept as ${r.previousDataKept}`,
      )
    }
  } else {
    if (!flags.file) throw new UsageError('--file is required')
    if (from && (!existsSync(from) || !statSync(from).isFile())) {
      throw new UsageError(`--file ${flags.file}: there is no such file`)
    }
    const named = join(flags['data-dir'], 'backups', flags.file)
    if (!from && existsSync(flags.file) && !existsSync(named)) {
      throw new UsageError(
        `--file ${flags.file}: the data folder has no backup of that name; to restore the file here, give its path: ./${flags.file}`,
      )
    }
    const input = from ? null : checked('data.restore', { file: flags.file })
    // A new data folder set up from a file: the file is checked first, so a refused one
    // leaves no folder behind.
    if (from && dataDirToOpen(flags['data-dir'], { mayMake: true }).fresh) {
      fresh = true
      try {
        await verifyBackup(new Uint8Array(readFileSync(from)), sourceResources())
      } catch (e) {
        throw new UsageError(`--file ${flags.file}: ${(e as Error).message}`)
      }
    }
    task = async (ctx) => {
      let file = input?.file
      if (from) {
        const added = await addBackupFile(ctx, from)
        file = added.file
        console.log(
          added.already
            ? `${basename(from)} is already among the backups, as ${file}`
            : `${basename(from)} checked and added to the backups as ${file}`,
        )
      }
      const r = await run(ctx, 'data.restore', { file: file ?? '' })
      const made = `${r.backupCreatedAt}, ${r.appointments} appointments`
      if (fresh) {
        // There was nothing before it: the empty database it replaced is not kept.
        rmSync(join(flags['data-dir'], r.previousDataKept), { recursive: true, force: true })
        console.log(`${flags['data-dir']} is set up from ${r.restoredFrom} (made ${made})`)
      } else {
        console.log(
          `restored ${r.restoredFrom} (made ${made}); the previous data is kept as ${r.previousDataKept}`,
        )
      }
    }
  }
  const ctx = await openCore({
    // A restore may bring back a folder whose database was lost (its backups are enough),
    // or set up a new one from a backup file brought from elsewhere.
    dataDir:
      command === 'restore' && (from || existsSync(join(flags['data-dir'], 'backups')))
        ? flags['data-dir']
        : existingDataDir(flags['data-dir']),
    resources: sourceResources(),
    version: sourceVersion(),
    startSync: false,
  })
  try {
    const { users } = await run(ctx, 'session.users', {})
    const admin = users.find((u) => u.role === 'admin')
    // Whoever can run commands on the data folder holds all of it already: the shell
    // acts as the admin without a PIN.
    ctx.session.userId = admin?.id ?? null
    ctx.session.activeAt = Date.now()
    await task(ctx)
  } finally {
    await ctx.db.close()
  }
})
