import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTs } from '../scripts/lib/run-ts'
import { uuidv7 } from '../shared/domain/ids'
import { deviceStamps } from '../shared/sync/device-stamps.test-support'
import { type Conflict, conflict, type Mutation, PROTOCOL_VERSION } from '../shared/sync/protocol'
import { buildServer } from './app'
import { createPool, migrateServer } from './db'
import { ensureReferences } from './references.test-support'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice } from './tokens'

const CREW = uuidv7()
const OTHER_CREW = uuidv7()
/** Device clocks start an hour behind the server's; each write is ten seconds after the last. */
const T0 = Date.now() - 3_600_000
const STEP = 10_000
const iso = (ms: number) => new Date(ms).toISOString()

describe('business conflicts', () => {
  let db: TestDatabase
  let pool: pg.Pool
  let app: ReturnType<typeof buildServer>
  const tokens: Record<string, string> = {}
  const ids: Record<string, string> = {}
  const people = {
    office: ['Olga', 'office_manager', null],
    laptop: ['Lars', 'office_manager', null],
    admin: ['Ada', 'admin', null],
    crew: ['Cleo', 'crew_lead', CREW],
  } as const
  type Who = keyof typeof people

  beforeAll(async () => {
    db = await freshDatabase()
    pool = createPool(db.url, db.poolMax)
    await migrateServer(pool)
    app = buildServer({ pool })
    for (const [label, [userName, role, teamMemberId]] of Object.entries(people)) {
      const created = await createDevice(pool, { label, userName, role, teamMemberId })
      tokens[label] = created.token
      ids[label] = created.device.id
    }
  })
  afterAll(async () => {
    await app.close()
    await pool.end()
    await db.drop()
  })

  const post = async (who: Who, url: string, payload: unknown) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${tokens[who]}` },
      payload: payload as object,
    })
    return {
      status: res.statusCode,
      body: res.json() as {
        ok: boolean
        data: { results: { status: string }[]; conflicts: Conflict[]; conflict: Conflict }
        error?: { code: string; message: string }
      },
    }
  }
  const pushAs = async (who: Who, mutations: Mutation[]) => {
    await ensureReferences(pool, mutations)
    const res = await post(who, '/v1/sync/push', { protocol: PROTOCOL_VERSION, mutations })
    return res.body.data.results.map((r) => r.status)
  }
  /** The versions of a row as a device that pulls now sees them: its base for later writes. */
  const seen = async (rowId: string): Promise<Record<string, string>> => {
    const { rows } = await pool.query('SELECT versions FROM sync_rows WHERE row_id = $1', [rowId])
    return { ...rows[0]?.versions }
  }
  const list = async (status?: 'open' | 'resolved' | 'all', who: Who = 'office') => {
    const res = await post(who, '/v1/conflicts', status ? { status } : {})
    expect(res.status).toBe(200)
    const conflicts = res.body.data.conflicts
    for (const c of conflicts) conflict.parse(c)
    return conflicts
  }
  const conflictsOf = async (rowId: string) =>
    (await list('all')).filter((c) => c.rowId === rowId || c.sides.some((s) => s.rowId === rowId))

  // Each device's clock reads what `wall` says for it, so each write's time is known.
  const wall: Record<Who, number> = { office: T0, laptop: T0, admin: T0, crew: T0 }
  const clocks = Object.fromEntries(
    Object.keys(people).map((who) => [who, deviceStamps(who, () => wall[who as Who])]),
  ) as Record<Who, () => string>
  let step = 0
  /** A mutation written one step after the last, with the wall time it was written at. */
  const write = (
    who: Who,
    table: Mutation['table'],
    rowId: string,
    fields: Mutation['fields'],
    base?: Record<string, string>,
  ) => {
    step += 1
    wall[who] = T0 + step * STEP
    const mutation: Mutation = {
      id: uuidv7(),
      table,
      rowId,
      hlc: clocks[who](),
      fields,
      ...(base ? { base } : {}),
    }
    return { mutation, at: iso(wall[who]) }
  }
  const client = async () => {
    const id = uuidv7()
    const { mutation } = write('office', 'clients', id, {
      name: 'Birch Court',
      notes: '',
      deleted_at: null,
    })
    expect(await pushAs('office', [mutation])).toEqual(['applied'])
    return id
  }
  const DELETE = { deleted_at: '2027-05-01T08:00:00Z' }
  /** The whole client as the server's table holds it: every field, instants in one form. */
  const stored = (values: Record<string, unknown>) => ({
    email: null,
    phone: null,
    address: null,
    postal_code: null,
    latitude: null,
    longitude: null,
    notify_email: true,
    notify_sms: false,
    notify_off: '',
    locale: 'en',
    ...values,
    deleted_at: '2027-05-01T08:00:00.000Z',
  })

  describe('an edit and a deletion that had not seen each other', () => {
    it('is recorded once when the edit arrives second, with who and when on each side', async () => {
      const id = await client()
      const base = await seen(id)
      const del = write('office', 'clients', id, DELETE, base)
      const edit = write('laptop', 'clients', id, { notes: 'side gate sticks' }, base)
      expect(await pushAs('office', [del.mutation])).toEqual(['applied'])
      expect(await pushAs('laptop', [edit.mutation])).toEqual(['applied'])
      const found = await conflictsOf(id)
      expect(found).toHaveLength(1)
      expect(found[0]).toMatchObject({ kind: 'edit_and_delete', table: 'clients', rowId: id })
      expect(found[0]?.sides).toEqual([
        {
          rowId: id,
          by: { device: 'office', user: 'Olga' },
          at: del.at,
          // The deleted row as the edit found it.
          values: stored({ name: 'Birch Court', notes: '' }),
        },
        {
          rowId: id,
          by: { device: 'laptop', user: 'Lars' },
          at: edit.at,
          values: { notes: 'side gate sticks' },
        },
      ])
    })

    it('is recorded once when the deletion arrives second, though its clock is later', async () => {
      const id = await client()
      const base = await seen(id)
      const edit = write('laptop', 'clients', id, { notes: 'side gate sticks' }, base)
      const del = write('office', 'clients', id, DELETE, base)
      expect(await pushAs('laptop', [edit.mutation])).toEqual(['applied'])
      expect(await pushAs('office', [del.mutation])).toEqual(['applied'])
      const found = await conflictsOf(id)
      expect(found).toHaveLength(1)
      expect(found[0]?.sides).toEqual([
        {
          rowId: id,
          by: { device: 'office', user: 'Olga' },
          at: del.at,
          values: stored({ name: 'Birch Court', notes: 'side gate sticks' }),
        },
        {
          rowId: id,
          by: { device: 'laptop', user: 'Lars' },
          at: edit.at,
          values: { notes: 'side gate sticks' },
        },
      ])
    })

    it('gathers several offline edits from one device into one conflict', async () => {
      const id = await client()
      const base = await seen(id)
      const del = write('office', 'clients', id, DELETE, base)
      const first = write('laptop', 'clients', id, { notes: 'ring twice' }, base)
      const second = write('laptop', 'clients', id, { name: 'Birch Ct.' }, base)
      await pushAs('office', [del.mutation])
      expect(await pushAs('laptop', [first.mutation, second.mutation])).toEqual([
        'applied',
        'applied',
      ])
      const found = await conflictsOf(id)
      expect(found).toHaveLength(1)
      expect(found[0]?.sides[1]).toEqual({
        rowId: id,
        by: { device: 'laptop', user: 'Lars' },
        at: second.at,
        values: { notes: 'ring twice', name: 'Birch Ct.' },
      })
    })

    it('is not recorded for a restore, an edit that had seen the deletion, or a deletion that had seen the edit', async () => {
      const restored = await client()
      const before = await seen(restored)
      await pushAs('office', [write('office', 'clients', restored, DELETE, before).mutation])
      const restore = write(
        'laptop',
        'clients',
        restored,
        { deleted_at: null, notes: 'back' },
        before,
      )
      expect(await pushAs('laptop', [restore.mutation])).toEqual(['applied'])

      const deleted = await client()
      await pushAs('office', [
        write('office', 'clients', deleted, DELETE, await seen(deleted)).mutation,
      ])
      const edit = write('laptop', 'clients', deleted, { notes: 'noted' }, await seen(deleted))
      expect(await pushAs('laptop', [edit.mutation])).toEqual(['applied'])

      const edited = await client()
      await pushAs('laptop', [
        write('laptop', 'clients', edited, { notes: 'noted' }, await seen(edited)).mutation,
      ])
      const del = write('office', 'clients', edited, DELETE, await seen(edited))
      expect(await pushAs('office', [del.mutation])).toEqual(['applied'])

      for (const id of [restored, deleted, edited]) expect(await conflictsOf(id)).toEqual([])
    })

    it('keeps each mutation’s row and clock, refused ones too', async () => {
      const id = uuidv7()
      const refused = write('crew', 'services', id, { name: 'Free work' })
      expect(await pushAs('crew', [refused.mutation])).toEqual(['rejected'])
      const { rows } = await pool.query(
        'SELECT table_name, row_id, hlc, status FROM sync_mutations WHERE id = $1',
        [refused.mutation.id],
      )
      expect(rows).toEqual([
        { table_name: 'services', row_id: id, hlc: refused.mutation.hlc, status: 'rejected' },
      ])
    })
  })

  describe('double bookings', () => {
    const job = (crew: string | null, start: string, minutes: number, extra = {}) => ({
      client_id: uuidv7(),
      service_id: uuidv7(),
      team_member_id: crew,
      scheduled_at: start,
      duration_minutes: minutes,
      status: 'scheduled',
      notes: '',
      price: '80.00',
      follow_up_of_id: null,
      deleted_at: null,
      ...extra,
    })
    const book = async (who: Who, fields: Mutation['fields'], id = uuidv7()) => {
      const w = write(who, 'appointments', id, fields)
      expect(await pushAs(who, [w.mutation])).toEqual(['applied'])
      return { id, at: w.at }
    }
    const pairs = async () => {
      const { rows } = await pool.query<{ row_id: string; other_row_id: string }>(
        `SELECT row_id, other_row_id FROM sync_conflicts WHERE kind = 'double_booking' ORDER BY id`,
      )
      return rows
    }

    it('records two devices booking one crew at overlapping times once, first booking first', async () => {
      const first = await book('office', job(CREW, '2027-06-01T09:00:00Z', 60))
      const second = await book('laptop', job(CREW, '2027-06-01T09:30:00+00:00', 60))
      const found = await conflictsOf(first.id)
      expect(found).toHaveLength(1)
      expect(found[0]).toMatchObject({ kind: 'double_booking', table: 'appointments' })
      expect(found[0]?.rowId).toBe(first.id)
      expect(found[0]?.sides.map((s) => [s.rowId, s.by, s.at])).toEqual([
        [first.id, { device: 'office', user: 'Olga' }, first.at],
        [second.id, { device: 'laptop', user: 'Lars' }, second.at],
      ])
      expect(found[0]?.sides[1].values).toMatchObject({ scheduled_at: '2027-06-01T09:30:00.000Z' })
      // Later changes to either job, still overlapping, do not record the pair again.
      await pushAs('office', [
        write('office', 'appointments', first.id, { duration_minutes: 90 }).mutation,
      ])
      await pushAs('laptop', [
        write('laptop', 'appointments', second.id, { scheduled_at: '2027-06-01T09:15:00Z' })
          .mutation,
      ])
      expect(await conflictsOf(first.id)).toHaveLength(1)
    })

    it('records nothing for adjacent jobs, cancelled or deleted ones, another crew or no crew', async () => {
      const before = (await pairs()).length
      await book('office', job(CREW, '2027-06-02T09:00:00Z', 60))
      await book('laptop', job(CREW, '2027-06-02T10:00:00Z', 60))
      await book('laptop', job(CREW, '2027-06-02T07:30:00-01:00', 30))
      await book('laptop', job(CREW, '2027-06-02T09:15:00Z', 30, { status: 'cancelled' }))
      await book('laptop', job(CREW, '2027-06-02T09:15:00Z', 30, DELETE))
      await book('laptop', job(OTHER_CREW, '2027-06-02T09:15:00Z', 30))
      await book('laptop', job(null, '2027-06-02T09:15:00Z', 30))
      expect((await pairs()).length).toBe(before)
    })

    it('records nothing for an overlap the user saw and kept, but still one they could not see', async () => {
      const first = await book('office', job(CREW, '2027-06-04T09:00:00Z', 60))
      const unseen = await book('laptop', job(CREW, '2027-06-04T09:45:00Z', 60))
      const before = (await pairs()).length
      const w = write('office', 'appointments', uuidv7(), job(CREW, '2027-06-04T09:30:00Z', 60))
      // The office laptop showed the clash with the first job and the user kept both.
      expect(await pushAs('office', [{ ...w.mutation, accepted: [first.id] }])).toEqual(['applied'])
      const recorded = (await pairs()).slice(before)
      expect(recorded).toEqual([{ row_id: unseen.id, other_row_id: w.mutation.rowId }])
    })

    it('records an overlap made by a later change: reinstating, moving or reassigning a job', async () => {
      const booked = await book('office', job(CREW, '2027-06-03T13:00:00Z', 120))
      const cancelled = await book(
        'laptop',
        job(CREW, '2027-06-03T14:00:00Z', 60, { status: 'cancelled' }),
      )
      const elsewhere = await book('laptop', job(OTHER_CREW, '2027-06-03T13:30:00Z', 30))
      const later = await book('laptop', job(CREW, '2027-06-03T18:00:00Z', 30))
      expect(await conflictsOf(booked.id)).toEqual([])
      // Reinstating a cancelled job is an office decision (a crew lead may not reopen).
      await pushAs('laptop', [
        write('laptop', 'appointments', cancelled.id, { status: 'scheduled' }).mutation,
      ])
      await pushAs('office', [
        write('office', 'appointments', elsewhere.id, { team_member_id: CREW }).mutation,
      ])
      await pushAs('office', [
        write('office', 'appointments', later.id, { scheduled_at: '2027-06-03T14:45:00Z' })
          .mutation,
      ])
      const jobs = [booked.id, cancelled.id, elsewhere.id, later.id]
      const found = (await list('all')).filter((c) => jobs.includes(c.rowId))
      expect(found.map((c) => c.sides.map((s) => s.rowId)).sort()).toEqual(
        [
          [booked.id, cancelled.id],
          [booked.id, elsewhere.id],
          [booked.id, later.id],
          [cancelled.id, later.id],
        ].sort(),
      )
      // The reinstated job's side names the device that last placed it: the laptop.
      const reinstated = found.find((c) => c.sides[1].rowId === cancelled.id)
      expect(reinstated?.sides[1].by).toEqual({ device: 'laptop', user: 'Lars' })
    })

    it('records each overlap once when both bookings land at the same moment', async () => {
      const before = (await pairs()).length
      for (let day = 10; day < 20; day++) {
        const a = write(
          'office',
          'appointments',
          uuidv7(),
          job(CREW, `2027-06-${day}T09:00:00Z`, 60),
        )
        const b = write(
          'laptop',
          'appointments',
          uuidv7(),
          job(CREW, `2027-06-${day}T09:30:00Z`, 60),
        )
        await Promise.all([pushAs('office', [a.mutation]), pushAs('laptop', [b.mutation])])
      }
      expect((await pairs()).length - before).toBe(10)
    })

    it('lets a crew lead book a follow-up for their own crew, and records its overlap', async () => {
      const service = uuidv7()
      const catalog = write('office', 'services', service, {
        name: `Follow-up service ${service}`,
        description: '',
        priority: 'MEDIUM',
        base_price: '80.00',
        duration_minutes: 45,
        is_active: true,
        deleted_at: null,
      })
      expect(await pushAs('office', [catalog.mutation])).toEqual(['applied'])
      const client = uuidv7()
      const original = await book(
        'office',
        job(CREW, '2027-06-04T09:00:00Z', 60, { client_id: client }),
      )
      const blocking = await book('office', job(CREW, '2027-07-01T09:00:00Z', 60))
      const followUp = write(
        'crew',
        'appointments',
        uuidv7(),
        job(CREW, '2027-07-01T09:30:00Z', 45, {
          follow_up_of_id: original.id,
          client_id: client,
          service_id: service,
        }),
      )
      expect(await pushAs('crew', [followUp.mutation])).toEqual(['applied'])
      const found = await conflictsOf(blocking.id)
      expect(found.map((c) => c.sides[1].by)).toEqual([{ device: 'crew', user: 'Cleo' }])
    })
  })

  describe('listing and resolving', () => {
    it('lists open conflicts newest first, to office devices only', async () => {
      const open = await list()
      expect(open.length).toBeGreaterThan(3)
      expect(open.every((c) => c.resolvedAt === null && c.resolution === null)).toBe(true)
      const times = open.map((c) => c.detectedAt)
      expect(times).toEqual([...times].sort().reverse())
      expect(await list(undefined, 'admin')).toEqual(open)
      const limited = await post('office', '/v1/conflicts', { limit: 2 })
      expect(limited.body.data.conflicts).toEqual(open.slice(0, 2))
      for (const url of ['/v1/conflicts', '/v1/conflicts/resolve']) {
        const refused = await post('crew', url, {})
        expect(refused.status).toBe(403)
        expect(refused.body.error?.code).toBe('FORBIDDEN')
      }
      expect((await post('office', '/v1/conflicts', { status: 'maybe' })).status).toBe(400)
    })

    it('records a decision once, refusing unknown ids and resolutions of another kind', async () => {
      const open = await list()
      const edit = open.find((c) => c.kind === 'edit_and_delete') as Conflict
      const booking = open.find((c) => c.kind === 'double_booking') as Conflict
      const resolve = (id: string, resolution: string, who: Who = 'office') =>
        post(who, '/v1/conflicts/resolve', { id, resolution })

      const wrong = await resolve(edit.id, 'keep_both')
      expect(wrong.status).toBe(400)
      expect(wrong.body.error?.message).toMatch(/keep_deleted, restore/)
      expect((await resolve(uuidv7(), 'restore')).status).toBe(404)
      expect((await resolve(edit.id, 'whatever')).status).toBe(400)
      const notAnId = await resolve('x', 'restore')
      expect(notAnId.body.error?.message).toBe('invalid request: id must be a UUID')

      const done = await resolve(edit.id, 'restore')
      expect(done.status).toBe(200)
      expect(done.body.data.conflict).toMatchObject({ id: edit.id, resolution: 'restore' })
      expect(done.body.data.conflict.resolvedAt).not.toBeNull()
      const again = await resolve(edit.id, 'keep_deleted', 'admin')
      expect(again.status).toBe(409)
      expect(again.body.error?.code).toBe('CONFLICT')
      expect((await resolve(booking.id, 'unassign_second', 'admin')).status).toBe(200)

      const { rows } = await pool.query(
        'SELECT id, resolution, resolved_by FROM sync_conflicts WHERE resolved_at IS NOT NULL ORDER BY resolved_at',
      )
      expect(rows).toEqual([
        { id: edit.id, resolution: 'restore', resolved_by: ids.office },
        { id: booking.id, resolution: 'unassign_second', resolved_by: ids.admin },
      ])
      expect((await list()).map((c) => c.id)).not.toContain(edit.id)
      expect((await list('resolved')).map((c) => c.id).sort()).toEqual([edit.id, booking.id].sort())
      expect(await list('all')).toHaveLength(open.length)
    })

    it('records a pair again once its earlier conflict is resolved', async () => {
      const booking = (await list('resolved')).find((c) => c.kind === 'double_booking') as Conflict
      const [first, second] = booking.sides
      await pushAs('laptop', [
        write('laptop', 'appointments', second.rowId, { duration_minutes: 240 }).mutation,
      ])
      const reopened = (await list()).filter((c) => c.rowId === first.rowId)
      expect(reopened.map((c) => c.sides[1].rowId)).toContain(second.rowId)
    })

    it('lists and resolves from the command line', async () => {
      const cli = (...args: string[]) =>
        runTs('scripts/server-conflicts.ts', [...args, '--database-url', db.url])
      const usage = await cli('resolve')
      expect(usage.code).toBe(2)
      expect(usage.stderr).toMatch(/--id is required/)
      const target = (await list())[0] as Conflict
      const resolution = target.kind === 'edit_and_delete' ? 'keep_deleted' : 'keep_both'
      // PGlite serves one connection at a time: the command gets it while it runs.
      if (db.kind === 'pglite') await pool.end()
      const listed = await cli('list')
      const resolved = await cli('resolve', '--id', target.id, '--resolution', resolution)
      if (db.kind === 'pglite') pool = createPool(db.url, db.poolMax)
      expect(listed.code).toBe(0)
      expect(listed.stdout).toContain(target.id)
      expect(resolved.code).toBe(0)
      const { rows } = await pool.query(
        'SELECT resolution, resolved_by FROM sync_conflicts WHERE id = $1',
        [target.id],
      )
      expect(rows).toEqual([{ resolution, resolved_by: null }])
    })
  })
})
