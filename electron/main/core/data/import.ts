import { eq, sql } from 'drizzle-orm'
import type { z } from 'zod'
import { contract } from '../../../../shared/contract'
import {
  CLIENT_COLUMNS,
  CLIENT_IMPORT_REQUIRED,
  type importReport,
  SERVICE_COLUMNS,
  SERVICE_IMPORT_REQUIRED,
} from '../../../../shared/contract/data'
import { CsvError, type CsvRow, parseCsvRows, unguardCell } from '../../../../shared/domain/csv'
import { uuidv7 } from '../../../../shared/domain/ids'
import { AppError } from '../../../../shared/errors'
import { LOCALES } from '../../../../shared/notifications/kinds'
import { isOverrides } from '../../../../shared/notifications/preferences'
import type { AppContext } from '../context'
import { schema } from '../db/schema'
import { type ImportKind, type ImportRow, Matcher, toColumn } from './import-match'
import { type JobReport, UNTRACKED } from './progress'

/**
 * Imports clients or services from CSV (the export's own columns, the export's formula
 * guard undone). Every row is checked with the contract's schema first, then matched
 * against the records already here (`import-match.ts`): a new record is created, a
 * known one updated with the fields that differ or skipped when nothing does. The
 * report counts each outcome and names its rows; a refused row is listed with its
 * field and reason. With mode `all` nothing is written when any row is refused; with
 * `valid` the rest is written. Matching and writing are one transaction.
 */
export type ImportMode = 'all' | 'valid'
export type ImportReport = z.output<typeof importReport>

const MAX_ROWS = 50_000

interface Spec {
  columns: readonly string[]
  required: readonly string[]
  schema: z.ZodType
  toInput: (cells: Record<string, string>) => Record<string, unknown>
  /** What is wrong with a row's cells before the contract reads them (a yes/no that is neither). */
  check?: (cells: Record<string, string>) => { field: string; message: string }[]
}

const optional = (v: string | undefined) => (v === undefined || v === '' ? undefined : v)
const number = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v))
/** A yes/no cell: true, false, undefined when empty, null when it is neither. */
const yesNo = (v: string | undefined) =>
  v === undefined || v.trim() === ''
    ? undefined
    : /^(true|yes|y|1)$/i.test(v.trim())
      ? true
      : /^(false|no|n|0)$/i.test(v.trim())
        ? false
        : null

const SPECS: Record<ImportKind, Spec> = {
  clients: {
    columns: CLIENT_COLUMNS,
    required: CLIENT_IMPORT_REQUIRED,
    schema: contract['clients.create'].input,
    toInput: (c) => ({
      name: c.name ?? '',
      email: optional(c.email),
      phone: optional(c.phone),
      address: optional(c.address),
      postalCode: optional(c.postal_code),
      latitude: number(c.latitude),
      longitude: number(c.longitude),
      notes: optional(c.notes),
      notifyEmail: yesNo(c.notify_email) ?? undefined,
      notifySms: yesNo(c.notify_sms) ?? undefined,
      notifyOff: optional(c.notify_off)
        ?.split(',')
        .map((p) => p.trim())
        .filter(Boolean),
      locale: optional(c.locale?.trim().toLowerCase()),
    }),
    check: (c) => [
      ...(['notify_email', 'notify_sms'] as const)
        .filter((field) => yesNo(c[field]) === null)
        .map((field) => ({ field, message: 'must be true or false (or yes / no, 1 / 0)' })),
      ...(c.notify_off && !isOverrides(c.notify_off.trim())
        ? [
            {
              field: 'notify_off',
              message:
                'must list messages turned off as kind:channel, separated by commas (such as reminder:sms,cancelled:email)',
            },
          ]
        : []),
      ...(c.locale?.trim() &&
      !(LOCALES as readonly string[]).includes(c.locale.trim().toLowerCase())
        ? [{ field: 'locale', message: `must be one of ${LOCALES.join(', ')}` }]
        : []),
    ],
  },
  services: {
    columns: SERVICE_COLUMNS,
    required: SERVICE_IMPORT_REQUIRED,
    schema: contract['catalog.services.create'].input,
    toInput: (c) => ({
      name: c.name ?? '',
      description: optional(c.description),
      priority: optional(c.priority?.toUpperCase()),
      basePrice: c.base_price ?? '',
      durationMinutes: number(c.duration_minutes) ?? Number.NaN,
      isActive: yesNo(c.is_active) ?? undefined,
    }),
    // Anything but a yes or a no is refused, never read as "archived".
    check: (c) =>
      yesNo(c.is_active) === null
        ? [{ field: 'is_active', message: 'must be true or false (or yes / no, 1 / 0)' }]
        : [],
  },
}

