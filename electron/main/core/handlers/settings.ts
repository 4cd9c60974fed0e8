import { eq, sql } from 'drizzle-orm'
import {
  type BusinessSettings,
  businessSettings,
  DEFAULT_SETTINGS,
} from '../../../../shared/contract/settings'
import { requireActor } from '../auth'
import type { AppContext } from '../context'
import { schema } from '../db/schema'
import type { Handlers } from './types'

const KEY = 'business'
const { appSettings } = schema

async function read(ctx: AppContext): Promise<BusinessSettings> {
  const [row] = await ctx.db.db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, KEY))
  // A stored value that no longer fits the schema falls back to the defaults, field by field.
  const stored = businessSettings.partial().safeParse(row?.value ?? {})
  return { ...DEFAULT_SETTINGS, ...(stored.success ? stored.data : {}) }
}

export const settingsHandlers = {
  'settings.get': (ctx) => read(ctx),
  'settings.update': async (ctx, input) => {
    await requireActor(ctx, 'settings.write')
    const next = businessSettings.parse({ ...(await read(ctx)), ...input })
    await ctx.db.db
      .insert(appSettings)
      .values({ key: KEY, value: next })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: next, updatedAt: sql`now()` } })
    return next
  },
} satisfies Partial<Handlers>
