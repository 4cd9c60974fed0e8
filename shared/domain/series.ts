import { v5 as uuidv5 } from 'uuid'
import { sameValue } from '../events/derive'
import { clockAfter } from '../sync/hlc'
import {
  clockOf,
  DELETED_FIELD,
  derivedVersion,
  type FieldValue,
  type FieldWrite,
  isDerived,
  type RowState,
  writeVersion,
} from '../sync/merge'
import { toCents } from './money'
import { occurrences, occursOn } from './series-rule'
import { addDays, localToUtc } from './time'

/**
 * Recurring visits, as rows that merge through sync without a coordinator.
 *
 * - A series is one or more segments (rows of `series`) sharing `root_id`. Live segments,
 *   sorted by their first day, each cover from their `starts_on` until the next one starts
 *   (and no later than their own `ends_on`). "This and following" adds a segment; its id is
 *   made from the root and its first day, so two laptops splitting at the same day write
 *   the same row, and splits at different days compose instead of overlapping.
 * - A visit's id is made from the root and the day it stands for: one visit per day of a
 *   series, whichever laptop created or extended it.
 * - `reconcile` is the one rule that makes the visits match the segments. Every laptop runs
 *   it after its own edits, after pulls that bring series rows and as days pass; given the
 *   same rows and the same day it writes the same values, so laptops converge.
 * - A visit edited on its own (moved, cancelled, skipped, deleted by a person) is an
 *   exception: reconcile never touches it again. Past, started and finished visits are
 *   never touched either.
 * - Reconcile's writes are recorded as the series' own (marked versions, shared/sync/
 *   merge.ts): a person's write of a visit's field wins over them whatever the clocks, so
 *   a visit changed on one laptop while the series changes on another keeps the change,
 *   and one the series removed there meanwhile comes back (`restoredException`, which the
 *   server applies as it merges). A visit its crew started while the series changed
 *   elsewhere keeps what the crew saw (`keepStarted`, the server's too).
 */
const NAMESPACE = '0b5f3d52-8c0e-4b8e-9d2f-6a1c7e4f2b90'

export const visitId = (rootId: string, day: string) => uuidv5(`visit|${rootId}|${day}`, NAMESPACE)
export const segmentId = (rootId: string, day: string) =>
  uuidv5(`segment|${rootId}|${day}`, NAMESPACE)

/** How far ahead visits are booked: 12 weeks (and never past the season's end). */
export const HORIZON_DAYS = 84

/** What a segment says each visit is (the fields a series edit may change). */
export interface SegmentFields {
  serviceId: string
  teamMemberId: string | null
  rule: string
  endsOn: string | null
  startTime: string
  durationMinutes: number
  price: string
  notes: string
  location: string | null
}

export interface Segment extends SegmentFields {
  id: string
  rootId: string
  clientId: string
  startsOn: string
  deleted: boolean
}

/** A visit as reconcile needs it (a row of `appointments` with a series). */
export interface Visit {
  id: string
  seriesId: string
  occurrence: string
  clientId: string
  serviceId: string
  teamMemberId: string | null
  scheduledAt: string
  durationMinutes: number
  price: string
  notes: string
  location: string | null
  status: string
  exception: boolean
  deleted: boolean
}

/** The columns reconcile writes to a visit. */
export type VisitValues = Omit<Visit, 'status' | 'exception' | 'deleted'>

export interface Plan {
  inserts: VisitValues[]
  /** Live visits whose series changed. */
  updates: VisitValues[]
  /** Visits reconcile had removed whose day is wanted again: brought back with these values. */
  revives: VisitValues[]
  /** Ids of visits whose day the series no longer has. */
  tombstones: string[]
}

const byStart = (a: Segment, b: Segment) =>
  a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : a.id < b.id ? -1 : 1

