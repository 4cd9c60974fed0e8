import { eq } from 'drizzle-orm'
import { BUSINESS_SETTINGS_ID, DEFAULT_SETTINGS } from '../../../../shared/contract/settings'
import { isValidTimeZone } from '../../../../shared/domain/time'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'

/**
 * The business's time zone, in which messages show times (the laptop's own zone may
 * differ). Read in the caller's transaction; a missing or unusable value means the
 * default zone, as the settings screen shows it.
 */
export async function businessTimeZone(db: Pick<DrizzleDb, 'select'>): Promise<string> {
  const { businessSettings: table } = schema
  const [row] = await db
    .select({ timeZone: table.timeZone })
    .from(table)
    .where(eq(table.id, BUSINESS_SETTINGS_ID))
  const zone = row?.timeZone
  return zone && isValidTimeZone(zone) ? zone : DEFAULT_SETTINGS.timeZone
}
