import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../../../../shared/contract/settings'
import { planSize } from '../../../../shared/domain/series'
import { WEEKDAYS } from '../../../../shared/domain/series-rule'
import { addDays, localDay } from '../../../../shared/domain/time'
import { decode } from '../../../../shared/sync/hlc'
import {
  connect,
  type Device,
  deviceState,
  openDevice,
  serverState,
  startTestServer,
  type TestServer,
} from '../../../../testing/sync-harness'
import { dispatch } from '../dispatch'
import { reconcileRoots } from '../series/store'
import { call } from '../test/helpers'
import { setWallClock } from './wall-clock.test-support'

/**
 * Three laptops, each on its own data folder, make random offline changes through the
 * real handlers — creations, edits, moves between crew members, status changes,
 * deletions and archivals, recurring series booked, split ("this and following"),
 * edited whole, skipped and ended — and sync with one server in random orders, one after
 * another or several at once. Their clocks disagree as field laptops' do: one runs four
 * minutes fast, one four minutes slow, and the third steps back mid-run. Afterwards
 * every laptop and the server hold the same rows, no acknowledged write is lost, and
 * every business conflict the writes created is recorded on the server; every series
 * has exactly the visits its rows call for (none duplicated, none lost).
 */
const MINUTE = 60_000
/** Wall clock offsets of the three laptops at the start of each run. */
const OFFSETS = [4 * MINUTE, -4 * MINUTE, 0]
/** The third laptop's clock after it steps back, half-way through each run. */
const STEPPED_BACK = -3 * MINUTE
interface Written {
  id: string
  device: number
  table: string
  rowId: string
  hlc: string
  fields: Record<string, unknown>
  /** Each field's version where it is not `hlc`: the series' own writes (marked). */
  versions: Record<string, string> | null
  /** Appointments the user saw this write overlap and kept. */
  accepted: string[]
  /** The mutations this laptop knew of when it wrote this one. */
  known: Set<string>
}

let server: TestServer
const devices: Device[] = []
let members: string[] = []
let serviceId = ''

beforeAll(async () => {
  server = await startTestServer()
  for (const name of ['north', 'south', 'east']) {
    const d = await openDevice(`converge-${name}`)
    devices.push(d)
    await connect(d, server)
  }
  const first = devices[0] as Device
  for (const name of ['Ana Crew', 'Ben Crew'])
    members.push((await call(first.ctx, 'team.create', { name })).id)
  serviceId = (
    await call(first.ctx, 'catalog.services.create', {
      name: 'Lawn mowing',
      basePrice: '55',
      durationMinutes: 60,
    })
  ).id
  for (const name of ['Smith Residence', 'Jones HOA'])
    await call(first.ctx, 'clients.create', { name })
  for (const d of devices) await call(d.ctx, 'sync.now', {})
  members = members.sort()
  for (const [i, d] of devices.entries())
    await setWallClock(d.ctx.db.pg, { offsetMs: OFFSETS[i] ?? 0 })
}, 120_000)

afterAll(async () => {
  for (const d of devices) await d.close()
  await server?.close()
})

const op = fc.record({
  device: fc.nat(2),
  kind: fc.constantFrom(
    'book',
    'book',
    'book',
    'book',
    'move',
    'move',
    'notes',
    'status',
    'delete',
    'client',
    'client',
    'editClient',
    'archiveClient',
    'series',
    'seriesFollowing',
    'seriesAll',
    'seriesSkip',
    'seriesEnd',
  ),
  pick: fc.nat(),
  slot: fc.nat(3),
  member: fc.constantFrom(0, 0, 1, 2),
  long: fc.boolean(),
  /** Keep a double booking this laptop can see (else it is refused locally). */
  accept: fc.constantFrom(false, false, false, true),
  status: fc.constantFrom('in_progress', 'completed', 'cancelled'),
  text: fc.string({ maxLength: 12 }),
})
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never

/**
 * Each run opens with two laptops booking Ana into overlapping slots and two others
 * deleting and editing the same job, all offline; the random steps follow, so these
 * may be undone or compounded before the laptops sync.
 */
const base: Op = {
  device: 0,
  kind: 'book',
  pick: 0,
  slot: 0,
  member: 0,
  long: true,
  accept: false,
  status: 'completed',
  text: 'prelude',
}
const PRELUDE = [
  { ...base },
  { ...base, device: 1, slot: 1 },
  { ...base, device: 2, kind: 'delete' as const },
  { ...base, device: 0, kind: 'notes' as const },
].map((op) => ({ sync: false as const, op }))

/** A sync step: one laptop, or several whose rounds run at the same time. */
const step = fc.oneof(
  { weight: 4, arbitrary: op.map((o) => ({ sync: false as const, op: o })) },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 })
      .map((together) => ({ sync: true as const, together })),
  },
)

