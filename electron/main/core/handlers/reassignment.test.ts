import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReassignmentPlan } from '../../../../shared/contract/weather'
import { OPEN_ENDED_REVIEW_DAYS } from '../../../../shared/domain/reassign'
import { addDays, dayStartMs } from '../../../../shared/domain/time'
import type { AppContext } from '../context'
import { buildFixture, type Fixture, snapshot } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'

/**
 * A crew member out for a week with 30 jobs: the plan places every job it can, with no
 * double booking and no one without the specialty, lists the rest with reasons, and
 * applying it is one transaction.
 */
const ZONE = 'America/Chicago'
const MONDAY = '2027-03-01'
const at = (day: string, minutes: number) =>
  new Date(dayStartMs(day, ZONE) + minutes * 60_000).toISOString()

let ctx: AppContext
let f: Fixture
let plan: ReassignmentPlan
const anaJobs: string[] = []
let danId = ''
const specialties = new Map<string, Set<string>>()

async function member(name: string, serviceIds: string[]) {
  const m = await call(ctx, 'team.create', { name, specialtyIds: serviceIds })
  specialties.set(m.id, new Set(serviceIds))
  return m
}

async function book(serviceId: string, when: string, teamMemberId: string) {
  return (
    await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId,
      teamMemberId,
      scheduledAt: when,
      durationMinutes: 60,
      acceptConflict: true,
    })
  ).appointment.id
}

