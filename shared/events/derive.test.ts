import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type DerivedEvent, eventsFor, type RowChange, type Values } from './derive'
import { EVENT_DATA } from './types'

const JOB = '01890a5d-ac96-774b-bcce-b302099a8057'
const CLIENT = '01890a5d-ac96-774b-bcce-b302099a8058'
const SERVICE = '01890a5d-ac96-774b-bcce-b302099a8059'
const ANA = '01890a5d-ac96-774b-bcce-b302099a805a'
const BEN = '01890a5d-ac96-774b-bcce-b302099a805b'
const OTHER = '01890a5d-ac96-774b-bcce-b302099a805c'
const GONE = '2026-05-02T09:00:00.000Z'

const job: Values = {
  client_id: CLIENT,
  service_id: SERVICE,
  team_member_id: ANA,
  scheduled_at: '2026-05-04T14:00:00.000Z',
  duration_minutes: 90,
  status: 'scheduled',
  notes: '',
  location: 'SW1A 1AA',
  price: '55.00',
  follow_up_of_id: null,
  started_at: null,
  completed_at: null,
  deleted_at: null,
}
const member: Values = { name: 'Ana Crew', color: '#2e7d32', is_available: true, deleted_at: null }
const service: Values = {
  name: 'Lawn mowing',
  description: 'Front and back',
  priority: 'HIGH',
  base_price: '55.00',
  duration_minutes: 60,
  is_active: true,
  deleted_at: null,
}

const appt = (before: Values | null, after: Values) =>
  derive({ table: 'appointments', rowId: JOB, before, after })
const crew = (before: Values | null, after: Values) =>
  derive({ table: 'team_members', rowId: ANA, before, after })
const svc = (before: Values | null, after: Values) =>
  derive({ table: 'services', rowId: SERVICE, before, after })

/** The events, each checked against its type's schema (the data must parse unchanged). */
function derive(change: RowChange): DerivedEvent[] {
  const events = eventsFor(change)
  for (const e of events) expect(EVENT_DATA[e.type].parse(e.data)).toEqual(e.data)
  return events
}
const types = (events: DerivedEvent[]) =>
  events.map((e) => e.type.replace(/^.*?\.(\w+)\.v1$/, '$1'))
const only = (events: DerivedEvent[]) => {
  expect(events).toHaveLength(1)
  return (events[0] as DerivedEvent).data as Record<string, unknown>
}