/** The visits of series still to come on this laptop, the same order everywhere. */
async function comingVisits(d: Device) {
  const { rows } = await d.ctx.db.pg.query<{ id: string }>(
    `SELECT id FROM appointments WHERE deleted_at IS NULL AND status = 'scheduled'
       AND series_id IS NOT NULL AND series_occurrence >= $1 ORDER BY id`,
    [localDay(Date.now(), DEFAULT_SETTINGS.timeZone)],
  )
  return rows.map((r) => r.id)
}

/** Syncs a laptop, then lets it reconcile the series it pulled (writes synced next time). */
async function syncOne(d: Device) {
  await call(d.ctx, 'sync.now', {})
  await d.ctx.horizon.settled()
}

/**
 * What reconciling every series would write on this laptop now: nothing, when each has
 * exactly the visits its rows call for. Computed in a transaction that is rolled back.
 */
async function unreconciled(d: Device): Promise<number> {
  let size = -1
  const rollback = new Error('rolled back')
  await d.ctx.db.db
    .transaction(async (tx) => {
      size = (await reconcileRoots(tx)).reduce((n, p) => n + planSize(p), 0)
      throw rollback
    })
    .catch((e) => {
      if (e !== rollback) throw e
    })
  return size
}

async function liveIds(d: Device, table: 'appointments' | 'clients') {
  const { rows } = await d.ctx.db.pg.query<{ id: string }>(
    `SELECT id FROM ${table} WHERE deleted_at IS NULL ORDER BY id`,
  )
  return rows.map((r) => r.id)
}

let counter = 0
const stats = {
  writes: 0,
  doubleBookings: 0,
  editDeletes: 0,
  ahead: 0,
  together: 0,
  series: 0,
}
/** Pairs of appointments a user saw overlap and kept, over all runs (the rows persist). */
const kept = new Set<string>()
/** Runs one operation through the handlers; a refusal (lifecycle rules...) writes nothing. */
async function perform(d: Device, o: Op): Promise<void> {
  const appointments = await liveIds(d, 'appointments')
  const clients = await liveIds(d, 'clients')
  const appointment = appointments[o.pick % Math.max(1, appointments.length)]
  const client = clients[o.pick % Math.max(1, clients.length)]
  const visits = o.kind.startsWith('series') ? await comingVisits(d) : []
  const visit = visits[o.pick % Math.max(1, visits.length)]
  const today = localDay(Date.now(), DEFAULT_SETTINGS.timeZone)
  // Four overlapping slots on one morning, so that double bookings happen.
  const at = new Date(Date.UTC(2027, 5, 7, 14, o.slot * 30)).toISOString()
  const member = o.member === 2 ? null : (members[o.member] as string)
  counter += 1
  const calls: Record<Op['kind'], () => [string, unknown] | null> = {
    book: () =>
      client
        ? [
            'appointments.create',
            {
              clientId: client,
              serviceId,
              teamMemberId: member,
              scheduledAt: at,
              durationMinutes: o.long ? 90 : 60,
              acceptConflict: o.accept,
            },
          ]
        : null,
    move: () =>
      appointment
        ? [
            'appointments.reschedule',
            { id: appointment, scheduledAt: at, teamMemberId: member, acceptConflict: o.accept },
          ]
        : null,
    notes: () => (appointment ? ['appointments.update', { id: appointment, notes: o.text }] : null),
    status: () =>
      appointment ? ['appointments.setStatus', { id: appointment, status: o.status }] : null,
    delete: () => (appointment ? ['appointments.delete', { id: appointment }] : null),
    client: () => ['clients.create', { name: `Client ${counter} ${d.name}` }],
    editClient: () => (client ? ['clients.update', { id: client, notes: o.text }] : null),
    archiveClient: () => (client ? ['clients.archive', { id: client }] : null),
    // Short seasons of one or two visits a week at the slots the one-off jobs use, so
    // visits clash with jobs and with each other.
    series: () =>
      client
        ? [
            'series.create',
            {
              clientId: client,
              serviceId,
              teamMemberId: member,
              rule: { kind: 'weekly', weekdays: o.long ? ['MO', 'TH'] : [WEEKDAYS[o.slot]] },
              startsOn: today,
              endsOn: addDays(today, 21 + o.slot * 7),
              startTime: `${String(8 + o.slot).padStart(2, '0')}:00`,
            },
          ]
        : null,
    seriesFollowing: () =>
      visit
        ? [
            'series.update',
            {
              visitId: visit,
              scope: 'following',
              changes: o.long
                ? { startTime: `${String(9 + o.slot).padStart(2, '0')}:30` }
                : { teamMemberId: member, notes: o.text },
            },
          ]
        : null,
    seriesAll: () =>
      visit
        ? ['series.update', { visitId: visit, scope: 'all', changes: { notes: o.text } }]
        : null,
    seriesSkip: () => (visit ? ['series.skip', { visitId: visit }] : null),
    seriesEnd: () => (visit ? ['series.end', { visitId: visit, scope: 'following' }] : null),
  }
  const request = calls[o.kind]()
  if (request) await dispatch(d.ctx, request[0], request[1])
}

