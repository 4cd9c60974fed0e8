import { and, eq, gte, inArray, isNotNull, isNull, lt, ne, sql } from 'drizzle-orm'
import type { z } from 'zod'
import type { Contract } from '../../../../shared/contract'
import type { SeriesClash, SeriesSummary } from '../../../../shared/contract/series'
import { uuidv7 } from '../../../../shared/domain/ids'
import {
  type Booking,
  endMs,
  findClashes,
  MAX_DURATION_MINUTES,
} from '../../../../shared/domain/schedule'
import {
  type Plan,
  planSize,
  reconcile,
  type Segment,
  type Visit,
  type VisitValues,
  visitValues,
} from '../../../../shared/domain/series'
import { occursOn, type RepeatRule, toRRule } from '../../../../shared/domain/series-rule'
import { localDay } from '../../../../shared/domain/time'
import { describeSpan } from '../../../../shared/domain/when'
import type { DrizzleDb } from '../db/create-db'
import { schema } from '../db/schema'
import { crewWarnings } from '../handlers/appointment-checks'
import { businessTimeZone } from '../handlers/business-zone'

/**
 * The series' rows in the database: reading a root's segments and visits, and writing what
 * `reconcile` (shared/domain/series.ts) plans, in the caller's transaction. Writes go
 * through the tables' capture triggers like every handler's, so the outbox syncs them.
 */
const { series: sr, appointments: a, clients, services, teamMembers } = schema
export type Tx = Parameters<Parameters<DrizzleDb['transaction']>[0]>[0]
type SeriesRow = typeof sr.$inferSelect

export function toSegment(r: SeriesRow): Segment {
  return {
    id: r.id,
    rootId: r.rootId,
    clientId: r.clientId,
    serviceId: r.serviceId,
    teamMemberId: r.teamMemberId,
    rule: r.rule,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    startTime: r.startTime,
    durationMinutes: r.durationMinutes,
    price: r.price,
    notes: r.notes,
    location: r.location,
    deleted: r.deletedAt !== null,
  }
}

/** A new segment's row as inserted. */
const segmentRow = (s: Segment) => ({
  id: s.id,
  rootId: s.rootId,
  clientId: s.clientId,
  serviceId: s.serviceId,
  teamMemberId: s.teamMemberId,
  rule: s.rule,
  startsOn: s.startsOn,
  endsOn: s.endsOn,
  startTime: s.startTime,
  durationMinutes: s.durationMinutes,
  price: s.price,
  notes: s.notes,
  location: s.location,
})

/** Writes whole segments (new ones inserted, existing ones replaced, removed ones tombstoned). */
export async function saveSegments(tx: Tx, segments: readonly Segment[]): Promise<void> {
  for (const s of segments) {
    const { id, ...row } = segmentRow(s)
    const values = {
      ...row,
      deletedAt: s.deleted ? sql`coalesce(${sr.deletedAt}, now())` : null,
      updatedAt: sql`now()`,
    }
    await tx
      .insert(sr)
      .values({ id, ...values, deletedAt: s.deleted ? sql`now()` : null } as never)
      .onConflictDoUpdate({ target: sr.id, set: values as never })
  }
}

/** Every segment of the given roots (removed ones included), by root. */
export async function loadSegments(
  tx: Tx,
  rootIds?: readonly string[],
): Promise<Map<string, Segment[]>> {
  const rows = await tx
    .select()
    .from(sr)
    .where(rootIds ? inArray(sr.rootId, [...rootIds]) : undefined)
  const byRoot = new Map<string, Segment[]>()
  for (const r of rows) {
    const list = byRoot.get(r.rootId) ?? []
    list.push(toSegment(r))
    byRoot.set(r.rootId, list)
  }
  return byRoot
}

/** The columns a visit's values are read from (`VisitValues`, as stored). */
export const VISIT_COLUMNS = {
  id: a.id,
  seriesId: a.seriesId,
  occurrence: a.seriesOccurrence,
  clientId: a.clientId,
  serviceId: a.serviceId,
  teamMemberId: a.teamMemberId,
  scheduledAt: a.scheduledAt,
  durationMinutes: a.durationMinutes,
  price: a.price,
  notes: a.notes,
  location: a.location,
}

