import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encode } from '../sync/hlc'
import { type FieldWrite, isDerived, mergeWrite, type RowState } from '../sync/merge'
import {
  editAll,
  editFollowing,
  endFrom,
  HORIZON_DAYS,
  keepStarted,
  nextReplaced,
  type Plan,
  planSize,
  type Replaced,
  reconcile,
  restoredException,
  type Segment,
  type SeriesChange,
  type Visit,
  visitId,
  visitStart,
  visitValues,
  wanted,
} from './series'
import { occurrences, type RepeatRule, toRRule, WEEKDAYS } from './series-rule'
import { addDays } from './time'

/**
 * Random series under random edits ("this visit", "this and following", "the whole
 * series"), skips, moves, deletions, starts, endings and days passing, on one laptop and on
 * two whose rows are then merged (series rows row by row, either side winning; visits as
 * sync merges them, field by field, a person's write over the series'). After every step:
 * at most one live visit per day of a series, every day the merged series wants within the
 * horizon has its visit (live, or an exception), exceptions are never changed by the series
 * (one it removed on another laptop, unseen, comes back as the merge restores it), every field a person wrote holds that
 * person's value, and reconciling again changes nothing.
 */
const ZONE = 'America/Chicago'
const ROOT = '0190a0a0-0000-7000-8000-000000000001'
const START = '2027-03-01'

interface State {
  segments: Map<string, Segment>
  visits: Map<string, Visit>
  /**
   * Each visit's field versions, as sync keeps them: a counter and the laptop, marked
   * with '!' when the series wrote the field (shared/sync/merge.ts), so that merging two
   * laptops' visits is the field-by-field merge sync applies.
   */
  versions: Map<string, Record<string, string>>
  clock: { n: number; node: string }
  today: string
}

/** The fields a visit's writes stamp (`deleted` stands for `deleted_at`). */
type Field = keyof Omit<Visit, 'removedBySeries'>

/** Records a write of `fields` of a visit, by the series or by a person. */
function stamp(s: State, id: string, fields: readonly Field[], bySeries: boolean) {
  if (!fields.length) return
  s.clock.n++
  const version = `${bySeries ? '!' : ''}${encode({ ms: s.clock.n, counter: 0, node: s.clock.node })}`
  const row = { ...(s.versions.get(id) ?? {}) }
  for (const f of fields) row[f] = version
  s.versions.set(id, row)
}

/** Writes a visit, stamping the fields whose value changed. */
function write(s: State, next: Visit, bySeries: boolean) {
  const old = s.visits.get(next.id)
  const fields = (Object.keys(next) as Field[]).filter(
    (f) => f !== ('removedBySeries' as never) && (!old || old[f] !== next[f]),
  )
  s.visits.set(next.id, next)
  stamp(s, next.id, fields, bySeries)
}

/** A visit's field by name. */
const fieldOf = (v: Visit | undefined, f: string) =>
  (v as unknown as Record<string, unknown> | undefined)?.[f]

/**
 * Two laptops' copies of a visit merged as sync merges them: field by field, the greater
 * version winning (a person's over the series', then the later).
 */
function mergeVisit(
  x: Visit | undefined,
  vx: Record<string, string>,
  y: Visit | undefined,
  vy: Record<string, string>,
): { visit: Visit; versions: Record<string, string> } {
  const row: Record<string, unknown> = { ...(x ?? y) }
  const versions: Record<string, string> = {}
  for (const f of new Set([...Object.keys(vx), ...Object.keys(vy)])) {
    const fromY = (vy[f] ?? '') > (vx[f] ?? '')
    row[f] = fieldOf(fromY ? y : x, f)
    versions[f] = (fromY ? vy[f] : vx[f]) as string
  }
  // As the server merges: an exception the series removed unseen comes back.
  const restored = restoredException({
    values: { series_exception: row.exception as boolean, deleted_at: row.deleted ? 'now' : null },
    versions: Object.fromEntries(
      [
        ['series_exception', versions.exception],
        ['deleted_at', versions.deleted],
      ].filter((e): e is [string, string] => e[1] !== undefined),
    ),
  })
  if (restored) {
    row.deleted = false
    versions.deleted = restored.versions.deleted_at as string
  }
  return { visit: row as unknown as Visit, versions }
}