/** Pairs of live jobs of one crew member that overlap. */
async function doubleBookings(): Promise<number> {
  const { rows } = await ctx.db.pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM appointments x JOIN appointments y
       ON x.team_member_id = y.team_member_id AND x.id < y.id
     WHERE x.deleted_at IS NULL AND y.deleted_at IS NULL
       AND x.status <> 'cancelled' AND y.status <> 'cancelled'
       AND x.scheduled_at < y.scheduled_at + make_interval(mins => y.duration_minutes)
       AND y.scheduled_at < x.scheduled_at + make_interval(mins => x.duration_minutes)`,
  )
  return rows[0]?.n ?? -1
}

beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
  await call(ctx, 'settings.update', { timeZone: ZONE })
  const snow = await call(ctx, 'catalog.services.create', {
    name: 'Snow clearing',
    basePrice: '90',
    durationMinutes: 60,
  })
  await call(ctx, 'team.setSpecialties', {
    id: f.ana.id,
    serviceIds: [f.mowing.id, f.pruning.id, snow.id],
  })
  specialties.set(f.ana.id, new Set([f.mowing.id, f.pruning.id, snow.id]))
  specialties.set(f.ben.id, new Set([f.pruning.id]))
  const cara = await member('Cara Crew', [f.mowing.id])
  const dan = await member('Dan Crew', [f.mowing.id, f.pruning.id])
  // Dan works mornings only: the plan never gives him an afternoon job.
  danId = dan.id
  await call(ctx, 'team.update', { id: dan.id, workingHours: '07:00-12:00' })
  const eve = await member('Eve Crew', [f.pruning.id])
  // Ana: six jobs a day, Monday to Friday: mowing, pruning, and one snow job a day.
  const starts = [7 * 60, 8 * 60 + 30, 10 * 60, 11 * 60 + 30, 13 * 60, 14 * 60 + 30]
  for (let d = 0; d < 5; d++) {
    const day = addDays(MONDAY, d)
    for (const [i, start] of starts.entries()) {
      const service = i === 5 ? snow.id : i % 2 === 0 ? f.mowing.id : f.pruning.id
      anaJobs.push(await book(service, at(day, start), f.ana.id))
    }
    // The others are busy part of each day: Cara every morning, Dan at noon, Eve all
    // Wednesday.
    await book(f.mowing.id, at(day, 7 * 60), cara.id)
    await book(f.mowing.id, at(day, 8 * 60 + 30), cara.id)
    await book(f.pruning.id, at(day, 11 * 60 + 30), dan.id)
    if (d === 2) for (const start of starts) await book(f.pruning.id, at(day, start), eve.id)
  }
  // After the week she is away for the rest of the month: her snow jobs have no one.
  await call(ctx, 'team.timeOff.add', {
    teamMemberId: f.ana.id,
    startsOn: addDays(MONDAY, 5),
    endsOn: '2027-03-31',
    reason: 'leave',
  })
  const added = await call(ctx, 'team.timeOff.add', {
    teamMemberId: f.ana.id,
    startsOn: MONDAY,
    endsOn: addDays(MONDAY, 4),
    reason: 'surgery',
  })
  plan = added.plan
})
afterAll(() => ctx.db.close())

describe('a crew member out for a week with 30 jobs', () => {
  it('accounts for every job: placed with someone qualified, or listed with a reason', () => {
    const placed = plan.moves.map((m) => m.appointmentId)
    const left = plan.unplaced.map((u) => u.appointmentId)
    expect([...placed, ...left].sort()).toEqual([...anaJobs].sort())
    expect(placed.length).toBeGreaterThan(15)
    const serviceOf = new Map([
      ['Lawn mowing', f.mowing.id],
      ['Tree pruning', f.pruning.id],
    ])
    for (const m of plan.moves) {
      expect(m.toMemberId).not.toBe(f.ana.id)
      expect(specialties.get(m.toMemberId)?.has(serviceOf.get(m.serviceName) ?? '')).toBe(true)
    }
    // Snow clearing: no one else can, and Ana is away all month: listed, with the reason.
    const snow = plan.unplaced.filter((u) => u.serviceName === 'Snow clearing')
    expect(snow).toHaveLength(5)
    for (const u of snow) expect(u.reason).toBe('no other crew member has the specialty')
    for (const u of plan.unplaced) expect(u.reason).toMatch(/\w/)
    // Ben (pruning) is marked unavailable: he is never given a job, nor offered instead.
    expect(plan.moves.some((m) => m.toMemberId === f.ben.id)).toBe(false)
    expect(plan.moves.some((m) => m.alternatives?.some((a) => a.id === f.ben.id))).toBe(false)
    // What a reviewer may pick instead is named, and qualified.
    const offered = plan.moves.flatMap((m) =>
      (m.alternatives ?? []).map((a) => ({ ...a, service: m.serviceName })),
    )
    expect(offered.length).toBeGreaterThan(0)
    for (const a of offered) {
      expect(a.name).toMatch(/\w/)
      expect(specialties.get(a.id)?.has(serviceOf.get(a.service) ?? '')).toBe(true)
    }
    // Dan takes jobs, but only within his hours (07:00 to 12:00 in the business's zone).
    const dans = plan.moves.filter((m) => m.toMemberId === danId)
    expect(dans.length).toBeGreaterThan(0)
    for (const m of dans) {
      const local = new Date(m.toStartAt).toLocaleTimeString('en-GB', { timeZone: ZONE })
      expect(local >= '07:00' && local <= '11:00:00', local).toBe(true)
    }
  })

  it('a move made impossible meanwhile refuses the whole plan: nothing is half-applied', async () => {
    const victim = plan.moves[Math.floor(plan.moves.length / 2)]
    if (!victim) throw new Error('no move')
    const blocker = await book(f.mowing.id, victim.toStartAt, victim.toMemberId)
    const before = await snapshot(ctx)
    const err = await callError(ctx, 'appointments.moveMany', {
      moves: plan.moves.map((m) => ({
        id: m.appointmentId,
        scheduledAt: m.toStartAt,
        teamMemberId: m.toMemberId,
      })),
    })
    expect(err.code).toBe('CONFLICT')
    expect(await snapshot(ctx)).toBe(before)
    await call(ctx, 'appointments.delete', { id: blocker })
  })

  it('applies in one call, with no double booking anywhere', async () => {
    const doubles = await doubleBookings()
    const { moved } = await call(ctx, 'appointments.moveMany', {
      moves: plan.moves.map((m) => ({
        id: m.appointmentId,
        scheduledAt: m.toStartAt,
        teamMemberId: m.toMemberId,
      })),
    })
    expect(moved).toBe(plan.moves.length)
    // Ana's own jobs overlapped nothing before; the moves add no overlap.
    expect(await doubleBookings()).toBe(doubles)
    const { results } = await call(ctx, 'appointments.list', {
      teamMemberId: f.ana.id,
      scheduledFrom: at(MONDAY, 0),
      scheduledTo: at(addDays(MONDAY, 5), 0),
      limit: 100,
    })
    expect(results.map((r) => r.id).sort()).toEqual(
      plan.unplaced.map((u) => u.appointmentId).sort(),
    )
  })

  it('warns about a booking inside time off', async () => {
    const { warnings } = await call(ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: at(addDays(MONDAY, 2), 17 * 60),
      acceptConflict: true,
    })
    expect(warnings.map((w) => w.message)).toContain(
      'Ana Crew is off from Mon, Mar 1 to Fri, Mar 5 (surgery)',
    )
  })

  it('plans time off until further notice over the days a later review plans too', async () => {
    const { plan: open } = await call(ctx, 'team.timeOff.add', {
      teamMemberId: f.ben.id,
      startsOn: '2027-06-01',
      endsOn: null,
      reason: 'away',
    })
    expect(open.from).toBe('2027-06-01')
    expect(open.to).toBe(addDays('2027-06-01', OPEN_ENDED_REVIEW_DAYS - 1))
  })

  it('plans the first year of time off longer than a year, the review being able to ask the same', async () => {
    const { plan } = await call(ctx, 'team.timeOff.add', {
      teamMemberId: f.ana.id,
      startsOn: '2029-01-01',
      endsOn: '2030-06-30',
      reason: 'a long leave',
    })
    expect([plan.from, plan.to]).toEqual(['2029-01-01', '2030-01-01'])
    const again = await call(ctx, 'team.reassignmentPlan', {
      teamMemberId: f.ana.id,
      from: plan.from,
      to: plan.to,
    })
    expect(again.to).toBe(plan.to)
  })

  it('refuses time off over days already off, naming them, and writes nothing', async () => {
    const before = await snapshot(ctx)
    const refused = await callError(ctx, 'team.timeOff.add', {
      teamMemberId: f.ana.id,
      startsOn: addDays(MONDAY, 3),
      endsOn: addDays(MONDAY, 8),
      reason: 'again',
    })
    expect(refused.code).toBe('CONFLICT')
    expect(refused.issues?.[0]).toEqual({
      path: 'startsOn',
      message: 'overlaps their time off from Mon, Mar 1 to Fri, Mar 5: remove that one first',
    })
    // Until further notice covers every later day.
    const later = await callError(ctx, 'team.timeOff.add', {
      teamMemberId: f.ben.id,
      startsOn: '2027-09-01',
      endsOn: '2027-09-02',
      reason: 'late',
    })
    expect(later.message).toBe('they are already off from Tue, Jun 1 until further notice')
    expect(await snapshot(ctx)).toBe(before)
  })
})