/** The visits of the given segments from `today` on, removed ones included. */
export async function loadVisits(
  tx: Tx,
  segmentIds: readonly string[],
  today: string,
): Promise<Visit[]> {
  if (!segmentIds.length) return []
  const rows = await tx
    .select({
      ...VISIT_COLUMNS,
      status: a.status,
      exception: a.seriesException,
      deletedAt: a.deletedAt,
    })
    .from(a)
    .where(and(inArray(a.seriesId, [...segmentIds]), gte(a.seriesOccurrence, today)))
  return rows.map(({ deletedAt, ...r }) => ({
    ...r,
    seriesId: r.seriesId as string,
    occurrence: r.occurrence as string,
    deleted: deletedAt !== null,
  }))
}

/**
 * Runs `write` with its writes to synced rows recorded as the series' own (marked
 * versions, merge.ts): a person's change to a visit, made anywhere, wins over them.
 */
async function asDerived(tx: Tx, write: () => Promise<void>): Promise<void> {
  await tx.execute(sql`SELECT set_config('groundskeeper.derived', 'on', true)`)
  await write()
  await tx.execute(sql`SELECT set_config('groundskeeper.derived', '', true)`)
}

/** The business's today, in its zone. */
export async function businessToday(tx: Tx, nowMs = Date.now()) {
  const zone = await businessTimeZone(tx)
  return { zone, today: localDay(nowMs, zone) }
}

/** A visit's row as inserted. */
export const insertRow = (v: VisitValues) => ({
  id: v.id,
  seriesId: v.seriesId,
  seriesOccurrence: v.occurrence,
  clientId: v.clientId,
  serviceId: v.serviceId,
  teamMemberId: v.teamMemberId,
  scheduledAt: v.scheduledAt,
  durationMinutes: v.durationMinutes,
  price: v.price,
  notes: v.notes,
  location: v.location,
})

/**
 * Writes a plan, as the series' own writes. Inserts go in batches; a visit another laptop
 * wrote meanwhile is kept.
 */
export async function applyPlan(tx: Tx, plan: Plan): Promise<void> {
  if (planSize(plan)) await asDerived(tx, () => writePlan(tx, plan))
}

async function writePlan(tx: Tx, plan: Plan): Promise<void> {
  for (let i = 0; i < plan.inserts.length; i += 500) {
    const batch = plan.inserts.slice(i, i + 500).map(insertRow)
    await tx.insert(a).values(batch).onConflictDoNothing({ target: a.id })
  }
  for (const v of [...plan.updates, ...plan.revives]) {
    const { id, ...set } = insertRow(v)
    await tx
      .update(a)
      .set({ ...set, deletedAt: null, updatedAt: sql`now()` } as never)
      .where(and(eq(a.id, id), eq(a.seriesException, false)))
  }
  if (plan.tombstones.length) {
    await tx
      .update(a)
      .set({ deletedAt: sql`now()`, updatedAt: sql`now()` } as never)
      .where(and(inArray(a.id, plan.tombstones), eq(a.seriesException, false), isNull(a.deletedAt)))
  }
}

/** Reconciles the given roots (all when none given) and writes the result; returns the plans. */
export async function reconcileRoots(
  tx: Tx,
  rootIds?: readonly string[],
  nowMs = Date.now(),
): Promise<Plan[]> {
  const { zone, today } = await businessToday(tx, nowMs)
  const segments = await loadSegments(tx, rootIds)
  const all = [...segments.values()].flat()
  const visits = await loadVisits(
    tx,
    all.map((s) => s.id),
    today,
  )
  const byRoot = new Map<string, Visit[]>()
  const rootOf = new Map(all.map((s) => [s.id, s.rootId]))
  for (const v of visits) {
    const root = rootOf.get(v.seriesId) as string
    byRoot.set(root, [...(byRoot.get(root) ?? []), v])
  }
  const plans = [...segments].map(([root, segs]) =>
    reconcile({ segments: segs, visits: byRoot.get(root) ?? [], zone, today }),
  )
  await applyPlan(tx, combined(plans))
  return plans
}

