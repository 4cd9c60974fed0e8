import { describe, expect, it, vi } from 'vitest'
import { inTransaction } from '../../../../server/events/events.test-support'
import { markRestored } from '../../../../server/pull'
import { uuidv7 } from '../../../../shared/domain/ids'
import { MONEY_FIELDS } from '../../../../shared/sync/columns'
import { SYNCED_FIELDS, SYNCED_TABLES } from '../../../../shared/sync/protocol'
import {
  connect,
  type Device,
  deviceState,
  serverState,
  startTestServer,
  type TestServer,
} from '../../../../testing/sync-harness'
import { seed } from '../seed/seed'
import { buildFixture, TEST_PIN } from '../test/fixture'
import { call, callError } from '../test/helpers'
import { LOCAL_TABLES, readOutbox, setState, settleOutbox } from './store'
import { syncTestBed } from './test-bed.test-support'

const bed = syncTestBed()
const device = bed.device.bind(bed)
const agree = bed.agree.bind(bed)

const sync = (d: Device) => call(d.ctx, 'sync.now', {})

describe('the outbox', () => {
  it('records every local write in its transaction, and nothing applied from a pull', async () => {
    const a = await device('outbox-a')
    const f = await buildFixture(a.ctx)
    const { appointment } = await call(a.ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2027-03-01T15:00:00Z',
    })
    await call(a.ctx, 'appointments.update', { id: appointment.id, notes: 'gate code 1234' })
    const entries = await readOutbox(a.ctx.db.pg, 1000)
    const mine = entries.filter((e) => e.mutation.rowId === appointment.id)
    expect(mine).toHaveLength(2)
    expect(Object.keys(mine[0]?.mutation.fields ?? {}).sort()).toContain('scheduled_at')
    expect(mine[0]?.mutation.fields.price).toBe('55.00')
    // The second write carries only what changed, and what the laptop had seen before it.
    expect(mine[1]?.mutation.fields).toEqual({ notes: 'gate code 1234' })
    expect(mine[1]?.mutation.base?.notes).toBe(mine[0]?.mutation.hlc)
    expect((mine[1]?.mutation.hlc ?? '') > (mine[0]?.mutation.hlc ?? '')).toBe(true)

    // A refused write leaves no outbox entry behind.
    const before = (await readOutbox(a.ctx.db.pg, 1000)).length
    await callError(a.ctx, 'appointments.update', { id: appointment.id, price: '-1' })
    expect((await readOutbox(a.ctx.db.pg, 1000)).length).toBe(before)

    await connect(a, bed.server)
    const status = await sync(a)
    expect(status.pending).toBe(0)
    expect(status.phase).toBe('idle')

    const b = await device('outbox-b')
    await connect(b, bed.server)
    await sync(b)
    // B received everything and has nothing of its own to send back.
    expect(await readOutbox(b.ctx.db.pg, 10)).toHaveLength(0)
    expect((await deviceState(b.ctx)).appointments[appointment.id]?.notes).toBe('gate code 1234')
  })
})

describe('settling a push the server refused in part', () => {
  it('puts refused fields back as the server has them, unless a later write decides them', async () => {
    const a = await device('settle-refused')
    const pg = a.ctx.db.pg
    const client = await call(a.ctx, 'clients.create', { name: 'Laptop name', notes: 'kept' })
    await call(a.ctx, 'clients.update', { id: client.id, name: 'Refused name', notes: 'refused' })
    await call(a.ctx, 'clients.update', { id: client.id, name: 'Waiting name' })
    const [created, refused, waiting] = await readOutbox(pg, 10)
    if (!created || !refused || !waiting) throw new Error('three writes expected')
    const serverHlc = created.mutation.hlc
    const current = {
      values: { name: 'Laptop name', notes: 'kept' },
      versions: { name: serverHlc, notes: serverHlc },
    }
    const first = await settleOutbox(
      pg,
      [created, refused],
      [
        { id: created.mutation.id, status: 'applied' },
        { id: refused.mutation.id, status: 'rejected', reason: 'no', current },
      ],
    )
    expect(first).toMatchObject({ applied: 1, rejected: 1, reverted: ['clients'] })
    // The notes go back; the name waits for the write still to be sent.
    let row = await call(a.ctx, 'clients.get', { id: client.id })
    expect([row.name, row.notes]).toEqual(['Waiting name', 'kept'])
    // Put back as pulled rows are: nothing new to send.
    expect((await readOutbox(pg, 10)).map((e) => e.mutation.id)).toEqual([waiting.mutation.id])
    await settleOutbox(
      pg,
      [waiting],
      [{ id: waiting.mutation.id, status: 'rejected', reason: 'no', current }],
    )
    row = await call(a.ctx, 'clients.get', { id: client.id })
    expect(row.name).toBe('Laptop name')
    const { rows } = await pg.query<{ versions: Record<string, string> }>(
      'SELECT versions FROM sync_versions WHERE row_id = $1',
      [client.id],
    )
    expect(rows[0]?.versions.name).toBe(serverHlc)
    expect(await readOutbox(pg, 10)).toEqual([])

    // A row the server does not have at all is removed here (a client: archived, as a
    // pulled removal would leave it); a refusal that says nothing
    // of the change itself (no copy sent) leaves the laptop as it is.
    const other = await call(a.ctx, 'clients.create', { name: 'Never on the server' })
    const third = await call(a.ctx, 'clients.create', { name: 'Clock too far ahead' })
    const [gone, kept] = await readOutbox(pg, 10)
    if (!gone || !kept) throw new Error('two writes expected')
    await settleOutbox(
      pg,
      [gone, kept],
      [
        { id: gone.mutation.id, status: 'rejected', reason: 'no', current: null },
        { id: kept.mutation.id, status: 'rejected', reason: "the device's clock is too far ahead" },
      ],
    )
    expect((await call(a.ctx, 'clients.get', { id: other.id })).archived).toBe(true)
    expect((await call(a.ctx, 'clients.get', { id: third.id })).name).toBe('Clock too far ahead')
    expect(await readOutbox(pg, 10)).toEqual([])

    // A copy the database here will not take (a name of spaces) leaves that row as it is,
    // and the batch is settled all the same: it is not sent again and again.
    await call(a.ctx, 'clients.update', { id: third.id, name: 'Kept as it is' })
    const [odd] = await readOutbox(pg, 10)
    if (!odd) throw new Error('a write expected')
    const settled = await settleOutbox(
      pg,
      [odd],
      [
        {
          id: odd.mutation.id,
          status: 'rejected',
          reason: 'no',
          current: { values: { name: '   ' }, versions: { name: serverHlc } },
        },
      ],
    )
    expect(settled).toMatchObject({ rejected: 1, reverted: [] })
    expect((await call(a.ctx, 'clients.get', { id: third.id })).name).toBe('Kept as it is')
    expect(await readOutbox(pg, 10)).toEqual([])
  })
})

