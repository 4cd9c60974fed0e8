import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../shared/domain/ids'
import { encode } from '../shared/sync/hlc'
import { checkFields, PROTOCOL_VERSION, pushRequest } from '../shared/sync/protocol'
import { buildServer } from './app'
import { createPool, migrateServer } from './db'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice } from './tokens'

/** What review found the server let through: a rate limit a caller could dodge, inherited field names. */
describe('server hardening', () => {
  let db: TestDatabase
  let pool: pg.Pool
  let token: string
  beforeAll(async () => {
    db = await freshDatabase()
    pool = createPool(db.url, db.poolMax)
    await migrateServer(pool)
    token = (await createDevice(pool, { label: 'office', userName: 'Ada', role: 'admin' })).token
  })
  afterAll(async () => {
    await pool.end()
    await db.drop()
  })

  describe('rate limit', () => {
    const statuses = async (
      app: ReturnType<typeof buildServer>,
      n: number,
      request: (i: number) => { headers?: Record<string, string>; remoteAddress?: string },
    ) => {
      const out: number[] = []
      for (let i = 0; i < n; i++)
        out.push((await app.inject({ url: '/v1/whoami', ...request(i) })).statusCode)
      return out
    }

    it('counts by client address: made-up tokens get no fresh allowance', async () => {
      const app = buildServer({ pool, rateLimit: { max: 5, windowMs: 60_000 } })
      try {
        const codes = await statuses(app, 8, (i) => ({
          headers: { authorization: `Bearer gk_${String(i).repeat(43).slice(0, 43)}` },
        }))
        expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
        expect(codes.slice(5)).toEqual([429, 429, 429])
        const limited = await app.inject({
          url: '/v1/whoami',
          headers: { authorization: `Bearer ${token}` },
        })
        expect(limited.statusCode).toBe(429)
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
        expect(limited.json()).toEqual({
          ok: false,
          error: { code: 'UNAVAILABLE', message: 'too many requests' },
        })
        // Another address still gets through.
        const other = await app.inject({
          url: '/v1/whoami',
          headers: { authorization: `Bearer ${token}` },
          remoteAddress: '10.1.2.3',
        })
        expect(other.statusCode).toBe(200)
      } finally {
        await app.close()
      }
    })

    it('believes X-Forwarded-For only from a trusted proxy', async () => {
      const forwarded = (i: number) => ({
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': `203.0.113.${i}` },
        remoteAddress: '10.0.0.7',
      })
      const direct = buildServer({ pool, rateLimit: { max: 3, windowMs: 60_000 } })
      const proxied = buildServer({
        pool,
        rateLimit: { max: 3, windowMs: 60_000 },
        trustProxy: '10.0.0.0/8',
      })
      try {
        // Not trusted: every request is the proxy's address, whatever the header says.
        expect((await statuses(direct, 5, forwarded)).at(-1)).toBe(429)
        // Trusted: each forwarded client has its own allowance.
        expect(await statuses(proxied, 5, forwarded)).toEqual([200, 200, 200, 200, 200])
      } finally {
        await direct.close()
        await proxied.close()
      }
    })
  })

  describe('field names from the wire', () => {
    let app: ReturnType<typeof buildServer>
    beforeAll(() => {
      app = buildServer({ pool })
    })
    afterAll(() => app.close())
    const hlc = () => encode({ ms: Date.now(), counter: 0, node: 'laptop' })
    const client = (fields: string) =>
      `{"id":"${uuidv7()}","table":"clients","rowId":"${uuidv7()}","hlc":"${hlc()}","fields":${fields}}`
    const push = (mutations: string[]) =>
      app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: `{"protocol":${PROTOCOL_VERSION},"mutations":[${mutations.join(',')}]}`,
      })

    it('refuses inherited names per mutation while the rest of the batch applies', async () => {
      const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf']
      const res = await push([
        ...names.map((n) => client(`{"name":"Eve","${n}":1}`)),
        client('{"name":"Plain client"}'),
      ])
      expect(res.statusCode).toBe(200)
      const results = res.json().data.results as { status: string; reason?: string }[]
      expect(results.map((r) => r.status)).toEqual([
        'rejected',
        'rejected',
        'rejected',
        'rejected',
        'applied',
      ])
      expect(results.slice(0, 4).map((r) => r.reason)).toEqual(
        names.map((n) => `clients have no field “${n}” on the server`),
      )
      const { rows } = await pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM clients WHERE name = 'Eve'",
      )
      expect(rows[0]?.n).toBe(0)
    })

    it("refuses the series' mark on anything but a visit, while the rest of the batch applies", async () => {
      const at = hlc()
      const marked = `{"id":"${uuidv7()}","table":"clients","rowId":"${uuidv7()}","hlc":"${at}","fields":{"name":"Marked"},"versions":{"name":"!${at}"}}`
      const res = await push([marked, client('{"name":"Unmarked client"}')])
      expect(res.statusCode).toBe(200)
      const results = res.json().data.results as { status: string; reason?: string }[]
      expect(results.map((r) => [r.status, r.reason])).toEqual([
        ['rejected', "only a series' visits carry the series' mark"],
        ['applied', undefined],
      ])
    })

    it('refuses dates outside the years the app stores per mutation, the rest applying', async () => {
      const job = (at: string) =>
        `{"id":"${uuidv7()}","table":"time_off","rowId":"${uuidv7()}","hlc":"${hlc()}","fields":{"starts_on":"${at}"}}`
      const when = (at: string) => client(`{"name":"Far client","deleted_at":"${at}"}`)
      const res = await push([
        when('9999-12-31T23:00:00-05:00'),
        when('0000-01-01T00:00:00Z'),
        job('0000-01-01'),
        client('{"name":"Near client"}'),
      ])
      expect(res.statusCode).toBe(200)
      const results = res.json().data.results as { status: string; reason?: string }[]
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'applied'])
      expect(results[0]?.reason).toMatch(/in the years 1900 to 2199/)
      const { rows } = await pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM clients WHERE name = 'Far client'",
      )
      expect(rows[0]?.n).toBe(0)
    })

    it('refuses an id in capitals, which would name another row, writing nothing', async () => {
      const rowId = uuidv7()
      const id = uuidv7()
      const named = (mutationId: string, row: string, name: string) =>
        `{"id":"${mutationId}","table":"clients","rowId":"${row}","hlc":"${hlc()}","fields":{"name":"${name}"}}`
      expect((await push([named(id, rowId, 'Lower Case Ltd')])).statusCode).toBe(200)
      const before = await pool.query('SELECT count(*)::int AS n FROM sync_rows')
      // In the envelope, the batch is refused; in a field, that mutation.
      for (const sent of [
        named(uuidv7(), rowId.toUpperCase(), 'Taken Over'),
        named(id.toUpperCase(), uuidv7(), 'Sent Again'),
      ]) {
        const res = await push([sent])
        expect(res.statusCode).toBe(400)
        expect(res.json().error.message).toMatch(/must be a UUID in lower case/)
      }
      const line = `{"id":"${uuidv7()}","table":"appointment_products","rowId":"${uuidv7()}","hlc":"${hlc()}","fields":{"appointment_id":"${rowId.toUpperCase()}"}}`
      const res = await push([line])
      expect(res.statusCode).toBe(200)
      expect(res.json().data.results[0]).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(/must be a UUID in lower case/),
      })
      expect((await pool.query('SELECT count(*)::int AS n FROM sync_rows')).rows).toEqual(
        before.rows,
      )
      const { rows } = await pool.query<{ name: string }>(
        'SELECT name FROM clients WHERE id = $1',
        [rowId],
      )
      expect(rows).toEqual([{ name: 'Lower Case Ltd' }])
    })

    it('says in words which row a refused reference names', async () => {
      const product = uuidv7()
      const mutation = (table: string, fields: object) =>
        `{"id":"${uuidv7()}","table":"${table}","rowId":"${uuidv7()}","hlc":"${hlc()}","fields":${JSON.stringify(fields)}}`
      const res = await push([
        `{"id":"${uuidv7()}","table":"products","rowId":"${product}","hlc":"${hlc()}","fields":{"name":"Mulch","description":"","unit":"bag","unit_price":"4.00","is_active":true}}`,
        mutation('appointment_products', {
          appointment_id: uuidv7(),
          product_id: product,
          quantity: '1',
          unit_price: '4.00',
        }),
        mutation('time_off', {
          team_member_id: uuidv7(),
          starts_on: '2027-01-04',
          ends_on: null,
          reason: '',
        }),
      ])
      expect(res.statusCode).toBe(200)
      expect(
        (res.json().data.results as { status: string; reason?: string }[]).map((r) => [
          r.status,
          r.reason,
        ]),
      ).toEqual([
        ['applied', undefined],
        ['rejected', 'it refers to an appointment that the server does not have'],
        ['rejected', 'it refers to a team member that the server does not have'],
      ])
    })

    it('refuses __proto__ outright, writing nothing, rather than failing or dropping it', async () => {
      const before = await pool.query('SELECT count(*)::int AS n FROM sync_rows')
      for (const fields of ['{"name":"Eve","__proto__":"x"}', '{"name":"Eve","__proto__":null}']) {
        const res = await push([client(fields), client('{"name":"Other"}')])
        expect(res.statusCode).toBe(400)
        expect(res.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
      }
      const base = `{"id":"${uuidv7()}","table":"clients","rowId":"${uuidv7()}","hlc":"${hlc()}","fields":{"name":"Eve"},"base":{"__proto__":"${hlc()}"}}`
      expect((await push([base])).statusCode).toBe(400)
      expect((await pool.query('SELECT count(*)::int AS n FROM sync_rows')).rows).toEqual(
        before.rows,
      )
    })

    it('checks own fields only, whatever object the names arrive in', () => {
      for (const n of ['constructor', 'toString', '__proto__']) {
        expect(checkFields('clients', JSON.parse(`{"${n}":1}`))).toBe(
          `clients have no field “${n}” on the server`,
        )
      }
      // Past the HTTP layer too, a parsed push never silently loses a `__proto__` field.
      const body = JSON.parse(
        `{"protocol":${PROTOCOL_VERSION},"mutations":[${client('{"name":"E","__proto__":"x"}')}]}`,
      )
      expect(pushRequest.safeParse(body).success).toBe(false)
    })

    it('refuses working days that name a day twice, as the app does', () => {
      expect(checkFields('business_settings', { working_days: '1,2,1' })).toBe(
        'the working days of one of the business settings is not valid: it must not repeat a day',
      )
      expect(checkFields('business_settings', { working_days: '1,2,3' })).toBeNull()
      expect(checkFields('team_members', { working_days: '0,0' })).toMatch(/must not repeat a day/)
    })

    it('refuses a row sent again whose versions do not match its fields', () => {
      const stamp = (ms: number) => encode({ ms, counter: 0, node: 'laptop' })
      const [old, now] = [stamp(Date.now() - 60_000), stamp(Date.now())]
      const resent = (versions: Record<string, string>) =>
        pushRequest.safeParse({
          protocol: PROTOCOL_VERSION,
          mutations: [
            {
              id: uuidv7(),
              table: 'clients',
              rowId: uuidv7(),
              hlc: now,
              fields: { name: 'Eve', phone: null },
              versions,
            },
          ],
        }).success
      expect(resent({ name: now, phone: old })).toBe(true)
      // A field without a version, a version without a field, one newer than the write.
      expect(resent({ name: now })).toBe(false)
      expect(resent({ name: now, phone: old, email: old })).toBe(false)
      expect(resent({ name: stamp(Date.now() + 1000), phone: old })).toBe(false)
      // The series' own writes carry marked versions, held to the same rules.
      expect(resent({ name: `!${now}`, phone: `!${old}` })).toBe(true)
      expect(resent({ name: `!${stamp(Date.now() + 1000)}`, phone: old })).toBe(false)
      expect(resent({ name: `!!${now}`, phone: old })).toBe(false)
      expect(resent({ name: `~${now}`, phone: old })).toBe(false)
    })
  })
})
