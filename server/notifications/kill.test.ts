import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTs, type ScriptRun } from '../../scripts/lib/run-ts'
import { uuidv7 } from '../../shared/domain/ids'
import { deviceStamps } from '../../shared/sync/device-stamps.test-support'
import type { Mutation } from '../../shared/sync/protocol'
import { type SmtpStandIn, startSmtpStandIn } from '../../testing/smtp-standin'
import { startTwilioStandIn, type TwilioStandIn } from '../../testing/twilio-standin'
import { type EventsDb, eventsDatabase } from '../events/events.test-support'
import { push } from '../sync'
import { createDevice, type Device } from '../tokens'
import { ensureWorkerDevice } from './store'

/**
 * A notification worker killed (SIGKILL, a real process) after the provider accepted a
 * message and before the send log said so, then another one started: every message
 * reaches its recipient once — the SMS settled by asking Twilio, the email sent again
 * as the same message (its Message-ID).
 */
const DAY = 86_400_000

describe('a notification worker killed between the provider and the send log', () => {
  let t: EventsDb
  let smtp: SmtpStandIn
  let twilio: TwilioStandIn
  let office: Device
  const stamp = deviceStamps('office')
  const SERVICE = uuidv7()
  beforeAll(async () => {
    t = await eventsDatabase()
    smtp = await startSmtpStandIn()
    twilio = await startTwilioStandIn()
    office = (await createDevice(t.pool, { label: 'o', userName: 'o', role: 'office_manager' }))
      .device
    await ensureWorkerDevice(t.pool)
    await t.pool.query(
      `INSERT INTO services (id, name, base_price, duration_minutes) VALUES ($1, 'Lawn mowing', 55, 60)`,
      [SERVICE],
    )
    await t.pool.query(
      `INSERT INTO business_settings (id, time_zone, business_name, sending_hours)
       VALUES ('00000000-0000-4000-8000-000000000001', 'UTC', 'Greenway Gardens', '00:00-23:59')`,
    )
  }, 60_000)
  afterAll(async () => {
    await smtp?.close()
    await twilio?.close()
    await t?.close()
  })

  const m = (table: Mutation['table'], rowId: string, fields: Mutation['fields']): Mutation => ({
    id: uuidv7(),
    table,
    rowId,
    hlc: stamp(),
    fields,
  })
  /** Bookings for clients reached by email and SMS, each a confirmation on both. */
  async function book(n: number) {
    const jobs: string[] = []
    for (let i = 0; i < n; i++) {
      const client = uuidv7()
      const job = uuidv7()
      jobs.push(job)
      await push(t.pool, office, [
        m('clients', client, {
          name: `Client ${i}`,
          email: `c${client.slice(-8)}@example.com`,
          phone: `+1415555${String(1000 + i).slice(-4)}`,
          notify_sms: true,
        }),
        m('appointments', job, {
          client_id: client,
          service_id: SERVICE,
          scheduled_at: new Date(
            Math.floor(Date.now() / DAY) * DAY + (10 + i) * DAY + 43_200_000,
          ).toISOString(),
          duration_minutes: 60,
          status: 'scheduled',
          notes: '',
          price: '55.00',
        }),
      ])
    }
    return jobs
  }

  function worker(mode: string, onAccepted?: (id: string) => void) {
    let ready: () => void = () => {}
    const started = new Promise<void>((r) => {
      ready = r
    })
    let stop: (signal: NodeJS.Signals) => void = () => {}
    const run: Promise<ScriptRun> = runTs(
      'server/notifications/sender-child.test-support.ts',
      [t.db.url, smtp.url, twilio.url, mode],
      (line, kill) => {
        stop = kill
        if (line === 'ready') ready()
        if (line.startsWith('accepted ')) {
          onAccepted?.(line.slice('accepted '.length))
          kill('SIGKILL')
        }
      },
    )
    return { run, started, stop: (signal: NodeJS.Signals) => stop(signal) }
  }
  const confirmations = async (jobs: string[]) =>
    (
      await t.pool.query<{
        id: string
        channel: string
        status: string
        provider_id: string | null
      }>(
        `SELECT id, channel, status, provider_id FROM notifications
         WHERE appointment_id = ANY($1::uuid[]) AND kind = 'confirmation'`,
        [jobs],
      )
    ).rows

  for (const channel of ['sms', 'email'] as const) {
    it(`killed after ${channel === 'sms' ? 'Twilio' : 'the SMTP server'} took a message: each goes once`, async () => {
      let killedOn: string | null = null
      const first = worker(`die-after-${channel}`, (id) => {
        killedOn = id
      })
      const early = await Promise.race([first.started.then(() => null), first.run])
      if (early) throw new Error(`the worker stopped before it was ready: ${early.stderr}`)
      const mailsBefore = smtp.received.length
      const smsBefore = twilio.messages.length
      const jobs = await book(3)
      const dead = await first.run
      expect(dead.signal, dead.stderr).toBe('SIGKILL')
      expect(killedOn).not.toBeNull()
      // The log still says processing: the provider has it, the log does not know.
      const cut = (await confirmations(jobs)).find((r) => r.id === killedOn)
      expect(cut?.status).toBe('processing')

      const second = worker('normal')
      try {
        await second.started
        const end = Date.now() + 90_000
        while ((await confirmations(jobs)).filter((r) => r.status === 'sent').length < 6) {
          if (Date.now() > end) throw new Error('the confirmations were not all sent')
          await new Promise((r) => setTimeout(r, 200))
        }
      } finally {
        second.stop('SIGKILL')
        await second.run
      }
      const rows = await confirmations(jobs)
      const sms = twilio.messages.slice(smsBefore)
      const mails = smtp.received.slice(mailsBefore)
      // Three SMS, each once: the cut-off one was found at Twilio, not sent again.
      expect(sms).toHaveLength(3)
      expect(new Set(sms.map((x) => x.to)).size).toBe(3)
      const ids = mails.map((x) => x.headers.get('message-id'))
      expect(new Set(ids).size).toBe(3)
      if (channel === 'sms') {
        expect(mails).toHaveLength(3)
        const settled = rows.find((r) => r.id === killedOn)
        expect(sms.map((x) => x.sid)).toContain(settled?.provider_id)
      } else {
        // SMTP cannot be asked: the cut-off email went again as the same message.
        expect(mails).toHaveLength(4)
        expect(ids.filter((id) => id === `<${killedOn}@greenway.example>`)).toHaveLength(2)
      }
    }, 150_000)
  }
})
