import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  editAll,
  editFollowing,
  endFrom,
  HORIZON_DAYS,
  type Plan,
  planSize,
  reconcile,
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
 * two whose rows are then merged as sync merges them (row by row, either side winning). After
 * every step: at most one live visit per day of a series, every day the merged series wants
 * within the horizon has its visit (live, or an exception), exceptions are never changed by
 * the series, and reconciling again changes nothing.
 */
const ZONE = 'America/Chicago'
const ROOT = '0190a0a0-0000-7000-8000-000000000001'
const START = '2027-03-01'

interface State {
  segments: Map<string, Segment>
  visits: Map<string, Visit>
  today: string
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
  return { segments: new Map([[ROOT, root]]), visits: new Map(), today: START }
}

const clone = (s: State): State => ({
  segments: new Map(s.segments),
  visits: new Map(s.visits),
  today: s.today,
})

function apply(s: State, plan: Plan) {
  for (const v of plan.inserts)
    s.visits.set(v.id, { ...v, status: 'scheduled', exception: false, deleted: false })
  for (const v of [...plan.updates, ...plan.revives]) {
    const old = s.visits.get(v.id) as Visit
    s.visits.set(v.id, { ...old, ...v, deleted: false })
  }
  for (const id of plan.tombstones)
    s.visits.set(id, { ...(s.visits.get(id) as Visit), deleted: true })
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
  const edit = (patch: Partial<Visit>) => v && s.visits.set(v.id, { ...v, ...patch })
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

  it("merges two laptops' edits row by row without duplicating or losing a visit", () => {
    fc.assert(
      fc.property(
        rule,
        fc.array(op, { maxLength: 6 }),
        fc.array(op, { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        (r, left, right, coin) => {
          const base = initial(r, null)
          settle(base)
          const [a, b] = [clone(base), clone(base)]
          for (const o of left) step(a, o), settle(a)
          for (const o of right) step(b, o), settle(b)
          // Sync merges row by row: where both wrote a row, either may win.
          const merged: State = {
            segments: new Map(),
            visits: new Map(),
            today: a.today > b.today ? a.today : b.today,
          }
          let i = 0
          for (const key of ['segments', 'visits'] as const) {
            const ids = new Set([...a[key].keys(), ...b[key].keys()])
            for (const id of [...ids].sort()) {
              const x = a[key].get(id)
              const y = b[key].get(id)
              const pick = x && y ? (coin[i++ % coin.length] ? x : y) : (x ?? y)
              ;(merged[key] as Map<string, unknown>).set(id, pick)
            }
          }
          settle(merged)
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
