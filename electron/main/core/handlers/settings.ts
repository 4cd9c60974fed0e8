import { eq, sql } from 'drizzle-orm'
import {
  BUSINESS_SETTINGS_ID,
  type BusinessSettings,
  businessSettings,
  DEFAULT_SETTINGS,
} from '../../../../shared/contract/settings'
import { requireActor } from '../auth'
import type { AppContext } from '../context'
import { schema } from '../db/schema'
import type { Handlers } from './types'

const { businessSettings: table } = schema
type Row = typeof table.$inferSelect

/** The row's columns as settings; a column that no longer fits falls back to its default. */
function fromRow(row: Row | undefined): BusinessSettings {
  const [start, end] = (row?.workingHours ?? '').split('-')
  const days = row?.workingDays
  const stored = {
    timeZone: row?.timeZone ?? undefined,
    workingHours:
      start && end && days !== null && days !== undefined
        ? { start, end, days: days ? days.split(',').map(Number) : [] }
        : undefined,
  }
  const out = { ...DEFAULT_SETTINGS }
  const zone = businessSettings.shape.timeZone.safeParse(stored.timeZone)
  if (zone.success) out.timeZone = zone.data
  const hours = businessSettings.shape.workingHours.safeParse(stored.workingHours)
  if (hours.success) out.workingHours = hours.data
  const units = businessSettings.shape.units.safeParse(row?.units)
  if (units.success) out.units = units.data
  return out
}

const toColumns = (s: BusinessSettings) => ({
  timeZone: s.timeZone,
  workingHours: `${s.workingHours.start}-${s.workingHours.end}`,
  workingDays: [...new Set(s.workingHours.days)].sort().join(','),
  units: s.units,
})

export async function readSettings(ctx: AppContext): Promise<BusinessSettings> {
  const [row] = await ctx.db.db.select().from(table).where(eq(table.id, BUSINESS_SETTINGS_ID))
  return fromRow(row)
}

export const settingsHandlers = {
  'settings.get': (ctx) => readSettings(ctx),
  'settings.update': async (ctx, input) => {
    await requireActor(ctx, 'settings.write')
    const next = businessSettings.parse({ ...(await readSettings(ctx)), ...input })
    const all = toColumns(next)
    // Only the settings given are written (a time zone saved alone leaves the working
    // hours unset, as the first-run checklist reads them), and of those only the columns
    // that change, so sync sends only those.
    const values = {
      ...(input.timeZone === undefined ? {} : { timeZone: all.timeZone }),
      ...(input.workingHours === undefined
        ? {}
        : { workingHours: all.workingHours, workingDays: all.workingDays }),
      ...(input.units === undefined ? {} : { units: all.units }),
    }
    const written = Object.entries(values) as [keyof typeof all, string][]
    if (!written.length) return next
    await ctx.db.db
      .insert(table)
      .values({ id: BUSINESS_SETTINGS_ID, ...values })
      .onConflictDoUpdate({
        target: table.id,
        set: { ...values, updatedAt: sql`now()` },
        setWhere: sql.join(
          written.map(([column, value]) => sql`${table[column]} IS DISTINCT FROM ${value}`),
          sql` OR `,
        ),
      })
    return next
  },
} satisfies Partial<Handlers>
