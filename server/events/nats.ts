import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import type { RelayTarget } from './relay'

/**
 * The NATS JetStream relay, for businesses that outgrow one database: every envelope of
 * the outbox is published, in sequence order, to `<prefix>.<event type>` on a stream
 * that captures `<prefix>.>`, created when absent. The message id is the event id, so
 * JetStream drops a copy published again within its duplicate window (two minutes by
 * default): a relay that published and then died before moving its cursor republishes
 * without duplicating. The cursor only moves once every publish of a batch is
 * acknowledged by the stream.
 */
export const NATS_STREAM = 'GROUNDSKEEPER_EVENTS'
export const NATS_SUBJECT_PREFIX = 'groundskeeper.events'

export interface NatsRelayOptions {
  url: string
  stream?: string
  subjectPrefix?: string
  /** Milliseconds to wait for a publish's acknowledgement. */
  timeoutMs?: number
}

export interface NatsRelay {
  target: RelayTarget
  close: () => Promise<void>
}

async function ensureStream(jsm: JetStreamManager, name: string, prefix: string) {
  try {
    await jsm.streams.info(name)
  } catch (e) {
    if (!(e instanceof JetStreamApiError) || e.code !== JetStreamApiCodes.StreamNotFound) throw e
    await jsm.streams.add({ name, subjects: [`${prefix}.>`] })
  }
}

export async function openNatsRelay(options: NatsRelayOptions): Promise<NatsRelay> {
  const stream = options.stream ?? NATS_STREAM
  const prefix = options.subjectPrefix ?? NATS_SUBJECT_PREFIX
  let nc: Awaited<ReturnType<typeof connect>>
  try {
    nc = await connect({ servers: options.url, name: 'groundskeeper-server' })
  } catch (e) {
    throw new Error(`could not connect to NATS at ${options.url}: ${(e as Error).message}`, {
      cause: e,
    })
  }
  try {
    await ensureStream(await jetstreamManager(nc), stream, prefix)
  } catch (e) {
    await nc.close()
    throw new Error(`could not set up the JetStream stream ${stream}: ${(e as Error).message}`, {
      cause: e,
    })
  }
  const js = jetstream(nc)
  return {
    target: {
      consumer: `nats:${stream}`,
      accepts: () => true,
      // Published together (one connection keeps their order), then every ack awaited.
      deliver: async (_client, events) => {
        await Promise.all(
          events.map((e) =>
            js.publish(`${prefix}.${e.envelope.type}`, JSON.stringify(e.envelope), {
              msgID: e.envelope.id,
              timeout: options.timeoutMs ?? 5000,
            }),
          ),
        )
      },
    },
    close: async () => {
      await nc.drain().catch(() => nc.close())
    },
  }
}
