import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { databaseProblem } from '../../server/database-problem'

/**
 * Flag parsing for the admin commands: unknown flags, missing values and numbers out of
 * range are refused with one clear line and exit code 2, before anything is touched.
 */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** `help` is the flag's line in `--help`; `env`, the variable read when it is not given. */
export type FlagSpec = { help?: string; env?: string } & (
  | { type: 'string'; required?: boolean; default?: string; pattern?: RegExp; hint?: string }
  | { type: 'int'; required?: boolean; default?: number; min: number; max: number }
  | { type: 'boolean' }
)

/**
 * A data folder that holds the app's database: a command on an existing folder never
 * makes a new, empty database because of a mistyped path.
 */
export function existingDataDir(dir: string): string {
  if (!existsSync(join(dir, 'pgdata', 'PG_VERSION')))
    throw new UsageError(`no Groundskeeper database in ${dir}`)
  return dir
}

/**
 * A data folder a command may also start a new database in: a folder, not a file, and
 * one that exists (a path mistyped is refused, not made) unless `mayMake`. Returns
 * whether it holds no database yet.
 */
export function dataDirToOpen(dir: string, opts: { mayMake?: boolean } = {}): { fresh: boolean } {
  const flag = '--data-dir'
  if (!existsSync(dir)) {
    if (opts.mayMake) return { fresh: true }
    throw new UsageError(
      `${flag} ${dir} does not exist (to start a new database there, make the folder first)`,
    )
  }
  if (!statSync(dir).isDirectory()) throw new UsageError(`${flag} ${dir} is a file, not a folder`)
  return { fresh: !existsSync(join(dir, 'pgdata', 'PG_VERSION')) }
}

/**
 * A command of several that share one set of flags: a flag given that its command does
 * not take is a slip, refused rather than silently ignored. `always` applies to all.
 */
export function refuseStrayFlags(
  command: string,
  flags: Record<string, unknown>,
  takes: readonly string[],
  always: readonly string[] = [],
): void {
  const stray = Object.keys(flags).find(
    (name) =>
      flags[name] !== undefined &&
      flags[name] !== false &&
      !takes.includes(name) &&
      !always.includes(name),
  )
  if (stray) throw new UsageError(`--${stray} does not apply to ${command}`)
}

/** `--help` was asked for: the flags' descriptions, printed instead of running. */
export class HelpRequested extends Error {
  override name = 'HelpRequested'
}

/** One line per flag: its name, value, default and what it does. */
export function describeFlags(spec: Record<string, FlagSpec>): string {
  const rows = Object.entries(spec).map(([name, s]) => {
    const value = s.type === 'boolean' ? '' : s.type === 'int' ? ' N' : ' VALUE'
    const notes = [
      'required' in s && s.required ? 'required' : null,
      'default' in s && s.default !== undefined ? `default ${s.default}` : null,
      s.type === 'int' ? `${s.min}-${s.max}` : null,
      s.env ? `or $${s.env}` : null,
    ].filter(Boolean)
    return [`--${name}${value}`, `${s.help ?? ''}${notes.length ? ` (${notes.join('; ')})` : ''}`]
  })
  const width = Math.max(...rows.map(([flag]) => flag?.length ?? 0)) + 2
  return rows.map(([flag, text]) => `  ${(flag ?? '').padEnd(width)}${text}`).join('\n')
}

type FlagValue<S extends FlagSpec> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'int' }
    ? S extends { required: true } | { default: number }
      ? number
      : number | undefined
    : S extends { required: true } | { default: string }
      ? string
      : string | undefined

export type Flags<T extends Record<string, FlagSpec>> = { [K in keyof T]: FlagValue<T[K]> }