/** Each live segment with the last day it covers (null: open-ended), in order. */
export function coverage(
  segments: readonly Segment[],
): { segment: Segment; until: string | null }[] {
  const live = segments.filter((s) => !s.deleted).sort(byStart)
  return live.map((segment, i) => {
    const next = live[i + 1]
    const cut = next ? addDays(next.startsOn, -1) : null
    const until =
      cut && segment.endsOn
        ? // biome-ignore lint/complexity/useMathMinMax: ISO days are strings, not numbers
          cut < segment.endsOn
          ? cut
          : segment.endsOn
        : (cut ?? segment.endsOn)
    return { segment, until }
  })
}

/** The segment whose range holds `day`, or null. */
export function segmentOn(segments: readonly Segment[], day: string): Segment | null {
  const c = coverage(segments).find(
    (x) => x.segment.startsOn <= day && (!x.until || day <= x.until),
  )
  return c?.segment ?? null
}

/** Whether the series has a visit on `day` (its covering segment's rule says so). */
export function wanted(segments: readonly Segment[], day: string): Segment | null {
  const s = segmentOn(segments, day)
  return s && occursOn(s.rule, s.startsOn, day) ? s : null
}

/** The instant a visit on `day` at the local time `hhmm` starts, in the business's zone. */
export function visitStart(day: string, hhmm: string, zone: string): string {
  const [year, month, d] = day.split('-').map(Number)
  const [hour, minute] = hhmm.split(':').map(Number)
  const ms = localToUtc(
    { year: year ?? 1970, month: month ?? 1, day: d ?? 1, hour: hour ?? 0, minute: minute ?? 0 },
    zone,
  )
  return new Date(ms).toISOString()
}

export function visitValues(s: Segment, day: string, zone: string): VisitValues {
  return {
    id: visitId(s.rootId, day),
    seriesId: s.id,
    occurrence: day,
    clientId: s.clientId,
    serviceId: s.serviceId,
    teamMemberId: s.teamMemberId,
    scheduledAt: visitStart(day, s.startTime, zone),
    durationMinutes: s.durationMinutes,
    price: s.price,
    notes: s.notes,
    location: s.location,
  }
}

function sameValues(v: Visit, w: VisitValues): boolean {
  return (
    v.seriesId === w.seriesId &&
    v.clientId === w.clientId &&
    v.serviceId === w.serviceId &&
    v.teamMemberId === w.teamMemberId &&
    Date.parse(v.scheduledAt) === Date.parse(w.scheduledAt) &&
    v.durationMinutes === w.durationMinutes &&
    toCents(v.price) === toCents(w.price) &&
    v.notes === w.notes &&
    v.location === w.location
  )
}

export interface ReconcileInput {
  /** Every segment of one root, removed ones included. */
  segments: readonly Segment[]
  /** Its visits from `today` on (older ones are never touched), removed ones included. */
  visits: readonly Visit[]
  zone: string
  /** The business's today (YYYY-MM-DD). */
  today: string
  horizonDays?: number
}

/** What to write so that the visits of one series match its segments, from today on. */
export function reconcile(input: ReconcileInput): Plan {
  const { today, zone } = input
  const horizonEnd = addDays(today, input.horizonDays ?? HORIZON_DAYS)
  const plan: Plan = { inserts: [], updates: [], revives: [], tombstones: [] }
  const byId = new Map(input.visits.map((v) => [v.id, v]))
  const wantedIds = new Set<string>()
  for (const { segment, until } of coverage(input.segments)) {
    const last = until && until < horizonEnd ? until : horizonEnd
    for (const day of occurrences(segment.rule, segment.startsOn, today, last)) {
      const values = visitValues(segment, day, zone)
      wantedIds.add(values.id)
      const v = byId.get(values.id)
      if (!v) plan.inserts.push(values)
      else if (v.exception) continue
      else if (v.deleted) plan.revives.push(values)
      else if (v.status === 'scheduled' && !sameValues(v, values)) plan.updates.push(values)
    }
  }
  for (const v of input.visits) {
    if (wantedIds.has(v.id) || v.exception || v.deleted || v.status !== 'scheduled') continue
    if (v.occurrence < today) continue
    // Beyond this laptop's horizon (another laptop's today is later): wanted if its rule says so.
    if (v.occurrence > horizonEnd && wanted(input.segments, v.occurrence)) continue
    plan.tombstones.push(v.id)
  }
  return plan
}

