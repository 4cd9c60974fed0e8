/**
 * The server's domain event stream: the outbox every accepted change writes to
 * (outbox.ts), the relays that move it on (relay.ts; to pg-boss in delivery.ts, to NATS
 * JetStream in nats.ts), subscribers and their workers (subscribers.ts, delivery.ts),
 * the admin feed (feed.ts), and their start and stop (stream.ts).
 */
import { Subscribers } from './subscribers'

export { registerEventFeed } from './feed'
export { type RowChange, recordEvents } from './outbox'
export { type EventStream, type EventStreamOptions, startEventStream } from './stream'
export { Subscribers } from './subscribers'

/**
 * The subscribers every server instance runs: the Part 2 services (notifications,
 * weather) register here, each under a name of its own that never changes.
 */
export function serverSubscribers(): Subscribers {
  return new Subscribers()
}
