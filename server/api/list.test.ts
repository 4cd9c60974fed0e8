import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiFixture, apiFixture, seedJobs } from './api.test-support'

/** The appointment list and detail: every parameter, the page shape, links and scoping. */
let f: ApiFixture
let ids: Record<string, string>
const get = (url: string, token = f.tokens.office) => f.call(token, { url: `/api/v1${url}` })
const list = async (query: string, token?: string) => {
  const res = await get(`/appointments/?${query}`, token)
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as {
    count: number
    next: string | null
    previous: string | null
    results: Record<string, unknown>[]
  }
}

beforeAll(async () => {
  f = await apiFixture()
  const { clients: c, services: s, crew } = f.business
  const named = {
    gate: {
      client: c.john,
      service: s.mowing,
      at: '2026-05-01T09:00:00Z',
      notes: 'Gate code 1234',
      crew: crew.ana,
      location: 'SW1A 1AA',
    },
    started: {
      client: c.jane,
      service: s.hedges,
      at: '2026-05-02T10:00:00Z',
      status: 'in_progress',
      crew: crew.ben,
    },
    done: {
      client: c.john,
      service: s.hedges,
      at: '2026-05-03T11:00:00Z',
      status: 'completed',
      notes: 'back garden',
      crew: crew.ana,
    },
    called: {
      client: c.jane,
      service: s.mowing,
      at: '2026-05-04T12:00:00Z',
      status: 'cancelled',
      notes: '100% sure',
    },
    deleted: {
      client: c.john,
      service: s.mowing,
      at: '2026-05-05T13:00:00Z',
      deleted: true,
      crew: crew.ana,
    },
    twinA: { client: c.jane, service: s.mowing, at: '2026-05-06T08:00:00Z' },
    twinB: { client: c.john, service: s.mowing, at: '2026-05-06T08:00:00Z' },
  }
  const seeded = await seedJobs(f.pool, Object.values(named))
  ids = Object.fromEntries(Object.keys(named).map((k, i) => [k, seeded[i] as string]))
  // Twenty-five more, in June, to page through.
  await seedJobs(
    f.pool,
    Array.from({ length: 25 }, (_, i) => ({
      client: c.john,
      service: s.mowing,
      at: `2026-06-${String(1 + i).padStart(2, '0')}T09:00:00Z`,
      crew: i % 2 ? crew.ben : crew.ana,
    })),
  )
})
afterAll(() => f.close())

