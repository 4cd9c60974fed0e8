import { and, count, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm'
import type { SeriesView } from '../../../../shared/contract/series'
import {
  coverage,
  editAll,
  editFollowing,
  endFrom,
  type Segment,
  type SeriesChange,
  segmentOn,
  visitStart,
} from '../../../../shared/domain/series'
import { describeSeries, type RepeatRule, toRRule } from '../../../../shared/domain/series-rule'
import { localDay } from '../../../../shared/domain/time'
import { AppError } from '../../../../shared/errors'
import { requireActor } from '../auth'
import { schema } from '../db/schema'
import { currentClashes, keepClash } from '../series/clash-record'
import {
  bookNewSeries,
  businessToday,
  loadSegments,
  newSeries,
  reconcileRoots,
  saveSegments,
  summarize,
  type Tx,
} from '../series/store'
import { requireBookableService, requireClient, requireTeamMember } from './appointment-checks'
import type { Handlers } from './types'

const { series: sr, appointments: a } = schema

const notFound = (what: string, path: string) =>
  new AppError('NOT_FOUND', `${what} not found`, [{ path, message: `no such ${what}` }])

/** A visit of a series, with its root's segments (locked for the change). */
async function visitOf(tx: Tx, id: string) {
  const [visit] = await tx
    .select()
    .from(a)
    .where(and(eq(a.id, id), isNull(a.deletedAt)))
    .for('update')
  if (!visit) throw notFound('visit', 'visitId')
  if (!visit.seriesId || !visit.seriesOccurrence) {
    throw new AppError('VALIDATION', 'this appointment is not part of a series', [
      { path: 'visitId', message: 'is a one-off appointment' },
    ])
  }
  const [own] = await tx.select().from(sr).where(eq(sr.id, visit.seriesId))
  if (!own) throw notFound('series', 'visitId')
  const segments = (await loadSegments(tx, [own.rootId])).get(own.rootId) ?? []
  return { visit, rootId: own.rootId, day: visit.seriesOccurrence, segments }
}

/**
 * A segment as the screens show it. Its description ends where its visits do: a segment a
 * later "this and following" took over from ends the day before that one starts, whatever
 * its own season says (`until`).
 */
const segmentView = (s: Segment, until: string | null = s.endsOn) => ({
  id: s.id,
  startsOn: s.startsOn,
  endsOn: s.endsOn,
  rule: s.rule,
  startTime: s.startTime,
  durationMinutes: s.durationMinutes,
  teamMemberId: s.teamMemberId,
  serviceId: s.serviceId,
  price: s.price,
  description: describeSeries(s.rule, s.startsOn, until),
})

/** A series as the screens show it, seen from `day`, with its count of visits to come. */
function seriesView(
  rootId: string,
  segments: readonly Segment[],
  day: string,
  upcoming: number,
): SeriesView {
  const live = segments.filter((s) => !s.deleted).sort((x, y) => (x.startsOn < y.startsOn ? -1 : 1))
  const current =
    segmentOn(segments, day) ??
    live.filter((s) => s.startsOn <= day).at(-1) ??
    live[0] ??
    segments[0]
  if (!current) throw notFound('series', 'id')
  const until = new Map(coverage(segments).map((c) => [c.segment.id, c.until]))
  const shown = (s: Segment) =>
    segmentView(s, until.has(s.id) ? (until.get(s.id) ?? null) : s.endsOn)
  return {
    rootId,
    clientId: current.clientId,
    current: shown(current),
    segments: live.map(shown),
    upcoming,
  }
}

async function view(tx: Tx, rootId: string, day: string): Promise<SeriesView> {
  const segments = (await loadSegments(tx, [rootId])).get(rootId) ?? []
  const { today } = await businessToday(tx)
  const [upcoming] = segments.length
    ? await tx
        .select({ n: count() })
        .from(a)
        .where(
          and(
            inArray(
              a.seriesId,
              segments.map((s) => s.id),
            ),
            isNull(a.deletedAt),
            gte(a.seriesOccurrence, today),
            eq(a.status, 'scheduled'),
          ),
        )
    : []
  return seriesView(rootId, segments, day, upcoming?.n ?? 0)
}

/** The fields a change names, in the form segments hold them (the rule as its RRULE). */
function segmentChange(changes: {
  rule?: RepeatRule | undefined
  [k: string]: unknown
}): SeriesChange {
  const { rule, ...rest } = changes
  const out = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))
  return { ...out, ...(rule ? { rule: toRRule(rule) } : {}) } as SeriesChange
}

async function checkRefs(tx: Tx, change: SeriesChange) {
  if (change.serviceId) await requireBookableService(tx, change.serviceId)
  if (change.teamMemberId) await requireTeamMember(tx, change.teamMemberId)
}