/** Several series' plans as one, written in as few statements as their rows allow. */
const combined = (plans: readonly Plan[]): Plan => ({
  inserts: plans.flatMap((p) => p.inserts),
  updates: plans.flatMap((p) => p.updates),
  revives: plans.flatMap((p) => p.revives),
  tombstones: plans.flatMap((p) => p.tombstones),
})

/** A series just created: its one segment and the days it was created skipped. */
export interface NewSeries {
  segment: Segment
  skips: readonly VisitValues[]
}

type CreateInput = z.output<Contract['series.create']['input']>

/**
 * A new series from what `series.create` was given: a new root, the service's duration
 * and price where none is given, and the skipped days that are days of the series.
 */
export function newSeries(
  input: CreateInput,
  service: { id: string; durationMinutes: number; basePrice: string },
  zone: string,
): NewSeries {
  const rule = toRRule(input.rule as RepeatRule)
  const id = uuidv7()
  const segment: Segment = {
    id,
    rootId: id,
    clientId: input.clientId,
    serviceId: service.id,
    teamMemberId: input.teamMemberId,
    rule,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    startTime: input.startTime,
    durationMinutes: input.durationMinutes ?? service.durationMinutes,
    price: input.price ?? service.basePrice,
    notes: input.notes,
    location: input.location,
    deleted: false,
  }
  const skips = [...new Set(input.skipDates)]
    .filter(
      (d) =>
        d >= segment.startsOn &&
        (!segment.endsOn || d <= segment.endsOn) &&
        occursOn(rule, segment.startsOn, d),
    )
    .map((d) => visitValues(segment, d, zone))
  return { segment, skips }
}

/**
 * Books series just created, in as few statements as their number allows: the segments
 * and the skipped days are all that exist of them (new root ids, so no visit of theirs
 * can be in the database yet), which spares reading them back. One plan a series.
 */
export async function bookNewSeries(
  tx: Tx,
  created: readonly NewSeries[],
  zone: string,
  today: string,
): Promise<Plan[]> {
  for (let i = 0; i < created.length; i += 500) {
    await tx.insert(sr).values(created.slice(i, i + 500).map(({ segment }) => segmentRow(segment)))
  }
  // Skipped days are visits born skipped (cancelled exceptions): each merges as its own
  // row through sync, and no later extension books that day.
  const skips = created.flatMap((c) => c.skips)
  for (let i = 0; i < skips.length; i += 500) {
    await tx
      .insert(a)
      .values(
        skips
          .slice(i, i + 500)
          .map((v) => ({ ...insertRow(v), seriesException: true, status: 'cancelled' })),
      )
      .onConflictDoNothing({ target: a.id })
  }
  const plans = created.map(({ segment, skips }) =>
    reconcile({
      segments: [segment],
      visits: skips
        .filter((v) => v.occurrence >= today)
        .map((v) => ({ ...v, status: 'cancelled', exception: true, deleted: false })),
      zone,
      today,
    }),
  )
  await applyPlan(tx, combined(plans))
  return plans
}

/** The index of the first booking (sorted by start) starting at or after `ms`. */
function firstFrom(sorted: readonly Booking[], ms: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] as Booking).startMs < ms) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The visits just booked or moved that double-book their crew member: one narrow query
 * for all of them (the crew members' jobs in the span they cover: times only, off the
 * crew-and-time index), the shared overlap rule, then the names of the few jobs that
 * clash.
 */
