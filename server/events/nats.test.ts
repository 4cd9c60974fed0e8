import { createConnection } from 'node:net'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../shared/domain/ids'
import type { RawEnvelope } from '../../shared/events/envelope'
import {
  DEVICE,
  type EventsDb,
  eventsDatabase,
  inTransaction,
  jobValues,
  storedEvents,
} from './events.test-support'
import { openNatsRelay } from './nats'
import { recordEvents } from './outbox'
import { type EventStream, startEventStream } from './stream'
import { Subscribers } from './subscribers'

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'

const reachable = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url)
    const socket = createConnection({ host: hostname, port: Number(port) || 4222 })
    socket.setTimeout(1000)
    socket.once('connect', () => resolve(true))
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => resolve(false))
  }).finally(() => {})
const natsUp = await reachable(NATS_URL)

describe.skipIf(!natsUp)(
  `the NATS JetStream relay (needs NATS with JetStream at ${NATS_URL})`,
  () => {
    let t: EventsDb
    let nc: NatsConnection
    let stream: EventStream
    const tag = uuidv7().replaceAll('-', '').slice(-12)
    const STREAM = `GK_TEST_${tag}`
    const PREFIX = `gktest.${tag}`
    beforeAll(async () => {
      t = await eventsDatabase()
      nc = await connect({ servers: NATS_URL })
      stream = await startEventStream({
        pool: t.pool,
        databaseUrl: t.db.url,
        subscribers: new Subscribers(),
        nats: { url: NATS_URL, stream: STREAM, subjectPrefix: PREFIX },
        relayIntervalMs: 100,
        onError: () => {},
      })
    })
    afterAll(async () => {
      await stream?.stop()
      await (await jetstreamManager(nc)).streams.delete(STREAM).catch(() => {})
      await nc?.close()
      await t?.close()
    })

    /** Every message on the test stream, read from the start by an ordered consumer. */
    const readStream = async (count: number) => {
      const consumer = await jetstream(nc).consumers.get(STREAM)
      const messages = await consumer.fetch({ max_messages: count, expires: 3000 })
      const out: { subject: string; msgId: string | undefined; envelope: RawEnvelope }[] = []
      for await (const m of messages) {
        out.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), envelope: m.json() })
        if (out.length === count) break
      }
      return out
    }

    it('creates the stream and publishes every envelope to it, in order, the event id as message id', async () => {
      for (let i = 0; i < 3; i++) {
        await inTransaction(t.pool, (c) =>
          recordEvents(
            c,
            [
              { table: 'appointments', rowId: uuidv7(), before: null, after: jobValues() },
              {
                table: 'team_members',
                rowId: uuidv7(),
                before: { name: 'Ana', is_available: true, deleted_at: null },
                after: { name: 'Ana', is_available: false, deleted_at: null },
              },
            ],
            { deviceId: DEVICE, correlationId: `nats-${i}` },
          ),
        )
      }
      const events = (await storedEvents(t.pool)).map(({ seq: _s, ...e }) => e)
      expect(events).toHaveLength(6)
      const jsm = await jetstreamManager(nc)
      for (let i = 0; i < 100; i++) {
        const info = await jsm.streams.info(STREAM).catch(() => null)
        if (info && info.state.messages >= 6) break
        await new Promise((r) => setTimeout(r, 100))
      }
      const info = await jsm.streams.info(STREAM)
      expect(info.config.subjects).toEqual([`${PREFIX}.>`])
      const received = await readStream(6)
      expect(received.map((r) => r.envelope)).toEqual(events)
      expect(received.map((r) => r.subject)).toEqual(events.map((e) => `${PREFIX}.${e.type}`))
      expect(received.map((r) => r.msgId)).toEqual(events.map((e) => e.id))
    })

    it('publishing again after a relay died before moving its cursor adds no duplicate', async () => {
      const jsm = await jetstreamManager(nc)
      const before = (await jsm.streams.info(STREAM)).state.messages
      await t.pool.query('UPDATE event_cursors SET seq = 0 WHERE consumer = $1', [`nats:${STREAM}`])
      const events = await storedEvents(t.pool)
      // The relay that runs on its own may hold the turn when this one asks: wait for
      // whichever relays to have moved the cursor back to the end.
      let seq: string | undefined
      for (let i = 0; i < 100 && seq !== events.at(-1)?.seq; i++) {
        await stream.relayNow()
        const cursor = await t.pool.query<{ seq: string }>(
          'SELECT seq::text FROM event_cursors WHERE consumer = $1',
          [`nats:${STREAM}`],
        )
        seq = cursor.rows[0]?.seq
        if (seq !== events.at(-1)?.seq) await new Promise((r) => setTimeout(r, 100))
      }
      expect(seq).toBe(events.at(-1)?.seq)
      expect((await jsm.streams.info(STREAM)).state.messages).toBe(before)
    })
  },
)

describe('the NATS relay set-up', () => {
  it('says clearly when NATS cannot be reached', async () => {
    await expect(openNatsRelay({ url: 'nats://127.0.0.1:1' })).rejects.toThrow(
      /could not connect to NATS at nats:\/\/127.0.0.1:1/,
    )
  })
})