/** The central database, for the server's commands. */
export const DATABASE_URL_FLAG = {
  type: 'string',
  required: true,
  // postgres://[user[:password]@]host[:port][/database][?options]: a port is digits.
  pattern: /^postgres(ql)?:\/\/([^/@]*@)?(\[[^\]]+\]|[^:/?#@]*)(:\d{1,5})?([/?].*)?$/,
  hint: 'must be a postgres:// URL: postgres://user@host:5432/database',
  help: 'the central PostgreSQL',
} as const

/** The sub-command (`create`, `list`, ...) and the flags after it. */
export function subcommand<const C extends string>(
  argv: string[],
  commands: readonly C[],
): [C, string[]] {
  const [command, ...rest] = argv
  if (command === '--help' || command === '-h')
    throw new HelpRequested(`commands: ${commands.join(', ')} (--help after one lists its flags)`)
  if (!command || !(commands as readonly string[]).includes(command)) {
    throw new UsageError(`unknown command ${command ?? '(none)'}`)
  }
  return [command as C, rest]
}

export function parseFlags<const T extends Record<string, FlagSpec>>(
  argv: string[],
  spec: T,
): Flags<T> {
  if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested(describeFlags(spec))
  const options: Record<string, { type: 'string' | 'boolean' }> = {}
  for (const [name, s] of Object.entries(spec)) {
    options[name] = { type: s.type === 'boolean' ? 'boolean' : 'string' }
  }
  // `--port -1`: a negative number is the flag's value, not another flag (parseArgs would
  // call it ambiguous); its range check then says what is wrong with it.
  const args: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const next = argv[i + 1]
    const takesValue = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string'
    if (takesValue && next !== undefined && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`)
      i += 1
    } else args.push(arg)
  }
  let values: Record<string, string | boolean | undefined>
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: false })
    values = parsed.values as Record<string, string | boolean | undefined>
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0] ?? 'bad arguments')
  }
  const out: Record<string, unknown> = {}
  for (const [name, s] of Object.entries(spec)) {
    // `--port=` gives nothing: a slip, not a wish for the default (an empty variable is unset).
    if (values[name] === '') throw new UsageError(`--${name} needs a value`)
    const raw = values[name] ?? (s.env ? process.env[s.env] : undefined)
    if (s.type === 'boolean') {
      out[name] = raw === true
      continue
    }
    if (raw === undefined || raw === '') {
      if ('required' in s && s.required) throw new UsageError(`--${name} is required`)
      out[name] = s.default
      continue
    }
    const text = String(raw)
    if (s.type === 'int') {
      if (!/^-?\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number`)
      const n = Number(text)
      if (n < s.min || n > s.max) {
        throw new UsageError(`--${name} must be between ${s.min} and ${s.max}`)
      }
      out[name] = n
    } else {
      if (s.pattern && !s.pattern.test(text)) {
        throw new UsageError(`--${name} ${s.hint ?? 'has an invalid value'}`)
      }
      out[name] = text
    }
  }
  return out as Flags<T>
}

/**
 * `npm run` starts a command in the project's folder, but a relative path an admin types
 * (`--out backup.gkbackup`, `--data-dir ../laptop`) means the folder they typed it in,
 * which npm passes on as INIT_CWD: the command works from there.
 */
function workFromCaller(): void {
  const from = process.env.INIT_CWD
  if (!from || from === process.cwd()) return
  if (existsSync(from) && statSync(from).isDirectory()) process.chdir(from)
}

/** Runs a command: usage errors exit 2, other failures exit 1, both with one clear line. */
export async function runCommand(usage: string, main: () => Promise<void>): Promise<void> {
  try {
    workFromCaller()
    await main()
  } catch (e) {
    if (e instanceof HelpRequested) {
      console.log(`usage: ${usage}\n\n${e.message}`)
    } else if (e instanceof UsageError) {
      console.error(`error: ${e.message}\nusage: ${usage}`)
      process.exitCode = 2
    } else {
      console.error(`error: ${databaseProblem(e)}`)
      process.exitCode = 1
    }
  }
}

/** A one-line progress display: redrawn in place on a terminal, plain lines otherwise. */
export function progressLine(label: string): (done: number, total: number) => void {
  let lastPrinted = -1
  let finished = false
  return (done, total) => {
    if (finished) return
    finished = done >= total
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100
    const text = `${label}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} (${pct}%)`
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${text}${done >= total ? '\n' : ''}`)
    } else if (pct !== lastPrinted || done >= total) {
      console.log(text)
    }
    lastPrinted = pct
  }
}
