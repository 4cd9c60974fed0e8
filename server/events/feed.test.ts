import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../shared/domain/ids'
import type { RawEnvelope } from '../../shared/events/envelope'
import { buildServer } from '../app'
import { createDevice } from '../tokens'
import {
  DEVICE,
  type EventsDb,
  eventsDatabase,
  inTransaction,
  jobValues,
  storedEvents,
} from './events.test-support'
import { type RowChange, recordEvents } from './outbox'

describe('GET /v1/events, the admin feed', () => {
  let t: EventsDb
  let app: ReturnType<typeof buildServer>
  const tokens: Record<string, string> = {}
  beforeAll(async () => {
    t = await eventsDatabase()
    app = buildServer({ pool: t.pool })
    for (const role of ['admin', 'office_manager'] as const)
      tokens[role] = (await createDevice(t.pool, { label: role, userName: role, role })).token
    const changes: RowChange[] = Array.from({ length: 5 }, () => ({
      table: 'appointments',
      rowId: uuidv7(),
      before: null,
      after: jobValues(),
    }))
    await inTransaction(t.pool, (c) => recordEvents(c, changes, { deviceId: DEVICE }))
  })
  afterAll(async () => {
    await app.close()
    await t.close()
  })

  const get = async (url: string, token: string | null = tokens.admin ?? null) => {
    const res = await app.inject({
      method: 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    return { status: res.statusCode, body: res.json() }
  }
  type Page = { events: RawEnvelope[]; cursor: string; more: boolean }

  it('pages through every envelope in order; the cursor says where to go on', async () => {
    const stored = (await storedEvents(t.pool)).map(({ seq: _s, ...e }) => e)
    const first = await get('/v1/events?limit=2')
    expect(first.status).toBe(200)
    const page1 = first.body.data as Page
    expect(page1.events).toEqual(stored.slice(0, 2))
    expect(page1.more).toBe(true)
    const page2 = (await get(`/v1/events?after=${page1.cursor}&limit=2`)).body.data as Page
    const page3 = (await get(`/v1/events?after=${page2.cursor}&limit=2`)).body.data as Page
    expect([...page2.events, ...page3.events]).toEqual(stored.slice(2))
    expect(page3.more).toBe(false)
    // Nothing new: no events, and the cursor stays.
    const end = (await get(`/v1/events?after=${page3.cursor}`)).body.data as Page
    expect(end).toEqual({
      events: [],
      cursor: page3.cursor,
      more: false,
      epoch: expect.any(String),
    })
    // From the start, with the default limit, everything.
    expect(((await get('/v1/events')).body.data as Page).events).toEqual(stored)
  })

  it('tells of a restored database: a cursor past every event starts again, from 0', async () => {
    const { epoch } = (await get('/v1/events')).body.data
    const ahead = (await get('/v1/events?after=999999999999999999')).body.data
    expect(ahead).toEqual({ events: [], cursor: '0', more: false, restarted: true, epoch })
    const last = (await storedEvents(t.pool)).at(-1)?.seq
    expect((await get(`/v1/events?after=${last}`)).body.data.restarted).toBeUndefined()
    expect((await get(`/v1/events?after=${Number(last) + 1}`)).body.data.restarted).toBe(true)
  })

  it('is for admin devices only', async () => {
    expect((await get('/v1/events', null)).status).toBe(401)
    const office = await get('/v1/events', tokens.office_manager ?? null)
    expect(office).toEqual({
      status: 403,
      body: { ok: false, error: { code: 'FORBIDDEN', message: 'an admin device is required' } },
    })
  })

  it('refuses a cursor or limit it cannot use, with the reason', async () => {
    for (const query of [
      'after=-1',
      'after=abc',
      'limit=0',
      'limit=1001',
      'limit=x',
      'limit=0x10',
      'limit=1e1',
      'limit=0b11',
      'limit=2&limit=3',
      'since=3',
    ]) {
      const res = await get(`/v1/events?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION')
    }
    expect((await get('/v1/events?after=abc')).body.error.message).toMatch(/after must be a cursor/)
  })
})
