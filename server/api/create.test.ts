import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pull } from '../pull'
import { type ApiFixture, apiFixture, seedJobs } from './api.test-support'

/** POST /api/v1/appointments/: the original's Part 2 create rules, through the sync machinery. */
let f: ApiFixture
const post = (body: unknown, token = f.tokens.office, headers: Record<string, string> = {}) =>
  f.call(token, { method: 'POST', url: '/api/v1/appointments/', payload: body as object, headers })
const rows = async () =>
  (await f.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM appointments')).rows[0]?.n
let booking: Record<string, unknown>
let hour = 0
/** A booking no test has made yet (each at its own hour). */
const fresh = (extra: Record<string, unknown> = {}) => {
  hour += 1
  return {
    client_id: f.business.clients.john,
    service_id: f.business.services.hedges,
    // An hour of its own each, from July 1st on.
    scheduled_at: new Date(Date.UTC(2027, 6, 1) + hour * 3_600_000).toISOString(),
    location: 'SW1A 1AA',
    ...extra,
  }
}

beforeAll(async () => {
  f = await apiFixture()
  booking = fresh({ notes: 'Side gate' })
})
afterAll(() => f.close())

describe('booking', () => {
  it('creates a scheduled job at the service price and length: 201 with the original fields', async () => {
    const res = await post(booking, f.tokens.office, { 'x-correlation-id': 'office-web-42' })
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({
      status: 'scheduled',
      scheduled_date: '2027-07-01T01:00:00.000Z',
      scheduled_at: '2027-07-01T01:00:00.000Z',
      location: 'SW1A 1AA',
      notes: 'Side gate',
      client_name: 'John Doe',
      service_name: 'Hedge trimming',
      price: '65.50',
      duration_minutes: 90,
      team_member_id: null,
      correlation_id: 'office-web-42',
    })
    expect(body.appointment_id).toBe(body.id)
    expect(res.headers['x-correlation-id']).toBe('office-web-42')
    // Counted by the database's triggers as well: the list's total grows by one.
    const list = await f.call(f.tokens.office, { url: '/api/v1/appointments/?status=scheduled' })
    expect(list.json().count).toBe(1)
    const get = await f.call(f.tokens.office, { url: `/api/v1/appointments/${body.id}/` })
    expect(get.json()).toMatchObject({ id: body.id, location: 'SW1A 1AA', price: '65.50' })
  })

  it('goes through sync: recorded as a mutation of the device, pulled by laptops, evented', async () => {
    const res = await post(fresh(), f.tokens.office, { 'x-correlation-id': 'trace-7' })
    const id = res.json().id as string
    const { rows: m } = await f.pool.query(
      `SELECT m.status, d.role FROM sync_mutations m JOIN sync_devices d ON d.id = m.device_id
       WHERE m.row_id = $1`,
      [id],
    )
    expect(m).toEqual([{ status: 'applied', role: 'office_manager' }])
    const { changes } = await pull(f.pool, 0, 1000)
    const change = changes.find((c) => c.rowId === id)
    expect(change?.table).toBe('appointments')
    expect(change?.values).toMatchObject({ status: 'scheduled', location: 'SW1A 1AA' })
    expect(Object.keys(change?.versions ?? {})).toContain('location')
    const { rows: events } = await f.pool.query(
      'SELECT type FROM domain_events WHERE subject LIKE $1 AND correlation_id = $2',
      [`%${id}%`, 'trace-7'],
    )
    expect(events.map((e) => e.type)).toEqual(['scheduling.appointment.created.v1'])
  })

  it('reads a time without a zone as UTC, and converts an offset to UTC', async () => {
    const naive = await post(fresh({ scheduled_at: '2026-08-01T09:30' }))
    expect(naive.json().scheduled_at).toBe('2026-08-01T09:30:00.000Z')
    const offset = await post(fresh({ scheduled_at: '2026-08-01T09:30:00+02:00' }))
    expect(offset.json().scheduled_at).toBe('2026-08-01T07:30:00.000Z')
  })

  it('lists every missing field at once, and refuses a body that is not JSON', async () => {
    const before = await rows()
    for (const body of [{}, undefined]) {
      const res = await post(body)
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({
        client_id: ['This field is required.'],
        service_id: ['This field is required.'],
        scheduled_at: ['This field is required.'],
        location: ['This field is required.'],
        correlation_id: res.headers['x-correlation-id'],
      })
    }
    const bad = await post({ ...fresh(), client_id: 'john', scheduled_at: 'soon', location: '  ' })
    expect(bad.json()).toMatchObject({
      client_id: ['This field must be a UUID.'],
      scheduled_at: [expect.stringMatching(/^This field must be an ISO-8601 date and time/)],
      location: ['This field is required.'],
    })
    // Years the app does not store: 400, not the database's refusal.
    for (const at of ['9999-12-31T23:00:00-05:00', '0000-01-01T00:00:00Z']) {
      const far = await post({ ...fresh(), scheduled_at: at })
      expect(far.statusCode, at).toBe(400)
      expect(far.json()).toMatchObject({
        scheduled_at: ['This field must be in the years 1900 to 2199.'],
      })
    }
    // A filter's bound may be any four-digit year; beyond, or the year 0, is refused.
    const bound = (at: string) =>
      f.call(f.tokens.office, {
        url: `/api/v1/appointments/?schedule_start_date=${encodeURIComponent(at)}`,
      })
    expect((await bound('9999-12-31')).statusCode).toBe(200)
    for (const at of ['9999-12-31T23:00:00-05:00', '0000-01-01T00:00:00Z'])
      expect((await bound(at)).statusCode, at).toBe(400)
    const notJson = await f.call(f.tokens.office, {
      method: 'POST',
      url: '/api/v1/appointments/',
      headers: { 'content-type': 'application/json' },
      payload: '{"client_id": ',
    })
    expect(notJson.statusCode).toBe(400)
    expect(notJson.json()).toMatchObject({ detail: 'The body is not valid JSON.' })
    const text = await f.call(f.tokens.office, {
      method: 'POST',
      url: '/api/v1/appointments/',
      headers: { 'content-type': 'text/plain' },
      payload: 'client=1',
    })
    expect(text.statusCode).toBe(415)
    expect(await rows()).toBe(before)
  })

  it('takes notes up to 1,024 characters', async () => {
    expect((await post(fresh({ notes: 'n'.repeat(1024) }))).statusCode).toBe(201)
    const long = await post(fresh({ notes: 'n'.repeat(1025) }))
    expect(long.statusCode).toBe(400)
    expect(long.json().notes).toEqual(['This field is too long (1024 at most).'])
  })

  it('refuses text PostgreSQL cannot store with a field message, changing nothing', async () => {
    const before = await rows()
    const res = await post(fresh({ location: 'Plot\u00007', notes: 'gate\u0000code' }))
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      location: ['This field has a character that cannot be saved (NUL).'],
      notes: ['This field has a character that cannot be saved (NUL).'],
      correlation_id: res.headers['x-correlation-id'],
    })
    expect(await rows()).toBe(before)
  })

  it('is 404 naming the unknown (or deleted) client, service, team member or visit', async () => {
    const b = f.business
    const nobody = '01234567-89ab-7def-8123-456789abcdef'
    const before = await rows()
    for (const [extra, message] of [
      [{ client_id: nobody }, 'No client has this client_id.'],
      [{ client_id: b.clients.gone }, 'No client has this client_id.'],
      [{ service_id: nobody }, 'No service has this service_id.'],
      [{ service_id: b.services.deleted }, 'No service has this service_id.'],
      [{ team_member_id: nobody }, 'No team member has this team_member_id.'],
      [{ follow_up_of_id: nobody }, 'No appointment has this follow_up_of_id.'],
    ] as const) {
      const res = await post(fresh(extra))
      expect(res.statusCode, message).toBe(404)
      expect(res.json()).toEqual({ detail: message, correlation_id: expect.any(String) })
    }
    const archived = await post(fresh({ service_id: b.services.archived }))
    expect(archived.statusCode).toBe(400)
    expect(archived.json().service_id).toEqual(['This service is archived and cannot be booked.'])
    expect(await rows()).toBe(before)
  })

  it('refuses a second booking of the same client, service, time and location with 409', async () => {
    const before = await rows()
    const again = await post({ ...booking, notes: 'another note' })
    expect(again.statusCode).toBe(409)
    expect(again.json().detail).toBe(
      'An appointment for this client and service at this time and location already exists.',
    )
    expect(await rows()).toBe(before)
    expect((await post({ ...booking, location: 'EC1A 1BB' })).statusCode).toBe(201)
    // Live rows only: once the first is deleted, the same booking can be made again.
    const [deleted] = await seedJobs(f.pool, [
      {
        client: f.business.clients.jane,
        service: f.business.services.mowing,
        at: '2026-09-01T10:00:00Z',
        location: 'N1 9GU',
        deleted: true,
      },
    ])
    expect(deleted).toBeDefined()
    const same = {
      client_id: f.business.clients.jane,
      service_id: f.business.services.mowing,
      scheduled_at: '2026-09-01T10:00:00Z',
      location: 'N1 9GU',
    }
    expect((await post(same)).statusCode).toBe(201)
    // Nor is a cancelled booking in the way of booking it again.
    const cancelled = { ...same, scheduled_at: '2026-09-02T10:00:00Z' }
    await seedJobs(f.pool, [
      {
        client: cancelled.client_id,
        service: cancelled.service_id,
        at: cancelled.scheduled_at,
        location: cancelled.location,
        status: 'cancelled',
      },
    ])
    expect((await post(cancelled)).statusCode).toBe(201)
    expect((await post(cancelled)).statusCode).toBe(409)
  })

  it('lets one of two identical requests at once through, and refuses the other', async () => {
    const twin = fresh()
    const codes = (await Promise.all(Array.from({ length: 6 }, () => post(twin)))).map(
      (r) => r.statusCode,
    )
    expect(codes.sort()).toEqual([201, 409, 409, 409, 409, 409])
  })
})