describe('appointment events', () => {
  it('a new live appointment is created, and nothing else, whatever its status', () => {
    const data = only(appt(null, job))
    expect(appt(null, job)[0]?.type).toBe('scheduling.appointment.created.v1')
    expect(appt(null, job)[0]?.subject).toBe(`appointments/${JOB}`)
    expect(data).toEqual({
      appointmentId: JOB,
      clientId: CLIENT,
      serviceId: SERVICE,
      teamMemberId: ANA,
      scheduledAt: '2026-05-04T14:00:00.000Z',
      durationMinutes: 90,
      status: 'scheduled',
      location: 'SW1A 1AA',
      restored: false,
    })
    expect(types(appt(null, { ...job, status: 'cancelled' }))).toEqual(['created'])
    expect(only(appt(null, { ...job, status: 'completed' })).status).toBe('completed')
  })

  it('a new row without a status has the column default, scheduled; without a location, null', () => {
    const { status: _s, location: _l, ...bare } = job
    expect(only(appt(null, bare))).toMatchObject({ status: 'scheduled', location: null })
  })

  it('gives instants in one canonical form', () => {
    const data = only(appt(null, { ...job, scheduled_at: '2026-05-04T16:00:00+02:00' }))
    expect(data.scheduledAt).toBe('2026-05-04T14:00:00.000Z')
  })

  it('a new row that is already deleted yields nothing', () => {
    expect(appt(null, { ...job, deleted_at: GONE })).toEqual([])
  })

  it('yields nothing when nothing changed, however the same values are written', () => {
    expect(appt(job, { ...job })).toEqual([])
    expect(
      appt(job, { ...job, scheduled_at: '2026-05-04T14:00:00Z', price: '55', notes: '' }),
    ).toEqual([])
    const { status: _s, ...noStatus } = job
    expect(appt(noStatus, { ...job, status: 'scheduled' })).toEqual([])
  })

  it('fields other than status, booking and client yield nothing', () => {
    const edits: Values[] = [
      { notes: 'gate code 1234' },
      { price: '60.00' },
      { service_id: BEN },
      { location: 'EC1A 1BB' },
      { follow_up_of_id: BEN },
    ]
    for (const fields of edits) expect(appt(job, { ...job, ...fields })).toEqual([])
  })

  it('each status transition yields status_changed with both statuses', () => {
    const started = appt(job, { ...job, status: 'in_progress' })
    expect(types(started)).toEqual(['status_changed'])
    expect(only(started)).toMatchObject({ status: 'in_progress', previousStatus: 'scheduled' })
    const done = { ...job, status: 'completed' }
    expect(types(appt({ ...job, status: 'in_progress' }, done))).toEqual(['status_changed'])
    expect(types(appt({ ...job, status: 'cancelled' }, job))).toEqual(['status_changed'])
  })

  it('cancelling yields status_changed, then cancelled (reason status)', () => {
    const events = appt(job, { ...job, status: 'cancelled' })
    expect(types(events)).toEqual(['status_changed', 'cancelled'])
    expect(events[1]?.data).toMatchObject({
      status: 'cancelled',
      previousStatus: 'scheduled',
      reason: 'status',
      scheduledAt: job.scheduled_at,
    })
  })

  it('moving, resizing or reassigning a job yields rescheduled with old and new booking', () => {
    const moved = appt(job, { ...job, scheduled_at: '2026-05-05T09:00:00.000Z' })
    expect(types(moved)).toEqual(['rescheduled'])
    expect(only(moved)).toMatchObject({
      scheduledAt: '2026-05-05T09:00:00.000Z',
      previous: { scheduledAt: job.scheduled_at, durationMinutes: 90, teamMemberId: ANA },
      changed: ['scheduledAt'],
    })
    expect(only(appt(job, { ...job, duration_minutes: 120 })).changed).toEqual(['durationMinutes'])
    expect(only(appt(job, { ...job, team_member_id: BEN })).changed).toEqual(['teamMemberId'])
    const unassigned = only(appt(job, { ...job, team_member_id: null }))
    expect(unassigned).toMatchObject({ teamMemberId: null, changed: ['teamMemberId'] })
    const all = { scheduled_at: '2026-05-06T09:00:00Z', duration_minutes: 30, team_member_id: BEN }
    expect(only(appt(job, { ...job, ...all })).changed).toEqual([
      'scheduledAt',
      'durationMinutes',
      'teamMemberId',
    ])
  })

  it('a job started and moved in one change yields status_changed, then rescheduled', () => {
    const later = { ...job, status: 'in_progress', scheduled_at: '2026-05-04T15:00:00.000Z' }
    expect(types(appt(job, later))).toEqual(['status_changed', 'rescheduled'])
    const reopened = { ...job, status: 'cancelled' }
    expect(types(appt(reopened, { ...job, duration_minutes: 30 }))).toEqual([
      'status_changed',
      'rescheduled',
    ])
  })

  it('a cancelled job that moves tells no one; cancelled and moved at once is only cancelled', () => {
    const cancelled = { ...job, status: 'cancelled' }
    expect(appt(cancelled, { ...cancelled, scheduled_at: '2026-06-01T10:00:00.000Z' })).toEqual([])
    expect(
      types(appt(job, { ...cancelled, team_member_id: BEN, scheduled_at: '2026-06-01T10:00:00Z' })),
    ).toEqual(['status_changed', 'cancelled'])
  })

  it('giving a job going ahead to another client yields client_changed with both clients', () => {
    const events = appt(job, { ...job, client_id: OTHER })
    expect(events.map((e) => e.type)).toEqual(['scheduling.appointment.client_changed.v1'])
    expect(events[0]?.subject).toBe(`appointments/${JOB}`)
    expect(only(events)).toEqual({
      appointmentId: JOB,
      clientId: OTHER,
      previousClientId: CLIENT,
      serviceId: SERVICE,
      teamMemberId: ANA,
      scheduledAt: '2026-05-04T14:00:00.000Z',
      durationMinutes: 90,
      status: 'scheduled',
      location: 'SW1A 1AA',
    })
    const started = { ...job, status: 'in_progress' }
    expect(types(appt(started, { ...started, client_id: OTHER }))).toEqual(['client_changed'])
    // The same client written again changes nothing.
    expect(appt(job, { ...job, client_id: CLIENT, notes: 'x' })).toEqual([])
  })

  it('giving a cancelled or deleted job to another client tells no one', () => {
    const cancelled = { ...job, status: 'cancelled' }
    expect(appt(cancelled, { ...cancelled, client_id: OTHER })).toEqual([])
    expect(types(appt(job, { ...cancelled, client_id: OTHER }))).toEqual([
      'status_changed',
      'cancelled',
    ])
    const deleted = { ...job, deleted_at: GONE }
    expect(appt(deleted, { ...deleted, client_id: OTHER })).toEqual([])
    expect(only(appt(job, { ...deleted, client_id: OTHER }))).toMatchObject({ reason: 'deleted' })
  })

  it('a job booked and given to another client in one change is only created, for that client', () => {
    const events = appt(null, { ...job, client_id: OTHER })
    expect(types(events)).toEqual(['created'])
    expect(only(events).clientId).toBe(OTHER)
    const restored = appt({ ...job, deleted_at: GONE }, { ...job, client_id: OTHER })
    expect(types(restored)).toEqual(['created'])
  })

  it('moved and given to another client at once: rescheduled, then client_changed', () => {
    const later = { scheduled_at: '2026-05-05T09:00:00.000Z', client_id: OTHER }
    const events = appt(job, { ...job, ...later })
    expect(types(events)).toEqual(['rescheduled', 'client_changed'])
    expect(events[0]?.data).toMatchObject({ clientId: OTHER, changed: ['scheduledAt'] })
    expect(events[1]?.data).toMatchObject({
      scheduledAt: '2026-05-05T09:00:00.000Z',
      previousClientId: CLIENT,
    })
    const reopened = { ...job, status: 'cancelled' }
    expect(types(appt(reopened, { ...job, ...later }))).toEqual([
      'status_changed',
      'rescheduled',
      'client_changed',
    ])
  })

  it('deleting a job that was going ahead yields only cancelled (reason deleted)', () => {
    for (const status of ['scheduled', 'in_progress', 'completed']) {
      const before = { ...job, status }
      const events = appt(before, { ...before, deleted_at: GONE })
      expect(types(events)).toEqual(['cancelled'])
      expect(only(events)).toMatchObject({ reason: 'deleted', previousStatus: status, status })
    }
    const everything = {
      status: 'cancelled',
      scheduled_at: '2026-07-01T10:00:00Z',
      deleted_at: GONE,
    }
    expect(only(appt(job, { ...job, ...everything }))).toMatchObject({
      reason: 'deleted',
      previousStatus: 'scheduled',
      status: 'cancelled',
    })
  })

  it('deleting a cancelled job, or changing a deleted one, yields nothing', () => {
    const cancelled = { ...job, status: 'cancelled' }
    expect(appt(cancelled, { ...cancelled, deleted_at: GONE })).toEqual([])
    const deleted = { ...job, deleted_at: GONE }
    expect(appt(deleted, { ...deleted, status: 'cancelled', scheduled_at: GONE })).toEqual([])
    expect(appt(deleted, { ...deleted, deleted_at: '2026-05-03T09:00:00.000Z' })).toEqual([])
  })

  it('a deleted job brought back is created again, restored', () => {
    const events = appt({ ...job, deleted_at: GONE }, { ...job, scheduled_at: GONE })
    expect(types(events)).toEqual(['created'])
    expect(only(events)).toMatchObject({ restored: true, scheduledAt: GONE })
  })
})

