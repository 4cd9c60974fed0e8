import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type CrewMember, type PlannedJob, planReassignment } from './reassign'
import { overlaps } from './schedule'
import { localDay, dayStartMs as zoneDayStart } from './time'
import { type WorkingHours, withinHours } from './working-hours'

const DAY = 86_400_000
const HOUR = 3_600_000
const MON = Date.parse('2027-06-07T00:00:00Z')
const dayStartMs = (ms: number) => Math.floor(ms / DAY) * DAY

const member = (
  id: string,
  specialties: string[],
  timeOff: [number, number][] = [],
): CrewMember => ({
  id,
  name: id,
  specialties: new Set(specialties),
  timeOff,
})
let n = 0
const job = (memberId: string, serviceId: string, startMs: number, minutes = 60): PlannedJob => ({
  id: `job-${++n}`,
  teamMemberId: memberId,
  serviceId,
  startMs,
  durationMinutes: minutes,
  status: 'scheduled',
})

describe('a reassignment plan', () => {
  it('sees a booking late on the day the clocks went forward, just before the job', () => {
    // Chicago's 23-hour day, 2027-03-14: a job at 00:30 on the 15th clashes with Abe's
    // job at 23:45 on the 14th, three local days from a day before the job's start.
    const zone = 'America/Chicago'
    const dayStart = (ms: number) => zoneDayStart(localDay(ms, zone), zone)
    const at = Date.parse('2027-03-15T05:30:00Z')
    const plan = planReassignment({
      absentId: 'out',
      fromMs: at - DAY,
      toMs: at + DAY,
      members: [member('out', ['mow']), member('abe', ['mow']), member('bo', ['mow'])],
      jobs: [job('out', 'mow', at), job('abe', 'mow', Date.parse('2027-03-15T04:45:00Z'), 90)],
      dayStartMs: dayStart,
    })
    expect(plan.moves.map((m) => m.toMemberId)).toEqual(['bo'])
  })

  it('gives each job to a free member with the specialty, the least busy that day first', () => {
    const out: [number, number] = [MON, MON + 7 * DAY]
    const members = [
      member('ana', ['mow'], [out]),
      member('ben', ['mow']),
      member('cy', ['mow']),
      member('dee', ['prune']),
    ]
    const a1 = job('ana', 'mow', MON + 9 * HOUR)
    const a2 = job('ana', 'mow', MON + 11 * HOUR)
    // Ben already works two hours that Monday; Cy is free.
    const jobs = [a1, a2, job('ben', 'mow', MON + 13 * HOUR, 120)]
    const plan = planReassignment({
      absentId: 'ana',
      fromMs: out[0],
      toMs: out[1],
      members,
      jobs,
      dayStartMs,
    })
    expect(plan.moves).toEqual([
      {
        jobId: a1.id,
        toMemberId: 'cy',
        startMs: a1.startMs,
        kind: 'reassigned',
        // Ben is free at 9:00 too; Dee does not mow.
        alternatives: ['ben'],
      },
      // Cy has one hour now, Ben two: Cy again.
      {
        jobId: a2.id,
        toMemberId: 'cy',
        startMs: a2.startMs,
        kind: 'reassigned',
        alternatives: ['ben'],
      },
    ])
    expect(plan.unplaced).toEqual([])
  })

  it('moves a job to the nearest day someone qualified is free, or says why it cannot', () => {
    const out: [number, number] = [MON, MON + 2 * DAY]
    const members = [member('ana', ['mow', 'spray'], [out]), member('ben', ['mow'])]
    const mow = job('ana', 'mow', MON + 9 * HOUR)
    const spray = job('ana', 'spray', MON + 10 * HOUR)
    // Ben is busy at 9 on Monday and Tuesday.
    const jobs = [
      mow,
      spray,
      job('ben', 'mow', MON + 9 * HOUR),
      job('ben', 'mow', MON + DAY + 9 * HOUR),
    ]
    const plan = planReassignment({
      absentId: 'ana',
      fromMs: out[0],
      toMs: out[1],
      members,
      jobs,
      dayStartMs,
    })
    // Wednesday: Ana is back (she comes first), at the same time.
    expect(plan.moves).toEqual([
      {
        jobId: mow.id,
        toMemberId: 'ana',
        startMs: mow.startMs + 2 * DAY,
        kind: 'moved',
        alternatives: ['ben'],
      },
      {
        jobId: spray.id,
        toMemberId: 'ana',
        startMs: spray.startMs + 2 * DAY,
        kind: 'moved',
        alternatives: [],
      },
    ])
    const never = planReassignment({
      absentId: 'ana',
      fromMs: out[0],
      toMs: out[1],
      members: [member('ana', ['spray'], [[MON, MON + 30 * DAY]]), member('ben', ['mow'])],
      jobs: [spray],
      dayStartMs,
    })
    expect(never).toEqual({
      moves: [],
      unplaced: [{ jobId: spray.id, reason: 'no other crew member has the specialty' }],
    })
  })

  it('gives a job only to someone working then (their own hours or the business’s)', () => {
    const out: [number, number] = [MON, MON + DAY]
    const early: WorkingHours = { start: '07:00', end: '16:00', days: [1, 2, 3, 4, 5] }
    const late: WorkingHours = { start: '07:00', end: '18:00', days: [1, 2, 3, 4, 5] }
    const members = [
      member('ana', ['mow'], [out]),
      { ...member('ben', ['mow']), hours: early },
      { ...member('cy', ['mow']), hours: late },
    ]
    // 16:00 on Monday: Ben (less busy) has gone home by then, Cy has not.
    const evening = job('ana', 'mow', MON + 16 * HOUR)
    const jobs = [evening, job('cy', 'mow', MON + 8 * HOUR, 120)]
    const base = { absentId: 'ana', fromMs: out[0], toMs: out[1], members, jobs, dayStartMs }
    expect(planReassignment({ ...base, timeZone: 'UTC' }).moves).toEqual([
      {
        jobId: evening.id,
        toMemberId: 'cy',
        startMs: evening.startMs,
        kind: 'reassigned',
        alternatives: [],
      },
    ])
    // Without the zone the hours cannot be read, and the least busy member takes it.
    expect(planReassignment(base).moves.map((m) => m.toMemberId)).toEqual(['ben'])
  })

  it('moves a job past the days no one qualified works', () => {
    // Ana is out on Friday; she works Monday to Friday and is the only mower.
    const fri = MON + 4 * DAY
    const weekdays: WorkingHours = { start: '07:00', end: '18:00', days: [1, 2, 3, 4, 5] }
    const members = [{ ...member('ana', ['mow'], [[fri, fri + DAY]]), hours: weekdays }]
    const friday = job('ana', 'mow', fri + 9 * HOUR)
    const plan = planReassignment({
      absentId: 'ana',
      fromMs: fri,
      toMs: fri + DAY,
      members,
      jobs: [friday],
      dayStartMs,
      timeZone: 'UTC',
    })
    // Not Saturday or Sunday: Monday, at the same time.
    expect(plan.moves).toEqual([
      {
        jobId: friday.id,
        toMemberId: 'ana',
        startMs: friday.startMs + 3 * DAY,
        kind: 'moved',
        alternatives: [],
      },
    ])
  })

  it('never double-books, never gives work to someone unqualified or out (random crews)', () => {
    const services = ['mow', 'spray', 'prune']
    fc.assert(
      fc.property(
        fc.array(fc.subarray(services, { minLength: 1 }), { minLength: 2, maxLength: 6 }),
        fc.array(
          fc.record({
            who: fc.nat(5),
            service: fc.constantFrom(...services),
            day: fc.nat(9),
            slot: fc.nat(16),
            halfHours: fc.integer({ min: 1, max: 6 }),
          }),
          { maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 7 }),
        fc.nat(3),
        fc.array(
          fc.option(
            fc.record({
              start: fc.integer({ min: 5, max: 10 }),
              end: fc.integer({ min: 12, max: 20 }),
              days: fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }),
            }),
          ),
          { minLength: 6, maxLength: 6 },
        ),
        (skills, raw, outDays, otherOut, shifts) => {
          const hh = (h: number) => `${String(h).padStart(2, '0')}:00`
          const members = skills.map((s, i) => {
            const shift = shifts[i]
            return {
              ...member(
                `m${i}`,
                s,
                i === 0
                  ? [[MON, MON + outDays * DAY]]
                  : i === 1 && otherOut
                    ? [[MON + otherOut * DAY, MON + (otherOut + 1) * DAY]]
                    : [],
              ),
              ...(shift ? { hours: { ...shift, start: hh(shift.start), end: hh(shift.end) } } : {}),
            }
          })
          // A valid schedule to start from: no member double-booked.
          const jobs: PlannedJob[] = []
          for (const r of raw) {
            const j = job(
              `m${r.who % members.length}`,
              r.service,
              MON + r.day * DAY + 7 * HOUR + r.slot * 1_800_000,
              r.halfHours * 30,
            )
            if (!jobs.some((o) => o.teamMemberId === j.teamMemberId && overlaps(o, j))) jobs.push(j)
          }
          const plan = planReassignment({
            absentId: 'm0',
            fromMs: MON,
            toMs: MON + outDays * DAY,
            members,
            jobs,
            dayStartMs,
            timeZone: 'UTC',
          })
          const theirs = jobs.filter(
            (j) => j.teamMemberId === 'm0' && j.startMs < MON + outDays * DAY,
          )
          const handled = [...plan.moves.map((m) => m.jobId), ...plan.unplaced.map((u) => u.jobId)]
          expect(handled.sort()).toEqual(theirs.map((j) => j.id).sort())
          const after = jobs.map((j) => {
            const move = plan.moves.find((m) => m.jobId === j.id)
            return move ? { ...j, teamMemberId: move.toMemberId, startMs: move.startMs } : j
          })
          for (const m of plan.moves) {
            const j = after.find((x) => x.id === m.jobId) as PlannedJob
            const to = members.find((x) => x.id === m.toMemberId) as CrewMember
            if (to.id !== 'm0') expect(to.specialties.has(j.serviceId)).toBe(true)
            if (to.hours)
              expect(withinHours(j.startMs, j.durationMinutes, to.hours, 'UTC')).toBe(true)
            expect(
              to.timeOff.some(
                ([a, b]) => j.startMs < b && a < j.startMs + j.durationMinutes * 60_000,
              ),
            ).toBe(false)
            if (m.kind === 'reassigned')
              expect(m.startMs).toBe(jobs.find((x) => x.id === m.jobId)?.startMs)
            // What a reviewer may pick instead: qualified, working and not out then.
            expect(m.alternatives).not.toContain(m.toMemberId)
            for (const id of m.alternatives) {
              const alt = members.find((x) => x.id === id) as CrewMember
              if (alt.id !== 'm0') expect(alt.specialties.has(j.serviceId)).toBe(true)
              if (alt.hours)
                expect(withinHours(j.startMs, j.durationMinutes, alt.hours, 'UTC')).toBe(true)
              expect(
                alt.timeOff.some(
                  ([a, b]) => j.startMs < b && a < j.startMs + j.durationMinutes * 60_000,
                ),
              ).toBe(false)
            }
          }
          for (const a of after)
            for (const b of after)
              if (
                a.id < b.id &&
                a.teamMemberId === b.teamMemberId &&
                !plan.unplaced.some((u) => u.jobId === a.id || u.jobId === b.id)
              )
                expect(overlaps(a, b), `${a.id} ${b.id}`).toBe(false)
        },
      ),
      { numRuns: 300 },
    )
  })
})