describe('GET /api/v1/appointments/', () => {
  it('pages 20 live rows, newest first, with client and service names and DRF links', async () => {
    const page = await list('')
    expect(page.count).toBe(31)
    expect(page.results).toHaveLength(20)
    expect(page.previous).toBeNull()
    expect(page.next).toBe('http://localhost/api/v1/appointments/?limit=20&offset=20')
    const dates = page.results.map((r) => r.scheduled_date as string)
    expect(dates).toEqual([...dates].sort().reverse())
    expect(page.results[0]).toMatchObject({
      scheduled_date: '2026-06-25T09:00:00.000Z',
      client_name: 'John Doe',
      service_name: 'Lawn mowing',
      status: 'scheduled',
    })
    const all = await list('limit=100')
    expect(all.results.map((r) => r.id)).not.toContain(ids.deleted)
    expect(all.results.find((r) => r.id === ids.gate)).toEqual({
      id: ids.gate,
      scheduled_date: '2026-05-01T09:00:00.000Z',
      status: 'scheduled',
      notes: 'Gate code 1234',
      created_at: expect.any(String),
      client_id: f.business.clients.john,
      client_name: 'John Doe',
      service_id: f.business.services.mowing,
      service_name: 'Lawn mowing',
      team_member_id: f.business.crew.ana,
      duration_minutes: 60,
      location: 'SW1A 1AA',
      // No forecast refresh has assessed it.
      weather_risk: 'unknown',
      weather_reason: 'no forecast assessed for this job',
    })
  })

  it('breaks ties by id, descending with the default order', async () => {
    const twins = (await list('schedule_start_date=2026-05-06&schedule_end_date=2026-05-07'))
      .results
    expect(twins.map((r) => r.id)).toEqual([ids.twinA, ids.twinB].sort().reverse())
    const up = (
      await list(
        'ordering=scheduled_date&schedule_start_date=2026-05-06&schedule_end_date=2026-05-07',
      )
    ).results
    expect(up.map((r) => r.id)).toEqual([ids.twinA, ids.twinB].sort())
    const down = (
      await list(
        'ordering=-scheduled_date&schedule_start_date=2026-05-06&schedule_end_date=2026-05-07',
      )
    ).results
    expect(down.map((r) => r.id)).toEqual([ids.twinA, ids.twinB].sort().reverse())
  })

  it('reads one page per statement: no query per row', async () => {
    await list('limit=1') // the token's device is now remembered for a moment
    const query = f.pool.query.bind(f.pool)
    let queries = 0
    f.pool.query = ((...args: Parameters<typeof query>) => {
      queries += 1
      return query(...args)
    }) as typeof f.pool.query
    try {
      await list('limit=100')
    } finally {
      f.pool.query = query
    }
    // The page with its names and total, in one statement.
    expect(queries).toBe(1)
  })

  it('takes limit and offset: at most 100, links keep the query and drop offset 0', async () => {
    const page = await list('limit=5&offset=5&status=scheduled&status=completed')
    expect(page.count).toBe(29)
    expect(page.results).toHaveLength(5)
    expect(page.next).toBe(
      'http://localhost/api/v1/appointments/?limit=5&offset=10&status=scheduled&status=completed',
    )
    expect(page.previous).toBe(
      'http://localhost/api/v1/appointments/?limit=5&status=scheduled&status=completed',
    )
    expect((await list('limit=5&offset=12')).previous).toBe(
      'http://localhost/api/v1/appointments/?limit=5&offset=7',
    )
    const capped = await list('limit=500&offset=1')
    expect(capped.results).toHaveLength(30)
    expect(capped.previous).toBe('http://localhost/api/v1/appointments/?limit=100')
    const past = await list('offset=40')
    expect(past).toEqual({
      count: 31,
      next: null,
      previous: 'http://localhost/api/v1/appointments/?offset=20&limit=20',
      results: [],
    })
    expect((await list('offset=20')).next).toBeNull()
    expect(await list('status=completed&offset=5')).toMatchObject({ count: 1, results: [] })
  })

  it('reads a limit or offset that is not a whole number as DRF does: as the default', async () => {
    const first = await list('limit=3')
    for (const [query, limit, offset] of [
      ['limit=0', 20, 0],
      ['limit=abc', 20, 0],
      ['limit=2.5', 20, 0],
      ['limit=-3', 20, 0],
      ['limit=0x10', 20, 0],
      ['limit=1e2', 20, 0],
      ['limit=', 20, 0],
      ['limit=%2B3', 3, 0],
      ['limit=5&limit=3', 3, 0],
      ['limit=3&offset=-1', 3, 0],
      ['limit=3&offset=0b11', 3, 0],
      ['limit=3&offset=', 3, 0],
      ['limit=3&offset=9&offset=1', 3, 1],
    ] as const) {
      const page = await list(query)
      expect(page.results, query).toHaveLength(limit)
      const expected = offset === 0 && limit === 3 ? first.results : null
      if (expected) expect(page.results, query).toEqual(expected)
      if (offset === 1) expect(page.results[0], query).toEqual(first.results[1])
    }
  })

  it('ignores filters left empty, as django-filter does', async () => {
    const all = await list('')
    for (const query of ['schedule_start_date=', 'schedule_end_date=&search=', 'ordering=']) {
      const page = await list(query)
      expect(page.count, query).toBe(all.count)
      expect(page.results, query).toEqual(all.results)
      // The links keep the query as given, as DRF's do.
      expect(page.next, query).toBe(
        `http://localhost/api/v1/appointments/?${query}&limit=20&offset=20`,
      )
    }
  })

  it('orders by the whitelist and the original names, several keys at once, dropping any other', async () => {
    const names = (await list('ordering=client_name,-scheduled_date&limit=100')).results
    expect(names.map((r) => r.client_name)).toEqual([
      ...Array(3).fill('Jane Smith'),
      ...Array(28).fill('John Doe'),
    ])
    expect(names[0]?.id).toBe(ids.twinA)
    const services = (await list('ordering=-service_name&limit=100')).results
    expect(services.at(-1)?.service_name).toBe('Hedge trimming')
    const byStatus = (await list('ordering=status,scheduled_date&limit=3')).results
    expect(byStatus.map((r) => r.id)).toEqual([ids.called, ids.done, ids.started])
    // The original's names for the fields the list shows.
    expect((await list('ordering=client__name,-scheduled_date&limit=100')).results).toEqual(names)
    expect((await list('ordering=-service__name&limit=100')).results).toEqual(services)
    // A field off the list is dropped, as DRF's OrderingFilter drops it.
    expect((await list('ordering=-scheduled_date,nope&limit=100')).results).toEqual(
      (await list('ordering=-scheduled_date&limit=100')).results,
    )
  })

  it('searches client names, service names and notes; every term must match', async () => {
    const ids_ = async (q: string) =>
      (await list(`search=${encodeURIComponent(q)}&limit=100`)).results.map((r) => r.id)
    expect(await ids_('GATE')).toEqual([ids.gate])
    expect(await ids_('hedge')).toEqual([ids.done, ids.started])
    expect((await ids_('jane')).sort()).toEqual([ids.called, ids.started, ids.twinA].sort())
    expect(await ids_('john gate')).toEqual([ids.gate])
    expect(await ids_('john,back')).toEqual([ids.done])
    expect(await ids_('"gate code"')).toEqual([ids.gate])
    expect(await ids_('"code gate"')).toEqual([])
    // LIKE wildcards are taken literally.
    expect(await ids_('100%')).toEqual([ids.called])
    expect(await ids_('%')).toEqual([ids.called])
    expect(await ids_('_')).toEqual([])
    expect((await list('search=hedge')).count).toBe(2)
  })

  it('filters by schedule_start_date and schedule_end_date, inclusive, UTC when no zone', async () => {
    const between = await list(
      'schedule_start_date=2026-05-02T10:00&schedule_end_date=2026-05-03T11:00:00Z',
    )
    expect(between.results.map((r) => r.id)).toEqual([ids.done, ids.started])
    expect(between.count).toBe(2)
    const offset = await list('schedule_end_date=2026-05-01T11:00:00%2B02:00')
    expect(offset.results.map((r) => r.id)).toEqual([ids.gate])
    expect((await list('schedule_start_date=2026-06-01')).count).toBe(25)
    // A date alone as the end takes in that whole day: May 2 to May 3 holds both jobs.
    const days = await list('schedule_start_date=2026-05-02&schedule_end_date=2026-05-03')
    expect(days.results.map((r) => r.id)).toEqual([ids.done, ids.started])
    const oneDay = await list('schedule_start_date=2026-05-03&schedule_end_date=2026-05-03')
    expect(oneDay.results.map((r) => r.id)).toEqual([ids.done])
  })

  it('refuses a start after the end, or a date that is not ISO-8601, naming the field', async () => {
    const res = await get(
      '/appointments/?schedule_start_date=2026-05-03&schedule_end_date=2026-05-01',
    )
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      schedule_start_date: ['This field must not be after schedule_end_date.'],
      correlation_id: expect.any(String),
    })
    for (const bad of ['2026-99-01', '2026-02-30T10:00:00Z', 'tomorrow', '2026-05-01T25:00']) {
      const r = await get(`/appointments/?schedule_end_date=${bad}`)
      expect(r.statusCode, bad).toBe(400)
      expect(r.json().schedule_end_date).toEqual([
        'This field must be an ISO-8601 date and time, such as 2026-05-01T14:00:00Z (UTC when no zone is given).',
      ])
    }
  })

  it('filters by one status or several (repeated or comma-separated), and refuses unknown ones', async () => {
    expect((await list('status=completed')).results.map((r) => r.id)).toEqual([ids.done])
    const two = await list('status=in_progress,cancelled')
    expect(two.results.map((r) => r.id)).toEqual([ids.called, ids.started])
    expect(two.count).toBe(2)
    expect((await list('status=in_progress&status=cancelled,completed')).count).toBe(3)
    expect((await list('status=')).count).toBe(31)
    const week = await list(
      'status=scheduled&schedule_start_date=2026-05-01&schedule_end_date=2026-05-07',
    )
    expect(week.results.map((r) => r.id)).toEqual([
      ...[ids.twinA, ids.twinB].sort().reverse(),
      ids.gate,
    ])
    expect(week.count).toBe(3)
    const res = await get('/appointments/?status=scheduled,NOPE')
    expect(res.statusCode).toBe(400)
    expect(res.json().status).toEqual([
      'This field must be one or more of scheduled, in_progress, completed, cancelled.',
    ])
  })

  it("shows a crew lead's device its crew's jobs only, and nothing to a lead without a crew", async () => {
    const ana = await list('limit=100', f.tokens.ana)
    expect(ana.count).toBe(15)
    expect(new Set(ana.results.map((r) => r.team_member_id))).toEqual(
      new Set([f.business.crew.ana]),
    )
    expect((await list('status=completed', f.tokens.ben)).count).toBe(0)
    expect((await list('status=in_progress', f.tokens.ben)).count).toBe(1)
    expect(await list('', f.tokens.crewless)).toEqual({
      count: 0,
      next: null,
      previous: null,
      results: [],
    })
  })
})

describe('GET /api/v1/appointments/:id/', () => {
  it('answers one live appointment with the rest of the job', async () => {
    for (const url of [`/appointments/${ids.done}/`, `/appointments/${ids.done}`]) {
      const res = await get(url)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({
        id: ids.done,
        status: 'completed',
        client_name: 'John Doe',
        service_name: 'Hedge trimming',
        team_member_name: 'Ana Crew',
        price: '45.00',
        follow_up_of_id: null,
        started_at: null,
      })
    }
  })

  it("is 404 for a deleted, unknown or malformed id, and for another crew's job", async () => {
    for (const [id, token] of [
      [ids.deleted, f.tokens.office],
      ['01234567-89ab-7def-8123-456789abcdef', f.tokens.office],
      ['not-a-uuid', f.tokens.office],
      [ids.started, f.tokens.ana],
      [ids.gate, f.tokens.crewless],
    ] as const) {
      const res = await get(`/appointments/${id}/`, token)
      expect(res.statusCode, id).toBe(404)
      expect(res.json()).toEqual({ detail: 'Not found.', correlation_id: expect.any(String) })
    }
    expect((await get(`/appointments/${ids.gate}/`, f.tokens.ana)).statusCode).toBe(200)
  })
})