describe('the capture triggers', () => {
  it('record exactly the fields of the protocol, money as exact text', async () => {
    const a = await device('triggers')
    // Updates row by row, inserts a statement at a time: both name the same fields.
    for (const suffix of ['_sync', '_sync_inserts']) {
      const { rows: triggers } = await a.ctx.db.pg.query<{ table: string; args: string }>(
        `SELECT c.relname AS table, encode(t.tgargs, 'hex') AS args
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         WHERE t.tgname = c.relname || $1 ORDER BY c.relname`,
        [suffix],
      )
      const rows = triggers.map((t) => ({
        table: t.table,
        args: Buffer.from(t.args, 'hex').toString('utf8').split('\0'),
      }))
      const expected = SYNCED_TABLES.map((table) => ({
        table,
        args: Object.keys(SYNCED_FIELDS[table]).map((f) => (MONEY_FIELDS.has(f) ? `$${f}` : f)),
      })).sort((x, y) => x.table.localeCompare(y.table))
      expect(
        rows.map((r) => ({ table: r.table, args: r.args.filter(Boolean) })),
        suffix,
      ).toEqual(expected)
    }
  })

  it('record each row of a many-row insert whole, with the double booking the user accepted', async () => {
    const a = await device('many-rows')
    const f = await buildFixture(a.ctx)
    const ids = [uuidv7(), uuidv7(), uuidv7()]
    await a.ctx.db.pg.transaction(async (tx) => {
      await tx.query("SELECT set_config('groundskeeper.accepted_overlaps', $1, true)", [
        `${ids[1]}:${f.smith.id}`,
      ])
      await tx.query(
        `INSERT INTO appointments (id, client_id, service_id, scheduled_at, duration_minutes, price)
         SELECT id, $2, $3, '2031-06-03T15:00:00Z', 60, 55.5 FROM unnest($1::uuid[]) AS id`,
        [ids, f.smith.id, f.mowing.id],
      )
    })
    const { rows: outbox } = await a.ctx.db.pg.query<{
      row_id: string
      fields: Record<string, unknown>
    }>('SELECT row_id, fields FROM sync_outbox WHERE row_id = ANY($1::uuid[])', [ids])
    expect(outbox.map((m) => m.row_id).sort()).toEqual([...ids].sort())
    for (const m of outbox) {
      expect(Object.keys(m.fields).sort()).toEqual(Object.keys(SYNCED_FIELDS.appointments).sort())
      expect(m.fields.price).toBe('55.50')
    }
    const { rows } = await a.ctx.db.pg.query<{ row_id: string; accepted: unknown; n: number }>(
      `SELECT o.row_id, o.accepted,
         (SELECT count(*)::int FROM jsonb_object_keys(v.versions)) AS n
       FROM sync_outbox o JOIN sync_versions v ON v.table_name = o.table_name AND v.row_id = o.row_id
       WHERE o.row_id = ANY($1::uuid[]) ORDER BY o.row_id`,
      [ids],
    )
    expect(rows.map((r) => r.n)).toEqual(
      ids.map(() => Object.keys(SYNCED_FIELDS.appointments).length),
    )
    expect(rows.find((r) => r.row_id === ids[1])?.accepted).toEqual([f.smith.id])
    expect(rows.filter((r) => r.accepted !== null)).toHaveLength(1)
  })

  it('cover every table of the schema, unless it is named local-only with a reason', async () => {
    const a = await device('tables')
    const { rows } = await a.ctx.db.pg.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    )
    const neither = rows
      .map((r) => r.name)
      .filter((t) => !(SYNCED_TABLES as string[]).includes(t) && !Object.hasOwn(LOCAL_TABLES, t))
    expect(neither).toEqual([])
    for (const t of SYNCED_TABLES) expect(Object.hasOwn(LOCAL_TABLES, t)).toBe(false)
  })

  it('leave demo data out of the outbox; connecting uploads it as whole rows', async () => {
    const a = await device('seeded')
    await seed(a.ctx.db.pg, { appointments: 60, clients: 12, teamMembers: 3 })
    expect(await readOutbox(a.ctx.db.pg, 10)).toHaveLength(0)
    const connected = await connect(a, bed.server)
    // Every row of every synced table the demo holds.
    const { rows } = await a.ctx.db.pg.query<{ n: number }>(
      `SELECT ${SYNCED_TABLES.map((t) => `(SELECT count(*) FROM "${t}")`).join(' + ')} AS n`,
    )
    expect(connected.pending).toBe(Number(rows[0]?.n))
    await sync(a)
    const b = await device('seeded-b')
    await connect(b, bed.server)
    await sync(b)
    const stateA = await deviceState(a.ctx)
    const stateB = await deviceState(b.ctx)
    for (const table of SYNCED_TABLES)
      for (const [id, row] of Object.entries(stateA[table]))
        expect(stateB[table][id], `${table} ${id}`).toEqual(row)
  })
})

describe('connecting a laptop that holds data and edits made before', () => {
  it('uploads the rows a waiting edit refers to ahead of it', async () => {
    const a = await device('seeded-first')
    // More clients than one push carries, so the services come in a later batch.
    await seed(a.ctx.db.pg, { appointments: 5, clients: 700, teamMembers: 2 })
    // Booked before connecting: its write waits in the outbox, naming seeded rows.
    const job = uuidv7()
    await a.ctx.db.pg.query(
      `INSERT INTO appointments (id, client_id, service_id, scheduled_at, duration_minutes, price)
       SELECT $1, (SELECT id FROM clients ORDER BY id DESC LIMIT 1),
         (SELECT id FROM services ORDER BY id DESC LIMIT 1), '2031-06-03T15:00:00Z', 60, 55`,
      [job],
    )
    await connect(a, bed.server)
    await sync(a)
    const { rows } = await bed.server.pool.query<{ status: string }>(
      `SELECT status FROM sync_mutations WHERE table_name = 'appointments' AND row_id = $1`,
      [job],
    )
    // Sent whole ahead of the edit, then the edit (which finds nothing newer to write).
    expect(rows.map((r) => r.status)).toEqual(['applied', 'applied'])

    // Booked before the laptop joined: the server's event says so (no confirmation goes
    // to the client, who heard of it when it was booked). A booking made now does not.
    const later = uuidv7()
    await a.ctx.db.pg.query(
      `INSERT INTO appointments (id, client_id, service_id, scheduled_at, duration_minutes, price)
       SELECT $1, client_id, service_id, '2031-06-10T15:00:00Z', 60, 55 FROM appointments WHERE id = $2`,
      [later, job],
    )
    expect((await readOutbox(a.ctx.db.pg, 10)).map((e) => e.mutation.uploaded)).toEqual([undefined])
    await sync(a)
    const created = async (id: string) =>
      (
        await bed.server.pool.query<{ data: { uploaded?: boolean; restored: boolean } }>(
          `SELECT envelope->'data' AS data FROM domain_events
           WHERE type = 'scheduling.appointment.created.v1' AND subject = 'appointments/' || $1`,
          [id],
        )
      ).rows.map((r) => r.data)
    expect(await created(job)).toMatchObject([{ restored: false, uploaded: true }])
    expect(await created(later)).toEqual([expect.not.objectContaining({ uploaded: true })])
  })
})

