import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPOINTMENT_ORDERINGS } from '../../../../shared/contract/appointments'
import type { AppContext } from '../context'
import { keptReadWatchers } from '../db/prepared'
import { NameCache } from '../name-cache'
import { DEMO_PIN } from '../seed/demo-pin'
import { seed } from '../seed/seed'
import { call, callError, memoryCore } from '../test/helpers'

let ctx: AppContext
beforeAll(async () => {
  ctx = await memoryCore()
  await seed(ctx.db.pg, { appointments: 3000, anchor: new Date('2026-06-01') })
})
afterAll(() => ctx.db.close())

/** Counts the statements the database receives while `fn` runs. */
async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const pg = ctx.db.pg
  let queries = 0
  const original = pg.query.bind(pg)
  const originalExec = pg.exec.bind(pg)
  pg.query = ((...args: Parameters<typeof pg.query>) => {
    queries += 1
    return original(...args)
  }) as typeof pg.query
  pg.exec = ((...args: Parameters<typeof pg.exec>) => {
    queries += 1
    return originalExec(...args)
  }) as typeof pg.exec
  const kept = () => {
    queries += 1
  }
  keptReadWatchers.add(kept)
  try {
    return { result: await fn(), queries }
  } finally {
    pg.query = original
    pg.exec = originalExec
    keptReadWatchers.delete(kept)
  }
}