const FIELD_COLUMN: Record<string, string> = {
  postalCode: 'postal_code',
  notifyEmail: 'notify_email',
  notifySms: 'notify_sms',
  notifyOff: 'notify_off',
  basePrice: 'base_price',
  durationMinutes: 'duration_minutes',
  isActive: 'is_active',
}

/**
 * A CSV file's header (trimmed, lower case, spaces as underscores) and rows, once the header names only known
 * columns and every required one; refused with the columns it must name otherwise.
 */
export function readTable(
  text: string,
  known: readonly string[],
  required: readonly string[],
): { columns: string[]; rows: CsvRow[] } {
  let table: CsvRow[]
  try {
    table = parseCsvRows(text)
  } catch (e) {
    if (e instanceof CsvError) {
      throw new AppError('VALIDATION', `the file is not valid CSV (line ${e.line}: ${e.message})`)
    }
    throw e
  }
  const [header, ...lines] = table
  // A row whose cells are all empty (a spreadsheet's formatted but empty lines, saved as
  // ",,,,") is left out, as a blank line is.
  const rows = lines.filter((r) => r.fields.some((f) => f.trim() !== ''))
  // "Postal Code" and "postal-code" are the column postal_code, as a spreadsheet names it.
  const columns = (header?.fields ?? []).map((h) => h.trim().toLowerCase().replace(/[ -]+/g, '_'))
  // One column naming several, split by semicolons or tabs: a spreadsheet's other "CSV".
  const [only] = columns
  const split = columns.length === 1 && only ? /[;\t]/.exec(only)?.[0] : undefined
  if (split && only?.split(split).some((c) => known.includes(c.trim())))
    throw new AppError(
      'VALIDATION',
      `the columns are separated by ${split === ';' ? 'semicolons' : 'tabs'}, not commas: save the file as CSV with commas (“CSV UTF-8 (Comma delimited)”) and import it again`,
    )
  const unknown = columns.filter((c) => !known.includes(c))
  const missing = required.filter((c) => !columns.includes(c))
  if (unknown.length || missing.length) {
    // Column names are quoted: they are what the file must say, word for word.
    const quote = (names: readonly string[]) =>
      names.map((n) => `"${n.length > 40 ? `${n.slice(0, 40)}…` : n}"`).join(', ')
    throw new AppError(
      'VALIDATION',
      `the first line must name the columns, among ${quote(known)}` +
        (missing.length ? `; missing: ${quote(missing)}` : '') +
        (unknown.length ? `; not known: ${quote(unknown.slice(0, 10))}` : ''),
    )
  }
  if (rows.length > MAX_ROWS) throw new AppError('VALIDATION', `at most ${MAX_ROWS} rows at a time`)
  return { columns, rows }
}

/**
 * The cells of each row by column (the export's formula guard undone), with the line the
 * row starts on; a row with more or fewer fields than the header is refused with its
 * line.
 */