describe('a laptop joining another server', () => {
  it('sends every row it holds with the versions it has, rows referred to first', async () => {
    // One write per push, so that a row sent before the row it names would be refused.
    const a = await device('joins', { pushBatch: 1 })
    const f = await buildFixture(a.ctx)
    // The follow-up's id sorts before its original's.
    const followUp = uuidv7()
    const { appointment } = await call(a.ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2027-03-01T15:00:00Z',
    })
    await a.ctx.db.pg.query(
      `INSERT INTO appointments (id, client_id, service_id, team_member_id, scheduled_at,
         duration_minutes, price, follow_up_of_id)
       SELECT $1, client_id, service_id, team_member_id, scheduled_at + interval '14 days',
         duration_minutes, price, id FROM appointments WHERE id = $2`,
      [followUp, appointment.id],
    )
    await connect(a, bed.server)
    await sync(a)
    // A later edit: the job's fields now carry different versions.
    await call(a.ctx, 'appointments.update', { id: appointment.id, notes: 'gate code 1234' })
    await sync(a)

    // A double booking the office saw and kept, synced to the first server.
    await call(a.ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2027-03-01T15:30:00Z',
      acceptConflict: true,
    })
    await sync(a)
    // Booked before joining, waiting in the outbox: for a client the new server has never
    // had, and over Ana's jobs, a double booking the office saw and kept.
    await call(a.ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.pruning.id,
      teamMemberId: f.ben.id,
      scheduledAt: '2027-03-02T15:00:00Z',
    })
    await call(a.ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2027-03-01T15:45:00Z',
      acceptConflict: true,
    })
    const other = await startTestServer()
    try {
      await connect(a, other)
      const status = await sync(a)
      expect(status.pending).toBe(0)
      const { rows: refused } = await other.pool.query(
        `SELECT table_name, reason FROM sync_mutations WHERE status <> 'applied'`,
      )
      expect(refused).toEqual([])
      const { rows: conflicts } = await other.pool.query(
        'SELECT kind, row_id, other_row_id FROM sync_conflicts',
      )
      expect(conflicts).toEqual([])
      expect(await serverState(other.pool)).toEqual(await deviceState(a.ctx))
      const versions = async (pool: typeof other.pool) =>
        (
          await pool.query<{ versions: Record<string, string> }>(
            `SELECT versions FROM sync_rows WHERE table_name = 'appointments' AND row_id = $1`,
            [appointment.id],
          )
        ).rows[0]?.versions
      const there = await versions(other.pool)
      expect(there).toEqual(await versions(bed.server.pool))
      expect(there?.notes).not.toBe(there?.client_id)
    } finally {
      await other.close()
    }
  })
})

