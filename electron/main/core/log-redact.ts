import { homedir } from 'node:os'

/**
 * What may be written to the app's log: nothing personal. The log is a file on a field
 * laptop that people attach to support requests, so clients' names, emails, phones,
 * addresses and notes, PINs, tokens and passwords never reach it.
 *
 * Two layers. Structure first: in any object logged, a value under a key that names
 * personal data or a secret (`name`, `clientEmail`, `phone`, `notes`, `pin`, `token`,
 * ...) is replaced whatever it holds, and an error is reduced to its type, code, cleaned
 * message and first stack frames (never a driver's `detail`, `query` or `params`).
 * Text second: in every string, what still looks like an email, a phone number, a token,
 * a URL's password or query, a quoted value or a query's parameters is masked, and the
 * user's home folder (it holds their account name) becomes `~`.
 *
 * Hand-written, since no kept library does this for arbitrary log arguments; plain Node so
 * that it is tested directly and runs in the bridge and the tools as in the app.
 */
export const REDACTED = '[redacted]'

const MAX_TEXT = 2_000
const MAX_DEPTH = 5
const MAX_ITEMS = 50
const STACK_FRAMES = 3

/**
 * Keys whose values are personal or secret, matched on the key's last word ignoring case
 * and separators (`clientName`, `client_name`, `to-phone`, `authToken` all match). A
 * diagnostic that is not personal uses another key: `error`, `code`, `channel`, `count`.
 */
const PERSONAL_WORDS = [
  'name',
  'email',
  'mail',
  'phone',
  'mobile',
  'tel',
  'address',
  'street',
  'city',
  'postcode',
  'postalcode',
  'zip',
  'note',
  'notes',
  'comment',
  'pin',
  'pinhash',
  'password',
  'passcode',
  'secret',
  'token',
  'apikey',
  'authorization',
  'auth',
  'cookie',
  'credential',
  'credentials',
  'latitude',
  'longitude',
  'lat',
  'lng',
  'lon',
  'body',
  'detail',
  'params',
  'parameters',
  'query',
  'row',
  'rows',
  'values',
]

export function isPersonalKey(key: string): boolean {
  const flat = key.toLowerCase().replace(/[^a-z0-9]/g, '')
  return PERSONAL_WORDS.some((w) => flat === w || flat.endsWith(w))
}

export interface RedactOptions {
  /** The user's home folder, replaced by `~` (default: this process's). */
  home?: string
  /** Longer text is cut to this many characters first (default 2,000). */
  maxLength?: number
}

// Each pattern starts only where a run of its characters starts (the lookbehinds and \b):
// tried at every position, a long run without a match would cost quadratic time.
const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/gi
const URL_USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/@]+@/gi
const URL_QUERY = /\b(https?:\/\/[^\s?#"']+)\?[^\s#"']*/gi
// Drizzle's failed-query message lists the values it sent: "params: Ann,ann@x.com".
const QUERY_PARAMS = /\b(params|parameters):[^\n]*/gi
// PostgreSQL's "Key (email)=(ann@x.com) already exists".
const KEY_VALUE = /=\([^()\n]{0,500}\)/g
// Values quoted in messages ('invalid input syntax for type uuid: "Ann"').
const DOUBLE_QUOTED = /"[^"\n]*"|“[^”\n]*”/g
// A run of digits with phone separators (+, spaces, dots, dashes, brackets).
const PHONE_LIKE = /(?<![\w.-])\+?\(?\d[\d\s().-]{5,}\d(?![\w-])/g
const DATE_INSIDE = /\d{4}-\d{2}-\d{2}/
const DOTTED_QUAD = /^\d{1,3}(\.\d{1,3}){3}$/
const OPAQUE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A string with anything that looks personal or secret masked. */
export function redactText(text: string, opts: RedactOptions = {}): string {
  const home = opts.home ?? homedir()
  const max = opts.maxLength ?? MAX_TEXT
  let out = text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text
  if (home && home.length > 1) out = out.split(home).join('~')
  out = out
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(URL_QUERY, `$1?${REDACTED}`)
    .replace(QUERY_PARAMS, `$1: ${REDACTED}`)
    .replace(KEY_VALUE, `=(${REDACTED})`)
    .replace(DOUBLE_QUOTED, `"${REDACTED}"`)
    .replace(EMAIL, '[email]')
    .replace(PHONE_LIKE, (run) => {
      const digits = run.replace(/\D/g, '').length
      if (digits < 7 || digits > 15) return run
      // Dates and times ("2025-06-01 10:30") and IPv4 addresses are not phone numbers.
      if (DATE_INSIDE.test(run) || DOTTED_QUAD.test(run.trim())) return run
      return '[phone]'
    })
    .replace(OPAQUE, (token) =>
      UUID.test(token) || !/\d/.test(token) || !/[A-Za-z]/.test(token) ? token : '[secret]',
    )
  return out
}

/**
 * A log argument made safe to write: a copy with personal keys replaced and every string
 * cleaned (see above). Never throws; cycles, depth and long arrays are cut short.
 */
export function redact(value: unknown, opts: RedactOptions = {}): unknown {
  return walk(value, opts, 0, new WeakSet())
}

/** Every argument of one log call, made safe (electron-log's hook calls this). */
export function redactLogArgs(args: readonly unknown[], opts: RedactOptions = {}): unknown[] {
  return args.map((a) => redact(a, opts))
}

function walk(value: unknown, opts: RedactOptions, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, opts)
  if (value === null || value === undefined) return value
  if (typeof value === 'number' || typeof value === 'boolean') return value
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'object') return `[${typeof value}]`
  if (seen.has(value)) return '[circular]'
  if (depth >= MAX_DEPTH) return '[…]'
  seen.add(value)
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value
  if (value instanceof Error) return errorSummary(value, opts, depth, seen)
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => walk(v, opts, depth + 1, seen))
    return value.length > MAX_ITEMS ? [...items, `… ${value.length - MAX_ITEMS} more`] : items
  }
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    out[key] = isPersonalKey(key) ? REDACTED : walk(v, opts, depth + 1, seen)
  }
  return out
}

/** An error as the log keeps it: what went wrong and where, not the data involved. */
function errorSummary(
  e: Error,
  opts: RedactOptions,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const code = (e as { code?: unknown }).code
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, STACK_FRAMES)
    .map((l) => redactText(l.trim(), opts))
  return {
    error: e.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: redactText(e.message, opts),
    ...(frames.length ? { at: frames } : {}),
    ...(e.cause !== undefined ? { cause: walk(e.cause, opts, depth + 1, seen) } : {}),
  }
}