export function rowCells(
  columns: readonly string[],
  rows: readonly CsvRow[],
  errors: ImportReport['errors'],
): { line: number; cells: Record<string, string> }[] {
  return rows.flatMap(({ fields, line }) => {
    if (fields.length !== columns.length) {
      errors.push({
        line,
        field: '',
        message: `has ${fields.length} fields, the header has ${columns.length}`,
      })
      return []
    }
    return [
      { line, cells: Object.fromEntries(columns.map((c, j) => [c, unguardCell(fields[j] ?? '')])) },
    ]
  })
}

/**
 * An import's report before anything is written: its refused rows by line, and whether
 * the mode lets the rest be written (with `all`, one refused row writes nothing).
 */
export function reportBefore(
  rows: number,
  errors: ImportReport['errors'],
  mode: ImportMode,
): ImportReport {
  errors.sort((a, b) => a.line - b.line)
  const refused = new Set(errors.map((e) => e.line)).size
  return {
    rows,
    imported: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    refused,
    written: mode === 'valid' || refused === 0,
    lines: { created: [], updated: [], skipped: [] },
    errors,
  }
}

export async function importCsv(
  ctx: AppContext,
  kind: ImportKind,
  text: string,
  mode: ImportMode,
  progress: JobReport = UNTRACKED,
): Promise<ImportReport> {
  const spec = SPECS[kind]
  const { columns, rows } = readTable(text, spec.columns, spec.required)
  const errors: ImportReport['errors'] = []
  const valid: ImportRow[] = []
  for (const { line, cells } of rowCells(columns, rows, errors)) {
    const problems = spec.check?.(cells) ?? []
    if (problems.length) {
      for (const p of problems) errors.push({ line, ...p })
      continue
    }
    const input = spec.toInput(cells)
    const parsed = spec.schema.safeParse(input)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '')
        errors.push({ line, field: FIELD_COLUMN[field] ?? field, message: issue.message })
      }
      continue
    }
    // Only what the file says counts as a change: an empty cell leaves a value alone.
    const given = new Set(Object.keys(input).filter((k) => input[k] !== undefined))
    valid.push({ line, row: parsed.data as Record<string, unknown>, given })
  }

  await progress.step('Matching rows with the records already here')
  return ctx.db.db.transaction(async (tx) => {
    const matcher = await Matcher.load(tx, kind)
    const lines = { created: [] as number[], updated: [] as number[], skipped: [] as number[] }
    const creates: Record<string, unknown>[] = []
    const updates: { id: string; changes: Record<string, unknown> }[] = []
    const outcomes = matcher.matchAll(valid)
    for (const { line, row } of valid) {
      const outcome = outcomes.get(line)
      if (!outcome) continue
      if (outcome.kind === 'refused') {
        const field = FIELD_COLUMN[outcome.field] ?? outcome.field
        errors.push({ line, field, message: outcome.message })
        continue
      }
      lines[outcome.kind].push(line)
      if (outcome.kind === 'created') creates.push(row)
      if (outcome.kind === 'updated') updates.push(outcome)
    }
    const report = reportBefore(rows.length, errors, mode)
    if (!report.written) return report

    const table = kind === 'clients' ? schema.clients : schema.services
    const values = creates.map((row) => ({
      ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toColumn(k, v)])),
      id: uuidv7(),
    }))
    await progress.step(`Importing ${kind}`, values.length + updates.length)
    for (let i = 0; i < values.length; i += 500) {
      await tx.insert(table).values(values.slice(i, i + 500) as never)
      await progress.advance(Math.min(i + 500, values.length))
    }
    for (const [i, { id, changes }] of updates.entries()) {
      const set = Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, toColumn(k, v)]))
      await tx
        .update(table)
        .set({ ...set, updatedAt: sql`now()` } as never)
        .where(eq(table.id, id))
      await progress.advance(values.length + i + 1)
    }
    return {
      ...report,
      imported: creates.length + updates.length,
      created: lines.created.length,
      updated: lines.updated.length,
      skipped: lines.skipped.length,
      lines,
    }
  })
}
