import { eq, sql } from 'drizzle-orm'
import { BUSINESS_SETTINGS_ID } from '../../../../shared/contract/settings'
import type { SetupState } from '../../../../shared/contract/setup'
import { requireActor } from '../auth'
import type { AppContext } from '../context'
import { schema } from '../db/schema'
import type { Handlers } from './types'

const { appSettings } = schema

/** This laptop's checklist: 'open' once its first user is made here, then 'dismissed'. */
export const CHECKLIST_KEY = 'setup.checklist'

/** Called when a laptop's very first user is created: the guided first run begins. */
export async function openChecklist(ctx: AppContext): Promise<void> {
  await ctx.db.db
    .insert(appSettings)
    .values({ key: CHECKLIST_KEY, value: 'open' })
    .onConflictDoNothing({ target: appSettings.key })
}

/**
 * Each step is read from the data it stands for, not from ticks stored apart: a step
 * done elsewhere (another laptop through sync, an import) counts, and a restart keeps
 * them. The time zone and working hours count once saved, even if the defaults were
 * kept: saving them is the decision.
 */
async function readState(ctx: AppContext): Promise<SetupState> {
  // Table names from this list only, never from input.
  const exists = (table: 'services' | 'team_members' | 'clients' | 'appointments') =>
    `EXISTS (SELECT 1 FROM ${table} WHERE deleted_at IS NULL)`
  const { rows } = await ctx.db.pg.query<Record<string, boolean | null>>(
    `SELECT
       (SELECT business_name IS NOT NULL AND btrim(business_name) <> '' FROM business_settings WHERE id = $1) AS "businessName",
       (SELECT time_zone IS NOT NULL FROM business_settings WHERE id = $1) AS "timeZone",
       (SELECT working_hours IS NOT NULL AND working_days IS NOT NULL FROM business_settings WHERE id = $1) AS "workingHours",
       ${exists('services')} AS services,
       ${exists('team_members')} AS crew,
       ${exists('clients')} AS client,
       ${exists('appointments')} AS booking`,
    [BUSINESS_SETTINGS_ID],
  )
  const row = rows[0] ?? {}
  const [flag] = await ctx.db.db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, CHECKLIST_KEY))
  return {
    open: flag?.value === 'open',
    done: {
      businessName: row.businessName === true,
      timeZone: row.timeZone === true,
      workingHours: row.workingHours === true,
      services: row.services === true,
      crew: row.crew === true,
      client: row.client === true,
      booking: row.booking === true,
    },
  }
}

export const setupHandlers = {
  'setup.get': async (ctx) => {
    await requireActor(ctx)
    return readState(ctx)
  },
  'setup.dismiss': async (ctx) => {
    await requireActor(ctx, 'settings.write')
    await ctx.db.db
      .insert(appSettings)
      .values({ key: CHECKLIST_KEY, value: 'dismissed' })
      .onConflictDoUpdate({
        target: appSettings.key,
        set: { value: 'dismissed', updatedAt: sql`now()` },
      })
    return readState(ctx)
  },
} satisfies Partial<Handlers>