/** A follow-up of `visit`, without a location (a crew lead's way of booking). */
const followUp = (visit: string | undefined, extra: Record<string, unknown> = {}) => {
  const { location: _, ...body } = fresh({ follow_up_of_id: visit, ...extra })
  return body
}

describe("a crew lead's device", () => {
  it("may not book a visit, nor learn of another crew's job; only follow-ups of its own", async () => {
    const before = await rows()
    const plain = await post(fresh(), f.tokens.ana)
    expect(plain.statusCode).toBe(403)
    expect(plain.json().detail).toBe('A crew lead may only book follow-up visits.')
    const [bens] = await seedJobs(f.pool, [
      {
        client: f.business.clients.john,
        service: f.business.services.mowing,
        at: '2026-07-10T09:00:00Z',
        crew: f.business.crew.ben,
      },
    ])
    // As GET answers another crew's job: not found (its existence is not told).
    const other = await post(followUp(bens), f.tokens.ana)
    expect(other.statusCode).toBe(404)
    expect(other.json().detail).toBe('No appointment has this follow_up_of_id.')
    expect(await rows()).toBe((before ?? 0) + 1)
  })

  it("books a follow-up of its crew's job, for that crew", async () => {
    const [anas] = await seedJobs(f.pool, [
      {
        client: f.business.clients.john,
        service: f.business.services.mowing,
        at: '2026-07-11T09:00:00Z',
        crew: f.business.crew.ana,
      },
    ])
    const mine = followUp(anas)
    const res = await post(mine, f.tokens.ana)
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      follow_up_of_id: anas,
      team_member_id: f.business.crew.ana,
      price: '65.50',
      location: null,
    })
    // At the client's address (no location) twice is a duplicate as well.
    expect((await post(mine, f.tokens.ana)).statusCode).toBe(409)
    const wrongClient = await post(
      followUp(anas, { client_id: f.business.clients.jane }),
      f.tokens.ana,
    )
    expect(wrongClient.statusCode).toBe(403)
    expect(wrongClient.json().detail).toBe('A follow-up is for the client of the visit it follows.')
    const wrongCrew = await post(
      followUp(anas, { team_member_id: f.business.crew.ben }),
      f.tokens.ana,
    )
    expect(wrongCrew.statusCode).toBe(403)
  })

  it('reads ids written in capitals as the same ids', async () => {
    const [anas] = await seedJobs(f.pool, [
      {
        client: f.business.clients.john,
        service: f.business.services.mowing,
        at: '2026-07-12T09:00:00Z',
        crew: f.business.crew.ana,
      },
    ])
    const res = await post(
      followUp(anas?.toUpperCase(), {
        client_id: f.business.clients.john.toUpperCase(),
        service_id: f.business.services.hedges.toUpperCase(),
      }),
      f.tokens.ana,
    )
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      follow_up_of_id: anas,
      client_id: f.business.clients.john,
      service_id: f.business.services.hedges,
    })
    const read = await f.call(f.tokens.ana, {
      method: 'GET',
      url: `/api/v1/appointments/${res.json().id.toUpperCase()}/`,
    })
    expect(read.statusCode).toBe(200)
    expect(read.json().id).toBe(res.json().id)
  })

  it('is at the place of the visit it follows unless told, and the duplicate guard knows it', async () => {
    const [visit] = await seedJobs(f.pool, [
      {
        client: f.business.clients.jane,
        service: f.business.services.mowing,
        at: '2026-07-12T09:00:00Z',
        location: 'N1 9GU',
      },
    ])
    const body = followUp(visit, { client_id: f.business.clients.jane })
    const first = await post(body)
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json().location).toBe('N1 9GU')
    expect((await post({ ...body, location: 'N1 9GU' })).statusCode).toBe(409)
    expect((await post(body)).statusCode).toBe(409)
  })
})