export async function clashes(tx: Tx, visits: readonly VisitValues[]): Promise<SeriesClash[]> {
  const placed = visits.filter((v) => v.teamMemberId)
  if (!placed.length) return []
  // A loop, not Math.min(...starts): a season's import may book more visits than a
  // call's arguments can hold.
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const v of placed) {
    const ms = Date.parse(v.scheduledAt)
    if (ms < first) first = ms
    if (ms > last) last = ms
  }
  const from = new Date(first - MAX_DURATION_MINUTES * 60_000).toISOString()
  const to = new Date(last + MAX_DURATION_MINUTES * 60_000).toISOString()
  const crews = [...new Set(placed.map((v) => v.teamMemberId as string))]
  // One row holding every job as a JSON array: parsing a few hundred rows one by one
  // cost more than the query.
  const [row] = await tx
    .select({
      jobs: sql<[string, string, number, number, string][]>`coalesce(json_agg(json_build_array(
        ${a.id}, ${a.teamMemberId}, floor(extract(epoch from ${a.scheduledAt}) * 1000),
        ${a.durationMinutes}, ${a.status})), '[]')`,
    })
    .from(a)
    .where(
      and(
        inArray(a.teamMemberId, crews),
        isNotNull(a.teamMemberId),
        isNull(a.deletedAt),
        ne(a.status, 'cancelled'),
        gte(a.scheduledAt, from),
        lt(a.scheduledAt, to),
      ),
    )
  const others: Booking[] = (row?.jobs ?? []).map(
    ([id, teamMemberId, startMs, durationMinutes, status]) => ({
      id,
      teamMemberId,
      startMs,
      durationMinutes,
      status,
    }),
  )
  // Each crew member's jobs by start: a visit is matched against the ones starting in the
  // day before it up to its end (no job lasts longer), not against every job of the span.
  const byCrew = new Map<string, Booking[]>()
  for (const o of others) {
    const list = byCrew.get(o.teamMemberId as string) ?? []
    list.push(o)
    byCrew.set(o.teamMemberId as string, list)
  }
  for (const list of byCrew.values()) list.sort((x, y) => x.startMs - y.startMs)
  const found = placed.flatMap((v) => {
    const candidate: Booking = {
      id: v.id,
      teamMemberId: v.teamMemberId,
      startMs: Date.parse(v.scheduledAt),
      durationMinutes: v.durationMinutes,
      status: 'scheduled',
    }
    const list = byCrew.get(v.teamMemberId as string) ?? []
    const first = firstFrom(list, candidate.startMs - MAX_DURATION_MINUTES * 60_000)
    const end = endMs(candidate)
    let last = first
    while (last < list.length && (list[last] as Booking).startMs < end) last++
    const with_ = findClashes(candidate, list.slice(first, last))
    return with_.length ? [{ v, candidate, with_ }] : []
  })
  if (!found.length) return []
  const zone = await businessTimeZone(tx)
  const named = await tx
    .select({
      id: a.id,
      clientName: clients.name,
      serviceName: services.name,
      memberName: teamMembers.name,
      teamMemberId: a.teamMemberId,
    })
    .from(a)
    .innerJoin(clients, eq(clients.id, a.clientId))
    .innerJoin(services, eq(services.id, a.serviceId))
    .innerJoin(teamMembers, eq(teamMembers.id, a.teamMemberId))
    .where(inArray(a.id, [...new Set(found.flatMap((f) => f.with_.map((c) => c.id)))]))
  const byId = new Map(named.map((o) => [o.id, o]))
  const names = new Map(named.map((r) => [r.teamMemberId, r.memberName]))
  const out: SeriesClash[] = []
  for (const { v, candidate, with_: clashing } of found) {
    out.push({
      visitId: v.id,
      scheduledAt: v.scheduledAt,
      teamMemberName: names.get(v.teamMemberId) ?? 'This crew member',
      when: describeSpan(candidate.startMs, endMs(candidate), zone),
      with: clashing.map((c) => {
        const o = byId.get(c.id)
        return {
          id: c.id,
          text: `${o?.clientName}, ${o?.serviceName} at ${describeSpan(c.startMs, endMs(c), zone)}`,
        }
      }),
    })
  }
  return out
}

/** The visits plans book or move (not the ones they remove): what is checked for clashes. */
export const placedBy = (plans: readonly Plan[]): VisitValues[] =>
  plans.flatMap((p) => [...p.inserts, ...p.revives, ...p.updates])

/** The summary a series write returns: what it booked, changed and removed, and its clashes. */
export async function summarize(
  tx: Tx,
  rootId: string,
  plans: readonly Plan[],
): Promise<SeriesSummary> {
  const placed = placedBy(plans)
  return {
    rootId,
    booked: plans.reduce((n, p) => n + p.inserts.length + p.revives.length, 0),
    updated: plans.reduce((n, p) => n + p.updates.length, 0),
    removed: plans.reduce((n, p) => n + p.tombstones.length, 0),
    clashes: await clashes(tx, placed),
    crew: await crewWarnings(tx, placed),
  }
}
