import type pg from 'pg'
import type { Envelope } from '../../shared/events/envelope'
import { type EventType, isEventType } from '../../shared/events/types'

/**
 * Subscribers are registered in code: a name (stable: it names the subscriber's queue,
 * its relay cursor and its processed-events records), the event types it takes, and a
 * handler. The handler runs inside a transaction on `tx`, the same one that records the
 * event as processed for this subscriber: what it writes with `tx` happens exactly once
 * per event, however often the event is delivered. Work outside the database (an email)
 * needs its own idempotency key, the event id being the obvious one.
 */
export type EventHandler<T extends EventType = EventType> = (
  event: Envelope<T>,
  tx: pg.PoolClient,
) => Promise<void>

export interface Subscriber {
  name: string
  types: readonly EventType[]
  handler: EventHandler
}

/** Lowercase words: it becomes part of queue names and database keys. */
export const SUBSCRIBER_NAME = /^[a-z][a-z0-9_]{0,39}$/

export class Subscribers {
  readonly #all = new Map<string, Subscriber>()

  subscribe<const T extends EventType>(
    name: string,
    types: readonly T[],
    handler: EventHandler<T>,
  ): this {
    if (!SUBSCRIBER_NAME.test(name))
      throw new TypeError(`subscriber name ${JSON.stringify(name)} must match ${SUBSCRIBER_NAME}`)
    if (this.#all.has(name)) throw new TypeError(`subscriber ${name} is registered twice`)
    if (!types.length) throw new TypeError(`subscriber ${name} takes no event type`)
    for (const t of types) if (!isEventType(t)) throw new TypeError(`unknown event type ${t}`)
    this.#all.set(name, { name, types: [...types], handler: handler as EventHandler })
    return this
  }

  list(): Subscriber[] {
    return [...this.#all.values()]
  }
}

/** The pg-boss queue a subscriber's events wait in, and where they go after 5 failures. */
export const queueOf = (subscriber: string) => `events_${subscriber}`
export const deadLetterQueueOf = (subscriber: string) => `events_${subscriber}_dead`
/** The relay cursor (event_cursors) that feeds a subscriber's queue. */
export const cursorOf = (subscriber: string) => `pgboss:${subscriber}`
