import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import { type HorizonClash, horizonClash } from '../../../../shared/contract/series'
import type { Plan, VisitValues } from '../../../../shared/domain/series'
import { schema } from '../db/schema'
import { clashes, placedBy, type Tx, VISIT_COLUMNS } from './store'

/**
 * The double bookings the rolling horizon made on its own. A series write shows its
 * person what clashes ("14 visits booked, 2 clash — review"); a visit the horizon books
 * as days pass has nobody to show, so its clashes are kept here, on this laptop
 * (`app_settings`, never synced), for the office to review. The check is the one the
 * series writes run (`clashes`, the shared overlap rule), and it is written in the
 * transaction that books the visits: no visit is booked without its clash being kept.
 *
 * The list is what still clashes: each run drops the entries that no longer hold (the
 * visit moved, reassigned, cancelled, removed or past; the other job moved or gone).
 *
 * Nothing here marks the overlap as accepted for sync (`groundskeeper.accepted_overlaps`,
 * set only when a person keeps a double booking): the server sees these visits as any
 * other push, and lists a double booking in its conflicts inbox.
 */
export const HORIZON_CLASHES_KEY = 'series.horizonClashes'

const { appointments: a, appSettings, clients, services } = schema
const stored = z.array(horizonClash)

/** The entries kept, as last written (none when the value is missing or unreadable). */
export async function keptClashes(tx: Tx): Promise<HorizonClash[]> {
  const [row] = await tx
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, HORIZON_CLASHES_KEY))
  const parsed = stored.safeParse(row?.value ?? [])
  return parsed.success ? parsed.data : []
}

export async function saveClashes(tx: Tx, list: readonly HorizonClash[]): Promise<void> {
  if (!list.length) {
    await tx.delete(appSettings).where(eq(appSettings.key, HORIZON_CLASHES_KEY))
    return
  }
  const value = [...list].sort(
    (x, y) => x.scheduledAt.localeCompare(y.scheduledAt) || x.visitId.localeCompare(y.visitId),
  )
  await tx
    .insert(appSettings)
    .values({ key: HORIZON_CLASHES_KEY, value })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: sql`now()` } })
}

/** "Smith Residence, Lawn mowing" for each visit. */
async function jobsOf(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx
    .select({ id: a.id, client: clients.name, service: services.name })
    .from(a)
    .innerJoin(clients, eq(clients.id, a.clientId))
    .innerJoin(services, eq(services.id, a.serviceId))
    .where(inArray(a.id, [...ids]))
  return new Map(rows.map((r) => [r.id, `${r.client}, ${r.service}`]))
}

/**
 * Checks the visits a horizon run placed (in `plans`, already written in `tx`) and keeps
 * those that double-book their crew member. Whether anything was kept.
 */
export async function recordClashes(
  tx: Tx,
  plans: readonly Plan[],
  nowMs: number,
): Promise<boolean> {
  const found = await clashes(tx, placedBy(plans))
  if (!found.length) return false
  const jobs = await jobsOf(
    tx,
    found.map((c) => c.visitId),
  )
  const foundAt = new Date(nowMs).toISOString()
  const fresh = new Set(found.map((c) => c.visitId))
  const kept = (await keptClashes(tx)).filter((k) => !fresh.has(k.visitId))
  await saveClashes(tx, [
    ...kept,
    ...found.map((c) => ({ ...c, job: jobs.get(c.visitId) ?? '', foundAt })),
  ])
  return true
}

/**
 * The entries kept that still hold at `nowMs`: each visit, as it is now, still to come,
 * checked again. Reads only.
 */
export async function currentClashes(tx: Tx, nowMs: number): Promise<HorizonClash[]> {
  const kept = await keptClashes(tx)
  if (!kept.length) return []
  const visits: VisitValues[] = (
    await tx
      .select(VISIT_COLUMNS)
      .from(a)
      .where(
        and(
          inArray(
            a.id,
            kept.map((k) => k.visitId),
          ),
          isNull(a.deletedAt),
          eq(a.status, 'scheduled'),
          gte(a.scheduledAt, new Date(nowMs).toISOString()),
        ),
      )
  ).map((v) => ({
    ...v,
    // As a plan holds it (the database's text form differs), for the list to compare.
    scheduledAt: new Date(Date.parse(v.scheduledAt)).toISOString(),
    seriesId: v.seriesId ?? '',
    occurrence: v.occurrence ?? '',
  }))
  const still = new Map((await clashes(tx, visits)).map((c) => [c.visitId, c]))
  if (!still.size) return []
  const jobs = await jobsOf(tx, [...still.keys()])
  return kept.flatMap((k) => {
    const c = still.get(k.visitId)
    return c ? [{ ...c, job: jobs.get(k.visitId) ?? k.job, foundAt: k.foundAt }] : []
  })
}

/** Drops the entries that no longer hold; whether the list changed. */
export async function dropSettled(tx: Tx, nowMs: number): Promise<boolean> {
  const kept = await keptClashes(tx)
  if (!kept.length) return false
  const now = await currentClashes(tx, nowMs)
  if (JSON.stringify(now) === JSON.stringify(kept)) return false
  await saveClashes(tx, now)
  return true
}

/** Drops a visit from the list: the office keeps it as it is. Whether it was listed. */
export async function keepClash(tx: Tx, visitId: string): Promise<boolean> {
  const kept = await keptClashes(tx)
  const rest = kept.filter((k) => k.visitId !== visitId)
  if (rest.length === kept.length) return false
  await saveClashes(tx, rest)
  return true
}