describe("a crew lead's laptop", () => {
  it('is told when the office adds, moves or cancels a job of its crew for today', async () => {
    const office = await device('office-alerts')
    const f = await buildFixture(office.ctx)
    await call(office.ctx, 'settings.update', { timeZone: 'UTC' })
    await connect(office, bed.server)
    await sync(office)
    const crew = await bed.crewLaptop('crew-alerts', f.ana.id)
    const alerts: { title: string; body: string }[] = []
    crew.ctx.changes.subscribe((n) => alerts.push(...(n.alerts ?? [])))
    const settle = async () => {
      await sync(office)
      await sync(crew)
      await new Promise((r) => setTimeout(r, 100))
    }

    // Within the next two hours, today or (near midnight) tomorrow.
    const soon = new Date(Math.ceil(Date.now() / 900_000) * 900_000 + 3_600_000)
    const { appointment } = await call(office.ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: soon.toISOString(),
      acceptConflict: true,
    })
    await settle()
    expect(alerts.map((a) => a.title)).toEqual(['New job for your crew'])
    expect(alerts[0]?.body).toMatch(/^Lawn mowing for Smith Residence (today|tomorrow) at /)

    await call(office.ctx, 'appointments.reschedule', {
      id: appointment.id,
      scheduledAt: new Date(soon.getTime() + 1_800_000).toISOString(),
      acceptConflict: true,
    })
    await settle()
    await call(office.ctx, 'appointments.setStatus', { id: appointment.id, status: 'cancelled' })
    await settle()
    // Another crew's job says nothing here.
    await call(office.ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.pruning.id,
      teamMemberId: f.ben.id,
      scheduledAt: soon.toISOString(),
      acceptConflict: true,
    })
    await settle()
    expect(alerts.map((a) => a.title)).toEqual([
      'New job for your crew',
      'Job moved',
      'Job cancelled',
    ])
  })

  /** An office laptop that booked one of Ana's jobs, `days` ahead, and sent it. */
  async function officeWithAnasJob(name: string, days: number) {
    const office = await device(name)
    const f = await buildFixture(office.ctx)
    await connect(office, bed.server)
    await sync(office)
    const { appointment } = await call(office.ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: new Date(Date.now() + days * 86_400_000).toISOString(),
      acceptConflict: true,
    })
    await sync(office)
    return { office, f, appointment }
  }

  it('that synced before, as the office, hears on joining its crew of a job given away meanwhile', async () => {
    const { office, f, appointment } = await officeWithAnasJob('office-given-away', 2)
    // Set up in the office: it holds the job, as Ana's.
    const laptop = await device('laptop-given-away')
    await connect(laptop, bed.server)
    await sync(laptop)
    expect((await call(laptop.ctx, 'appointments.get', { id: appointment.id })).teamMemberId).toBe(
      f.ana.id,
    )
    // The office gives the job to Ben; then the laptop goes to Ana's crew lead. Its first
    // pull under the crew's token holds only the crew's jobs, and this one too.
    await call(office.ctx, 'appointments.update', { id: appointment.id, teamMemberId: f.ben.id })
    await sync(office)
    await connect(
      laptop,
      bed.server,
      await bed.server.token('crew_lead', { label: 'given away', teamMemberId: f.ana.id }),
    )
    await sync(laptop)
    expect((await call(laptop.ctx, 'appointments.get', { id: appointment.id })).teamMemberId).toBe(
      f.ben.id,
    )
  })

  it('hears of a job given to another crew, and is told why its note on it was refused', async () => {
    const { office, f, appointment } = await officeWithAnasJob('office-moved-away', 3)
    const crew = await bed.crewLaptop('crew-moved-away', f.ana.id)
    expect((await call(crew.ctx, 'appointments.get', { id: appointment.id })).teamMemberId).toBe(
      f.ana.id,
    )
    // The office gives the job to Ben; the crew, not having heard yet, writes a note.
    await call(office.ctx, 'appointments.update', { id: appointment.id, teamMemberId: f.ben.id })
    await sync(office)
    await call(crew.ctx, 'appointments.update', { id: appointment.id, notes: 'Gate code 4411' })
    const status = await sync(crew)
    expect(status.rejected[0]?.reason).toMatch(/gave this job to another crew before this laptop/)
    // Settings -> Sync says what the refused change wrote, so it can be passed on.
    expect(status.rejected[0]?.change).toBe('notes “Gate code 4411”')
    const held = await call(crew.ctx, 'appointments.get', { id: appointment.id })
    expect(held.teamMemberId).toBe(f.ben.id)
    // The refused note does not stay on this laptop alone, looking saved: the job reads as
    // the business's record has it, and the note is kept with the refusal.
    expect(held.notes).toBe('')
    expect((await serverState(bed.server.pool)).appointments[appointment.id]?.notes).toBe('')
    const { rows } = await crew.ctx.db.pg.query<{ fields: { notes: string } }>(
      'SELECT fields FROM sync_rejected',
    )
    expect(rows.map((r) => r.fields.notes)).toEqual(['Gate code 4411'])
    // Nothing waits to be sent, and the next rounds change nothing more.
    expect(status.pending).toBe(0)
    await sync(crew)
    expect((await call(crew.ctx, 'appointments.get', { id: appointment.id })).notes).toBe('')
    // Once read and passed on, the list is cleared; the job stays as it is.
    const cleared = await call(crew.ctx, 'sync.clearRefused', {})
    expect([cleared.rejectedCount, cleared.rejected]).toEqual([0, []])
    expect((await call(crew.ctx, 'appointments.get', { id: appointment.id })).teamMemberId).toBe(
      f.ben.id,
    )
  })

  it('puts back what the server refused, but not a field written again after it', async () => {
    const { office, f, appointment } = await officeWithAnasJob('office-written-again', 4)
    const crew = await bed.crewLaptop('crew-written-again', f.ana.id)
    await call(office.ctx, 'appointments.update', { id: appointment.id, teamMemberId: f.ben.id })
    await sync(office)
    // Two notes before the crew hears: both refused, the job reads as the server has it.
    await call(crew.ctx, 'appointments.update', { id: appointment.id, notes: 'first' })
    await call(crew.ctx, 'appointments.update', { id: appointment.id, notes: 'second' })
    const status = await sync(crew)
    expect(status.rejectedCount).toBe(2)
    expect((await call(crew.ctx, 'appointments.get', { id: appointment.id })).notes).toBe('')
    // The office gives the job back; a note written then is the crew's again, and kept.
    await call(office.ctx, 'appointments.update', { id: appointment.id, teamMemberId: f.ana.id })
    await sync(office)
    await sync(crew)
    await call(crew.ctx, 'appointments.update', { id: appointment.id, notes: 'third' })
    await sync(crew)
    expect((await call(crew.ctx, 'appointments.get', { id: appointment.id })).notes).toBe('third')
    expect((await serverState(bed.server.pool)).appointments[appointment.id]?.notes).toBe('third')
  })
})

