import type pg from 'pg'
import type PgBoss from 'pg-boss'
import { type Envelope, parseEnvelope, type RawEnvelope } from '../../shared/events/envelope'
import type { RelayTarget } from './relay'
import { cursorOf, deadLetterQueueOf, queueOf, type Subscriber } from './subscribers'

/**
 * Delivery to subscribers through pg-boss, in the same PostgreSQL: each subscriber has
 * its own queue (one job per event, the job id being the event id), its own retries
 * with exponential back-off, and its own dead-letter queue. pg-boss provides all of
 * that; this module only sets the queues up, relays outbox events into them, and wraps
 * each handler so that it acts once per event however often a job is delivered.
 */
export interface DeliveryPolicy {
  /**
   * Retries after the first failure. pg-boss moves a job to the dead-letter queue when
   * it fails with no retry left, so 4 retries means the 5th failure dead-letters it.
   */
  retryLimit: number
  /** The first retry's delay; with back-off each next one doubles (plus jitter). */
  retryDelaySeconds: number
  retryBackoff: boolean
  /**
   * How long a delivery may run. A worker that dies mid-delivery leaves its job active;
   * pg-boss's maintenance fails it once this has passed, and it is retried.
   */
  expireInSeconds: number
  deadLetterRetentionDays: number
  pollingIntervalSeconds: number
  /** Jobs a worker takes per fetch; each is delivered (and may fail) on its own. */
  batchSize: number
}

export const DEFAULT_DELIVERY: DeliveryPolicy = {
  retryLimit: 4,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 300,
  deadLetterRetentionDays: 14,
  pollingIntervalSeconds: 2,
  batchSize: 10,
}

/** Creates (or updates to the current policy) a subscriber's queue and dead-letter queue. */
export async function setUpQueues(boss: PgBoss, subscriber: string, policy: DeliveryPolicy) {
  const dead = deadLetterQueueOf(subscriber)
  const deadOptions = { name: dead, retentionMinutes: policy.deadLetterRetentionDays * 24 * 60 }
  // The dead-letter queue first: the main queue's options refer to it.
  await boss.createQueue(dead, deadOptions)
  await boss.updateQueue(dead, deadOptions)
  const options = {
    name: queueOf(subscriber),
    retryLimit: policy.retryLimit,
    retryDelay: policy.retryDelaySeconds,
    retryBackoff: policy.retryBackoff,
    expireInSeconds: policy.expireInSeconds,
    deadLetter: dead,
  }
  await boss.createQueue(options.name, options)
  await boss.updateQueue(options.name, options)
}

/**
 * The relay destination for one subscriber: its events become jobs in its queue, written
 * with the relay's own transaction (pg-boss's `insert` with a `db` of that connection),
 * so the jobs exist exactly when the cursor has moved past their events. The job id is
 * the event id: were an event ever relayed twice, the queue's key would keep one job.
 */
export function queueTarget(
  boss: PgBoss,
  subscriber: Subscriber,
  onRelayed?: (count: number) => void,
): RelayTarget {
  const types = new Set<string>(subscriber.types)
  return {
    consumer: cursorOf(subscriber.name),
    accepts: (type) => types.has(type),
    deliver: async (client, events) => {
      const db = { executeSql: (text: string, values: unknown[]) => client.query(text, values) }
      await boss.insert(
        events.map((e) => ({
          name: queueOf(subscriber.name),
          id: e.envelope.id,
          data: e.envelope,
        })),
        { db },
      )
      onRelayed?.(events.length)
    },
  }
}

export type DeliveryOutcome = 'delivered' | 'duplicate'

/**
 * Hands one event to a subscriber, once. In one transaction: record (subscriber, event
 * id) in processed_events, run the handler with that transaction, commit. An event
 * already recorded is skipped; a handler that throws rolls its record back with its
 * work, so the retry acts afresh. A worker killed mid-handler loses its transaction with
 * its connection, and the redelivery acts; one killed after the commit but before its
 * job was marked done finds the record on redelivery and does nothing.
 */
export async function deliverOnce(
  pool: pg.Pool,
  subscriber: Subscriber,
  raw: unknown,
  onDelivered?: (subscriber: string, event: Envelope, outcome: DeliveryOutcome) => Promise<void>,
): Promise<DeliveryOutcome> {
  const event = parseEnvelope(raw)
  const client = await pool.connect()
  let outcome: DeliveryOutcome
  try {
    await client.query('BEGIN')
    try {
      const { rowCount } = await client.query(
        `INSERT INTO processed_events (subscriber, event_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING`,
        [subscriber.name, event.id],
      )
      outcome = rowCount ? 'delivered' : 'duplicate'
      if (outcome === 'delivered') await subscriber.handler(event, client)
      await client.query('COMMIT')
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {})
      throw e
    }
  } finally {
    client.release()
  }
  await onDelivered?.(subscriber.name, event, outcome)
  return outcome
}

/** What a failed delivery leaves on its job: the error's kind and words, no event data. */
const failure = (e: unknown) => ({
  name: e instanceof Error ? e.name : 'Error',
  message: (e instanceof Error ? e.message : String(e)).slice(0, 500),
})

/**
 * Starts a pg-boss worker on a subscriber's queue. Each job of a fetched batch is
 * delivered on its own: one that throws is failed by itself (pg-boss retries it, or
 * dead-letters it), and the rest are completed.
 */
export async function startWorker(
  boss: PgBoss,
  pool: pg.Pool,
  subscriber: Subscriber,
  policy: DeliveryPolicy,
  onDelivered?: Parameters<typeof deliverOnce>[3],
  onError?: (e: unknown) => void,
): Promise<string> {
  const queue = queueOf(subscriber.name)
  return boss.work<RawEnvelope>(
    queue,
    { batchSize: policy.batchSize, pollingIntervalSeconds: policy.pollingIntervalSeconds },
    async (jobs) => {
      for (const job of jobs) {
        try {
          await deliverOnce(pool, subscriber, job.data, onDelivered)
        } catch (e) {
          onError?.(e)
          await boss.fail(queue, job.id, failure(e))
        }
      }
    },
  )
}
