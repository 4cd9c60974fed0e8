import type pg from 'pg'
import PgBoss from 'pg-boss'
import {
  DEFAULT_DELIVERY,
  type DeliveryPolicy,
  type deliverOnce,
  queueTarget,
  setUpQueues,
  startWorker,
} from './delivery'
import { type NatsRelayOptions, openNatsRelay } from './nats'
import { ensureCursor, type RelayTarget, relayAll } from './relay'
import type { Subscribers } from './subscribers'

/**
 * The server's event stream at run time: pg-boss on the same PostgreSQL, a queue per
 * subscriber, the relay that feeds those queues (and NATS, when configured) from the
 * outbox, and the workers that deliver. Any number of server instances may run it at
 * once: relays take turns per destination (relay.ts) and pg-boss hands each job to one
 * worker at a time.
 */
export interface EventStreamOptions {
  pool: pg.Pool
  /** pg-boss opens its own connections (a few) to the same database. */
  databaseUrl: string
  subscribers: Subscribers
  /** Run the workers that deliver to subscribers on this instance (default true). */
  workers?: boolean
  /** Relay the outbox on this instance (default true). */
  relay?: boolean
  /** Also publish every event to NATS JetStream. */
  nats?: NatsRelayOptions
  delivery?: Partial<DeliveryPolicy>
  /** How often the relay looks for new events (default 500 ms). */
  relayIntervalMs?: number
  /** pg-boss's own settings (maintenance interval, schema, ...). */
  boss?: Omit<PgBoss.ConstructorOptions, 'connectionString' | 'db'>
  /** After a subscriber's transaction commits, before its job is marked done. */
  onDelivered?: Parameters<typeof deliverOnce>[3]
  /** A relay pass or a delivery failed (it is retried); the server logs it. */
  onError?: (error: unknown, where: string) => void
}

export interface EventStream {
  boss: PgBoss
  /** One relay pass over every destination, now (tests; the loop does it on its own). */
  relayNow: () => Promise<void>
  stop: () => Promise<void>
}

export async function startEventStream(opts: EventStreamOptions): Promise<EventStream> {
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY, ...opts.delivery }
  const onError = opts.onError ?? ((e, where) => console.error(`event stream: ${where}`, e))
  const boss = new PgBoss({ max: 4, ...opts.boss, connectionString: opts.databaseUrl })
  boss.on('error', (e) => onError(e, 'pg-boss'))
  await boss.start()
  const subscribers = opts.subscribers.list()
  const workerIds = new Map<string, string>()
  const targets: { target: RelayTarget; worker?: string }[] = []
  let nats: Awaited<ReturnType<typeof openNatsRelay>> | null = null
  try {
    for (const s of subscribers) await setUpQueues(boss, s.name, policy)
    if (opts.workers !== false) {
      for (const s of subscribers) {
        const id = await startWorker(boss, opts.pool, s, policy, opts.onDelivered, (e) =>
          onError(e, `subscriber ${s.name}`),
        )
        workerIds.set(s.name, id)
      }
    }
    for (const s of subscribers)
      targets.push({ target: queueTarget(boss, s), worker: workerIds.get(s.name) })
    if (opts.nats) {
      nats = await openNatsRelay(opts.nats)
      targets.push({ target: nats.target })
    }
    for (const { target } of targets) await ensureCursor(opts.pool, target.consumer)
  } catch (e) {
    await boss.stop({ graceful: false }).catch(() => {})
    await nats?.close()
    throw e
  }

  const relayNow = async () => {
    for (const { target, worker } of targets) {
      try {
        const relayed = await relayAll(opts.pool, target)
        // The jobs are committed: a worker here need not wait for its next poll.
        if (relayed && worker) boss.notifyWorker(worker)
      } catch (e) {
        onError(e, `relay to ${target.consumer}`)
      }
    }
  }

  let stopped = false
  let pass: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  const loop = () => {
    if (stopped) return
    pass = relayNow().finally(() => {
      if (!stopped) timer = setTimeout(loop, opts.relayIntervalMs ?? 500)
    })
  }
  if (opts.relay !== false) loop()

  return {
    boss,
    relayNow,
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      await pass
      await boss.stop({ graceful: true, timeout: 10_000, wait: true })
      await nats?.close()
    },
  }
}