describe('two laptops', () => {
  it('say when each row was made, not when it reached them', async () => {
    const a = await device('made-a')
    const made = async (ctx: Device['ctx'] | null, id: string) =>
      ctx
        ? (
            await ctx.db.pg.query<{ at: Date }>(
              'SELECT created_at AS at FROM clients WHERE id = $1',
              [id],
            )
          ).rows[0]?.at.getTime()
        : (
            await bed.server.pool.query<{ at: Date }>(
              'SELECT created_at AS at FROM clients WHERE id = $1',
              [id],
            )
          ).rows[0]?.at.getTime()
    // Made before it was connected, and while connected.
    const early = (await call(a.ctx, 'clients.create', { name: 'Early Client' })).id
    await connect(a, bed.server)
    const later = (await call(a.ctx, 'clients.create', { name: 'Later Client' })).id
    // Both reach the server, and the second laptop (a snapshot, then a pull), well after.
    await new Promise((r) => setTimeout(r, 1200))
    await sync(a)
    const b = await device('made-b')
    await connect(b, bed.server)
    await sync(b)
    const last = (await call(a.ctx, 'clients.create', { name: 'Last Client' })).id
    await new Promise((r) => setTimeout(r, 1200))
    await sync(a)
    await sync(b)
    for (const id of [early, later, last]) {
      const here = (await made(a.ctx, id)) as number
      expect(Math.abs(((await made(null, id)) as number) - here), id).toBeLessThan(500)
      expect(await made(b.ctx, id)).toBe(await made(null, id))
    }
  })

  it('hand the second one the specialties, the business settings and a job’s products', async () => {
    const a = await device('second-a')
    const b = await device('second-b')
    const f = await buildFixture(a.ctx)
    const skills = [f.mowing.id, f.pruning.id].sort()
    await call(a.ctx, 'team.setSpecialties', { id: f.ben.id, serviceIds: skills })
    const hours = { start: '06:30', end: '17:00', days: [1, 2, 3, 4, 5] }
    await call(a.ctx, 'settings.update', {
      timeZone: 'Europe/Berlin',
      workingHours: hours,
      units: 'us',
    })
    const { appointment } = await call(a.ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2027-05-03T14:00:00Z',
    })
    const line = uuidv7()
    await a.ctx.db.pg.query(
      `INSERT INTO appointment_products (id, appointment_id, product_id, quantity, unit_price)
       VALUES ($1, $2, $3, 2.5, 12.40)`,
      [line, appointment.id, f.mulch.id],
    )
    await connect(a, bed.server)
    await connect(b, bed.server)
    await sync(a)
    await sync(b)
    expect([...(await call(b.ctx, 'team.get', { id: f.ben.id })).specialtyIds].sort()).toEqual(
      skills,
    )
    expect(await call(b.ctx, 'settings.get', {})).toEqual({
      timeZone: 'Europe/Berlin',
      workingHours: hours,
      units: 'us',
    })
    const { rows } = await b.ctx.db.pg.query<{ quantity: string; unit_price: string }>(
      'SELECT quantity::text, unit_price::text FROM appointment_products WHERE id = $1',
      [line],
    )
    expect(rows).toEqual([{ quantity: '2.50', unit_price: '12.40' }])
    const booked = await call(b.ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.pruning.id,
      teamMemberId: f.ben.id,
      scheduledAt: '2027-05-04T14:00:00Z',
    })
    expect(booked.warnings.map((w) => w.code)).not.toContain('MISSING_SPECIALTY')

    // A specialty removed on one laptop and added back on the other: the later write wins.
    await call(b.ctx, 'team.setSpecialties', { id: f.ben.id, serviceIds: [f.mowing.id] })
    await sync(b)
    await sync(a)
    expect((await call(a.ctx, 'team.get', { id: f.ben.id })).specialtyIds).toEqual([f.mowing.id])
    await call(a.ctx, 'team.setSpecialties', { id: f.ben.id, serviceIds: skills })
    await sync(a)
    await sync(b)
    expect([...(await call(b.ctx, 'team.get', { id: f.ben.id })).specialtyIds].sort()).toEqual(
      skills,
    )
    await agree(a, b)
  })

  it('carry an appointment’s location through the server, set, changed and cleared', async () => {
    const a = await device('location-a')
    const b = await device('location-b')
    const f = await buildFixture(a.ctx)
    const { appointment } = await call(a.ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      scheduledAt: '2027-05-10T14:00:00Z',
      location: 'Plot 7, Canal Lane',
    })
    await connect(a, bed.server)
    await connect(b, bed.server)
    await sync(a)
    const central = () => serverState(bed.server.pool)
    expect((await central()).appointments[appointment.id]?.location).toBe('Plot 7, Canal Lane')
    await sync(b)
    const onB = () => call(b.ctx, 'appointments.get', { id: appointment.id })
    expect((await onB()).location).toBe('Plot 7, Canal Lane')

    // Changed on B, the location comes back to A; cleared on A, it is cleared on B.
    await call(b.ctx, 'appointments.update', { id: appointment.id, location: 'LS6 2AB' })
    await sync(b)
    await sync(a)
    expect((await call(a.ctx, 'appointments.get', { id: appointment.id })).location).toBe('LS6 2AB')
    await call(a.ctx, 'appointments.update', { id: appointment.id, location: '' })
    await sync(a)
    await sync(b)
    expect((await onB()).location).toBeNull()
    expect((await central()).appointments[appointment.id]?.location).toBeNull()
    await agree(a, b)
  })

  it('converge, and field edits made on both survive', async () => {
    const a = await device('pair-a')
    const b = await device('pair-b')
    const f = await buildFixture(a.ctx)
    const { appointment } = await call(a.ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2027-04-01T14:00:00Z',
    })
    await connect(a, bed.server)
    await connect(b, bed.server)
    await sync(a)
    await sync(b)
    expect(await deviceState(b.ctx)).toEqual(await deviceState(a.ctx))

    // Offline: A moves the job, B writes a note on it.
    await call(a.ctx, 'appointments.reschedule', {
      id: appointment.id,
      scheduledAt: '2027-04-01T16:00:00Z',
    })
    await call(b.ctx, 'appointments.update', { id: appointment.id, notes: 'dog in yard' })
    await sync(a)
    await sync(b)
    await sync(a)
    const stateA = await deviceState(a.ctx)
    expect(await deviceState(b.ctx)).toEqual(stateA)
    expect(await serverState(bed.server.pool)).toEqual(stateA)
    expect(stateA.appointments[appointment.id]).toMatchObject({
      scheduled_at: '2027-04-01T16:00:00.000Z',
      notes: 'dog in yard',
    })
  })
})

describe('without a server', () => {
  it('says a server that never answers cannot be reached, before the first pull too', async () => {
    const a = await device('offline-first-pull')
    await connect(a, bed.server)
    await bed.server.stopHttp()
    try {
      // Everything pulled again from the start: the snapshot is asked for first.
      await setState(a.ctx.db.pg, 'cursor', 0)
      await callError(a.ctx, 'sync.now', {})
      const status = await call(a.ctx, 'sync.status', {})
      expect(status.phase).toBe('offline')
      expect(status.error).toBe('the server cannot be reached')
    } finally {
      await bed.server.startHttp()
    }
  })

  it('keeps working, counts pending changes and backs off', async () => {
    const a = await device('offline-a', { minRetryMs: 1000, random: () => 0.5 })
    await connect(a, bed.server)
    const f = await buildFixture(a.ctx)
    await bed.server.stopHttp()
    try {
      const error = await callError(a.ctx, 'sync.now', {})
      expect(error.code).toBe('UNAVAILABLE')
      const first = await call(a.ctx, 'sync.status', {})
      expect(first.phase).toBe('offline')
      expect(first.pending).toBeGreaterThan(0)
      expect(first.error).toMatch(/cannot be reached/)
      await callError(a.ctx, 'sync.now', {})
      // Still usable offline.
      await call(a.ctx, 'clients.update', { id: f.smith.id, notes: 'written offline' })
      expect((await call(a.ctx, 'sync.status', {})).pending).toBe(first.pending + 1)
    } finally {
      await bed.server.startHttp()
    }
    const after = await call(a.ctx, 'sync.now', {})
    expect(after).toMatchObject({ phase: 'idle', pending: 0, error: null })
  })

  it('notices the server is back within seconds, in the middle of a long back-off', async () => {
    const a = await device('probe-a', { auto: true, minRetryMs: 120_000, probeMs: 500 })
    const f = await buildFixture(a.ctx)
    await connect(a, bed.server)
    await sync(a)
    await bed.server.stopHttp()
    try {
      await call(a.ctx, 'clients.update', { id: f.smith.id, notes: 'written offline' })
      await callError(a.ctx, 'sync.now', {})
      const status = await call(a.ctx, 'sync.status', {})
      expect(status.phase).toBe('offline')
      expect(Date.parse(status.nextAttemptAt ?? '') - Date.now()).toBeGreaterThan(60_000)
    } finally {
      await bed.server.startHttp()
    }
    // No "Sync now": the probe finds the server and a round sends the pending change.
    await vi.waitFor(
      async () =>
        expect(await call(a.ctx, 'sync.status', {})).toMatchObject({
          pending: 0,
          phase: 'idle',
          error: null,
        }),
      { timeout: 15_000, interval: 200 },
    )
  })

  it('backs off exponentially between automatic attempts', async () => {
    const a = await device('backoff-a', { auto: true, minRetryMs: 60_000, random: () => 0.5 })
    await connect(a, bed.server)
    // Settles the round connecting starts, so that only the attempts below fail.
    await sync(a)
    await bed.server.stopHttp()
    try {
      const delays: number[] = []
      for (let i = 0; i < 3; i++) {
        await callError(a.ctx, 'sync.now', {})
        const status = await call(a.ctx, 'sync.status', {})
        delays.push(Date.parse(status.nextAttemptAt ?? '') - Date.now())
      }
      expect(delays[0]).toBeGreaterThan(50_000)
      expect(delays[1]).toBeGreaterThan((delays[0] ?? 0) * 1.8)
      expect(delays[2]).toBeGreaterThan((delays[1] ?? 0) * 1.8)
    } finally {
      await bed.server.startHttp()
    }
  })
})

