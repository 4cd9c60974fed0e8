import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../shared/domain/ids'
import { deviceStamps } from '../shared/sync/device-stamps.test-support'
import { encode } from '../shared/sync/hlc'
import { type Mutation, PROTOCOL_VERSION } from '../shared/sync/protocol'
import { buildServer } from './app'
import { createPool, migrateServer } from './db'
import { ensureReferences } from './references.test-support'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice } from './tokens'

const CREW = uuidv7()

describe('sync push and pull', () => {
  let db: TestDatabase
  let pool: pg.Pool
  let app: ReturnType<typeof buildServer>
  const tokens: Record<string, string> = {}
  beforeAll(async () => {
    db = await freshDatabase()
    pool = createPool(db.url, db.poolMax)
    await migrateServer(pool)
    app = buildServer({ pool })
    for (const [name, role] of [
      ['office', 'office_manager'],
      ['laptop', 'office_manager'],
      ['crew', 'crew_lead'],
    ] as const) {
      const teamMemberId = role === 'crew_lead' ? CREW : null
      tokens[name] = (
        await createDevice(pool, { label: name, userName: name, role, teamMemberId })
      ).token
    }
  })
  afterAll(async () => {
    await app.close()
    await pool.end()
    await db.drop()
  })

  const post = async (device: string, url: string, payload: unknown) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${tokens[device]}` },
      payload: payload as object,
    })
    return {
      status: res.statusCode,
      body: res.json() as { ok: boolean; data: never; error?: { message: string } },
    }
  }
  /** Pushes as it comes: rows it names that the server lacks stay missing. */
  const pushBare = async (device: string, mutations: Mutation[]) =>
    (await post(device, '/v1/sync/push', { protocol: PROTOCOL_VERSION, mutations })).body.data as {
      results: { id: string; status: string; reason?: string }[]
    }
  const pushAs = async (device: string, mutations: Mutation[]) => {
    await ensureReferences(pool, mutations)
    return pushBare(device, mutations)
  }
  const pullFrom = async (cursor: number, limit = 500) =>
    (await post('office', '/v1/sync/pull', { protocol: PROTOCOL_VERSION, cursor, limit })).body
      .data as {
      changes: { seq: number; table: string; rowId: string; values: Record<string, unknown> }[]
      cursor: number
      more: boolean
    }

  const clocks = {
    office: deviceStamps('office'),
    laptop: deviceStamps('laptop'),
    crew: deviceStamps('crew'),
  }
  const m = (
    device: keyof typeof clocks,
    table: Mutation['table'],
    rowId: string,
    fields: Mutation['fields'],
  ): Mutation => ({
    id: uuidv7(),
    table,
    rowId,
    hlc: clocks[device](),
    fields,
  })

  it('keeps both a crew lead’s status change and the office’s time change, in either order', async () => {
    for (const crewFirst of [false, true]) {
      const job = uuidv7()
      const created = m('office', 'appointments', job, {
        client_id: uuidv7(),
        service_id: uuidv7(),
        team_member_id: CREW,
        scheduled_at: '2027-03-02T15:00:00Z',
        duration_minutes: 60,
        status: 'scheduled',
        notes: '',
        price: '55.00',
        follow_up_of_id: null,
        started_at: null,
        completed_at: null,
        deleted_at: null,
      })
      expect((await pushAs('office', [created])).results[0]?.status).toBe('applied')
      // Both wrote offline, having seen the job as it was created.
      const base = Object.fromEntries(Object.keys(created.fields).map((f) => [f, created.hlc]))
      const crew = {
        ...m('crew', 'appointments', job, {
          status: 'completed',
          completed_at: new Date().toISOString(),
          notes: 'done early',
        }),
        base,
      }
      const office = {
        ...m('office', 'appointments', job, { scheduled_at: '2027-03-03T15:00:00Z' }),
        base,
      }
      const order = crewFirst ? ([crew, office] as const) : ([office, crew] as const)
      for (const w of order) {
        const who = w === crew ? 'crew' : 'office'
        expect((await pushAs(who, [w])).results[0]?.status, `crew first: ${crewFirst}`).toBe(
          'applied',
        )
      }
      const { changes } = await pullFrom(0, 1000)
      expect(changes.find((c) => c.rowId === job)?.values).toMatchObject({
        status: 'completed',
        notes: 'done early',
        // The central table keeps instants: they come back in one form, UTC to the ms.
        scheduled_at: '2027-03-03T15:00:00.000Z',
      })
    }
  })

  it('applies a batch delivered twice only once', async () => {
    const id = uuidv7()
    const batch = [m('laptop', 'clients', id, { name: 'Twice Sent', notes: '' })]
    const first = await pushAs('laptop', batch)
    const cursor = (await pullFrom(0, 1000)).cursor
    const second = await pushAs('laptop', batch)
    expect(first.results[0]?.status).toBe('applied')
    expect(second.results[0]?.status).toBe('duplicate')
    expect((await pullFrom(cursor)).changes).toEqual([])
  })

  it('refuses, per mutation and with a reason, what a role or the schema does not allow', async () => {
    const job = (crew: string | null) => ({
      client_id: uuidv7(),
      service_id: uuidv7(),
      team_member_id: crew,
      scheduled_at: '2027-04-02T15:00:00Z',
      duration_minutes: 60,
      status: 'scheduled',
      notes: '',
      price: '55.00',
    })
    const mine = uuidv7()
    const theirs = uuidv7()
    await pushAs('office', [
      m('office', 'appointments', mine, job(CREW)),
      m('office', 'appointments', theirs, job(uuidv7())),
    ])
    const crew = await pushAs('crew', [
      m('crew', 'appointments', mine, { notes: 'gate open' }),
      m('crew', 'appointments', theirs, { notes: 'not my job' }),
      m('crew', 'appointments', mine, { price: '1.00' }),
      m('crew', 'services', uuidv7(), { name: 'Free work' }),
    ])
    expect(crew.results.map((r) => r.status)).toEqual([
      'applied',
      'rejected',
      'rejected',
      'rejected',
    ])
    expect(crew.results[1]?.reason).toMatch(/only change the jobs of their own crew/)
    expect(crew.results[2]?.reason).toMatch(/may change only the status and notes/)
    expect(crew.results[3]?.reason).toMatch(/crew lead may not change services/)

    // A status without its time: refused, not stored as a completion with no time.
    const bare = await pushAs('crew', [m('crew', 'appointments', mine, { status: 'completed' })])
    expect(bare.results[0]?.status).toBe('rejected')
    expect(bare.results[0]?.reason).toBe('a completed job needs the time it was completed')

    // Given to another crew after what the crew lead's laptop had seen: refused, saying so.
    const moved = uuidv7()
    const booked = m('office', 'appointments', moved, job(CREW))
    await pushAs('office', [booked])
    const seen = Object.fromEntries(Object.keys(booked.fields).map((f) => [f, booked.hlc]))
    await pushAs('office', [
      { ...m('office', 'appointments', moved, { team_member_id: uuidv7() }), base: seen },
    ])
    const late = await pushAs('crew', [
      { ...m('crew', 'appointments', moved, { notes: 'started it' }), base: seen },
    ])
    expect(late.results[0]?.status).toBe('rejected')
    expect(late.results[0]?.reason).toMatch(/gave this job to another crew before this laptop/)

    // The laptop's rules, enforced here too: no reopening, no made-up start or end times;
    // within a minute of completing, the Undo takes the job back to where it was (in
    // progress, as it had been started), never further.
    const now = () => new Date().toISOString()
    const lifecycle = await pushAs('crew', [
      m('crew', 'appointments', mine, {
        status: 'in_progress',
        started_at: new Date(Date.now() - 1000).toISOString(),
      }),
      m('crew', 'appointments', mine, { status: 'completed', completed_at: now() }),
      m('crew', 'appointments', mine, {
        status: 'scheduled',
        started_at: null,
        completed_at: null,
      }),
      m('crew', 'appointments', mine, { completed_at: '2020-01-01T00:00:00Z' }),
      m('crew', 'appointments', mine, { status: 'in_progress', started_at: now() }),
    ])
    expect(lifecycle.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'rejected',
      'rejected',
      'applied',
    ])
    expect(lifecycle.results[2]?.reason).toMatch(/can only be reopened by an office manager/)
    expect(lifecycle.results[3]?.reason).toMatch(/set only by starting or completing/)
    // Versions of its own do not let a write date a completion before the start known here.
    const status = clocks.crew()
    const past = Date.now() - 2 * 3_600_000
    const [backdated] = (
      await pushAs('crew', [
        {
          ...m('crew', 'appointments', mine, {
            status: 'completed',
            completed_at: new Date(past).toISOString(),
          }),
          hlc: status,
          versions: { status, completed_at: encode({ ms: past, counter: 0, node: 'crew' }) },
        },
      ])
    ).results
    expect(backdated?.reason).toBe(
      "a start or completion time may not precede the job's last change of status",
    )
    const early = await pushAs('office', [
      m('office', 'appointments', theirs, {
        status: 'in_progress',
        started_at: '2027-04-02T15:00:00Z',
      }),
    ])
    expect(early.results[0]?.reason).toMatch(/must be the moment of the change/)
    const office = await pushAs('office', [
      m('office', 'clients', uuidv7(), { password: 'x' }),
      m('office', 'services', uuidv7(), { base_price: '-3' }),
    ])
    expect(office.results.map((r) => r.reason)).toEqual([
      'clients have no field “password” on the server',
      'the base price of one of the services is not valid',
    ])
  })

  it('lets a crew lead add a follow-up job for their own crew, and nothing else new', async () => {
    const client = uuidv7()
    const service = uuidv7()
    await pushAs('office', [
      m('office', 'services', service, {
        name: `Follow-up ${service}`,
        description: '',
        priority: 'MEDIUM',
        base_price: '55.00',
        duration_minutes: 60,
        is_active: true,
      }),
    ])
    const original = uuidv7()
    const job = (crew: string | null, extra: Mutation['fields'] = {}) => ({
      client_id: client,
      service_id: service,
      team_member_id: crew,
      scheduled_at: '2099-04-09T15:00:00Z',
      duration_minutes: 60,
      status: 'scheduled',
      notes: '',
      price: '55.00',
      follow_up_of_id: original,
      started_at: null,
      completed_at: null,
      deleted_at: null,
      ...extra,
    })
    await pushAs('office', [
      m('office', 'appointments', original, job(CREW, { follow_up_of_id: null })),
    ])
    const mine = uuidv7()
    const theirs = uuidv7()
    const existing = uuidv7()
    await pushAs('office', [m('office', 'appointments', existing, job(CREW))])
    const othersJob = uuidv7()
    await pushAs('office', [
      m('office', 'appointments', othersJob, job(uuidv7(), { follow_up_of_id: null })),
    ])
    const refused: [string, Mutation['fields'], RegExp][] = [
      ['another crew', job(uuidv7()), /for the crew of the visit it follows/],
      ['not a follow-up', job(CREW, { follow_up_of_id: null }), /only book follow-up visits/],
      ['already done', job(CREW, { status: 'completed' }), /starts as scheduled/],
      ['its own price', job(CREW, { price: '1.00' }), /may not set a price/],
      ['another client', job(CREW, { client_id: uuidv7() }), /client of the visit it follows/],
      ['an unknown service', job(CREW, { service_id: uuidv7() }), /service was not found/],
      ['a start time', job(CREW, { started_at: new Date().toISOString() }), /without this/],
      ['deleted', job(CREW, { deleted_at: new Date().toISOString() }), /without this/],
      ['of another crew’s job', job(CREW, { follow_up_of_id: othersJob }), /their own crew/],
      ['of no job', job(CREW, { follow_up_of_id: uuidv7() }), /visit to follow up was not found/],
    ]
    // Bare: the unknown service must stay unknown.
    const crew = await pushBare('crew', [
      m('crew', 'appointments', mine, job(CREW)),
      m('crew', 'appointments', existing, job(CREW, { price: '1.00' })),
      ...refused.map(([, fields]) => m('crew', 'appointments', uuidv7(), fields)),
      m('crew', 'appointments', theirs, job(uuidv7())),
    ])
    expect(crew.results[0]?.status).toBe('applied')
    expect(crew.results[1]?.reason).toMatch(/may change only the status and notes/)
    refused.forEach(([what, , reason], i) => {
      expect(crew.results[i + 2]?.status, what).toBe('rejected')
      expect(crew.results[i + 2]?.reason, what).toMatch(reason)
    })
    const { changes } = await pullFrom(0, 1000)
    expect(changes.find((c) => c.rowId === mine)?.values).toMatchObject({
      team_member_id: CREW,
      follow_up_of_id: original,
    })
    expect(changes.some((c) => c.rowId === theirs)).toBe(false)
    expect(changes.find((c) => c.rowId === existing)?.values.price).toBe('55.00')
  })

  it("keeps a specialty's id the one made from its pair, refusing any other", async () => {
    const member = uuidv7()
    const service = uuidv7()
    const fields = { team_member_id: member, service_id: service, deleted_at: null }
    const { rows } = await pool.query<{ id: string }>('SELECT specialty_id($1, $2) AS id', [
      member,
      service,
    ])
    const id = rows[0]?.id as string
    const wrong = await pushAs('office', [m('office', 'team_member_specialties', uuidv7(), fields)])
    expect(wrong.results[0]?.reason).toMatch(/made from its crew member and service/)
    const right = await pushAs('office', [m('office', 'team_member_specialties', id, fields)])
    expect(right.results[0]?.status).toBe('applied')
    const other = uuidv7()
    const moved = await pushAs('office', [
      m('office', 'team_member_specialties', id, { team_member_id: other }),
    ])
    expect(moved.results[0]?.reason).toMatch(/are fixed/)
    const removed = await pushAs('office', [
      m('office', 'team_member_specialties', id, { deleted_at: '2027-01-01T00:00:00Z' }),
    ])
    expect(removed.results[0]?.status).toBe('applied')
  })

  it('records an edit that meets a deletion as a conflict, and both sides end alike', async () => {
    const id = uuidv7()
    await pushAs('office', [
      m('office', 'clients', id, { name: 'To Delete', notes: '', deleted_at: null }),
    ])
    const edit = m('laptop', 'clients', id, { notes: 'edited offline' })
    const del = m('office', 'clients', id, { deleted_at: '2027-01-01T00:00:00Z' })
    await pushAs('office', [del])
    await pushAs('laptop', [edit])
    const { rows } = await pool.query('SELECT kind FROM sync_conflicts WHERE row_id = $1', [id])
    expect(rows.map((r) => r.kind)).toEqual(['edit_and_delete'])
  })

  it('pages a pull in a stable order, with nothing lost between pages', async () => {
    const ids = Array.from({ length: 25 }, () => uuidv7())
    await pushAs(
      'office',
      ids.map((id, i) =>
        m('office', 'products', id, {
          name: `Product ${i}`,
          unit: 'each',
          unit_price: '1.00',
          description: '',
          is_active: true,
        }),
      ),
    )
    let cursor = 0
    const seen: number[] = []
    for (;;) {
      const page = await pullFrom(cursor, 7)
      seen.push(...page.changes.map((c) => c.seq))
      cursor = page.cursor
      if (!page.more) break
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(new Set(seen).size).toBe(seen.length)
    const products = (await pullFrom(0, 1000)).changes.filter((c) => c.table === 'products')
    expect(products).toHaveLength(25)
  })

  it('refuses a malformed body or another protocol version with 400', async () => {
    // A laptop from before marked versions (protocol 1) is told to update.
    const wrong = await post('office', '/v1/sync/push', { protocol: 1, mutations: [] })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error?.message).toMatch(
      /unsupported protocol version \(this server speaks 2\).*update the older one/,
    )
    const empty = await post('office', '/v1/sync/pull', { protocol: PROTOCOL_VERSION, cursor: -1 })
    expect(empty.status).toBe(400)
    // No version, or not a number: not the sync protocol, nothing to update.
    for (const body of [{}, { protocol: String(PROTOCOL_VERSION), mutations: [] }]) {
      const res = await post('office', '/v1/sync/push', body)
      expect(res.status).toBe(400)
      expect(res.body.error?.message).toBe(
        'invalid request: protocol must be the number of the version this server speaks (2)',
      )
    }
  })

  it('answers a path or method it does not have in its own envelope', async () => {
    const wrong = await app.inject({ method: 'GET', url: '/v1/sync/push' })
    expect([wrong.statusCode, wrong.headers.allow]).toEqual([405, 'POST'])
    expect(wrong.json()).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: '/v1/sync/push takes POST, not GET' },
    })
    // The protocol is JSON: a text body is refused as such, not read as a string.
    const text = await app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: { authorization: `Bearer ${tokens.office}`, 'content-type': 'text/plain' },
      payload: 'x',
    })
    expect(text.statusCode).toBe(415)
    expect(text.json().error.message).toBe('send the body as JSON (Content-Type: application/json)')
    for (const [method, url] of [
      ['GET', '/v1/nope'],
      ['GET', '/nope'],
    ] as const) {
      const res = await app.inject({ method, url })
      expect(res.statusCode, url).toBe(404)
      expect(res.json(), url).toEqual({
        ok: false,
        error: { code: 'NOT_FOUND', message: `there is no ${method} ${url}` },
      })
    }
  })

  it('refuses only the mutation the database cannot store; the rest of the batch applies', async () => {
    const good = m('office', 'clients', uuidv7(), { name: 'Before the bad one' })
    // A name of spaces passes the protocol's check, not the table's.
    const bad = m('office', 'clients', uuidv7(), { name: '   ' })
    const after = m('office', 'clients', uuidv7(), { name: 'After the bad one' })
    const { results } = await pushAs('office', [good, bad, after])
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied'])
    expect(results[1]?.reason).toBe('its name is not allowed: empty, too long or out of range')
    const { rows } = await pool.query<{ row_id: string }>(
      'SELECT row_id FROM sync_rows WHERE row_id = ANY($1::uuid[])',
      [[good.rowId, bad.rowId, after.rowId]],
    )
    expect(rows.map((r) => r.row_id).sort()).toEqual([good.rowId, after.rowId].sort())
    // Delivered again (the reply was lost), each keeps its first outcome: the refused one
    // stays refused, with its reason, and is not taken for applied.
    const again = await pushAs('office', [good, bad, after])
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'rejected', 'duplicate'])
    expect(again.results[1]?.reason).toBe(
      'its name is not allowed: empty, too long or out of range',
    )
    // A NUL character, which the database cannot store, is refused before it, named.
    const nul = m('office', 'clients', uuidv7(), { name: 'Nul', notes: 'a\u0000b' })
    const refused = (await pushAs('office', [nul])).results[0]
    expect(refused?.status).toBe('rejected')
    expect(refused?.reason).toBe(
      'the notes of one of the clients is not valid: it must not hold a NUL character',
    )
    // Nor is half of a character, which it would store as "�".
    const cut = m('office', 'clients', uuidv7(), { name: 'Cut \ud800 in two' })
    expect((await pushAs('office', [cut])).results[0]?.reason).toBe(
      'the name of one of the clients is not valid: it must not hold a broken character (half of a pair)',
    )
  })

  it('writes nothing for a push without a valid token (401), a malformed (400) or an oversized (413) body', async () => {
    const counts = async () =>
      (
        await pool.query<{ rows: number; mutations: number }>(
          `SELECT (SELECT count(*)::int FROM sync_rows) AS rows,
                  (SELECT count(*)::int FROM sync_mutations) AS mutations`,
        )
      ).rows[0]
    const before = await counts()
    const valid = {
      protocol: PROTOCOL_VERSION,
      mutations: [m('office', 'clients', uuidv7(), { name: 'Nope' })],
    }
    const send = (headers: Record<string, string>, payload: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: { 'content-type': 'application/json', ...headers },
        payload,
      })
    const bearer = { authorization: `Bearer ${tokens.office}` }
    expect((await send({}, JSON.stringify(valid))).statusCode).toBe(401)
    expect(
      (await send({ authorization: 'Bearer gk_unknown' }, JSON.stringify(valid))).statusCode,
    ).toBe(401)
    expect((await send(bearer, '{"protocol": 1, "mutations": [')).statusCode).toBe(400)
    const badId = {
      protocol: PROTOCOL_VERSION,
      mutations: [{ ...valid.mutations[0], id: 'not-a-uuid' }],
    }
    expect((await send(bearer, JSON.stringify(badId))).statusCode).toBe(400)
    const huge = {
      protocol: PROTOCOL_VERSION,
      mutations: [m('office', 'clients', uuidv7(), { name: 'x', notes: 'y'.repeat(6 * 2 ** 20) })],
    }
    expect((await send(bearer, JSON.stringify(huge))).statusCode).toBe(413)
    expect(await counts()).toEqual(before)
  })
})
