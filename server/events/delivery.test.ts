import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../shared/domain/ids'
import type { Envelope } from '../../shared/events/envelope'
import type { EventType } from '../../shared/events/types'
import { DEFAULT_DELIVERY, deliverOnce, queueTarget } from './delivery'
import {
  DEVICE,
  type EventsDb,
  eventsDatabase,
  eventually,
  inTransaction,
  jobValues,
  storedEvents,
} from './events.test-support'
import { type RowChange, recordEvents } from './outbox'
import { relayAll } from './relay'
import { type EventStream, type EventStreamOptions, startEventStream } from './stream'
import { deadLetterQueueOf, queueOf, Subscribers } from './subscribers'

const FAST = { pollingIntervalSeconds: 0.5, retryDelaySeconds: 0, retryBackoff: false }

describe('delivery to subscribers through pg-boss', () => {
  let t: EventsDb
  const streams: EventStream[] = []
  beforeAll(async () => {
    t = await eventsDatabase()
    await t.pool.query('CREATE TABLE test_actions (subscriber text, event_id uuid, type text)')
  })
  afterEach(async () => {
    await Promise.all(streams.splice(0).map((s) => s.stop()))
  })
  afterAll(async () => {
    await t.close()
  })

  const start = async (subscribers: Subscribers, opts: Partial<EventStreamOptions> = {}) => {
    const stream = await startEventStream({
      pool: t.pool,
      databaseUrl: t.db.url,
      subscribers,
      relayIntervalMs: 100,
      ...opts,
      delivery: { ...FAST, ...opts.delivery },
      onError: () => {},
    })
    streams.push(stream)
    return stream
  }
  const record = (changes: RowChange[]) =>
    inTransaction(t.pool, (c) => recordEvents(c, changes, { deviceId: DEVICE }))
  const newJob = (): RowChange => ({
    table: 'appointments',
    rowId: uuidv7(),
    before: null,
    after: jobValues(),
  })
  const actions = async (subscriber: string) =>
    (
      await t.pool.query<{ event_id: string; type: string }>(
        'SELECT event_id::text, type FROM test_actions WHERE subscriber = $1',
        [subscriber],
      )
    ).rows
  /** A handler that records what it acted on, in the subscriber's transaction. */
  const recorder = (name: string) => async (event: Envelope, tx: import('pg').PoolClient) => {
    await tx.query('INSERT INTO test_actions VALUES ($1, $2, $3)', [name, event.id, event.type])
  }
  const jobsIn = async (queue: string) =>
    (
      await t.pool.query<{ id: string; state: string; data: Envelope }>(
        'SELECT id::text, state, data FROM pgboss.job WHERE name = $1 ORDER BY created_on',
        [queue],
      )
    ).rows

  it('hands each subscriber the events of its types, once each, in its transaction', async () => {
    const subscribers = new Subscribers()
      .subscribe(
        'office',
        ['scheduling.appointment.created.v1', 'scheduling.appointment.cancelled.v1'],
        recorder('office'),
      )
      .subscribe('crew', ['user.team_member.availability.changed.v1'], recorder('crew'))
    await start(subscribers)
    const job = newJob()
    const member = uuidv7()
    await record([job])
    await record([
      { ...job, before: job.after, after: { ...job.after, status: 'cancelled' } },
      {
        table: 'team_members',
        rowId: member,
        before: { name: 'Ana', is_available: true, deleted_at: null },
        after: { name: 'Ana', is_available: false, deleted_at: null },
      },
    ])
    const events = await storedEvents(t.pool)
    const ids = (type: EventType) => events.filter((e) => e.type === type).map((e) => e.id)
    await eventually(
      () => actions('office'),
      (a) => a.length >= 2,
    )
    await eventually(
      () => actions('crew'),
      (a) => a.length >= 1,
    )
    await new Promise((r) => setTimeout(r, 1000))
    expect((await actions('office')).map((a) => a.event_id).sort()).toEqual(
      [
        ...ids('scheduling.appointment.created.v1'),
        ...ids('scheduling.appointment.cancelled.v1'),
      ].sort(),
    )
    expect((await actions('crew')).map((a) => a.event_id)).toEqual(
      ids('user.team_member.availability.changed.v1'),
    )
    const processed = await t.pool.query(
      'SELECT subscriber, event_id::text FROM processed_events ORDER BY subscriber, event_id',
    )
    expect(processed.rows).toHaveLength(3)
    // One job per event and subscriber, its id the event's, its data the envelope.
    const office = await jobsIn(queueOf('office'))
    expect(office.map((j) => j.id).sort()).toEqual(
      (await actions('office')).map((a) => a.event_id).sort(),
    )
    expect(office.every((j) => j.state === 'completed')).toBe(true)
    const { seq: _s, ...created } = events.find((e) => e.id === office[0]?.id) ?? {}
    expect(office[0]?.data).toEqual(created)
  })

  it('never relays an event twice into a queue, with several relays at once', async () => {
    const subscribers = new Subscribers().subscribe(
      'busy',
      ['scheduling.appointment.created.v1'],
      async () => {},
    )
    // Relays only: nothing here works the queue, so every job stays to be counted.
    const a = await start(subscribers, { workers: false, relay: false })
    const b = await start(subscribers, { workers: false, relay: false })
    for (let i = 0; i < 30; i++) await record([newJob()])
    const [sub] = subscribers.list()
    if (!sub) throw new Error('no subscriber')
    const relayed = await Promise.all(
      [a, b, a, b, a, b].map((s) => relayAll(t.pool, queueTarget(s.boss, sub), 7)),
    )
    expect(relayed.reduce((x, y) => x + y, 0)).toBe(30)
    const jobs = await jobsIn(queueOf('busy'))
    expect(jobs).toHaveLength(30)
    expect(new Set(jobs.map((j) => j.id)).size).toBe(30)
  })

  it('retries a failing subscriber, and dead-letters the event after its 5th failure', async () => {
    let attempts = 0
    const subscribers = new Subscribers().subscribe(
      'flaky',
      ['scheduling.appointment.created.v1'],
      async (_event, tx) => {
        attempts++
        await tx.query('INSERT INTO test_actions VALUES ($1, $2, $3)', ['flaky', uuidv7(), 'x'])
        throw new Error('the provider is down')
      },
    )
    await start(subscribers)
    await record([newJob()])
    const [event] = (await storedEvents(t.pool)).slice(-1)
    const dead = await eventually(
      () => jobsIn(deadLetterQueueOf('flaky')),
      (jobs) => jobs.length > 0,
    )
    await new Promise((r) => setTimeout(r, 1500))
    expect(attempts).toBe(5)
    const [original] = await jobsIn(queueOf('flaky'))
    expect(original?.state).toBe('failed')
    expect(dead).toHaveLength(1)
    expect(dead[0]?.data.id).toBe(event?.id)
    // Each failed attempt's writes rolled back with it; it was never marked processed.
    expect(await actions('flaky')).toEqual([])
    const processed = await t.pool.query('SELECT 1 FROM processed_events WHERE subscriber = $1', [
      'flaky',
    ])
    expect(processed.rowCount).toBe(0)
  })

  it('sets each queue up with exponential back-off, 4 retries and a 14-day dead-letter queue', async () => {
    const subscribers = new Subscribers().subscribe(
      'policy',
      ['catalog.service.changed.v1'],
      async () => {
        throw new Error('not yet')
      },
    )
    const stream = await start(subscribers, {
      // The production policy (FAST aside, which the other tests use).
      delivery: { ...DEFAULT_DELIVERY, pollingIntervalSeconds: 0.5 },
    })
    const queue = await stream.boss.getQueue(queueOf('policy'))
    expect(queue).toMatchObject({
      retryLimit: 4,
      retryDelay: 5,
      retryBackoff: true,
      deadLetter: deadLetterQueueOf('policy'),
    })
    const dead = await stream.boss.getQueue(deadLetterQueueOf('policy'))
    expect(dead?.retentionMinutes).toBe(14 * 24 * 60)
    await record([
      {
        table: 'services',
        rowId: uuidv7(),
        before: null,
        after: { name: 'Edging', base_price: '20.00', duration_minutes: 30 },
      },
    ])
    const [retrying] = await eventually(
      async () =>
        (
          await t.pool.query<{ state: string; wait: number }>(
            `SELECT state, extract(epoch FROM start_after - now()) AS wait FROM pgboss.job
             WHERE name = $1`,
            [queueOf('policy')],
          )
        ).rows,
      (rows) => rows[0]?.state === 'retry',
    )
    // The first retry waits at least the base delay (then doubles each time).
    expect(Number(retrying?.wait)).toBeGreaterThan(3)
  })

  it('acts once on an event delivered twice, and afresh after a failed attempt', async () => {
    let calls = 0
    const sub = {
      name: 'once',
      types: ['scheduling.appointment.created.v1'] as const,
      handler: async (event: Envelope, tx: import('pg').PoolClient) => {
        calls++
        await recorder('once')(event, tx)
        if (calls === 1) throw new Error('first attempt fails after writing')
      },
    }
    await record([newJob()])
    const [last] = (await storedEvents(t.pool)).slice(-1)
    const { seq: _s, ...envelope } = last ?? {}
    await expect(deliverOnce(t.pool, sub, envelope)).rejects.toThrow(/first attempt/)
    expect(await actions('once')).toEqual([])
    expect(await deliverOnce(t.pool, sub, envelope)).toBe('delivered')
    expect(await deliverOnce(t.pool, sub, envelope)).toBe('duplicate')
    expect(calls).toBe(2)
    expect(await actions('once')).toHaveLength(1)
  })

  it('refuses a subscriber with a bad name, no types, an unknown type or a name used twice', () => {
    const s = new Subscribers()
    const none = async () => {}
    expect(() => s.subscribe('Bad Name', ['catalog.service.changed.v1'], none)).toThrow(/name/)
    expect(() => s.subscribe('empty', [], none)).toThrow(/no event type/)
    expect(() => s.subscribe('odd', ['catalog.service.changed.v9' as EventType], none)).toThrow(
      /unknown event type/,
    )
    s.subscribe('twice', ['catalog.service.changed.v1'], none)
    expect(() => s.subscribe('twice', ['catalog.service.changed.v1'], none)).toThrow(/twice/)
  })
})