describe('settings', () => {
  it('refuses a token the server does not know, and changes nothing', async () => {
    const a = await device('settings-a')
    const error = await callError(a.ctx, 'sync.configure', {
      serverUrl: bed.server.url,
      token: `gk_${'x'.repeat(43)}`,
    })
    expect(error.code).toBe('VALIDATION')
    expect(error.issues?.[0]?.path).toBe('token')
    expect((await call(a.ctx, 'sync.status', {})).phase).toBe('off')
  })

  it('pauses and resumes; disconnecting keeps unsent changes', async () => {
    const a = await device('settings-b')
    await connect(a, bed.server)
    expect((await call(a.ctx, 'sync.pause', { paused: true })).phase).toBe('paused')
    await call(a.ctx, 'clients.create', { name: 'Paused Client' })
    expect((await call(a.ctx, 'sync.status', {})).pending).toBe(1)
    expect((await call(a.ctx, 'sync.pause', { paused: false })).phase).not.toBe('paused')
    const disconnected = await call(a.ctx, 'sync.disconnect', {})
    expect(disconnected.phase).toBe('off')
    expect(disconnected.pending).toBe(1)
  })
})

describe('the screens', () => {
  it('are told whenever the link may have changed, with no need to ask on a timer', async () => {
    const a = await device('status-a')
    const told: string[] = []
    a.ctx.changes.subscribe((n) => {
      if (n.tables.some((t) => t === 'sync_state' || t === 'sync_link'))
        told.push(a.ctx.sync.snapshot().phase)
    })
    await connect(a, bed.server)
    expect(told.at(-1)).toBe('idle')
    // The phases the screens were told of while `action` ran.
    const toldDuring = async (action: () => Promise<unknown>) => {
      told.length = 0
      await action().catch(() => {})
      return [...new Set(told)]
    }
    expect(await toldDuring(() => sync(a))).toEqual(['syncing', 'idle'])
    await bed.server.stopHttp()
    try {
      expect(await toldDuring(() => sync(a))).toEqual(['syncing', 'offline'])
    } finally {
      await bed.server.startHttp()
    }
    expect(await toldDuring(() => call(a.ctx, 'sync.pause', { paused: true }))).toEqual(['paused'])
  })
})