const rule = fc.oneof(
  fc.record({
    kind: fc.constant('weekly' as const),
    interval: fc.integer({ min: 1, max: 3 }),
    weekdays: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('monthlyDay' as const),
    interval: fc.constant(1),
    day: fc.integer({ min: 1, max: 31 }),
  }),
  fc.record({
    kind: fc.constant('monthlyWeekday' as const),
    interval: fc.constant(1),
    ordinal: fc.constantFrom(1, 2, 3, 4, -1),
    weekday: fc.constantFrom(...WEEKDAYS),
  }),
) as fc.Arbitrary<RepeatRule>

const change: fc.Arbitrary<SeriesChange> = fc
  .record(
    {
      rule: rule.map(toRRule),
      startTime: fc.constantFrom('07:00', '08:30', '13:15'),
      price: fc.constantFrom('55.00', '60.00'),
      teamMemberId: fc.constantFrom('crew-a', 'crew-b', null),
      endsOn: fc.option(fc.integer({ min: 10, max: 300 }).map((n) => addDays(START, n))),
    },
    { requiredKeys: [] },
  )
  .filter((c) => Object.keys(c).length > 0)

const op = fc.oneof(
  fc.record({ kind: fc.constant('following' as const), pick: fc.nat(40), change }),
  fc.record({ kind: fc.constant('all' as const), change }),
  fc.record({ kind: fc.constant('end' as const), pick: fc.nat(40) }),
  fc.record({ kind: fc.constant('skip' as const), pick: fc.nat(40) }),
  fc.record({ kind: fc.constant('move' as const), pick: fc.nat(40) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat(40) }),
  fc.record({ kind: fc.constant('start' as const), pick: fc.nat(40) }),
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 1, max: 20 }) }),
)
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never

function initial(r: RepeatRule, endsOn: string | null): State {
  const root: Segment = {
    id: ROOT,
    rootId: ROOT,
    clientId: 'client',
    serviceId: 'mowing',
    teamMemberId: 'crew-a',
    rule: toRRule(r),
    startsOn: START,
    endsOn,
    startTime: '08:30',
    durationMinutes: 60,
    price: '55.00',
    notes: '',
    location: null,
    deleted: false,
  }
  return {
    segments: new Map([[ROOT, root]]),
    visits: new Map(),
    versions: new Map(),
    clock: { n: 0, node: 'a' },
    today: START,
  }
}

const clone = (s: State, node = s.clock.node): State => ({
  segments: new Map(s.segments),
  visits: new Map(s.visits),
  versions: new Map(s.versions),
  clock: { n: s.clock.n, node },
  today: s.today,
})

function apply(s: State, plan: Plan) {
  for (const v of plan.inserts)
    write(s, { ...v, status: 'scheduled', exception: false, deleted: false }, true)
  for (const v of [...plan.updates, ...plan.revives])
    write(s, { ...(s.visits.get(v.id) as Visit), ...v, deleted: false }, true)
  for (const id of plan.tombstones)
    write(s, { ...(s.visits.get(id) as Visit), deleted: true }, true)
}

const run = (s: State) =>
  reconcile({
    segments: [...s.segments.values()],
    visits: [...s.visits.values()].filter((v) => v.occurrence >= s.today),
    zone: ZONE,
    today: s.today,
  })

/** A live visit still to come, chosen by `pick`. */
function upcoming(s: State, pick: number): Visit | undefined {
  const list = [...s.visits.values()]
    .filter((v) => !v.deleted && v.status === 'scheduled' && v.occurrence >= s.today)
    .sort((a, b) => (a.occurrence < b.occurrence ? -1 : 1))
  return list.length ? list[pick % list.length] : undefined
}