describe('appointments.list', () => {
  it('defaults to 20 newest-first rows with names, ties broken by id', async () => {
    const page = await call(ctx, 'appointments.list', {})
    expect(page).toMatchObject({ count: 3000, limit: 20, offset: 0 })
    expect(page.results).toHaveLength(20)
    const keys = page.results.map((r) => [r.scheduledAt, r.id] as const)
    const sorted = [...keys].sort((x, y) =>
      x[0] === y[0] ? y[1].localeCompare(x[1]) : y[0].localeCompare(x[0]),
    )
    expect(keys).toEqual(sorted)
    for (const r of page.results) {
      expect(r.clientName).toBeTruthy()
      expect(r.serviceName).toBeTruthy()
      expect(r.teamMemberName).toBeTruthy()
    }
  })

  it('costs a fixed number of queries whatever the page size: names come from a cache', async () => {
    ctx.names = new NameCache()
    const small = await countQueries(() => call(ctx, 'appointments.list', { limit: 1 }))
    const large = await countQueries(() => call(ctx, 'appointments.list', { limit: 100 }))
    expect(large.result.results).toHaveLength(100)
    // The page with its count, and one lookup each of the clients, services and crew
    // members not known yet.
    expect(small.queries).toBeLessThanOrEqual(4)
    expect(large.queries).toBeLessThanOrEqual(4)
    const again = await countQueries(() => call(ctx, 'appointments.list', { limit: 100 }))
    expect(again.queries).toBe(1)
    const week = await countQueries(() =>
      call(ctx, 'appointments.list', {
        scheduledFrom: '2026-03-01T00:00:00Z',
        scheduledTo: '2026-03-08T00:00:00Z',
        status: ['scheduled', 'completed'],
        limit: 10,
      }),
    )
    expect(week.result.count).toBeGreaterThan(week.result.results.length)
    expect(week.queries).toBeLessThanOrEqual(4)
  })

  it('reads each appointment as the single read does, field by field, in every ordering', async () => {
    const admin = (await call(ctx, 'session.users', {})).users.find((u) => u.role === 'admin')
    await call(ctx, 'session.switch', { userId: admin?.id as string, pin: DEMO_PIN })
    const [client] = (await call(ctx, 'clients.list', { limit: 1 })).results
    const [service] = (await call(ctx, 'catalog.services.list', { limit: 1 })).results
    // A job with no crew, its own place and notes that need escaping in JSON and SQL.
    const { appointment: odd } = await call(ctx, 'appointments.create', {
      clientId: client?.id as string,
      serviceId: service?.id as string,
      teamMemberId: null,
      scheduledAt: '2026-06-03T14:07:30.125Z',
      notes: 'He said "side gate" \\ then\nline two — ünïcode ✓ ½',
      location: 'Plot 7, Canal Lane',
    })
    const inputs = [
      { status: 'completed' as const },
      { status: ['scheduled' as const, 'cancelled' as const] },
      { search: 'ünïcode' },
      ...APPOINTMENT_ORDERINGS.map((ordering) => ({ ordering })),
    ]
    let sawOdd = false
    for (const input of inputs) {
      const page = await call(ctx, 'appointments.list', { ...input, limit: 30 })
      expect(page.results.length, JSON.stringify(input)).toBeGreaterThan(0)
      for (const r of page.results) {
        expect(r, JSON.stringify(input)).toEqual(await call(ctx, 'appointments.get', { id: r.id }))
        sawOdd ||= r.id === odd.id
      }
    }
    expect(sawOdd).toBe(true)
  })

  it("shows a client's, a service's and a crew member's new name at once", async () => {
    const [first] = (await call(ctx, 'appointments.list', { limit: 1 })).results
    if (!first?.teamMemberId) throw new Error('the newest job has a crew member')
    const admin = (await call(ctx, 'session.users', {})).users.find((u) => u.role === 'admin')
    await call(ctx, 'session.switch', { userId: admin?.id as string, pin: DEMO_PIN })
    await call(ctx, 'team.update', { id: first.teamMemberId, name: 'Renamed Crew' })
    await call(ctx, 'clients.update', { id: first.clientId, name: 'Renamed Client' })
    await call(ctx, 'catalog.services.update', { id: first.serviceId, name: 'Renamed Service' })
    const [after] = (await call(ctx, 'appointments.list', { limit: 1 })).results
    expect(after).toMatchObject({
      id: first.id,
      teamMemberName: 'Renamed Crew',
      clientName: 'Renamed Client',
      serviceName: 'Renamed Service',
    })
  })

  it("sorted by a name, reads each name's jobs soonest first", async () => {
    for (const ordering of [
      'client_name',
      '-client_name',
      'service_name',
      '-team_member_name',
    ] as const) {
      const { results } = await call(ctx, 'appointments.list', { ordering, limit: 100 })
      const nameOf = (r: (typeof results)[number]) =>
        ordering.endsWith('client_name')
          ? r.clientName
          : ordering.endsWith('service_name')
            ? r.serviceName
            : r.teamMemberName
      let groups = 0
      for (let i = 1; i < results.length; i++) {
        const [prev, cur] = [results[i - 1], results[i]] as [
          (typeof results)[number],
          (typeof results)[number],
        ]
        if (nameOf(prev) !== nameOf(cur)) continue
        groups += 1
        expect(Date.parse(cur.scheduledAt), ordering).toBeGreaterThanOrEqual(
          Date.parse(prev.scheduledAt),
        )
      }
      expect(groups, ordering).toBeGreaterThan(5)
    }
  })

  it('caps the page at 100 rows and pages with offset', async () => {
    const page = await call(ctx, 'appointments.list', { limit: 500 })
    expect(page.limit).toBe(100)
    expect(page.results).toHaveLength(100)
    const a = await call(ctx, 'appointments.list', { limit: 10 })
    const b = await call(ctx, 'appointments.list', { limit: 5, offset: 5 })
    expect(b.results.map((r) => r.id)).toEqual(a.results.slice(5).map((r) => r.id))
  })

  it('filters by several statuses and a date range', async () => {
    const page = await call(ctx, 'appointments.list', {
      status: ['completed', 'cancelled'],
      scheduledFrom: '2026-03-01T00:00:00Z',
      scheduledTo: '2026-03-31T23:59:59Z',
      limit: 100,
    })
    expect(page.count).toBeGreaterThan(0)
    for (const r of page.results) {
      expect(['completed', 'cancelled']).toContain(r.status)
      expect(r.scheduledAt >= '2026-03-01' && r.scheduledAt < '2026-04-01').toBe(true)
    }
    const one = await call(ctx, 'appointments.list', { status: 'scheduled', limit: 1 })
    const all = await call(ctx, 'appointments.list', { limit: 1 })
    expect(one.count).toBeLessThan(all.count)
  })

  it('searches client names, service names and notes', async () => {
    const byService = await call(ctx, 'appointments.list', { search: 'mowing', limit: 100 })
    expect(byService.count).toBeGreaterThan(0)
    for (const r of byService.results) {
      expect(`${r.clientName} ${r.serviceName} ${r.notes}`.toLowerCase()).toContain('mowing')
    }
    const byNote = await call(ctx, 'appointments.list', { search: 'gate code', limit: 5 })
    expect(byNote.results.every((r) => r.notes.toLowerCase().includes('gate code'))).toBe(true)
    // LIKE wildcards in the search are taken literally.
    expect((await call(ctx, 'appointments.list', { search: '%' })).count).toBe(0)
    // Every word is found, each anywhere: a client's name and a service's.
    const word = byService.results[0]?.clientName.split(' ')[0] ?? ''
    const both = await call(ctx, 'appointments.list', { search: `${word} mowing`, limit: 100 })
    expect(both.count).toBeGreaterThan(0)
    for (const r of both.results) {
      const text = `${r.clientName} ${r.serviceName} ${r.notes} ${r.location ?? ''}`.toLowerCase()
      expect(text).toContain(word.toLowerCase())
      expect(text).toContain('mowing')
    }
  })

  it('filters by client, service and team member', async () => {
    const first = (await call(ctx, 'appointments.list', { limit: 1 })).results[0]
    if (!first?.teamMemberId) throw new Error('seed has assigned appointments')
    for (const [key, value] of [
      ['clientId', first.clientId],
      ['serviceId', first.serviceId],
      ['teamMemberId', first.teamMemberId],
    ] as const) {
      const page = await call(ctx, 'appointments.list', { [key]: value, limit: 100 })
      expect(page.results.every((r) => r[key] === value)).toBe(true)
    }
  })

  it('orders by every whitelisted field, and refuses others', async () => {
    for (const ordering of [
      'client_name',
      '-service_name',
      'status',
      '-priority',
      'team_member_name',
      'created_at',
    ] as const) {
      const page = await call(ctx, 'appointments.list', { ordering, limit: 50 })
      expect(page.results).toHaveLength(50)
    }
    const byClient = await call(ctx, 'appointments.list', { ordering: 'client_name', limit: 50 })
    const names = byClient.results.map((r) => r.clientName)
    expect(names).toEqual([...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)))
    const err = await callError(ctx, 'appointments.list', { ordering: 'password' })
    expect(err).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'ordering' }] })
  })

  it.each([
    [
      { scheduledFrom: '2026-05-02T00:00:00Z', scheduledTo: '2026-05-01T00:00:00Z' },
      'scheduledFrom',
    ],
    [{ status: 'done' }, 'status'],
    [{ status: ['scheduled', 'nope'] }, 'status'],
    [{ scheduledFrom: '2026-13-01' }, 'scheduledFrom'],
    [{ scheduledTo: 'yesterday' }, 'scheduledTo'],
    [{ limit: 0 }, 'limit'],
    [{ offset: -1 }, 'offset'],
    [{ limit: 2.5 }, 'limit'],
    [{ clientId: 'not-an-id' }, 'clientId'],
    [{ colour: 'red' }, ''],
  ])('refuses %j naming the field %s', async (input, path) => {
    const err = await callError(ctx, 'appointments.list', input)
    expect(err.code).toBe('VALIDATION')
    expect(err.issues?.map((i) => i.path)).toContain(path)
  })
})

