import { and, inArray, isNull } from 'drizzle-orm'
import type { z } from 'zod'
import { contract } from '../../../../shared/contract'
import { CsvError, parseCsv } from '../../../../shared/domain/csv'
import { uuidv7 } from '../../../../shared/domain/ids'
import { AppError } from '../../../../shared/errors'
import type { AppContext } from '../context'
import { schema } from '../db/schema'
import { CLIENT_COLUMNS, SERVICE_COLUMNS } from './export'

/**
 * Imports clients or services from CSV (the export's own columns). Every row is checked
 * with the contract's schema first and the report names each bad row and field. With
 * mode `all` nothing is written when any row is bad; with `valid` the good rows are
 * written and the bad ones reported. Writing is one transaction either way.
 */
export type ImportKind = 'clients' | 'services'
export type ImportMode = 'all' | 'valid'

export interface ImportReport {
  rows: number
  imported: number
  errors: { line: number; field: string; message: string }[]
}

const MAX_ROWS = 50_000

interface Spec {
  columns: string[]
  required: string[]
  schema: z.ZodType
  toInput: (cells: Record<string, string>) => Record<string, unknown>
}

const optional = (v: string | undefined) => (v === undefined || v === '' ? undefined : v)
const number = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v))

const SPECS: Record<ImportKind, Spec> = {
  clients: {
    columns: CLIENT_COLUMNS,
    required: ['name'],
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
    }),
  },
  services: {
    columns: SERVICE_COLUMNS,
    required: ['name', 'base_price', 'duration_minutes'],
    schema: contract['catalog.services.create'].input,
    toInput: (c) => ({
      name: c.name ?? '',
      description: optional(c.description),
      priority: optional(c.priority?.toUpperCase()),
      basePrice: c.base_price ?? '',
      durationMinutes: number(c.duration_minutes) ?? Number.NaN,
      isActive:
        c.is_active === undefined || c.is_active === ''
          ? undefined
          : /^(true|yes|1)$/i.test(c.is_active),
    }),
  },
}

const FIELD_COLUMN: Record<string, string> = {
  postalCode: 'postal_code',
  basePrice: 'base_price',
  durationMinutes: 'duration_minutes',
  isActive: 'is_active',
}

export async function importCsv(
  ctx: AppContext,
  kind: ImportKind,
  text: string,
  mode: ImportMode,
): Promise<ImportReport> {
  const spec = SPECS[kind]
  let table: string[][]
  try {
    table = parseCsv(text)
  } catch (e) {
    if (e instanceof CsvError) {
      throw new AppError('VALIDATION', `the file is not valid CSV (line ${e.line}: ${e.message})`)
    }
    throw e
  }
  const [header = [], ...rows] = table
  const columns = header.map((h) => h.trim().toLowerCase())
  const unknown = columns.filter((c) => !spec.columns.includes(c))
  const missing = spec.required.filter((c) => !columns.includes(c))
  if (unknown.length || missing.length) {
    throw new AppError(
      'VALIDATION',
      `the header must use the columns ${spec.columns.join(', ')}` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (unknown.length ? `; unknown: ${unknown.join(', ')}` : ''),
    )
  }
  if (rows.length > MAX_ROWS) throw new AppError('VALIDATION', `at most ${MAX_ROWS} rows at a time`)

  const report: ImportReport = { rows: rows.length, imported: 0, errors: [] }
  const good: Record<string, unknown>[] = []
  const names = new Map<string, number>()
  rows.forEach((cells, i) => {
    const line = i + 2
    if (cells.length !== columns.length) {
      report.errors.push({
        line,
        field: '',
        message: `has ${cells.length} fields, the header has ${columns.length}`,
      })
      return
    }
    const parsed = spec.schema.safeParse(
      spec.toInput(Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? '']))),
    )
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '')
        report.errors.push({ line, field: FIELD_COLUMN[field] ?? field, message: issue.message })
      }
      return
    }
    const row = parsed.data as Record<string, unknown>
    if (kind === 'services') {
      const key = String(row.name).toLowerCase()
      const first = names.get(key)
      if (first) {
        report.errors.push({ line, field: 'name', message: `repeats the service on line ${first}` })
        return
      }
      names.set(key, line)
    }
    good.push({ ...row, id: uuidv7(), line })
  })

  if (kind === 'services' && good.length) {
    const { services } = schema
    const existing = await ctx.db.db
      .select({ name: services.name })
      .from(services)
      .where(
        and(
          isNull(services.deletedAt),
          inArray(
            services.name,
            good.map((g) => String(g.name)),
          ),
        ),
      )
    const taken = new Set(existing.map((e) => e.name))
    for (const g of good.filter((g) => taken.has(String(g.name)))) {
      report.errors.push({
        line: Number(g.line),
        field: 'name',
        message: 'a service with this name already exists',
      })
    }
    good.splice(0, good.length, ...good.filter((g) => !taken.has(String(g.name))))
  }
  report.errors.sort((a, b) => a.line - b.line)
  if (mode === 'all' && report.errors.length) return report
  if (good.length) {
    const table = kind === 'clients' ? schema.clients : schema.services
    const values = good.map(({ line: _line, latitude, longitude, ...rest }) => ({
      ...rest,
      ...(kind === 'clients'
        ? {
            latitude: latitude === undefined || latitude === null ? null : String(latitude),
            longitude: longitude === undefined || longitude === null ? null : String(longitude),
          }
        : {}),
    }))
    await ctx.db.db.transaction(async (tx) => {
      for (let i = 0; i < values.length; i += 500) {
        await tx.insert(table).values(values.slice(i, i + 500) as never)
      }
    })
    report.imported = values.length
  }
  return report
}
