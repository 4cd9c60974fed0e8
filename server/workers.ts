import type pg from 'pg'
import type { ChannelSender } from '../notify/channels'
import type { Channel } from '../shared/notifications/kinds'
import type { WeatherProvider } from '../weather/provider'
import { serverClock } from './api/clock'
import { serverSubscribers, startEventStream } from './events'
import { notificationService } from './notifications/service'
import { weatherService } from './weather/service'

/**
 * The background work of a server instance (or of `npm run worker` alone): the event
 * relays, the subscribers' workers, the notification sender and the forecast refresh. Any number of
 * instances may run it against one database: they share the queues.
 */
export interface WorkerOptions {
  pool: pg.Pool
  databaseUrl: string
  natsUrl?: string
  senders: Partial<Record<Channel, ChannelSender>>
  /** The forecast refresh (a scheduled job); left out: no refresh on this instance. */
  weather?: { provider: WeatherProvider; maxPlaces?: number; everyHours?: number }
  onError: (e: unknown, where: string) => void
}

export async function startWorkers(o: WorkerOptions): Promise<{ stop: () => Promise<void> }> {
  const subscribers = serverSubscribers()
  const notifications = notificationService({
    pool: o.pool,
    clock: serverClock(),
    senders: o.senders,
    onError: (e) => o.onError(e, 'notifications'),
  })
  notifications.subscribe(subscribers)
  const events = await startEventStream({
    pool: o.pool,
    databaseUrl: o.databaseUrl,
    subscribers,
    ...(o.natsUrl ? { nats: { url: o.natsUrl } } : {}),
    onError: o.onError,
  })
  await notifications.start(events.boss)
  if (o.weather)
    await weatherService({
      pool: o.pool,
      clock: serverClock(),
      ...o.weather,
      onError: (e) => o.onError(e, 'weather'),
    }).start(events.boss)
  return {
    stop: async () => {
      await events.stop()
      await notifications.stop()
    },
  }
}