describe('a server restored from an older backup', () => {
  /** The server's database as it was at the backup: later rows gone, numbers back. */
  async function restore(server: TestServer, backup: number, lost: string[]) {
    await server.pool.query('DELETE FROM sync_rows WHERE seq > $1', [backup])
    await server.pool.query('DELETE FROM clients WHERE id = ANY($1::uuid[])', [lost])
    await server.pool.query('DELETE FROM services WHERE id = ANY($1::uuid[])', [lost])
    await server.pool.query("SELECT setval('sync_seq', $1)", [backup])
  }
  const lastNumber = async (server: TestServer) =>
    Number(
      (await server.pool.query<{ n: string }>('SELECT last_value::text AS n FROM sync_seq')).rows[0]
        ?.n,
    )
  const holds = async (ctx: Device['ctx'], table: string, id: string) =>
    (await ctx.db.pg.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rows.length === 1

  it('is noticed by a laptop whose cursor it has not numbered to, which sends all it holds', async () => {
    const server = await startTestServer()
    try {
      const a = await device('restored-a')
      await buildFixture(a.ctx)
      await connect(a, server)
      await sync(a)
      const backup = await lastNumber(server)
      const late = await call(a.ctx, 'clients.create', { name: 'After the backup' })
      await sync(a)
      await restore(server, backup, [late.id])
      for (const d of [a, a]) await sync(d)
      expect(await deviceState(a.ctx)).toEqual(await serverState(server.pool))
      expect(
        (await server.pool.query('SELECT 1 FROM clients WHERE id = $1', [late.id])).rows,
      ).toHaveLength(1)
    } finally {
      await server.close()
    }
  })

  it('marked as restored, has every laptop send and pull everything, whichever comes first', async () => {
    const server = await startTestServer()
    try {
      const a = await device('restored-b')
      const b = await device('restored-c')
      const f = await buildFixture(a.ctx)
      for (const d of [a, b]) await connect(d, server)
      for (const d of [a, b]) await sync(d)
      const backup = await lastNumber(server)
      // After the backup, each laptop writes something and syncs.
      const service = await call(b.ctx, 'catalog.services.create', {
        name: 'Snow removal',
        basePrice: '90',
        durationMinutes: 60,
        priority: 'HIGH',
      })
      await sync(b)
      const client = await call(a.ctx, 'clients.create', { name: 'After the backup' })
      await sync(a)
      await restore(server, backup, [service.id, client.id])
      await markRestored(server.pool)
      // A comes back first: its sending everything again numbers past B's cursor.
      for (const d of [a, a, b, b, a]) await sync(d)
      const central = await serverState(server.pool)
      for (const d of [a, b]) expect(await deviceState(d.ctx), d.name).toEqual(central)
      expect(await holds(b.ctx, 'clients', client.id)).toBe(true)
      expect(await holds(a.ctx, 'services', service.id)).toBe(true)
      expect(await holds(a.ctx, 'clients', f.smith.id)).toBe(true)
    } finally {
      await server.close()
    }
  })
})

describe("a crew lead's laptop and a server restored from an older backup", () => {
  /**
   * The central database as a backup holds it: every table copied now, put back by the
   * function returned (rows and sequences), as restoring a dump would.
   */
  async function backupOf(server: TestServer): Promise<() => Promise<void>> {
    const { pool } = server
    const tables = (
      await pool.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      )
    ).rows.map((r) => r.name)
    const sequences = (
      await pool.query<{ name: string }>(
        "SELECT sequence_name AS name FROM information_schema.sequences WHERE sequence_schema = 'public'",
      )
    ).rows.map((r) => r.name)
    await pool.query('CREATE SCHEMA backup')
    for (const t of tables) await pool.query(`CREATE TABLE backup."${t}" AS TABLE public."${t}"`)
    const numbers = new Map<string, { last: string; called: boolean }>()
    for (const q of sequences) {
      const { rows } = await pool.query<{ last: string; called: boolean }>(
        `SELECT last_value::text AS last, is_called AS called FROM public."${q}"`,
      )
      if (rows[0]) numbers.set(q, rows[0])
    }
    return () =>
      inTransaction(pool, async (c) => {
        // No triggers or key checks while the tables are put back, as pg_restore's data.
        await c.query("SET LOCAL session_replication_role = 'replica'")
        for (const t of tables) {
          const columns = (
            await c.query<{ name: string }>(
              `SELECT column_name AS name FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'`,
              [t],
            )
          ).rows
            .map((r) => `"${r.name}"`)
            .join(', ')
          await c.query(`DELETE FROM public."${t}"`)
          await c.query(
            `INSERT INTO public."${t}" (${columns}) OVERRIDING SYSTEM VALUE
           SELECT ${columns} FROM backup."${t}"`,
          )
        }
        for (const [q, n] of numbers)
          await c.query(`SELECT setval('public."${q}"', $1::bigint, $2)`, [n.last, n.called])
      })
  }

  /**
   * The clocks at `ms`, as the day goes on (Date faked; PGlite's clock reads the
   * process's), with the same person signed in again once the idle time has passed.
   */
  async function at(ms: number, ...devices: Device[]) {
    const users = await Promise.all(devices.map((d) => call(d.ctx, 'session.get', {})))
    vi.setSystemTime(ms)
    for (const [i, d] of devices.entries()) {
      const user = users[i]?.user
      if (!user || (await call(d.ctx, 'session.touch', {})).active) continue
      const pin = user.role === 'crew_lead' ? {} : { pin: TEST_PIN }
      await call(d.ctx, 'session.switch', { userId: user.id, ...pin })
    }
  }
  const centralJob = async (server: TestServer, id: string) =>
    (
      await server.pool.query(
        'SELECT status, notes, scheduled_at, started_at, completed_at FROM appointments WHERE id = $1',
        [id],
      )
    ).rows[0]

  const MINUTE = 60_000
  /**
   * An office laptop that books Ana a job 50 minutes before `start` (on the clocks of an
   * hour before) and syncs, and Ana's crew lead's laptop, both on `server`.
   */
  async function officeAndCrew(server: TestServer, name: string, start: number) {
    const office = await device(`${name}-office`)
    await at(start - 60 * MINUTE, office)
    const f = await buildFixture(office.ctx)
    const { appointment: job } = await call(office.ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: new Date(start - 50 * MINUTE).toISOString(),
    })
    await connect(office, server)
    await sync(office)
    const crew = await bed.crewLaptop(`${name}-crew`, f.ana.id, server)
    return { office, crew, f, job }
  }

  /** The crew lead books a follow-up of `jobId` for May 18, 2099. */
  const followUp = async (
    crew: Device,
    f: { smith: { id: string }; mowing: { id: string } },
    jobId: string,
  ) =>
    (
      await call(crew.ctx, 'appointments.create', {
        clientId: f.smith.id,
        serviceId: f.mowing.id,
        scheduledAt: '2099-05-18T14:00:00Z',
        followUpOfId: jobId,
      })
    ).appointment

  it('sends again what the crew wrote since the backup: times, notes and a follow-up', async () => {
    const start = Date.now()
    vi.useFakeTimers({ toFake: ['Date'] })
    const server = await startTestServer()
    try {
      const { office, crew, f, job } = await officeAndCrew(server, 'restored', start)
      const restore = await backupOf(server)

      // After the backup the crew starts the job, and completes it 40 minutes later
      // with a note and a follow-up visit, syncing each time; no office laptop pulls.
      await at(start - 45 * MINUTE, office, crew)
      await call(crew.ctx, 'appointments.setStatus', { id: job.id, status: 'in_progress' })
      await sync(crew)
      await at(start - 5 * MINUTE, office, crew)
      await call(crew.ctx, 'appointments.update', { id: job.id, notes: 'Gate code 4411' })
      const done = await call(crew.ctx, 'appointments.setStatus', {
        id: job.id,
        status: 'completed',
      })
      const next = await followUp(crew, f, job.id)
      await sync(crew)

      await restore()
      await markRestored(server.pool)
      await at(start, office, crew)
      const central = (id: string) => centralJob(server, id)
      expect((await central(job.id))?.status).toBe('scheduled')
      for (const d of [crew, crew, office, office]) await sync(d)

      expect(await central(job.id)).toMatchObject({
        status: 'completed',
        notes: 'Gate code 4411',
        started_at: new Date(done.appointment.startedAt ?? ''),
        completed_at: new Date(done.appointment.completedAt ?? ''),
      })
      expect(await central(next.id)).toMatchObject({ status: 'scheduled' })
      const refused = await crew.ctx.db.pg.query('SELECT reason FROM sync_rejected')
      expect(refused.rows).toEqual([])
      const seen = await call(office.ctx, 'appointments.get', { id: job.id })
      expect(seen).toMatchObject({ status: 'completed', notes: 'Gate code 4411' })
      expect((await call(office.ctx, 'appointments.get', { id: next.id })).followUpOfId).toBe(
        job.id,
      )
    } finally {
      vi.useRealTimers()
      await server.close()
    }
  })

  it("sends only the crew's own part of a follow-up the office changed since", async () => {
    const start = Date.now()
    vi.useFakeTimers({ toFake: ['Date'] })
    const server = await startTestServer()
    try {
      const { office, crew, f, job } = await officeAndCrew(server, 'moved', start)
      // The crew books a follow-up; the backup has it as booked.
      await at(start - 55 * MINUTE, office, crew)
      const next = await followUp(crew, f, job.id)
      await sync(crew)
      const restore = await backupOf(server)
      // The office moves it a day on; the crew pulls that, then completes it with a note.
      await at(start - 50 * MINUTE, office, crew)
      await sync(office)
      await call(office.ctx, 'appointments.reschedule', {
        id: next.id,
        scheduledAt: '2099-05-19T14:00:00Z',
        acceptConflict: true,
      })
      await sync(office)
      await sync(crew)
      await at(start - 10 * MINUTE, office, crew)
      await call(crew.ctx, 'appointments.update', { id: next.id, notes: 'Edges done early' })
      await call(crew.ctx, 'appointments.setStatus', { id: next.id, status: 'completed' })
      await sync(crew)

      await restore()
      await markRestored(server.pool)
      await at(start, office, crew)
      // The crew comes back first: what it sends is its own, and is taken.
      for (const d of [crew, crew]) await sync(d)
      expect(await crew.ctx.db.pg.query('SELECT reason FROM sync_rejected')).toMatchObject({
        rows: [],
      })
      expect(await centralJob(server, next.id)).toMatchObject({
        status: 'completed',
        notes: 'Edges done early',
      })
      // The office's move comes back with the office.
      for (const d of [office, office, crew]) await sync(d)
      expect(await centralJob(server, next.id)).toMatchObject({
        status: 'completed',
        scheduled_at: new Date('2099-05-19T14:00:00Z'),
      })
    } finally {
      vi.useRealTimers()
      await server.close()
    }
  })
})