describe('time off', () => {
  const OFF = '01890a5d-ac96-774b-bcce-b302099a80ff'
  const range: Values = {
    team_member_id: ANA,
    starts_on: '2027-06-01',
    ends_on: '2027-06-05',
    reason: 'holiday',
    deleted_at: null,
  }
  const off = (before: Values | null, after: Values) =>
    derive({ table: 'time_off', rowId: OFF, before, after })

  it('setting a range of days off yields availability.changed for its member and days', () => {
    const events = off(null, range)
    expect(events[0]?.subject).toBe(`team_members/${ANA}`)
    expect(only(events)).toEqual({
      teamMemberId: ANA,
      timeOffId: OFF,
      from: '2027-06-01',
      to: '2027-06-05',
      isAvailable: false,
      reason: 'time_off',
    })
    expect(only(off(null, { ...range, ends_on: null })).to).toBeNull()
  })

  it('changing its days yields the new range; its reason alone yields nothing', () => {
    expect(only(off(range, { ...range, ends_on: '2027-06-09' }))).toMatchObject({
      to: '2027-06-09',
      reason: 'time_off',
    })
    expect(off(range, { ...range, reason: 'training' })).toEqual([])
  })

  it('removing it yields availability.changed back; a removed range yields nothing more', () => {
    const gone = { ...range, deleted_at: GONE }
    expect(only(off(range, gone))).toMatchObject({
      isAvailable: true,
      reason: 'time_off_removed',
      from: '2027-06-01',
    })
    expect(off(gone, { ...gone, ends_on: '2027-06-09' })).toEqual([])
    expect(off(null, gone)).toEqual([])
  })
})