export const seriesHandlers = {
  'series.create': async (ctx, input) => {
    await requireActor(ctx, 'appointments.write')
    return ctx.db.db.transaction(async (tx) => {
      await requireClient(tx, input.clientId)
      const service = await requireBookableService(tx, input.serviceId)
      if (input.teamMemberId) await requireTeamMember(tx, input.teamMemberId)
      const { zone, today } = await businessToday(tx)
      const created = newSeries(input, service, zone)
      const { segment } = created
      const id = segment.id
      const plans = await bookNewSeries(tx, [created], zone, today)
      // Everything it booked is to come: a new series has nothing else.
      const upcoming = plans[0]?.inserts.length ?? 0
      return {
        series: seriesView(id, [segment], input.startsOn, upcoming),
        summary: await summarize(tx, id, plans),
      }
    })
  },

  'series.get': async (ctx, input) => {
    await requireActor(ctx)
    return ctx.db.db.transaction(async (tx) => {
      const [visit] = await tx
        .select({ seriesId: a.seriesId, day: a.seriesOccurrence })
        .from(a)
        .where(eq(a.id, input.id))
      const [row] = await tx
        .select()
        .from(sr)
        .where(or(eq(sr.id, visit?.seriesId ?? input.id), eq(sr.rootId, input.id)))
        .limit(1)
      if (!row) throw notFound('series', 'id')
      const { today } = await businessToday(tx)
      return view(tx, row.rootId, visit?.day ?? today)
    })
  },

  'series.update': async (ctx, input) => {
    await requireActor(ctx, 'appointments.write')
    return ctx.db.db.transaction(async (tx) => {
      const { visit, rootId, day, segments } = await visitOf(tx, input.visitId)
      const change = segmentChange(input.changes)
      await checkRefs(tx, change)
      if (input.scope === 'this') {
        // One visit on its own: an exception, kept at its day with the new time.
        const { zone } = await businessToday(tx)
        const on = localDay(Date.parse(visit.scheduledAt), zone)
        await tx
          .update(a)
          .set({
            ...(change.startTime ? { scheduledAt: visitStart(on, change.startTime, zone) } : {}),
            ...(change.durationMinutes ? { durationMinutes: change.durationMinutes } : {}),
            ...(change.teamMemberId !== undefined ? { teamMemberId: change.teamMemberId } : {}),
            ...(change.serviceId ? { serviceId: change.serviceId } : {}),
            ...(change.price ? { price: change.price } : {}),
            ...(change.notes !== undefined ? { notes: change.notes } : {}),
            ...(change.location !== undefined ? { location: change.location } : {}),
            seriesException: true,
            updatedAt: sql`now()`,
          } as never)
          .where(eq(a.id, visit.id))
        return {
          series: await view(tx, rootId, day),
          summary: { rootId, booked: 0, updated: 1, removed: 0, clashes: [], crew: [] },
        }
      }
      const rows =
        input.scope === 'all' ? editAll(segments, change) : editFollowing(segments, day, change)
      if (!rows.length || rows.every((s) => s.deleted)) {
        throw new AppError('VALIDATION', 'the new season ends before this visit', [
          { path: 'changes.endsOn', message: 'must not be before the visit' },
        ])
      }
      await saveSegments(tx, rows)
      const plans = await reconcileRoots(tx, [rootId])
      return { series: await view(tx, rootId, day), summary: await summarize(tx, rootId, plans) }
    })
  },

  'series.clashes': async (ctx) => {
    await requireActor(ctx, 'appointments.write')
    return ctx.db.db.transaction(async (tx) => ({
      clashes: await currentClashes(tx, Date.now()),
    }))
  },

  'series.keepClash': async (ctx, input) => {
    await requireActor(ctx, 'appointments.write')
    // Kept twice, or no longer clashing: nothing to do. A visit that does not exist is
    // not found.
    await ctx.db.db.transaction(async (tx) => {
      const [visit] = await tx.select({ id: a.id }).from(a).where(eq(a.id, input.visitId))
      if (!visit) throw new AppError('NOT_FOUND', 'appointment not found')
      await keepClash(tx, input.visitId)
    })
    return { visitId: input.visitId }
  },

  'series.skip': async (ctx, input) => {
    await requireActor(ctx, 'appointments.write')
    return ctx.db.db.transaction(async (tx) => {
      const { visit, day } = await visitOf(tx, input.visitId)
      if (visit.status !== 'scheduled') {
        throw new AppError('CONFLICT', 'only a visit still to come can be skipped', [
          { path: 'visitId', message: `is ${visit.status.replace('_', ' ')}` },
        ])
      }
      await tx
        .update(a)
        .set({ status: 'cancelled', seriesException: true, updatedAt: sql`now()` } as never)
        .where(eq(a.id, visit.id))
      return { visitId: visit.id, occurrence: day }
    })
  },

  'series.end': async (ctx, input) => {
    await requireActor(ctx, 'appointments.write')
    return ctx.db.db.transaction(async (tx) => {
      const { rootId, day, segments } = await visitOf(tx, input.visitId)
      const rows =
        input.scope === 'all'
          ? segments.filter((s) => !s.deleted).map((s) => ({ ...s, deleted: true }))
          : endFrom(segments, day)
      await saveSegments(tx, rows)
      const plans = await reconcileRoots(tx, [rootId])
      return summarize(tx, rootId, plans)
    })
  },
} satisfies Partial<Handlers>
