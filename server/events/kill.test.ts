import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTs, type ScriptRun } from '../../scripts/lib/run-ts'
import { uuidv7 } from '../../shared/domain/ids'
import {
  DEVICE,
  type EventsDb,
  eventsDatabase,
  eventually,
  inTransaction,
  jobValues,
  storedEvents,
} from './events.test-support'
import { KILL_TEST_DELIVERY, KILL_TEST_SUBSCRIBER } from './kill.test-support'
import { recordEvents } from './outbox'
import { startEventStream } from './stream'
import { queueOf, Subscribers } from './subscribers'

/**
 * A worker killed (SIGKILL, a real process) in the middle of a delivery: the event is
 * delivered again, and the subscriber acts on it once.
 */
describe('a worker killed mid-delivery', () => {
  let t: EventsDb
  beforeAll(async () => {
    t = await eventsDatabase()
    await t.pool.query('CREATE TABLE test_actions (subscriber text, event_id uuid, type text)')
  })
  afterAll(async () => {
    await t.close()
  })

  /** Runs the worker process, records one event, kills the worker on its signal line. */
  async function killWorker(mode: 'in-handler' | 'after-commit', signal: string) {
    let ready: () => void = () => {}
    const started = new Promise<void>((r) => {
      ready = r
    })
    let killedOn: string | null = null
    const run: Promise<ScriptRun> = runTs(
      'server/events/worker-child.test-support.ts',
      [t.db.url, mode],
      (line, kill) => {
        if (line === 'ready') ready()
        if (line.startsWith(`${signal} `)) {
          killedOn = line.slice(signal.length + 1)
          kill('SIGKILL')
        }
      },
    )
    const early = await Promise.race([started.then(() => null), run])
    if (early) throw new Error(`the worker stopped before it was ready: ${early.stderr}`)
    await inTransaction(t.pool, (c) =>
      recordEvents(
        c,
        [{ table: 'appointments', rowId: uuidv7(), before: null, after: jobValues() }],
        { deviceId: DEVICE },
      ),
    )
    const event = (await storedEvents(t.pool)).at(-1)
    const result = await run
    expect(result.signal, result.stderr).toBe('SIGKILL')
    expect(killedOn).toBe(event?.id)
    return event?.id as string
  }

  const actions = async (eventId: string) =>
    (
      await t.pool.query<{ type: string }>('SELECT type FROM test_actions WHERE event_id = $1', [
        eventId,
      ])
    ).rows.map((r) => r.type)
  const job = async (eventId: string) =>
    (
      await t.pool.query<{ state: string; retry_count: number }>(
        'SELECT state, retry_count FROM pgboss.job WHERE name = $1 AND id = $2',
        [queueOf(KILL_TEST_SUBSCRIBER), eventId],
      )
    ).rows[0]

  /** A worker here, after the kill, for the same subscriber: it records what it acts on. */
  async function takeOver() {
    const calls: string[] = []
    const stream = await startEventStream({
      pool: t.pool,
      databaseUrl: t.db.url,
      subscribers: new Subscribers().subscribe(
        KILL_TEST_SUBSCRIBER,
        ['scheduling.appointment.created.v1'],
        async (event, tx) => {
          calls.push(event.id)
          await tx.query('INSERT INTO test_actions VALUES ($1, $2, $3)', [
            KILL_TEST_SUBSCRIBER,
            event.id,
            'takeover',
          ])
        },
      ),
      relayIntervalMs: 100,
      delivery: KILL_TEST_DELIVERY,
      boss: { maintenanceIntervalSeconds: 1 },
      onError: () => {},
    })
    return { calls, stream }
  }

  it('killed while its handler runs: the event is redelivered and acted on once', async () => {
    const id = await killWorker('in-handler', 'acting')
    // The handler's transaction died with its connection: nothing it wrote remains.
    expect(await actions(id)).toEqual([])
    expect((await job(id))?.state).toBe('active')
    const { calls, stream } = await takeOver()
    try {
      await eventually(
        () => job(id),
        (j) => j?.state === 'completed',
      )
      expect(calls).toEqual([id])
      expect(await actions(id)).toEqual(['takeover'])
      expect((await job(id))?.retry_count).toBe(1)
    } finally {
      await stream.stop()
    }
  })

  it('killed after acting, before its job was done: redelivered, and not acted on again', async () => {
    const id = await killWorker('after-commit', 'committed')
    expect(await actions(id)).toEqual(['child'])
    expect((await job(id))?.state).toBe('active')
    const { calls, stream } = await takeOver()
    try {
      await eventually(
        () => job(id),
        (j) => j?.state === 'completed',
      )
      // Delivered again (a retry), recognised as processed: the handler did not run.
      expect((await job(id))?.retry_count).toBe(1)
      expect(calls).toEqual([])
      expect(await actions(id)).toEqual(['child'])
    } finally {
      await stream.stop()
    }
  })
})