export const planSize = (p: Plan) =>
  p.inserts.length + p.updates.length + p.revives.length + p.tombstones.length

/** A change to a series from one of its visits on: the fields given replace the segment's. */
export type SeriesChange = Partial<SegmentFields>

const applyChange = (s: Segment, change: SeriesChange): Segment => ({ ...s, ...change })

/**
 * The segment rows "this and following" writes when it starts at `day`: a segment from
 * that day with the change (the covering one itself when it starts that day), and the
 * change carried into every later segment. Segments a new season end leaves empty are
 * removed. Rows returned are written whole (upserted by id).
 */
export function editFollowing(
  segments: readonly Segment[],
  day: string,
  change: SeriesChange,
): Segment[] {
  const covering = segmentOn(segments, day) ?? lastBefore(segments, day)
  if (!covering) return []
  const out: Segment[] = []
  if (covering.startsOn === day) out.push(applyChange(covering, change))
  else {
    out.push({
      ...applyChange(covering, change),
      id: segmentId(covering.rootId, day),
      startsOn: day,
      deleted: false,
    })
  }
  for (const s of segments) {
    if (s.deleted || s.startsOn <= day) continue
    out.push(applyChange(s, change))
  }
  return out.map(trimToSeason)
}

/** The whole series: the change in every live segment. */
export function editAll(segments: readonly Segment[], change: SeriesChange): Segment[] {
  return segments.filter((s) => !s.deleted).map((s) => trimToSeason(applyChange(s, change)))
}

/** Ends the series so that `day` and later have no visit: later segments removed, the rest end before. */
export function endFrom(segments: readonly Segment[], day: string): Segment[] {
  const last = addDays(day, -1)
  return segments
    .filter((s) => !s.deleted)
    .flatMap((s): Segment[] => {
      if (s.startsOn >= day) return [{ ...s, deleted: true }]
      if (s.endsOn && s.endsOn <= last) return []
      return [{ ...s, endsOn: last }]
    })
}

/** A segment whose season now ends before it starts has no days left: removed. */
function trimToSeason(s: Segment): Segment {
  return s.endsOn && s.endsOn < s.startsOn ? { ...s, endsOn: s.startsOn, deleted: true } : s
}

/** The live segment starting last on or before `day` (a day past its season's end). */
function lastBefore(segments: readonly Segment[], day: string): Segment | null {
  const live = segments.filter((s) => !s.deleted && s.startsOn <= day).sort(byStart)
  return live.at(-1) ?? null
}

/**
 * A visit a person changed (an exception) that the series removed on another laptop
 * without having seen the change: back, as had the change come after the removal. The
 * restore is the series' own write (a person's deletion, made anywhere, still outranks
 * it), one step after the removal's clock, so every copy that merges the row takes it,
 * and the same whichever of the two writes arrived first. Null when the row is not such
 * a visit.
 */
export function restoredException(row: RowState): RowState | null {
  const { values, versions } = row
  const removal = versions.deleted_at
  const claim = versions.series_exception
  if (values.series_exception !== true || values.deleted_at == null) return null
  if (!removal || !isDerived(removal) || !claim || isDerived(claim)) return null
  return {
    values: { ...values, deleted_at: null as FieldValue },
    versions: { ...versions, deleted_at: derivedVersion(clockAfter(clockOf(removal), 'restored')) },
  }
}

/** A visit in one of these statuses has been started by its crew: the series leaves it. */
const UNDER_WAY: readonly FieldValue[] = ['in_progress', 'completed']

/** What a started visit keeps against the series: whether, when, how long, and by whom. */
const KEPT_FIELDS: readonly string[] = [
  'scheduled_at',
  'duration_minutes',
  'team_member_id',
  DELETED_FIELD,
]

