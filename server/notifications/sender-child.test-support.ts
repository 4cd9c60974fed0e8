/**
 * The notification worker as a process of its own, for the kill test:
 * `tsx sender-child.test-support.ts <database url> <smtp url> <twilio url> <mode>`.
 * It runs the event stream and the notification service, sending one message at a time.
 * With mode `die-after-email` or `die-after-sms` it stops dead right after the provider
 * accepted the first message of that channel, before the send log says so, printing
 * `accepted <notification id>` for the test to SIGKILL it; with `normal` it just works.
 * It prints `ready` once its workers run.
 */

import type { ChannelSender } from '../../notify/channels'
import { emailSender } from '../../notify/email'
import { smsSender } from '../../notify/sms'
import type { Channel } from '../../shared/notifications/kinds'
import { serverClock } from '../api/clock'
import { createPool } from '../db'
import { KILL_TEST_DELIVERY } from '../events/kill.test-support'
import { startEventStream } from '../events/stream'
import { Subscribers } from '../events/subscribers'
import { KILL_ACCOUNT, KILL_FROM, KILL_TOKEN } from './kill.test-support'
import { notificationService } from './service'

const [url, smtpUrl, twilioUrl, mode] = process.argv.slice(2)
if (!url || !smtpUrl || !twilioUrl || !mode) {
  console.error('usage: sender-child.test-support.ts <db url> <smtp url> <twilio url> <mode>')
  process.exit(2)
}
const forever = () => new Promise<never>(() => {})
const dying = (sender: ChannelSender): ChannelSender => ({
  ...sender,
  async send(m) {
    const sent = await sender.send(m)
    if (mode === `die-after-${sender.channel}`) {
      console.log(`accepted ${m.id}`)
      await forever()
    }
    return sent
  },
})
const senders: Record<Channel, ChannelSender> = {
  email: dying(emailSender({ url: smtpUrl, from: KILL_FROM })),
  sms: dying(
    smsSender({
      accountSid: KILL_ACCOUNT,
      authToken: KILL_TOKEN,
      from: '+14155550100',
      baseUrl: twilioUrl,
    }),
  ),
}
const pool = createPool(url, 4)
const subscribers = new Subscribers()
const service = notificationService({
  pool,
  clock: serverClock(),
  senders,
  concurrency: 1,
  staleMs: 1000,
  sweepMs: 300,
  onError: (e) => console.error('notifications', e),
})
service.subscribe(subscribers)
const stream = await startEventStream({
  pool,
  databaseUrl: url,
  subscribers,
  relayIntervalMs: 100,
  // Killed, this worker may hold the next bookings' events mid-delivery: they expire
  // soon and go to the next worker, as in the event stream's own kill test.
  delivery: KILL_TEST_DELIVERY,
  boss: { maintenanceIntervalSeconds: 1 },
  onError: (e, where) => console.error(where, e),
})
await service.start(stream.boss)
console.log('ready')