describe('team member availability', () => {
  it('a new member yields nothing, available or not', () => {
    expect(crew(null, member)).toEqual([])
    expect(crew(null, { ...member, is_available: false })).toEqual([])
  })

  it('flipping is_available yields availability.changed', () => {
    const off = crew(member, { ...member, is_available: false })
    expect(off.map((e) => e.type)).toEqual(['user.team_member.availability.changed.v1'])
    expect(off[0]?.subject).toBe(`team_members/${ANA}`)
    expect(only(off)).toEqual({
      teamMemberId: ANA,
      name: 'Ana Crew',
      isAvailable: false,
      reason: 'availability',
    })
    expect(only(crew({ ...member, is_available: false }, member))).toMatchObject({
      isAvailable: true,
      reason: 'availability',
    })
    const { is_available: _a, ...noFlag } = member
    expect(only(crew(noFlag, { ...member, is_available: false })).isAvailable).toBe(false)
  })

  it('deleting an available member, or restoring one, yields availability.changed', () => {
    const gone = { ...member, deleted_at: GONE }
    expect(only(crew(member, gone))).toMatchObject({ isAvailable: false, reason: 'deleted' })
    expect(only(crew(gone, member))).toMatchObject({ isAvailable: true, reason: 'restored' })
  })

  it('yields nothing when whether the member can work does not change', () => {
    const away = { ...member, is_available: false }
    expect(crew(member, { ...member })).toEqual([])
    expect(crew(member, { ...member, name: 'Ana B.', color: '#000000' })).toEqual([])
    expect(crew(away, { ...away, deleted_at: GONE })).toEqual([])
    expect(crew({ ...away, deleted_at: GONE }, away)).toEqual([])
    const gone = { ...member, deleted_at: GONE }
    expect(crew(gone, { ...gone, is_available: false })).toEqual([])
  })
})