describe('the conflicts inbox', () => {
  it('shows an edit that met a deletion with both versions, and restores on request', async () => {
    const a = await device('inbox-a')
    const b = await device('inbox-b')
    await connect(a, bed.server)
    await connect(b, bed.server)
    const client = await call(a.ctx, 'clients.create', { name: 'Inbox Client' })
    const service = await call(a.ctx, 'catalog.services.create', {
      name: `Edging ${Date.now()}`,
      basePrice: '40',
      durationMinutes: 30,
    })
    const { appointment } = await call(a.ctx, 'appointments.create', {
      clientId: client.id,
      serviceId: service.id,
      scheduledAt: '2027-05-03T15:00:00Z',
    })
    await sync(a)
    await sync(b)
    // Offline: A deletes the job while B adds a note to it.
    await call(a.ctx, 'appointments.delete', { id: appointment.id })
    await call(b.ctx, 'appointments.update', { id: appointment.id, notes: 'bring the edger' })
    await sync(a)
    await sync(b)
    const inbox = await call(a.ctx, 'sync.conflicts', { status: 'open' })
    const c = inbox.conflicts.find((x) => x.rowId === appointment.id)
    expect(c?.kind).toBe('edit_and_delete')
    expect(c?.sides[0].by?.device).toBe('inbox-a')
    expect(c?.sides[1].by?.device).toBe('inbox-b')
    expect(c?.sides[1].values.notes).toBe('bring the edger')
    expect(inbox.names[client.id]).toBe('Inbox Client')
    expect((await call(a.ctx, 'sync.status', {})).openConflicts).toBeGreaterThan(0)

    // A resolution of the other kind is refused; the right one restores the job everywhere.
    const wrong = await callError(a.ctx, 'sync.resolve', {
      id: c?.id ?? '',
      resolution: 'keep_both',
    })
    expect(wrong.code).toBe('VALIDATION')
    await call(a.ctx, 'sync.resolve', { id: c?.id ?? '', resolution: 'restore' })
    await sync(b)
    const restored = await call(b.ctx, 'appointments.get', { id: appointment.id })
    expect(restored.notes).toBe('bring the edger')
    const after = await call(a.ctx, 'sync.conflicts', { status: 'open' })
    expect(after.conflicts.some((x) => x.id === c?.id)).toBe(false)
    await agree(a, b)
  })

  it('records a crew member double-booked from two laptops; unassigning one settles it', async () => {
    const a = await device('double-a')
    const b = await device('double-b')
    await connect(a, bed.server)
    await connect(b, bed.server)
    const member = await call(a.ctx, 'team.create', { name: `Dana ${Date.now()}` })
    const client = await call(a.ctx, 'clients.create', { name: 'Double Client' })
    const service = await call(a.ctx, 'catalog.services.create', {
      name: `Aeration ${Date.now()}`,
      basePrice: '80',
      durationMinutes: 60,
    })
    await sync(a)
    await sync(b)
    const book = (d: Device, at: string) =>
      call(d.ctx, 'appointments.create', {
        clientId: client.id,
        serviceId: service.id,
        teamMemberId: member.id,
        scheduledAt: at,
      })
    // Each laptop sees a free slot: neither booking is refused locally.
    const first = (await book(a, '2027-05-04T15:00:00Z')).appointment
    const second = (await book(b, '2027-05-04T15:30:00Z')).appointment
    await sync(a)
    await sync(b)
    const inbox = await call(b.ctx, 'sync.conflicts', { status: 'open' })
    const c = inbox.conflicts.find((x) => x.kind === 'double_booking' && x.rowId === first.id)
    expect(c?.sides[1].rowId).toBe(second.id)
    expect(c?.sides[0].by?.device).toBe('double-a')
    expect(c?.sides[1].by?.device).toBe('double-b')
    await call(b.ctx, 'sync.resolve', { id: c?.id ?? '', resolution: 'unassign_second' })
    await sync(a)
    expect((await call(a.ctx, 'appointments.get', { id: second.id })).teamMemberId).toBeNull()
    await agree(a, b)
  })
})

describe('rounds', () => {
  it('run one at a time, however many are asked for at once', async () => {
    let inFlight = 0
    let most = 0
    const a = await device('one-at-a-time', {
      fetch: async (...args: Parameters<typeof fetch>) => {
        inFlight += 1
        most = Math.max(most, inFlight)
        try {
          return await fetch(...args)
        } finally {
          inFlight -= 1
        }
      },
    })
    await connect(a, bed.server)
    await call(a.ctx, 'clients.create', { name: 'Concurrent Client' })
    await Promise.all(Array.from({ length: 4 }, () => call(a.ctx, 'sync.now', {})))
    expect(most).toBe(1)
    expect((await call(a.ctx, 'sync.status', {})).pending).toBe(0)
  })
})
