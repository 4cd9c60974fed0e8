/**
 * `tsx scripts/bench/notifications.ts [--json] [--messages N] [--bookings N]`: the central
 * notification worker against a real SMTP server on loopback (the tests' stand-in), on a
 * fresh PostgreSQL database:
 * - throughput: N queued emails, one worker (one service instance, its default batch),
 *   from its start until the send log says every one is sent; the goal is ≥ 200/s;
 * - delay: bookings pushed one after another, from the push's commit to the SMTP
 *   server receiving the confirmation (relay, planner, queue, send), p50 / p95.
 * Prints a summary, or one JSON object (the last line) with --json.
 */

import { emailSender } from '../../notify/email'
import { serverClock } from '../../server/api/clock'
import { createPool, migrateServer } from '../../server/db'
import { startEventStream } from '../../server/events/stream'
import { Subscribers } from '../../server/events/subscribers'
import { notificationService } from '../../server/notifications/service'
import { ensureWorkerDevice, writeLog } from '../../server/notifications/store'
import { push } from '../../server/sync'
import { freshDatabase } from '../../server/test-db'
import { createDevice } from '../../server/tokens'
import { uuidv7 } from '../../shared/domain/ids'
import { messageId } from '../../shared/notifications/plan'
import { deviceStamps } from '../../shared/sync/device-stamps.test-support'
import { startSmtpStandIn } from '../../testing/smtp-standin'
import { parseFlags, runCommand } from '../lib/cli'
import { percentile, round } from './stats'

const USAGE = 'tsx scripts/bench/notifications.ts -- [--json] [--messages N] [--bookings N]'
const FROM = 'Greenway Gardens <office@greenway.example>'

export interface NotificationsBench {
  messages: number
  perSecond: number
  bookings: number
  delay: { p50Ms: number; p95Ms: number }
}

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    json: { type: 'boolean' },
    messages: { type: 'int', default: 2000, min: 10, max: 100_000 },
    bookings: { type: 'int', default: 100, min: 5, max: 10_000 },
  })
  const db = await freshDatabase()
  const pool = createPool(db.url, 12)
  const smtp = await startSmtpStandIn()
  const arrived = new Map<string, number>()
  const seen = smtp.received
  const watch = setInterval(() => {
    for (const r of seen.splice(0))
      arrived.set(r.headers.get('message-id') ?? '', performance.now())
  }, 1)
  try {
    await migrateServer(pool)
    await ensureWorkerDevice(pool)
    await pool.query(
      `INSERT INTO business_settings (id, time_zone, business_name, sending_hours)
       VALUES ('00000000-0000-4000-8000-000000000001', 'UTC', 'Greenway Gardens', '00:00-23:59')`,
    )
    const service = uuidv7()
    await pool.query(
      `INSERT INTO services (id, name, base_price, duration_minutes) VALUES ($1, 'Lawn mowing', 55, 60)`,
      [service],
    )
    const office = (
      await createDevice(pool, { label: 'office', userName: 'o', role: 'office_manager' })
    ).device
    const stamp = deviceStamps('office')
    const clientIds: string[] = []
    for (let i = 0; i < flags.messages; i += 500) {
      const batch = Array.from({ length: Math.min(500, flags.messages - i) }, (_, k) => ({
        id: uuidv7(),
        table: 'clients' as const,
        rowId: uuidv7(),
        hlc: stamp(),
        fields: { name: `Client ${i + k}`, email: `client${i + k}@example.com` },
      }))
      await push(pool, office, batch)
      clientIds.push(...batch.map((b) => b.rowId))
    }

    // Throughput: the send log holds N due emails; one worker empties it.
    const now = new Date().toISOString()
    const ids = clientIds.map(() => uuidv7())
    for (let i = 0; i < ids.length; i += 500)
      await writeLog(
        pool,
        serverClock(),
        ids.slice(i, i + 500).map((id, k) => ({
          id,
          fields: {
            kind: 'weather',
            channel: 'email',
            client_id: clientIds[i + k] as string,
            due_at: now,
            status: 'queued',
            attempts: 0,
          },
        })),
      )
    const subscribers = new Subscribers()
    const notifications = notificationService({
      pool,
      clock: serverClock(),
      senders: { email: emailSender({ url: smtp.url, from: FROM, connections: 8 }) },
      sweepMs: 60_000,
    })
    notifications.subscribe(subscribers)
    const stream = await startEventStream({
      pool,
      databaseUrl: db.url,
      subscribers,
      relayIntervalMs: 50,
      delivery: { pollingIntervalSeconds: 0.5 },
      onError: () => {},
    })
    const started = performance.now()
    await notifications.start(stream.boss)
    for (;;) {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications WHERE status = 'sent' AND kind = 'weather'`,
      )
      if ((rows[0]?.n ?? 0) >= ids.length) break
      await new Promise((r) => setTimeout(r, 20))
    }
    const seconds = (performance.now() - started) / 1000

    // Delay: a booking's confirmation, from the push's commit to the SMTP server.
    const delays: number[] = []
    for (let i = 0; i < flags.bookings; i++) {
      const job = uuidv7()
      await push(pool, office, [
        {
          id: uuidv7(),
          table: 'appointments',
          rowId: job,
          hlc: stamp(),
          fields: {
            client_id: clientIds[i % clientIds.length] as string,
            service_id: service,
            scheduled_at: new Date(Date.now() + (7 + i) * 86_400_000).toISOString(),
            duration_minutes: 60,
            status: 'scheduled',
            notes: '',
            price: '55.00',
          },
        },
      ])
      const committed = performance.now()
      const key = `<${messageId(job, 'confirmation', 'email', null)}@greenway.example>`
      while (!arrived.has(key)) await new Promise((r) => setTimeout(r, 1))
      delays.push((arrived.get(key) as number) - committed)
    }
    await stream.stop()
    await notifications.stop()
    const result: NotificationsBench = {
      messages: ids.length,
      perSecond: round(ids.length / seconds, 0),
      bookings: flags.bookings,
      delay: { p50Ms: round(percentile(delays, 50), 0), p95Ms: round(percentile(delays, 95), 0) },
    }
    if (flags.json) console.log(JSON.stringify(result))
    else
      console.log(
        `notifications: ${result.messages} emails in ${round(seconds, 2)} s = ${result.perSecond}/s per worker; booking -> confirmation received p50 ${result.delay.p50Ms} ms, p95 ${result.delay.p95Ms} ms (${result.bookings} bookings)`,
      )
  } finally {
    clearInterval(watch)
    await smtp.close()
    await pool.end()
    await db.drop()
  }
})