describe('catalog service changes', () => {
  it('a new service is created, with the fields it was given', () => {
    const data = only(svc(null, service))
    expect(svc(null, service)[0]?.subject).toBe(`services/${SERVICE}`)
    expect(data).toEqual({
      serviceId: SERVICE,
      change: 'created',
      changedFields: [
        'name',
        'description',
        'priority',
        'base_price',
        'duration_minutes',
        'is_active',
      ],
      service: {
        name: 'Lawn mowing',
        description: 'Front and back',
        priority: 'HIGH',
        basePrice: '55.00',
        durationMinutes: 60,
        isActive: true,
        deletedAt: null,
      },
    })
  })

  it('a new service without the defaulted columns has their defaults', () => {
    const bare = { name: 'Edging', base_price: '20', duration_minutes: 30 }
    expect(only(svc(null, bare)).service).toEqual({
      name: 'Edging',
      description: '',
      priority: 'MEDIUM',
      basePrice: '20.00',
      durationMinutes: 30,
      isActive: true,
      deletedAt: null,
    })
  })

  it('each catalog field that changes yields one updated event naming it', () => {
    const changes: [string, Values][] = [
      ['name', { name: 'Mowing' }],
      ['description', { description: '' }],
      ['priority', { priority: 'LOW' }],
      ['base_price', { base_price: '60.00' }],
      ['duration_minutes', { duration_minutes: 45 }],
      ['is_active', { is_active: false }],
    ]
    for (const [field, values] of changes) {
      expect(only(svc(service, { ...service, ...values }))).toMatchObject({
        change: 'updated',
        changedFields: [field],
      })
    }
    const two = only(svc(service, { ...service, name: 'Mowing', base_price: '1.50' }))
    expect(two.changedFields).toEqual(['name', 'base_price'])
  })

  it('deleting and restoring a service', () => {
    const gone = { ...service, deleted_at: GONE }
    expect(only(svc(service, gone))).toMatchObject({
      change: 'deleted',
      changedFields: ['deleted_at'],
      service: { deletedAt: GONE },
    })
    expect(only(svc(gone, service))).toMatchObject({ change: 'restored' })
  })

  it('yields nothing for no change, the same price written differently, or a deleted service', () => {
    expect(svc(service, { ...service, base_price: '55' })).toEqual([])
    const gone = { ...service, deleted_at: GONE }
    expect(svc(gone, { ...gone, name: 'Other' })).toEqual([])
    expect(svc(null, gone)).toEqual([])
  })
})

describe('other tables', () => {
  it('yield no events', () => {
    for (const table of ['clients', 'products', 'team_member_specialties'] as const)
      expect(eventsFor({ table, rowId: JOB, before: null, after: { name: 'x' } })).toEqual([])
  })
})

describe('for any change', () => {
  const statuses = fc.constantFrom('scheduled', 'in_progress', 'completed', 'cancelled')
  const appointmentValues = fc.record({
    client_id: fc.constantFrom(CLIENT, BEN),
    service_id: fc.constant(SERVICE),
    team_member_id: fc.constantFrom(ANA, BEN, null),
    scheduled_at: fc.constantFrom('2026-05-04T14:00:00.000Z', '2026-05-04T14:00:00Z', GONE),
    duration_minutes: fc.constantFrom(30, 90),
    status: statuses,
    notes: fc.constantFrom('', 'x'),
    price: fc.constantFrom('55.00', '55', '60.00'),
    deleted_at: fc.constantFrom(null, GONE),
  })
  it('every event parses against its schema; a row written unchanged yields nothing', () => {
    fc.assert(
      fc.property(fc.option(appointmentValues), appointmentValues, (before, after) => {
        const events = appt(before, after)
        expect(appt(after, { ...after })).toEqual([])
        expect(new Set(events.map((e) => e.type)).size).toBe(events.length)
      }),
    )
  })
})
