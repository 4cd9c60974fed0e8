import { Writable } from 'node:stream'
import rateLimit from '@fastify/rate-limit'
import { Validator } from '@seriousme/openapi-schema-validator'
import Fastify, { type InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer } from '../app'
import { createPool } from '../db'
import { revokeDevice } from '../tokens'
import { restApi } from '.'
import { type ApiFixture, apiFixture, asServer, seedJobs } from './api.test-support'

/** Who may call, how calls are traced and throttled, the document, and the other lists. */
let f: ApiFixture
beforeAll(async () => {
  f = await apiFixture({ bodyLimit: 16 * 1024 })
})
afterAll(() => f.close())
const url = '/api/v1/appointments/'

describe('authentication', () => {
  it('is 401 without a token, with another scheme or an unknown or revoked token', async () => {
    const none = await f.call(null, { url })
    expect(none.statusCode).toBe(401)
    expect(none.json()).toEqual({
      detail: 'Authentication credentials were not provided.',
      correlation_id: none.headers['x-correlation-id'],
    })
    expect(none.headers['www-authenticate']).toBe('Bearer, Token')
    for (const [token, scheme] of [
      [f.tokens.office, 'Basic'],
      [`gk_${'A'.repeat(43)}`, 'Bearer'],
      ['nonsense', 'Token'],
      ['', 'Bearer'],
    ] as const) {
      const res = await f.call(null, { url, headers: { authorization: `${scheme} ${token}` } })
      expect(res.statusCode, scheme).toBe(401)
      expect(res.json().detail).toBe('Invalid token.')
    }
    const { device, token } = await import('../tokens').then((t) =>
      t.createDevice(f.pool, { label: 'old', userName: 'Old', role: 'admin' }),
    )
    expect((await f.call(token, { url })).statusCode).toBe(200)
    await revokeDevice(f.pool, device.id)
    expect((await f.call(token, { url })).statusCode).toBe(401)
  })

  it("takes the original's Token scheme as well as Bearer, the keyword in any case", async () => {
    for (const scheme of ['Token', 'token', 'Bearer', 'bearer']) {
      const res = await f.call(f.tokens.office, { url, scheme })
      expect(res.statusCode, scheme).toBe(200)
      expect(res.headers['www-authenticate']).toBeUndefined()
    }
  })

  it('serves the OpenAPI document without a token, and it is valid OpenAPI 3', async () => {
    const res = await f.call(null, { url: '/api/v1/openapi.json' })
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    const validator = new Validator()
    const result = await validator.validate(doc)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.0')
    // OpenAPI 3.0 wants a default to be a value its schema allows; the validator above does
    // not look (code generators do): every default in the document is checked here.
    const defaults: string[] = []
    const typeOf = (v: unknown) =>
      Number.isInteger(v) ? 'integer' : Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return
      const n = node as Record<string, unknown>
      if ('default' in n && typeof n.type === 'string') {
        const t = typeOf(n.default)
        const fits = t === n.type || (n.type === 'number' && t === 'integer')
        if (!fits) defaults.push(`${at}: default ${JSON.stringify(n.default)} is not ${n.type}`)
        if (Array.isArray(n.enum) && !n.enum.includes(n.default))
          defaults.push(`${at}: default off its enum`)
        defaults.push(`${at} ok`)
      }
      for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`)
    }
    walk(doc, '')
    expect(defaults.filter((d) => !d.endsWith(' ok'))).toEqual([])
    expect(defaults.length).toBeGreaterThan(3)
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/appointments/',
      '/api/v1/appointments/{id}/',
      '/api/v1/clients/',
      '/api/v1/services/',
      '/api/v1/team-members/',
    ])
    const create = doc.paths['/api/v1/appointments/'].post
    expect(Object.keys(create.responses).sort()).toEqual(
      ['201', '400', '401', '403', '404', '409', '429', '503'].sort(),
    )
    // The location is required unless the booking follows up a visit (checked, not listed).
    expect(create.requestBody.content['application/json'].schema.required).toEqual([
      'client_id',
      'service_id',
      'scheduled_at',
    ])
    const params = doc.paths['/api/v1/appointments/'].get.parameters.map(
      (p: { name: string }) => p.name,
    )
    expect(params).toEqual([
      'limit',
      'offset',
      'ordering',
      'search',
      'schedule_start_date',
      'schedule_end_date',
      'status',
    ])
  })
})

describe('correlation ids', () => {
  it("echoes the caller's id, makes one when there is none, and replaces one it cannot log", async () => {
    for (const id of ['web:4f-2.a_b', 'abc/def+g==', 'Root=1-5759e988;Parent=53995c3f;Sampled=1']) {
      const given = await f.call(f.tokens.office, { url, headers: { 'x-correlation-id': id } })
      expect(given.statusCode, id).toBe(200)
      expect(given.headers['x-correlation-id'], id).toBe(id)
    }
    const made = await f.call(f.tokens.office, { url })
    expect(made.headers['x-correlation-id']).toMatch(/^cor-[0-9a-f]{32}$/)
    // Too long, or with spaces or control characters: the request goes on under an id made
    // here (the original too made one when it had none it could use).
    for (const bad of ['x'.repeat(201), 'has space', 'tab\there', 'caf\u00e9']) {
      const res = await f.call(f.tokens.office, { url, headers: { 'x-correlation-id': bad } })
      expect(res.statusCode, bad).toBe(200)
      expect(res.headers['x-correlation-id']).toMatch(/^cor-[0-9a-f]{32}$/)
    }
  })

  it('is on every log line of the request, the first one included', async () => {
    const lines: Record<string, unknown>[] = []
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
        done()
      },
    })
    const app = Fastify({ logger: { level: 'info', stream } })
    await app.register(rateLimit, { global: false, max: 100, timeWindow: 60_000 })
    await app.register(restApi, { prefix: '/api/v1', pool: f.pool })
    /** A request's answer and the lines logged for it (every line that names a request). */
    const traced = async (opts: InjectOptions) => {
      lines.length = 0
      const res = await app.inject(opts)
      return { res, logged: lines.filter((l) => 'reqId' in l) }
    }
    const auth = { authorization: `Bearer ${f.tokens.office}` }
    try {
      const booked = await traced({
        method: 'POST',
        url,
        headers: { ...auth, 'x-correlation-id': 'log-me-1' },
        payload: {
          client_id: f.business.clients.jane,
          service_id: f.business.services.mowing,
          scheduled_at: '2026-10-10T10:00:00Z',
          location: 'E1 6AN',
        },
      })
      expect(booked.res.statusCode).toBe(201)
      expect(booked.logged.map((l) => l.msg)).toEqual([
        'incoming request',
        'appointment booked',
        'request completed',
      ])
      for (const line of booked.logged) expect(line.reqId, String(line.msg)).toBe('log-me-1')

      // Made here (none given, or one that cannot be logged), and not found: the answer's
      // id on each line.
      for (const headers of [{}, { 'x-correlation-id': 'has space' }]) {
        const { res, logged } = await traced({ url, headers: { ...auth, ...headers } })
        const id = res.headers['x-correlation-id']
        expect(res.statusCode).toBe(200)
        expect(id).toMatch(/^cor-[0-9a-f]{32}$/)
        expect(logged.map((l) => l.msg)).toEqual(['incoming request', 'request completed'])
        for (const line of logged) expect(line.reqId, String(line.msg)).toBe(id)
      }
      const lost = await traced({
        url: '/api/v1/invoices/',
        headers: { ...auth, 'x-correlation-id': 'log-me-2' },
      })
      expect(lost.res.statusCode).toBe(404)
      expect(lost.res.headers['x-correlation-id']).toBe('log-me-2')
      expect(lost.logged.length).toBeGreaterThanOrEqual(2)
      for (const line of lost.logged) expect(line.reqId, String(line.msg)).toBe('log-me-2')
    } finally {
      await app.close()
    }
  })
})

describe('limits', () => {
  it('answers a flood with 429 in the original words, with Retry-After', async () => {
    const small = await apiFixture({ rateLimit: { max: 3, windowMs: 60_000 } })
    try {
      const codes: number[] = []
      let last = await small.call(small.tokens.office, { url })
      for (let i = 0; i < 5; i++) {
        last = await small.call(small.tokens.office, { url })
        codes.push(last.statusCode)
      }
      expect(codes).toEqual([200, 200, 429, 429, 429])
      expect(last.headers['retry-after']).toBe('60')
      expect(last.json()).toEqual({
        detail: 'Request was throttled. Expected available in 60 seconds.',
        correlation_id: last.headers['x-correlation-id'],
      })
      // Counted before the token is checked: guessing tokens is limited too.
      expect((await small.call('nope', { url })).statusCode).toBe(429)
    } finally {
      await small.close()
    }
  })

  it('refuses an oversized body (413) and an unknown path (404) in the same shape', async () => {
    const big = await f.call(f.tokens.office, {
      method: 'POST',
      url,
      payload: { notes: 'n'.repeat(20 * 1024) },
    })
    expect(big.statusCode).toBe(413)
    expect(big.json().detail).toBe('The request body is too large.')
    const lost = await f.call(f.tokens.office, { url: '/api/v1/invoices/' })
    expect(lost.statusCode).toBe(404)
    expect(lost.json()).toEqual({ detail: 'Not found.', correlation_id: expect.any(String) })
    // A path that is there, asked with a method it does not take: 405, with what it takes.
    for (const [method, path, allow] of [
      ['DELETE', '/api/v1/appointments/', 'GET, HEAD, POST'],
      ['PUT', '/api/v1/appointments/01234567-89ab-7def-8123-456789abcdef/', 'GET, HEAD'],
      ['POST', '/api/v1/services/', 'GET, HEAD'],
    ] as const) {
      const wrong = await f.call(f.tokens.office, { method, url: path })
      expect(wrong.statusCode, path).toBe(405)
      expect(wrong.headers.allow?.toString().split(', ').sort().join(', '), path).toBe(allow)
      expect(wrong.json()).toEqual({
        detail: `Method "${method}" not allowed.`,
        correlation_id: expect.any(String),
      })
    }
    const broken = await f.call(f.tokens.office, { url: '/api/v1/appointments/%ZZ/' })
    expect(broken.statusCode).toBe(400)
    expect(broken.json()).toEqual({
      detail: 'The address is malformed.',
      correlation_id: broken.headers['x-correlation-id'],
    })
  })
})

describe('the Host a request names', () => {
  it('is refused (400) when it is no host name, and starts the page links when it is', async () => {
    for (const host of ['a b', '[::1', 'x:99999', '%zz', 'user@host', 'a/b']) {
      const res = await f.call(f.tokens.office, {
        url: `${url}?limit=1&offset=1`,
        headers: { host },
      })
      expect(res.statusCode, host).toBe(400)
      expect(res.json().detail, host).toBe('Invalid Host header.')
    }
    const ok = await f.call(f.tokens.office, {
      url: '/api/v1/services/?limit=1&offset=1',
      headers: { host: 'schedule.example.com:8443' },
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().previous).toBe('http://schedule.example.com:8443/api/v1/services/?limit=1')
  })
})

describe('the database out of reach', () => {
  it('is 503, not 500', async () => {
    const pool = createPool('postgres://postgres@127.0.0.1:1/none', 1)
    const app = buildServer({ pool })
    try {
      const res = await app.inject({ url, headers: { authorization: `Bearer ${f.tokens.office}` } })
      expect(res.statusCode).toBe(503)
      expect(res.json().detail).toBe('The database is out of reach; try again shortly.')
    } finally {
      await app.close()
      await pool.end()
    }
  })
})

describe('services, clients and team members', () => {
  const list = async (path: string, token = f.tokens.office) => {
    const res = await f.call(token, { url: `/api/v1/${path}` })
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }

  it('list live rows by name, archived services included, deleted rows never', async () => {
    const services = await list('services/')
    expect(services.count).toBe(3)
    expect(services.results.map((s: { name: string }) => s.name)).toEqual([
      'Hedge trimming',
      'Lawn mowing',
      'Snow clearing',
    ])
    expect(services.results[0]).toMatchObject({
      base_price: '65.50',
      duration_minutes: 90,
      duration_hours: 1.5,
      priority: 'MEDIUM',
      is_active: true,
    })
    expect(services.results[2].is_active).toBe(false)
    const clients = await list('clients')
    expect(clients.results.map((c: { name: string }) => c.name)).toEqual(['Jane Smith', 'John Doe'])
    expect(clients.results[1]).toMatchObject({
      postal_code: 'SW1A 1AA',
      latitude: 51.501009,
      longitude: -0.141588,
    })
    await asServer(f.pool, (c) =>
      c
        .query(
          `UPDATE team_members SET working_hours = '06:00-14:30', working_days = '2,4'
           WHERE name = 'Ben Crew'`,
        )
        .then(() => undefined),
    )
    const team = await list('team-members/')
    expect(team.results).toEqual([
      expect.objectContaining({
        name: 'Ana Crew',
        specialties: [f.business.services.mowing],
        working_hours: null,
        working_days: null,
      }),
      expect.objectContaining({
        name: 'Ben Crew',
        specialties: [],
        working_hours: '06:00-14:30',
        working_days: [2, 4],
      }),
    ])
  })

  it("give a crew lead the catalog and the crew whole, and only its crew's jobs' clients", async () => {
    const names = async (path: string, token: string) =>
      (await list(path, token)).results.map((r: { name: string }) => r.name)
    expect(await names('clients/', f.tokens.ana)).toEqual([])
    const jobs = await seedJobs(f.pool, [
      {
        client: f.business.clients.jane,
        service: f.business.services.mowing,
        at: '2026-06-01T14:00:00Z',
        crew: f.business.crew.ana,
      },
      {
        client: f.business.clients.john,
        service: f.business.services.mowing,
        at: '2026-06-02T14:00:00Z',
        crew: f.business.crew.ana,
        deleted: true,
      },
      {
        client: f.business.clients.john,
        service: f.business.services.mowing,
        at: '2026-06-03T14:00:00Z',
        crew: f.business.crew.ben,
      },
    ])
    expect(await names('clients/', f.tokens.ana)).toEqual(['Jane Smith'])
    expect(await names('clients/', f.tokens.ben)).toEqual(['John Doe'])
    expect(await names('clients/', f.tokens.crewless)).toEqual([])
    expect(await names('clients/', f.tokens.office)).toEqual(['Jane Smith', 'John Doe'])
    expect(await names('services/', f.tokens.ana)).toEqual(
      await names('services/', f.tokens.office),
    )
    expect(await names('team-members/', f.tokens.ana)).toEqual(['Ana Crew', 'Ben Crew'])
    await asServer(f.pool, async (c) => {
      await c.query('DELETE FROM appointments WHERE id = ANY($1::uuid[])', [jobs])
    })
  })

  it('page with limit and offset, search by name, and read bad paging as the defaults', async () => {
    const first = await list('services/?limit=2')
    expect(first).toMatchObject({
      count: 3,
      previous: null,
      next: 'http://localhost/api/v1/services/?limit=2&offset=2',
    })
    const second = await list('services/?limit=2&offset=2')
    expect(second.results.map((s: { name: string }) => s.name)).toEqual(['Snow clearing'])
    expect(second.previous).toBe('http://localhost/api/v1/services/?limit=2')
    expect((await list('clients/?search=smith')).count).toBe(1)
    expect((await list('team-members/?search=crew,ben')).results).toHaveLength(1)
    expect(await list('clients/?offset=10')).toMatchObject({ count: 2, results: [] })
    const names = async (path: string) =>
      (await list(path)).results.map((r: { name: string }) => r.name)
    expect(await names('clients/?ordering=-name')).toEqual(['John Doe', 'Jane Smith'])
    // Created together: the tie goes to the id, in the order's direction.
    const byAge = (await list('services/?ordering=-created_at')).results.map(
      (r: { id: string }) => r.id,
    )
    expect(byAge).toEqual([...byAge].sort().reverse())
    // Each list orders by its own fields; another is dropped, as DRF drops it.
    expect(await names('services/?ordering=-base_price')).toEqual([
      'Snow clearing',
      'Hedge trimming',
      'Lawn mowing',
    ])
    expect(await names('services/?ordering=price')).toEqual(await names('services/'))
    expect((await list('clients/?limit=-5')).results).toHaveLength(2)
    // A limit past what a number holds exactly is still only "more than 100": cut to 100.
    const huge = await f.call(f.tokens.office, {
      url: `/api/v1/clients/?limit=${'9'.repeat(30)}`,
    })
    expect(huge.statusCode).toBe(200)
    expect(huge.json().next ?? '').not.toMatch(/limit=9{30}/)
    expect((await f.call(null, { url: '/api/v1/clients/' })).statusCode).toBe(401)
  })

  it("start their page links with the server's public address when it has one", async () => {
    const headers = { authorization: `Bearer ${f.tokens.office}`, host: 'elsewhere.example' }
    const url = '/api/v1/services/?limit=2'
    // By default, as DRF: the host the request names.
    expect((await f.app.inject({ url, headers })).json().next).toBe(
      'http://elsewhere.example/api/v1/services/?limit=2&offset=2',
    )
    const behind = buildServer({ pool: f.pool, publicUrl: 'https://schedule.example.com/office/' })
    try {
      expect((await behind.inject({ url, headers })).json().next).toBe(
        'https://schedule.example.com/office/api/v1/services/?limit=2&offset=2',
      )
    } finally {
      await behind.close()
    }
  })
})