function step(s: State, o: Op) {
  const segments = [...s.segments.values()]
  const save = (rows: Segment[]) => {
    for (const r of rows) s.segments.set(r.id, r)
  }
  const v = 'pick' in o ? upcoming(s, o.pick) : undefined
  // A person's write: it wins over the series' writes of the same fields.
  const edit = (patch: Partial<Visit>) => v && write(s, { ...v, ...patch }, false)
  switch (o.kind) {
    case 'following':
      if (v) save(editFollowing(segments, v.occurrence, o.change))
      break
    case 'all':
      save(editAll(segments, o.change))
      break
    case 'end':
      if (v) save(endFrom(segments, v.occurrence))
      break
    case 'skip':
      edit({ status: 'cancelled', exception: true })
      break
    case 'move':
      if (v)
        edit({ scheduledAt: visitStart(addDays(v.occurrence, 1), '16:00', ZONE), exception: true })
      break
    case 'delete':
      edit({ deleted: true, exception: true })
      break
    case 'start':
      edit({ status: 'in_progress' })
      break
    case 'days':
      s.today = addDays(s.today, o.days)
      break
  }
}

/** Reconciles and checks the invariants; returns nothing, throws on a broken one. */
function settle(s: State) {
  const exceptions = [...s.visits.values()].filter((v) => v.exception)
  const plan = run(s)
  apply(s, plan)
  // Exceptions are never changed by the series.
  for (const e of exceptions) expect(s.visits.get(e.id)).toEqual(e)
  // A visit to come that a person changed is never left removed by the series.
  for (const v of s.visits.values())
    if (v.exception && v.deleted && v.occurrence >= s.today)
      expect(s.versions.get(v.id)?.deleted).not.toMatch(/^!/)
  // Reconciling again changes nothing.
  expect(planSize(run(s))).toBe(0)
  // At most one live visit per day.
  const days = [...s.visits.values()].filter((v) => !v.deleted).map((v) => v.occurrence)
  expect(new Set(days).size).toBe(days.length)
  // Every wanted day in the horizon has its visit, live or an exception; a live one that
  // the series still places matches its segment.
  const segments = [...s.segments.values()]
  const last = addDays(s.today, HORIZON_DAYS)
  for (const seg of segments) {
    for (const day of occurrences(seg.rule, seg.startsOn, s.today, last)) {
      const covering = wanted(segments, day)
      if (!covering) continue
      const visit = s.visits.get(visitId(ROOT, day))
      expect(visit, `no visit on ${day}`).toBeDefined()
      if (!visit) continue
      expect(visit.exception || !visit.deleted, `visit on ${day} lost`).toBe(true)
      if (!visit.exception && visit.status === 'scheduled')
        expect(visit).toMatchObject(visitValues(covering, day, ZONE))
    }
  }
  // No live series visit from today on is left on a day the series does not want.
  for (const v of s.visits.values()) {
    if (v.deleted || v.exception || v.status !== 'scheduled' || v.occurrence < s.today) continue
    if (v.occurrence <= last)
      expect(wanted(segments, v.occurrence), `stray ${v.occurrence}`).not.toBeNull()
  }
}

