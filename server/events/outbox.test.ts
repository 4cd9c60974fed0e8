import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../shared/domain/ids'
import { EVENT_FIELD_DEFAULTS, eventsFor } from '../../shared/events/derive'
import { parseEnvelope } from '../../shared/events/envelope'
import {
  DEVICE,
  type EventsDb,
  eventsDatabase,
  inTransaction,
  jobValues,
  storedEvents,
} from './events.test-support'
import { type RowChange, readEvents, recordEvents } from './outbox'

describe('the event outbox', () => {
  let t: EventsDb
  beforeAll(async () => {
    t = await eventsDatabase()
  })
  afterAll(async () => {
    await t.close()
  })
  const reset = () => t.pool.query('TRUNCATE domain_events')

  it('writes the derived events as CloudEvents envelopes, in one transaction with the change', async () => {
    await reset()
    const job = uuidv7()
    const member = uuidv7()
    const before = jobValues()
    const changes: RowChange[] = [
      { table: 'appointments', rowId: job, before, after: { ...before, status: 'cancelled' } },
      {
        table: 'team_members',
        rowId: member,
        before: { name: 'Ana', is_available: true, deleted_at: null },
        after: { name: 'Ana', is_available: false, deleted_at: null },
      },
      { table: 'clients', rowId: uuidv7(), before: null, after: { name: 'Smith' } },
    ]
    await inTransaction(t.pool, (c) =>
      recordEvents(c, changes, { deviceId: DEVICE, correlationId: 'req-42' }),
    )
    const events = await storedEvents(t.pool)
    expect(events.map((e) => e.type)).toEqual([
      'scheduling.appointment.status_changed.v1',
      'scheduling.appointment.cancelled.v1',
      'user.team_member.availability.changed.v1',
    ])
    // Exactly what the shared rule derives, wrapped.
    expect(events.map((e) => ({ type: e.type, subject: e.subject, data: e.data }))).toEqual(
      changes.flatMap(eventsFor),
    )
    const seqs = events.map((e) => Number(e.seq))
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    for (const e of events) {
      const { seq: _seq, ...envelope } = e
      expect(parseEnvelope(envelope)).toEqual(envelope)
      expect(e).toMatchObject({
        specversion: '1.0',
        source: `/devices/${DEVICE}`,
        datacontenttype: 'application/json',
        correlationid: 'req-42',
        time: events[0]?.time,
      })
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(3)
    const columns = await t.pool.query(
      'SELECT id::text, type, subject, correlation_id FROM domain_events ORDER BY seq',
    )
    expect(columns.rows).toEqual(
      events.map((e) => ({
        id: e.id,
        type: e.type,
        subject: e.subject,
        correlation_id: 'req-42',
      })),
    )
  })

  it('takes the source it is given, and makes a correlation id when none is given', async () => {
    await reset()
    const change = { table: 'appointments', rowId: uuidv7(), before: null, after: jobValues() }
    await inTransaction(t.pool, async (c) => {
      await recordEvents(c, [change as RowChange], { deviceId: DEVICE })
      await recordEvents(c, [{ ...change, rowId: uuidv7() } as RowChange], {
        deviceId: DEVICE,
        source: '/api/v1',
      })
    })
    const [first, second] = await storedEvents(t.pool)
    expect(first?.correlationid).toMatch(/^[0-9a-f-]{36}$/)
    expect(second?.correlationid).not.toBe(first?.correlationid)
    expect(second?.source).toBe('/api/v1')
  })

  it('writes nothing for changes that change nothing', async () => {
    await reset()
    const values = jobValues()
    await inTransaction(t.pool, (c) =>
      recordEvents(
        c,
        [{ table: 'appointments', rowId: uuidv7(), before: values, after: { ...values } }],
        { deviceId: DEVICE },
      ),
    )
    expect(await storedEvents(t.pool)).toEqual([])
  })

  it('leaves no event behind a transaction that rolls back', async () => {
    await reset()
    await inTransaction(
      t.pool,
      (c) =>
        recordEvents(
          c,
          [{ table: 'appointments', rowId: uuidv7(), before: null, after: jobValues() }],
          { deviceId: DEVICE },
        ),
      'ROLLBACK',
    )
    expect(await storedEvents(t.pool)).toEqual([])
  })

  it('refuses an event whose data does not match its schema, writing nothing', async () => {
    await reset()
    const { client_id: _c, ...noClient } = jobValues()
    await expect(
      inTransaction(t.pool, (c) =>
        recordEvents(
          c,
          [{ table: 'appointments', rowId: uuidv7(), before: null, after: noClient }],
          {
            deviceId: DEVICE,
          },
        ),
      ),
    ).rejects.toThrow(/clientId/)
    expect(await storedEvents(t.pool)).toEqual([])
  })

  it('numbers events in commit order: a second writer waits for the first to commit', async () => {
    await reset()
    const created = (): RowChange[] => [
      { table: 'appointments', rowId: uuidv7(), before: null, after: jobValues() },
    ]
    const first = await t.pool.connect()
    const second = await t.pool.connect()
    try {
      await first.query('BEGIN')
      await recordEvents(first, created(), { deviceId: DEVICE, correlationId: 'first' })
      await second.query('BEGIN')
      let secondDone = false
      const secondWrite = recordEvents(second, created(), {
        deviceId: DEVICE,
        correlationId: 'second',
      }).then(() => {
        secondDone = true
      })
      await new Promise((r) => setTimeout(r, 300))
      // Had the second taken its number now and committed first, a reader would pass the
      // first's lower number before it became visible, and miss it for good.
      expect(secondDone).toBe(false)
      expect(await readEvents(t.pool, '0', 10)).toEqual([])
      await first.query('COMMIT')
      await secondWrite
      const seen = await readEvents(t.pool, '0', 10)
      expect(seen.map((e) => e.envelope.correlationid)).toEqual(['first'])
      await second.query('COMMIT')
      const after = await readEvents(t.pool, seen[0]?.seq ?? '0', 10)
      expect(after.map((e) => e.envelope.correlationid)).toEqual(['second'])
    } finally {
      first.release()
      second.release()
    }
  })

  it('reads events after a cursor, in order, at most a limit', async () => {
    await reset()
    const changes: RowChange[] = Array.from({ length: 5 }, () => ({
      table: 'appointments',
      rowId: uuidv7(),
      before: null,
      after: jobValues(),
    }))
    await inTransaction(t.pool, (c) => recordEvents(c, changes, { deviceId: DEVICE }))
    const all = await readEvents(t.pool, '0', 10)
    expect(all.map((e) => e.envelope.subject)).toEqual(
      changes.map((c) => `appointments/${c.rowId}`),
    )
    const page = await readEvents(t.pool, all[1]?.seq ?? '', 2)
    expect(page.map((e) => e.seq)).toEqual([all[2]?.seq, all[3]?.seq])
  })

  it("reads the defaults events assume from the database's own column defaults", async () => {
    const { rows } = await t.pool.query<{
      table_name: string
      column_name: string
      column_default: string
    }>(
      `SELECT table_name, column_name, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = ANY($1)`,
      [Object.keys(EVENT_FIELD_DEFAULTS)],
    )
    for (const [table, defaults] of Object.entries(EVENT_FIELD_DEFAULTS)) {
      for (const [column, value] of Object.entries(defaults)) {
        const found = rows.find((r) => r.table_name === table && r.column_name === column)
        const literal = typeof value === 'string' ? `'${value}'::text` : String(value)
        expect(found?.column_default, `${table}.${column}`).toBe(literal)
      }
    }
  })
})
