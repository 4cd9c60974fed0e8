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
  return out
}

const toColumns = (s: BusinessSettings) => ({
  timeZone: s.timeZone,
  workingHours: `${s.workingHours.start}-${s.workingHours.end}`,
  workingDays: [...new Set(s.workingHours.days)].sort().join(','),
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
    const values = toColumns(next)
    // Only the columns that change are written, so sync sends only those.
    await ctx.db.db
      .insert(table)
      .values({ id: BUSINESS_SETTINGS_ID, ...values })
      .onConflictDoUpdate({
        target: table.id,
        set: { ...values, updatedAt: sql`now()` },
        setWhere: sql`(${table.timeZone}, ${table.workingHours}, ${table.workingDays}) IS DISTINCT FROM (${values.timeZone}, ${values.workingHours}, ${values.workingDays})`,
      })
    return next
  },
} satisfies Partial<Handlers>