describe('reconcile', () => {
  it('keeps one visit per day, books every wanted day and leaves exceptions alone', () => {
    fc.assert(
      fc.property(
        rule,
        fc.option(fc.integer({ min: 20, max: 300 })),
        fc.array(op, { maxLength: 12 }),
        (r, end, ops) => {
          const s = initial(r, end === null ? null : addDays(START, end))
          settle(s)
          for (const o of ops) {
            step(s, o)
            settle(s)
          }
        },
      ),
      { numRuns: 150, seed: 20270301 },
    )
  })

  it("merges two laptops' edits without duplicating or losing a visit or a person's change", () => {
    fc.assert(
      fc.property(
        rule,
        fc.array(op, { maxLength: 6 }),
        fc.array(op, { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        (r, left, right, coin) => {
          const base = initial(r, null)
          settle(base)
          const [a, b] = [clone(base, 'a'), clone(base, 'b')]
          for (const o of left) {
            step(a, o)
            settle(a)
          }
          for (const o of right) {
            step(b, o)
            settle(b)
          }
          const merged: State = {
            segments: new Map(),
            visits: new Map(),
            versions: new Map(),
            clock: { n: Math.max(a.clock.n, b.clock.n), node: 'a' },
            // biome-ignore lint/complexity/useMathMinMax: ISO days are strings, not numbers
            today: a.today > b.today ? a.today : b.today,
          }
          // Series rows merge row by row here: where both wrote one, either may win.
          let i = 0
          const segmentIds = new Set([...a.segments.keys(), ...b.segments.keys()])
          for (const id of [...segmentIds].sort()) {
            const x = a.segments.get(id)
            const y = b.segments.get(id)
            merged.segments.set(
              id,
              (x && y ? (coin[i++ % coin.length] ? x : y) : (x ?? y)) as Segment,
            )
          }
          for (const id of new Set([...a.visits.keys(), ...b.visits.keys()])) {
            const [x, y] = [a, b].map((l) => l.visits.get(id))
            const [vx, vy] = [a, b].map((l) => l.versions.get(id) ?? {})
            const { visit, versions } = mergeVisit(x, vx ?? {}, y, vy ?? {})
            merged.visits.set(id, visit)
            merged.versions.set(id, versions)
          }
          // Each field a person wrote on either laptop holds the latest person's value.
          const personal = new Map<string, { value: unknown; version: string }>()
          for (const l of [a, b])
            for (const [id, versions] of l.versions)
              for (const [f, version] of Object.entries(versions)) {
                if (version.startsWith('!') || version === base.versions.get(id)?.[f]) continue
                const key = `${id}|${f}`
                if (version > (personal.get(key)?.version ?? ''))
                  personal.set(key, { value: fieldOf(l.visits.get(id), f), version })
              }
          settle(merged)
          for (const [key, { value }] of personal) {
            const [id, f] = key.split('|') as [string, string]
            expect(fieldOf(merged.visits.get(id), f), key).toEqual(value)
          }
          // Both laptops reconcile the merged rows to the same visits.
          const again = clone(merged)
          settle(again)
          expect([...again.visits.entries()].sort()).toEqual([...merged.visits.entries()].sort())
        },
      ),
      { numRuns: 150, seed: 20270302 },
    )
  })

  it('starts a visit at its local time whatever the daylight saving time', () => {
    const s = initial({ kind: 'weekly', interval: 1, weekdays: ['SU'] }, null)
    s.today = '2027-03-01'
    apply(s, run(s))
    const before = s.visits.get(visitId(ROOT, '2027-03-07'))
    const after = s.visits.get(visitId(ROOT, '2027-03-14'))
    expect(before?.scheduledAt).toBe('2027-03-07T14:30:00.000Z')
    expect(after?.scheduledAt).toBe('2027-03-14T13:30:00.000Z')
  })
})

describe('a visit its crew started, as the server merges it', () => {
  const v = (ms: number, node = 'aaaa') => encode({ ms, counter: 0, node })
  const s = (ms: number) => `!${v(ms)}`
  const AT = '2027-03-02T14:30:00.000Z'
  const MOVED = '2027-03-02T16:00:00.000Z'
  const ANA = '0190a0a0-0000-7000-8000-00000000000a'
  const BEN = '0190a0a0-0000-7000-8000-00000000000b'
  /** Moved by the series from AT (at version s(2)) to MOVED (at s(5)). */
  const scheduled: RowState = {
    values: { status: 'scheduled', scheduled_at: MOVED, price: '60.00', deleted_at: null },
    versions: { status: v(1), scheduled_at: s(5), price: s(5), deleted_at: v(1) },
  }
  const replaced: Replaced = { scheduled_at: [s(2), AT], price: [s(2), '55.00'] }
  /** The crew's start (what it had seen goes as `base`). */
  const start: FieldWrite = {
    hlc: v(9, 'bbbb'),
    fields: { status: 'in_progress', started_at: '2027-03-02T14:31:00.000Z' },
  }
  const merged = (before: RowState, w: FieldWrite) => mergeWrite(before, w).row

  it("brings back the time the crew saw when the series' change reached the server first", () => {
    const kept = keepStarted({
      before: scheduled,
      write: start,
      base: { status: v(1), scheduled_at: s(2), price: s(2) },
      row: merged(scheduled, start),
      replaced,
    })
    // The time the crew works from; the price follows the series, as any field would.
    expect(kept?.fields).toEqual(['scheduled_at'])
    expect(kept?.row.values).toMatchObject({
      status: 'in_progress',
      scheduled_at: AT,
      price: '60.00',
    })
    // Marked, after the series' version: every copy takes it; a person still outranks it.
    const version = kept?.row.versions.scheduled_at as string
    expect(isDerived(version) && version > s(5)).toBe(true)
    expect(version < v(1)).toBe(true)
  })

  it('brings back only the value the server itself replaced, never one the writer names', () => {
    const row = merged(scheduled, start)
    const input = { before: scheduled, write: start, row, replaced }
    // A version the last series' write did not replace, or the current one.
    expect(keepStarted({ ...input, base: { scheduled_at: s(3) } })).toBeNull()
    expect(keepStarted({ ...input, base: { scheduled_at: s(5) } })).toBeNull()
    expect(keepStarted({ ...input, base: {} })).toBeNull()
    // A person's move is never undone.
    const moved: RowState = {
      values: scheduled.values,
      versions: { ...scheduled.versions, scheduled_at: v(5) },
    }
    expect(
      keepStarted({
        before: moved,
        write: start,
        base: { scheduled_at: s(2) },
        row: merged(moved, start),
        replaced,
      }),
    ).toBeNull()
  })

  it("keeps when, whether and by whom against a series' write reaching the server after the start", () => {
    const started: RowState = {
      values: { status: 'in_progress', scheduled_at: AT, team_member_id: ANA, deleted_at: null },
      versions: { status: v(9), scheduled_at: s(2), team_member_id: s(2), deleted_at: s(2) },
    }
    const series: FieldWrite = {
      hlc: v(6, 'cccc'),
      fields: {
        scheduled_at: MOVED,
        team_member_id: BEN,
        deleted_at: '2027-03-01T00:00:00Z',
        price: '60',
      },
      versions: { scheduled_at: s(6), team_member_id: s(6), deleted_at: s(6), price: s(6) },
    }
    const kept = keepStarted({
      before: started,
      write: series,
      row: merged(started, series),
      replaced: {},
    })
    expect(kept?.fields.sort()).toEqual(['deleted_at', 'scheduled_at', 'team_member_id'])
    expect(kept?.row.values).toMatchObject({
      scheduled_at: AT,
      team_member_id: ANA,
      deleted_at: null,
      price: '60',
    })
    // A person's write after the start is theirs.
    const person: FieldWrite = { hlc: v(10), fields: { scheduled_at: MOVED } }
    expect(
      keepStarted({ before: started, write: person, row: merged(started, person), replaced: {} }),
    ).toBeNull()
  })

  it("remembers the value a series' write replaced, and forgets it at a person's write", () => {
    const first = merged(scheduled, {
      hlc: v(6),
      fields: { scheduled_at: AT },
      versions: { scheduled_at: s(6) },
    })
    const once = nextReplaced(scheduled, first, {})
    expect(once).toEqual({ scheduled_at: [s(5), MOVED] })
    // The same value again replaces nothing.
    const same = merged(first, {
      hlc: v(7),
      fields: { scheduled_at: AT },
      versions: { scheduled_at: s(7) },
    })
    expect(nextReplaced(first, same, once)).toEqual(once)
    const person = merged(first, { hlc: v(20), fields: { scheduled_at: MOVED } })
    expect(nextReplaced(first, person, once)).toEqual({})
  })
})
