import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../shared/domain/ids'
import { deviceStamps } from '../../shared/sync/device-stamps.test-support'
import type { Mutation } from '../../shared/sync/protocol'
import { push } from '../sync'
import { createDevice, type Device } from '../tokens'
import { type EventsDb, eventsDatabase, storedEvents } from './events.test-support'

/**
 * The events a push writes, through the real push: each kind of change yields exactly
 * its events, with the push's correlation id, in the push's transaction.
 */
describe('domain events written by a push', () => {
  let t: EventsDb
  let office: Device
  let crew: Device
  const CREW = uuidv7()
  const CLIENT = uuidv7()
  const SERVICE = uuidv7()
  const clock = deviceStamps('office')
  beforeAll(async () => {
    t = await eventsDatabase()
    office = (await createDevice(t.pool, { label: 'o', userName: 'o', role: 'office_manager' }))
      .device
    crew = (
      await createDevice(t.pool, {
        label: 'c',
        userName: 'c',
        role: 'crew_lead',
        teamMemberId: CREW,
      })
    ).device
    await push(t.pool, office, [
      m('team_members', CREW, { name: 'Ana Crew', color: '#2e7d32', is_available: true }),
      m('clients', CLIENT, { name: 'Smith Residence', notes: '' }),
    ])
  })
  afterAll(async () => {
    await t.close()
  })

  const m = (table: Mutation['table'], rowId: string, fields: Mutation['fields']): Mutation => ({
    id: uuidv7(),
    table,
    rowId,
    hlc: clock(),
    fields,
  })
  const job = (over: Mutation['fields'] = {}) => ({
    client_id: CLIENT,
    service_id: SERVICE,
    team_member_id: CREW,
    scheduled_at: '2027-03-02T15:00:00Z',
    duration_minutes: 60,
    status: 'scheduled',
    notes: '',
    price: '55.00',
    ...over,
  })
  /** The events one push wrote: its types, and the envelopes. */
  const pushed = async (device: Device, mutations: Mutation[], correlationId?: string) => {
    const before = (await storedEvents(t.pool)).length
    const results = await push(t.pool, device, mutations, correlationId ? { correlationId } : {})
    const events = (await storedEvents(t.pool)).slice(before)
    return { results: results.map((r) => r.status), events, types: events.map((e) => e.type) }
  }

  it('a new service and its first job: service changed (created) and appointment created', async () => {
    const first = uuidv7()
    const { types, events } = await pushed(
      office,
      [
        m('services', SERVICE, {
          name: 'Lawn mowing',
          base_price: '55.00',
          duration_minutes: 60,
        }),
        m('appointments', first, job()),
      ],
      'cor-first-booking',
    )
    expect(types).toEqual(['catalog.service.changed.v1', 'scheduling.appointment.created.v1'])
    expect(events[1]).toMatchObject({
      subject: `appointments/${first}`,
      source: `/devices/${office.id}`,
      correlationid: 'cor-first-booking',
      data: { appointmentId: first, scheduledAt: '2027-03-02T15:00:00.000Z', restored: false },
    })
    expect(events[0]?.correlationid).toBe('cor-first-booking')
  })

  it('each kind of change yields exactly its events', async () => {
    const a = uuidv7()
    expect((await pushed(office, [m('appointments', a, job())])).types).toEqual([
      'scheduling.appointment.created.v1',
    ])
    const moved = await pushed(office, [
      m('appointments', a, { scheduled_at: '2027-03-03T09:00:00Z' }),
    ])
    expect(moved.types).toEqual(['scheduling.appointment.rescheduled.v1'])
    expect(moved.events[0]?.data).toMatchObject({
      previous: { scheduledAt: '2027-03-02T15:00:00.000Z' },
      scheduledAt: '2027-03-03T09:00:00.000Z',
    })
    // Booked for the wrong client, put right: the new client is named, and the old one.
    const other = uuidv7()
    await pushed(office, [m('clients', other, { name: 'Jones Residence', notes: '' })])
    const given = await pushed(office, [m('appointments', a, { client_id: other })])
    expect(given.types).toEqual(['scheduling.appointment.client_changed.v1'])
    expect(given.events[0]?.data).toMatchObject({ clientId: other, previousClientId: CLIENT })
    // The crew lead starts it: a status change, with a correlation id made for the push.
    const started = await pushed(crew, [
      m('appointments', a, { status: 'in_progress', started_at: new Date().toISOString() }),
    ])
    expect(started.types).toEqual(['scheduling.appointment.status_changed.v1'])
    expect(started.events[0]?.source).toBe(`/devices/${crew.id}`)
    expect(started.events[0]?.correlationid).toMatch(/\S/)
    expect((await pushed(office, [m('appointments', a, { status: 'cancelled' })])).types).toEqual([
      'scheduling.appointment.status_changed.v1',
      'scheduling.appointment.cancelled.v1',
    ])
    const b = uuidv7()
    await pushed(office, [m('appointments', b, job({ scheduled_at: '2027-03-04T09:00:00Z' }))])
    const deleted = await pushed(office, [
      m('appointments', b, { deleted_at: new Date().toISOString() }),
    ])
    expect(deleted.types).toEqual(['scheduling.appointment.cancelled.v1'])
    expect(deleted.events[0]?.data).toMatchObject({
      reason: 'deleted',
      previousStatus: 'scheduled',
    })
    expect((await pushed(office, [m('appointments', b, { notes: 'gone' })])).types).toEqual([])
    expect(
      (await pushed(office, [m('team_members', CREW, { is_available: false })])).types,
    ).toEqual(['user.team_member.availability.changed.v1'])
    expect((await pushed(office, [m('services', SERVICE, { base_price: '60.00' })])).types).toEqual(
      ['catalog.service.changed.v1'],
    )
    // Nothing for a client, a note, or a value written again unchanged.
    expect(
      (
        await pushed(office, [
          m('clients', CLIENT, { name: 'Smith Family' }),
          m('services', SERVICE, { base_price: '60' }),
          m('team_members', CREW, { is_available: false }),
        ])
      ).types,
    ).toEqual([])
  })

  it('one push that books and moves a job yields one created event, at the final time', async () => {
    const c = uuidv7()
    const { types, events } = await pushed(office, [
      m('appointments', c, job({ scheduled_at: '2027-05-01T09:00:00Z' })),
      m('appointments', c, { scheduled_at: '2027-05-01T11:00:00Z' }),
    ])
    expect(types).toEqual(['scheduling.appointment.created.v1'])
    expect(events[0]?.data).toMatchObject({ scheduledAt: '2027-05-01T11:00:00.000Z' })
  })

  it('a refused mutation or a batch sent again yields no events', async () => {
    const d = uuidv7()
    const batch = [m('appointments', d, job({ scheduled_at: '2027-06-01T09:00:00Z' }))]
    expect((await pushed(office, batch)).types).toEqual(['scheduling.appointment.created.v1'])
    const again = await pushed(office, batch)
    expect(again).toMatchObject({ results: ['duplicate'], types: [] })
    const refused = await pushed(crew, [m('services', SERVICE, { name: 'Free work' })])
    expect(refused).toMatchObject({ results: ['rejected'], types: [] })
  })

  it('a batch the database refuses is retried one by one: only the applied mutations have events', async () => {
    const good = uuidv7()
    const { results, types, events } = await pushed(office, [
      m('appointments', good, job({ scheduled_at: '2027-07-01T09:00:00Z' })),
      // Refers to a client the server does not have: the whole batch's transaction fails.
      m('appointments', uuidv7(), job({ client_id: uuidv7() })),
    ])
    expect(results).toEqual(['applied', 'rejected'])
    expect(types).toEqual(['scheduling.appointment.created.v1'])
    expect(events[0]?.subject).toBe(`appointments/${good}`)
  })

  it('a push whose transaction fails at its commit leaves no event', async () => {
    // A deferred check that fails at COMMIT, after the push wrote its rows and events.
    await t.pool.query(`
      CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'commit refused' USING ERRCODE = '08006'; END $$;
      CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT OR UPDATE ON sync_rows
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_commit();`)
    try {
      const before = await storedEvents(t.pool)
      await expect(
        push(t.pool, office, [
          m('appointments', uuidv7(), job({ scheduled_at: '2027-08-01T09:00:00Z' })),
        ]),
      ).rejects.toThrow(/commit refused/)
      expect(await storedEvents(t.pool)).toEqual(before)
    } finally {
      await t.pool.query('DROP TRIGGER refuse_commit ON sync_rows; DROP FUNCTION refuse_commit()')
    }
  })
})