describe('calendar.range', () => {
  it('returns everything overlapping the range, filterable', async () => {
    const week = { from: '2026-05-04T00:00:00Z', to: '2026-05-11T00:00:00Z' }
    const all = await call(ctx, 'calendar.range', week)
    expect(all.events.length).toBeGreaterThan(10)
    expect(all.truncated).toBe(false)
    for (const e of all.events) {
      const end = new Date(Date.parse(e.scheduledAt) + e.durationMinutes * 60_000).toISOString()
      expect(e.scheduledAt < week.to && end > week.from).toBe(true)
    }
    const member = all.events[0]?.teamMemberId as string
    const mine = await call(ctx, 'calendar.range', {
      ...week,
      teamMemberIds: [member],
      statuses: ['completed'],
    })
    expect(mine.events.every((e) => e.teamMemberId === member && e.status === 'completed')).toBe(
      true,
    )
    const list = await call(ctx, 'appointments.list', {
      scheduledFrom: week.from,
      scheduledTo: '2026-05-10T23:59:59.999Z',
      limit: 1,
    })
    expect(all.events.length).toBeGreaterThanOrEqual(list.count)
  })

  it('refuses inverted and over-long ranges', async () => {
    expect(
      (
        await callError(ctx, 'calendar.range', {
          from: '2026-05-11T00:00:00Z',
          to: '2026-05-04T00:00:00Z',
        })
      ).code,
    ).toBe('VALIDATION')
    expect(
      (
        await callError(ctx, 'calendar.range', {
          from: '2026-01-01T00:00:00Z',
          to: '2026-06-01T00:00:00Z',
        })
      ).code,
    ).toBe('VALIDATION')
  })
})

describe('derived data stays true to the rows', () => {
  it('keeps the per-status counts equal to a real count through every kind of write', async () => {
    const { users } = await call(ctx, 'session.users', {})
    const admin = users.find((u) => u.role === 'admin')
    if (!admin) throw new Error('seed has an admin')
    await call(ctx, 'session.switch', { userId: admin.id, pin: DEMO_PIN })
    const page = await call(ctx, 'appointments.list', { status: 'scheduled', limit: 3 })
    const [x, y, z] = page.results
    if (!x || !y || !z) throw new Error('seed has scheduled appointments')
    await call(ctx, 'appointments.setStatus', { id: x.id, status: 'cancelled' })
    await call(ctx, 'appointments.delete', { id: y.id })
    await ctx.db.pg.exec(`UPDATE appointments SET status = 'completed' WHERE id = '${z.id}'`)
    const { rows } = await ctx.db.pg.query<{ bad: number }>(`
      SELECT count(*)::int AS bad FROM (
        SELECT status, count(*)::int AS n FROM appointments WHERE deleted_at IS NULL GROUP BY status
      ) real FULL JOIN (SELECT status, n FROM appointment_counts WHERE n <> 0) kept USING (status)
      WHERE real.n IS DISTINCT FROM kept.n`)
    expect(rows[0]?.bad).toBe(0)
    const listed = await call(ctx, 'appointments.list', { limit: 1 })
    const { rows: real } = await ctx.db.pg.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM appointments WHERE deleted_at IS NULL',
    )
    expect(listed.count).toBe(real[0]?.n)
  })

  it('shows a renamed client on the calendar at once', async () => {
    const week = { from: '2026-05-04T00:00:00Z', to: '2026-05-11T00:00:00Z' }
    const first = (await call(ctx, 'calendar.range', week)).events[0]
    if (!first) throw new Error('seed has appointments that week')
    await call(ctx, 'clients.update', { id: first.clientId, name: 'Renamed Client' })
    const again = await call(ctx, 'calendar.range', week)
    expect(again.events.find((e) => e.id === first.id)?.clientName).toBe('Renamed Client')
  })
})