/** The version a write gave one of its fields. */
const versionWritten = (w: Written, field: string) => w.versions?.[field] ?? w.hlc

async function newMutations(d: Device, after: number) {
  const { rows } = await d.ctx.db.pg.query<{
    seq: string
    mutation_id: string
    table_name: string
    row_id: string
    hlc: string
    fields: Record<string, unknown>
    accepted: string[] | null
    versions: Record<string, string> | null
  }>(
    'SELECT seq, mutation_id, table_name, row_id, hlc, fields, accepted, versions FROM sync_outbox WHERE seq > $1 ORDER BY seq',
    [after],
  )
  return rows
}

const overlaps = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const start = (r: Record<string, unknown>) => Date.parse(r.scheduled_at as string)
  const end = (r: Record<string, unknown>) => start(r) + (r.duration_minutes as number) * 60_000
  return start(a) < end(b) && start(b) < end(a)
}
const bookable = (r: Record<string, unknown>) =>
  r.deleted_at === null && r.status !== 'cancelled' && r.team_member_id !== null

describe('three laptops syncing in random orders', () => {
  it('end identical, lose no acknowledged write and record every conflict', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 6, maxLength: 30 }),
        fc
          .array(fc.nat(2), { minLength: 3, maxLength: 3 })
          .map((o) => [...new Set([...o, 0, 1, 2])]),
        async (steps, finalOrder) => {
          const written: Written[] = []
          const serverHas = new Set<string>()
          const known = devices.map(() => new Set<string>())
          const lastSeq = await Promise.all(
            devices.map(async (d) => {
              const rows = await newMutations(d, 0)
              return rows.length ? Number(rows[rows.length - 1]?.seq) : 0
            }),
          )
          /**
           * Rounds of several laptops at once. What each learnt is over-estimated (all
           * the group pushed, though a laptop may have pulled before another pushed):
           * that can only hide a conflict from the check below, never invent one.
           */
          const syncDevices = async (together: number[]) => {
            if (together.length > 1) stats.together += 1
            for (const w of written) if (together.includes(w.device)) serverHas.add(w.id)
            await Promise.all(together.map((i) => syncOne(devices[i] as Device)))
            for (const i of together) {
              known[i] = new Set(serverHas)
              for (const w of written) if (w.device === i) known[i]?.add(w.id)
            }
          }
          await setWallClock((devices[2] as Device).ctx.db.pg, { offsetMs: OFFSETS[2] ?? 0 })
          const all = [...PRELUDE, ...steps]
          for (const [n, s] of all.entries()) {
            if (n === Math.floor(all.length / 2)) {
              await setWallClock((devices[2] as Device).ctx.db.pg, { offsetMs: STEPPED_BACK })
            }
            if (s.sync) {
              await syncDevices(s.together)
              continue
            }
            const d = devices[s.op.device] as Device
            await perform(d, s.op)
            for (const r of await newMutations(d, lastSeq[s.op.device] ?? 0)) {
              lastSeq[s.op.device] = Number(r.seq)
              const w: Written = {
                id: r.mutation_id,
                device: s.op.device,
                table: r.table_name,
                rowId: r.row_id,
                hlc: r.hlc,
                fields: r.fields,
                versions: r.versions,
                accepted: r.accepted ?? [],
                known: new Set(known[s.op.device]),
              }
              written.push(w)
              if (decode(w.hlc).ms > Date.now() + 3 * MINUTE) stats.ahead += 1
              known[s.op.device]?.add(w.id)
            }
          }
          // Three rounds: what a laptop reconciled after its last pull goes out in the next.
          for (const i of [...finalOrder, ...finalOrder, ...finalOrder]) await syncDevices([i])
          stats.writes += written.length

          // Identical everywhere.
          const central = await serverState(server.pool)
          for (const d of devices) expect(await deviceState(d.ctx), d.name).toEqual(central)

          // Every write acknowledged by a laptop was applied, and each of its fields holds
          // it or a later write.
          // With the reason and the table: a refusal here says why.
          const { rows: outcomes } = await server.pool.query<{ id: string; status: string }>(
            'SELECT id, status, reason, table_name FROM sync_mutations WHERE id = ANY($1::uuid[])',
            [written.map((w) => w.id)],
          )
          expect(outcomes.filter((o) => o.status !== 'applied')).toEqual([])
          expect(outcomes).toHaveLength(written.length)
          const { rows: versions } = await server.pool.query<{
            table_name: string
            row_id: string
            versions: Record<string, string>
          }>('SELECT table_name, row_id, versions FROM sync_rows')
          const versionOf = new Map(
            versions.map((v) => [`${v.table_name}:${v.row_id}`, v.versions]),
          )
          // (A person's write outranks the series' own whatever the clocks: merge.ts.)
          for (const w of written) {
            const v = versionOf.get(`${w.table}:${w.rowId}`) ?? {}
            for (const field of Object.keys(w.fields))
              expect(
                (v[field] ?? '') >= versionWritten(w, field),
                `${w.table}.${field} lost ${w.hlc}`,
              ).toBe(true)
          }
          for (const d of devices)
            expect((await call(d.ctx, 'sync.status', {})).pending, d.name).toBe(0)

          // Every series has exactly the visits its rows call for, on every laptop.
          for (const d of devices) expect(await unreconciled(d), d.name).toBe(0)
          stats.series += Object.keys(central.series ?? {}).length

          // Every double booking standing at the end is recorded, unless a laptop showed
          // it to its user, who kept it.
          for (const w of written)
            for (const o of w.accepted) kept.add(`${w.rowId}|${o}`).add(`${o}|${w.rowId}`)
          const { rows: conflicts } = await server.pool.query<{
            kind: string
            row_id: string
            other_row_id: string | null
          }>('SELECT kind, row_id, other_row_id FROM sync_conflicts')
          const pairs = new Set(
            conflicts
              .filter((c) => c.kind === 'double_booking')
              .flatMap((c) => [`${c.row_id}|${c.other_row_id}`, `${c.other_row_id}|${c.row_id}`]),
          )
          const booked = Object.entries(central.appointments).filter(([, r]) => bookable(r))
          for (const [i, [idA, a]] of booked.entries())
            for (const [idB, b] of booked.slice(i + 1))
              if (
                a.team_member_id === b.team_member_id &&
                overlaps(a, b) &&
                !kept.has(`${idA}|${idB}`)
              ) {
                stats.doubleBookings += 1
                expect(pairs.has(`${idA}|${idB}`), `double booking ${idA} ${idB}`).toBe(true)
              }

          // Every edit made without seeing a deletion of its row (or the reverse) that
          // still shows in the row is recorded as an edit-and-delete conflict.
          const editDelete = new Set(
            conflicts.filter((c) => c.kind === 'edit_and_delete').map((c) => c.row_id),
          )
          const deletes = written.filter((w) => w.fields.deleted_at != null)
          for (const del of deletes) {
            for (const edit of written) {
              if (edit.rowId !== del.rowId || edit.device === del.device) continue
              // A write that deletes the row too (a visit deleted by hand is also marked
              // an exception) is a second deletion, not an edit; one that makes the row
              // live (a series visit two laptops both booked, an undone deletion) never
              // meets a deletion: the row stands, and a series whose day is gone removes
              // its visit again (shared/sync/merge.ts).
              if (Object.hasOwn(edit.fields, 'deleted_at')) continue
              // The series' own edit of a visit a person deleted: the deletion stands by
              // rule, with nothing to settle.
              if (edit.versions) continue
              // A visit a person changed while the series removed it is brought back as
              // the two merge (series.ts): nothing to settle either.
              const live = central[del.table as keyof typeof central]?.[del.rowId]
              if (del.versions && live?.deleted_at == null) continue
              const concurrent = !del.known.has(edit.id) && !edit.known.has(del.id)
              const v = versionOf.get(`${edit.table}:${edit.rowId}`) ?? {}
              const showing = Object.keys(edit.fields).some(
                (f) => f !== 'deleted_at' && v[f] === versionWritten(edit, f),
              )
              // Someone who had seen the edit deleted the row anyway: nothing to settle.
              const superseded = deletes.some((d) => d.rowId === edit.rowId && d.known.has(edit.id))
              if (concurrent && showing && !superseded) {
                stats.editDeletes += 1
                expect(editDelete.has(edit.rowId), `edit/delete on ${edit.rowId}`).toBe(true)
              }
            }
          }
        },
      ),
      { numRuns: Number(process.env.CONVERGENCE_RUNS ?? 25), endOnFailure: true },
    )
    // The runs must have exercised what they check.
    expect(stats.writes).toBeGreaterThan(20)
    expect(stats.doubleBookings).toBeGreaterThan(0)
    expect(stats.editDeletes).toBeGreaterThan(0)
    expect(stats.series).toBeGreaterThan(0)
    // ...with the clocks apart and rounds at the same time.
    expect(stats.ahead).toBeGreaterThan(0)
    expect(stats.together).toBeGreaterThan(0)
  }, 600_000)
})
