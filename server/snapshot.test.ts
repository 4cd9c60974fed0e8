import type { AddressInfo } from 'node:net'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUSINESS_SETTINGS_ID } from '../shared/contract/settings'
import { uuidv7 } from '../shared/domain/ids'
import { fieldsOf } from '../shared/sync/columns'
import { deviceStamps } from '../shared/sync/device-stamps.test-support'
import { type Mutation, PROTOCOL_VERSION, type SyncedTable } from '../shared/sync/protocol'
import { copyUnescape, parseSnapshotLine, splitRow } from '../shared/sync/snapshot'
import { buildServer } from './app'
import { createPool, migrateServer } from './db'
import { snapshotText } from './snapshot'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice, type Device, deviceForToken } from './tokens'
import { SEQ_LOCK } from './upgrade'

/**
 * The first-pull snapshot on the real PostgreSQL: what it carries (every row, its values
 * as a pull carries them, its versions), that it is one consistent state whose cursor
 * misses nothing pushed meanwhile, a crew lead's scope, and a stream cut and resumed.
 */
type Rows = Map<string, { values: (string | null)[]; versions: Record<string, string> }>
interface Parsed {
  cursor: number
  tables: Map<SyncedTable, { columns: string[]; rows: Rows }>
  ended: boolean
}

function parse(text: string): Parsed {
  const out: Parsed = { cursor: -1, tables: new Map(), ended: false }
  let current: { columns: string[]; rows: Rows } | null = null
  for (const line of text.split('\n')) {
    if (!line) continue
    const l = parseSnapshotLine(line)
    if (!l) throw new Error(`unknown line: ${line.slice(0, 40)}`)
    if (l.kind === 'header') out.cursor = l.cursor
    else if (l.kind === 'end') out.ended = true
    else if (l.kind === 'table') {
      current = { columns: l.columns, rows: new Map() }
      out.tables.set(l.table, current)
    } else {
      if (!current) throw new Error('a row before its table')
      const { id, copy, versions } = splitRow(l.line)
      const values = copy
        .split('\t')
        .slice(1)
        .map((f) => (f === '\\N' ? null : copyUnescape(f)))
      const columns: string[] = current.columns
      current.rows.set(id, {
        values,
        versions: versions.startsWith('{')
          ? (JSON.parse(copyUnescape(versions)) as Record<string, string>)
          : Object.fromEntries(columns.map((c) => [c, versions])),
      })
    }
  }
  return out
}

const ids = (p: Parsed, table: SyncedTable) => [...(p.tables.get(table)?.rows.keys() ?? [])].sort()