/**
 * What a late start brings back: whether, when and how long. Not the crew: a start
 * reaching the server after the series gave the visit to another crew is refused like
 * any start of a job that is no longer the writer's crew's (job-rules.ts).
 */
const RESTORED_FIELDS: readonly string[] = ['scheduled_at', 'duration_minutes', DELETED_FIELD]

/**
 * Per field, the value the last series' write of it replaced, with the version it had:
 * what a write made without seeing that series' write had seen. The server keeps it
 * beside each row's versions (`sync_rows.replaced`).
 */
export type Replaced = Record<string, [version: string, value: FieldValue]>

export interface StartedInput {
  /** The row as the server had it before the write; null for a new row. */
  before: RowState | null
  write: FieldWrite
  /** The versions the writer had seen (`Mutation.base`). */
  base?: Record<string, string>
  /** The row once merged (and restored, `restoredException`). */
  row: RowState
  replaced: Replaced
}

/**
 * A visit its crew has started (or finished) is out of the series' hands, as reconcile
 * leaves it on every laptop, also when the start and a change of the series cross in
 * sync:
 * - a series' write reaching the server after the start changes nothing of whether,
 *   when, how long and by whom the visit is done (bringing a removed one back is welcome);
 * - a start reaching the server after a series' write its crew had not seen (its `base`
 *   names the version that write replaced) brings back the time, length and existence
 *   the crew saw. Only the one value the last series' write replaced: what the server
 *   itself held, never a value the writer names.
 * Kept values get the series' mark one step after the version they replace, so every
 * copy of the row takes them and a person's later change still outranks them. Null when
 * nothing is kept; otherwise the row and the fields kept.
 */
export function keepStarted(input: StartedInput): { row: RowState; fields: string[] } | null {
  const { before, write, row } = input
  if (!before) return null
  const kept: Record<string, FieldValue> = {}
  if (UNDER_WAY.includes(before.values.status ?? null)) {
    for (const field of KEPT_FIELDS) {
      if (!Object.hasOwn(write.fields, field)) continue
      const version = writeVersion(write, field)
      const value = write.fields[field] ?? null
      if (!isDerived(version) || row.versions[field] !== version) continue
      if (field === DELETED_FIELD && value === null) continue
      const was = before.values[field] ?? null
      if (!sameValue(field, was, value)) kept[field] = was
    }
  } else if (
    before.values.status === 'scheduled' &&
    UNDER_WAY.includes(row.values.status ?? null) &&
    row.versions.status === writeVersion(write, 'status') &&
    !isDerived(row.versions.status)
  ) {
    for (const field of RESTORED_FIELDS) {
      const seen = input.base?.[field]
      const now = row.versions[field]
      const earlier = Object.hasOwn(input.replaced, field) ? input.replaced[field] : undefined
      if (!seen || !now || now === seen || !isDerived(now) || earlier?.[0] !== seen) continue
      if (!sameValue(field, earlier[1], row.values[field])) kept[field] = earlier[1]
    }
  }
  const fields = Object.keys(kept)
  if (!fields.length) return null
  const values = { ...row.values, ...kept }
  const versions = { ...row.versions }
  for (const f of fields)
    versions[f] = derivedVersion(clockAfter(clockOf(versions[f] as string), 'kept'))
  return { row: { values, versions }, fields }
}

/**
 * `replaced` once `row` took the place of `before`: a field a series' write changed
 * remembers the value it replaced; a person's write of a field forgets it.
 */
export function nextReplaced(before: RowState, row: RowState, replaced: Replaced): Replaced {
  const next: Replaced = { ...replaced }
  for (const [field, version] of Object.entries(row.versions)) {
    const was = before.versions[field]
    if (version === was) continue
    if (!isDerived(version)) delete next[field]
    else if (was !== undefined && !sameValue(field, before.values[field], row.values[field]))
      next[field] = [was, before.values[field] ?? null]
  }
  return next
}