describe('the first-pull snapshot', () => {
  let db: TestDatabase
  let pool: pg.Pool
  let app: ReturnType<typeof buildServer>
  let url: string
  const tokens: Record<string, string> = {}
  const devices: Record<string, Device> = {}
  const clock = deviceStamps('office')
  const crewA = uuidv7()
  const crewB = uuidv7()
  const day = 86_400_000
  const at = (days: number) => new Date(Date.now() + days * day).toISOString()
  const r = {
    svcJob: uuidv7(),
    svcSpec: uuidv7(),
    svcOther: uuidv7(),
    prodA: uuidv7(),
    prodOther: uuidv7(),
    cA: uuidv7(),
    cOld: uuidv7(),
    cB: uuidv7(),
    cOther: uuidv7(),
    jobOld: uuidv7(),
    jobRecent: uuidv7(),
    jobFuture: uuidv7(),
    jobAOld: uuidv7(),
    jobB: uuidv7(),
    lineA: uuidv7(),
    lineB: uuidv7(),
  }
  /** A client name a COPY line must escape: tab, newline, carriage return, backslash. */
  const awkward = 'Tab\there\nnew\rline \\ back "q" é \\N'

  const post = async (token: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const push = async (mutations: Omit<Mutation, 'id' | 'hlc'>[]) => {
    const res = await post(tokens.office as string, '/v1/sync/push', {
      protocol: PROTOCOL_VERSION,
      mutations: mutations.map((x) => ({ ...x, id: uuidv7(), hlc: clock() })),
    })
    const body = (await res.json()) as { data: { results: { status: string; reason?: string }[] } }
    for (const result of body.data.results) expect(result.reason ?? result.status).toBe('applied')
  }
  const job = (id: string, crew: string, client: string, days: number, more = {}) => ({
    table: 'appointments' as const,
    rowId: id,
    fields: {
      client_id: client,
      service_id: r.svcJob,
      team_member_id: crew,
      scheduled_at: at(days),
      duration_minutes: 60,
      status: 'scheduled',
      notes: '',
      price: '55.00',
      follow_up_of_id: null,
      ...more,
    },
  })
  const snapshot = async (device: string, body: unknown = { protocol: PROTOCOL_VERSION }) => {
    const res = await post(tokens[device] as string, '/v1/sync/snapshot', body)
    return { status: res.status, text: await res.text() }
  }

  beforeAll(async () => {
    db = await freshDatabase()
    pool = createPool(db.url, db.poolMax)
    await migrateServer(pool)
    app = buildServer({ pool, rateLimit: { max: 100_000, windowMs: 60_000 } })
    await app.listen({ port: 0, host: '127.0.0.1' })
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    for (const [name, role, crew] of [
      ['office', 'office_manager', null],
      ['crewA', 'crew_lead', crewA],
      ['nobody', 'crew_lead', null],
    ] as const) {
      const made = await createDevice(pool, {
        label: name,
        userName: name,
        role,
        teamMemberId: crew,
      })
      tokens[name] = made.token
      devices[name] = (await deviceForToken(pool, made.token)) as Device
    }
    const member = (id: string, name: string) => ({
      table: 'team_members' as const,
      rowId: id,
      fields: { name, color: '#2e7d32', is_available: true },
    })
    const service = (id: string, name: string) => ({
      table: 'services' as const,
      rowId: id,
      fields: { name, base_price: '55.00', duration_minutes: 60, priority: 'MEDIUM' },
    })
    const client = (id: string, name: string) => ({
      table: 'clients' as const,
      rowId: id,
      fields: { name, notes: '', latitude: 45.5, longitude: -122.25 },
    })
    const product = (id: string, name: string) => ({
      table: 'products' as const,
      rowId: id,
      fields: { name, unit: 'bag', unit_price: '3.50' },
    })
    await push([
      { table: 'business_settings', rowId: BUSINESS_SETTINGS_ID, fields: { time_zone: 'UTC' } },
      member(crewA, 'Crew A'),
      member(crewB, 'Crew B'),
      service(r.svcJob, 'Mowing'),
      service(r.svcSpec, 'Pruning'),
      service(r.svcOther, 'Edging'),
      product(r.prodA, 'Mulch'),
      product(r.prodOther, 'Seed'),
      client(r.cA, awkward),
      client(r.cOld, 'Old Client'),
      client(r.cB, 'B Client'),
      client(r.cOther, 'Other Client'),
    ])
    // A specialty's id is its pair's, as laptops make it.
    const specialty = async (member: string, service: string) => {
      const { rows } = await pool.query<{ id: string }>('SELECT specialty_id($1, $2) AS id', [
        member,
        service,
      ])
      return {
        table: 'team_member_specialties' as const,
        rowId: rows[0]?.id as string,
        fields: { team_member_id: member, service_id: service },
      }
    }
    await push([
      await specialty(crewA, r.svcSpec),
      await specialty(crewB, r.svcOther),
      job(r.jobOld, crewA, r.cOld, -60),
      job(r.jobAOld, crewA, r.cOther, -45),
      job(r.jobB, crewB, r.cB, 1),
    ])
    await push([
      job(r.jobRecent, crewA, r.cA, -5, { follow_up_of_id: r.jobOld }),
      job(r.jobFuture, crewA, r.cA, 10, { notes: 'gate\tcode\n1234' }),
    ])
    const line = (id: string, appointment: string, productId: string) => ({
      table: 'appointment_products' as const,
      rowId: id,
      fields: {
        appointment_id: appointment,
        product_id: productId,
        quantity: '2',
        unit_price: '3.50',
      },
    })
    await push([line(r.lineA, r.jobFuture, r.prodA), line(r.lineB, r.jobB, r.prodOther)])
    // Versions that differ per column, and a tombstone.
    await push([
      { table: 'appointments', rowId: r.jobFuture, fields: { notes: 'call first' } },
      { table: 'clients', rowId: r.cOther, fields: { deleted_at: at(0) } },
    ])
  }, 60_000)
  afterAll(async () => {
    await app.close()
    await pool.end()
    await db.drop()
  })

  it('carries every row with the values and versions a pull carries, and its cursor', async () => {
    const { status, text } = await snapshot('office')
    expect(status).toBe(200)
    const snap = parse(text)
    expect(snap.ended).toBe(true)
    const pulled = await post(tokens.office as string, '/v1/sync/pull', {
      protocol: PROTOCOL_VERSION,
      cursor: 0,
      limit: 1000,
    })
    const { data } = (await pulled.json()) as {
      data: {
        cursor: number
        changes: {
          table: SyncedTable
          rowId: string
          values: Record<string, unknown>
          versions: Record<string, string>
        }[]
      }
    }
    expect(snap.cursor).toBe(data.cursor)
    let rows = 0
    for (const change of data.changes) {
      const table = snap.tables.get(change.table)
      const row = table?.rows.get(change.rowId)
      expect(row, `${change.table} ${change.rowId}`).toBeDefined()
      if (!table || !row) continue
      rows += 1
      expect(row.versions).toEqual(change.versions)
      table.columns.forEach((column, i) => {
        const want = change.values[column] ?? null
        const got = row.values[i] ?? null
        if (typeof want === 'number') expect(Number(got), column).toBe(want)
        else expect(got, column).toBe(want === null ? null : String(want))
      })
    }
    expect([...snap.tables.values()].reduce((n, t) => n + t.rows.size, 0)).toBe(rows)
    expect(snap.tables.get('clients')?.rows.get(r.cA)?.values[0]).toBe(awkward)
    // Tables in apply order, each with the columns the laptops know.
    expect([...snap.tables.keys()]).toEqual(
      expect.arrayContaining(['business_settings', 'appointments']),
    )
    for (const [table, { columns }] of snap.tables) expect(columns).toEqual(fieldsOf(table))
  })

  it('is one state: a push during it is in it or after its cursor, never lost', async () => {
    const before = parse((await snapshot('office')).text)
    // A push holding the change-number lock, its number taken, not yet committed.
    const inFlight = await pool.connect()
    const early = uuidv7()
    await inFlight.query('BEGIN')
    await inFlight.query('SELECT pg_advisory_xact_lock($1)', [SEQ_LOCK])
    await inFlight.query("INSERT INTO clients (id, name) VALUES ($1, 'In flight')", [early])
    await inFlight.query(
      `INSERT INTO sync_rows (table_name, row_id, versions, seq)
       VALUES ('clients', $1, jsonb_build_object('name', $2::text), nextval('sync_seq'))`,
      [early, clock()],
    )
    const stream = snapshotText(
      pool,
      devices.office as Device,
      { protocol: PROTOCOL_VERSION },
      { pageRows: 2 },
    )
    const parts: string[] = [(await stream.next()).value as string]
    // The snapshot has begun; now the in-flight push commits and another one lands.
    await inFlight.query('COMMIT')
    inFlight.release()
    const late = uuidv7()
    await push([
      { table: 'clients', rowId: late, fields: { name: 'Late', notes: '' } },
      { table: 'clients', rowId: r.cB, fields: { name: 'B Client renamed' } },
    ])
    for await (const part of stream) parts.push(part)
    const snap = parse(parts.join(''))
    const clients = snap.tables.get('clients')?.rows
    expect(clients?.has(early)).toBe(false)
    expect(clients?.has(late)).toBe(false)
    expect(clients?.get(r.cB)?.values[0]).toBe('B Client')
    expect(ids(snap, 'appointments')).toEqual(ids(before, 'appointments'))
    // What it lacks comes with the next pull from its cursor.
    const res = await post(tokens.office as string, '/v1/sync/pull', {
      protocol: PROTOCOL_VERSION,
      cursor: snap.cursor,
      limit: 1000,
    })
    const { data } = (await res.json()) as { data: { changes: { rowId: string }[] } }
    expect(data.changes.map((c) => c.rowId).sort()).toEqual([early, late, r.cB].sort())
  })

  it("gives a crew lead's device its crew's jobs from 30 days back, their clients, and the rest whole", async () => {
    const snap = parse((await snapshot('crewA')).text)
    expect(snap.ended).toBe(true)
    const whole = parse((await snapshot('office')).text)
    const all = (table: SyncedTable) => ids(whole, table)
    const expected: Record<SyncedTable, string[]> = {
      business_settings: [BUSINESS_SETTINGS_ID],
      // Whole: what a follow-up booked on the laptop picks from.
      team_members: all('team_members'),
      // The clients of its jobs (the visit followed up among them), no other.
      clients: [r.cA, r.cOld],
      services: all('services'),
      products: all('products'),
      team_member_specialties: all('team_member_specialties'),
      // the old job is the visit a recent one follows up
      appointments: [r.jobOld, r.jobRecent, r.jobFuture],
      appointment_products: [r.lineA],
      notification_templates: all('notification_templates'),
      notifications: [],
      time_off: all('time_off'),
      series: [],
      weather_forecasts: all('weather_forecasts'),
      geocodes: all('geocodes'),
    }
    for (const [table, want] of Object.entries(expected))
      expect(ids(snap, table as SyncedTable), table).toEqual([...want].sort())
    expect(all('appointments')).toContain(r.jobB)
    expect(all('clients')).toContain(r.cOther)
    // A crew lead with no crew gets no jobs.
    const none = parse((await snapshot('nobody')).text)
    expect(ids(none, 'appointments')).toEqual([])
    expect(ids(none, 'appointment_products')).toEqual([])
    expect(ids(none, 'business_settings')).toEqual([BUSINESS_SETTINGS_ID])
  })

  it("brings a crew lead's later pulls the visits their jobs follow up, which its snapshot lacked", async () => {
    const snap = parse((await snapshot('crewA')).text)
    expect(ids(snap, 'appointments')).not.toContain(r.jobAOld)
    // A new job of crew A's follows up an old one of theirs, from before the 30 days.
    const next = uuidv7()
    await push([job(next, crewA, r.cOther, 3, { follow_up_of_id: r.jobAOld })])
    const pullAs = async (device: string) => {
      const res = await post(tokens[device] as string, '/v1/sync/pull', {
        protocol: PROTOCOL_VERSION,
        cursor: snap.cursor,
        limit: 1000,
      })
      const { data } = (await res.json()) as { data: { changes: { rowId: string }[] } }
      return data.changes.map((c) => c.rowId)
    }
    // With the client they are for, which the snapshot lacked.
    expect((await pullAs('crewA')).sort()).toEqual([next, r.jobAOld, r.cOther].sort())
    // An office laptop holds everything already: it gets the change alone.
    expect(await pullAs('office')).toEqual([next])

    // A message about crew B's job is none of crew A's business: it stays away, and does
    // not bring crew B's job with it; one about crew A's job comes.
    const message = uuidv7()
    const ours = uuidv7()
    const about = (rowId: string, appointmentId: string) => ({
      table: 'notifications' as const,
      rowId,
      fields: {
        kind: 'confirmation',
        channel: 'email',
        client_id: r.cOther,
        appointment_id: appointmentId,
        recipient: 'other@example.com',
        visit_at: null,
        previous_visit_at: null,
        due_at: new Date().toISOString(),
        status: 'sent',
        attempts: 1,
        provider_id: null,
        reason: null,
        detail: null,
        subject: null,
        body: null,
        template_version: null,
        sent_at: null,
        deleted_at: null,
      },
    })
    await push([about(message, r.jobB), about(ours, r.jobFuture)])
    const pulled = await pullAs('crewA')
    expect(pulled).toContain(ours)
    expect(pulled).not.toContain(message)
    expect(pulled).not.toContain(r.jobB)
    expect(await pullAs('office')).toEqual(expect.arrayContaining([message, ours]))
  })

  it("brings a crew lead's later pulls the jobs that are or were their crew's, no other crew's", async () => {
    const snap = parse((await snapshot('crewA')).text)
    const pullAs = async (device: string) => {
      const res = await post(tokens[device] as string, '/v1/sync/pull', {
        protocol: PROTOCOL_VERSION,
        cursor: snap.cursor,
        limit: 1000,
      })
      const { data } = (await res.json()) as {
        data: { changes: { table: string; rowId: string; values: Record<string, unknown> }[] }
      }
      return data.changes
    }
    const others = uuidv7()
    const givenAway = uuidv7()
    const givenToA = uuidv7()
    const line = uuidv7()
    await push([
      job(others, crewB, r.cOther, 4),
      job(givenAway, crewA, r.cA, 5),
      job(givenToA, crewB, r.cOther, 6),
      {
        table: 'appointment_products',
        rowId: line,
        fields: {
          appointment_id: others,
          product_id: r.prodOther,
          quantity: '2',
          unit_price: '3.50',
        },
      },
    ])
    await push([
      { table: 'appointments', rowId: givenAway, fields: { team_member_id: crewB } },
      { table: 'appointments', rowId: givenToA, fields: { team_member_id: crewA } },
    ])
    // Changed again by its new crew: the laptop that held it still hears.
    await push([{ table: 'appointments', rowId: givenAway, fields: { notes: 'gate code 4411' } }])
    const pulled = await pullAs('crewA')
    // Each job with its client (the one given to A is for a client A did not have).
    expect(pulled.map((c) => c.rowId).sort()).toEqual([givenAway, givenToA, r.cA, r.cOther].sort())
    expect(pulled.find((c) => c.rowId === givenAway)?.values).toMatchObject({
      team_member_id: crewB,
      notes: 'gate code 4411',
    })
    // The office hears of everything; a crew lead with no crew of no job.
    expect((await pullAs('office')).map((c) => c.rowId)).toEqual(
      expect.arrayContaining([others, givenAway, givenToA, line]),
    )
    expect(
      (await pullAs('nobody')).filter(
        (c) => c.table === 'appointments' || c.table === 'appointment_products',
      ),
    ).toEqual([])
  })

  it("keeps other crews' clients from a crew lead's pulls, and brings its own clients' changes and series", async () => {
    const snap = parse((await snapshot('crewA')).text)
    const pullAs = async (device: string) => {
      const res = await post(tokens[device] as string, '/v1/sync/pull', {
        protocol: PROTOCOL_VERSION,
        cursor: snap.cursor,
        limit: 1000,
      })
      const { data } = (await res.json()) as { data: { changes: { rowId: string }[] } }
      return data.changes.map((c) => c.rowId)
    }
    const stranger = uuidv7()
    const seriesA = uuidv7()
    const seriesB = uuidv7()
    const aSeries = (id: string, clientId: string) => ({
      table: 'series' as const,
      rowId: id,
      fields: {
        root_id: id,
        client_id: clientId,
        service_id: r.svcSpec,
        team_member_id: null,
        rule: 'FREQ=WEEKLY;BYDAY=MO',
        starts_on: '2031-04-07',
        ends_on: null,
        start_time: '08:00',
        duration_minutes: 45,
        price: '40.00',
        notes: '',
        location: null,
        deleted_at: null,
      },
    })
    await push([
      { table: 'clients', rowId: stranger, fields: { name: 'Stranger Residence', notes: '' } },
      { table: 'clients', rowId: r.cA, fields: { phone: '+13125550199' } },
      { table: 'clients', rowId: r.cB, fields: { phone: '+13125550123' } },
      aSeries(seriesA, r.cA),
      aSeries(seriesB, r.cB),
    ])
    const pulled = await pullAs('crewA')
    expect(pulled).toEqual(expect.arrayContaining([r.cA, seriesA]))
    for (const away of [stranger, r.cB, seriesB]) expect(pulled).not.toContain(away)
    expect(await pullAs('office')).toEqual(
      expect.arrayContaining([stranger, r.cA, r.cB, seriesA, seriesB]),
    )
    // A job of crew A's for crew B's client: that client comes with it, with its series.
    const job2 = uuidv7()
    await push([job(job2, crewA, r.cB, 7)])
    expect(await pullAs('crewA')).toEqual(expect.arrayContaining([job2, r.cB, seriesB]))
    expect(await pullAs('crewA')).not.toContain(stranger)
  })

  it("brings a crew lead's laptop the jobs it holds that were its crew's, never another crew's", async () => {
    const movedAway = uuidv7()
    await push([job(movedAway, crewA, r.cA, 8)])
    await push([{ table: 'appointments', rowId: movedAway, fields: { team_member_id: crewB } }])
    const snap = parse(
      (await snapshot('crewA', { protocol: PROTOCOL_VERSION, held: [movedAway, r.jobB] })).text,
    )
    const jobs = ids(snap, 'appointments')
    expect(jobs).toContain(movedAway)
    expect(jobs).not.toContain(r.jobB)
  })

  it('continues after a given row, and lets go of a stream cut mid-way', async () => {
    const whole = parse((await snapshot('office')).text)
    const clientIds = ids(whole, 'clients')
    const after = clientIds[1] as string
    const rest = parse(
      (
        await snapshot('office', {
          protocol: PROTOCOL_VERSION,
          after: { table: 'clients', id: after },
        })
      ).text,
    )
    expect(rest.tables.has('team_members')).toBe(false)
    expect(ids(rest, 'clients')).toEqual(clientIds.slice(2))
    expect(ids(rest, 'appointments')).toEqual(ids(whole, 'appointments'))

    // A reader that goes away: the server's read ends and its connection is freed.
    const controller = new AbortController()
    const res = await fetch(`${url}/v1/sync/snapshot`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.office}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ protocol: PROTOCOL_VERSION }),
      signal: controller.signal,
    })
    const reader = res.body?.getReader()
    await reader?.read()
    controller.abort()
    await expect
      .poll(async () => {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
        )
        return rows[0]?.n
      })
      .toBe(0)
  })

  it('refuses a malformed request with the error envelope', async () => {
    const bad = await snapshot('office', {
      protocol: PROTOCOL_VERSION,
      after: { table: 'nope', id: 'x' },
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.text)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    // An older laptop is told what to do, as by push and pull.
    const older = await snapshot('office', { protocol: 1 })
    expect(older.status).toBe(400)
    expect(JSON.parse(older.text).error.message).toMatch(
      /^unsupported protocol version \(this server speaks 2\).*update the older one$/,
    )
    const res = await fetch(`${url}/v1/sync/snapshot`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(401)
  })
})
