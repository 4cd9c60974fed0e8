import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emailSender } from '../../notify/email'
import { deliver, deliverMany } from '../../notify/engine'
import { smsSender } from '../../notify/sms'
import { uuidv7 } from '../../shared/domain/ids'
import { messageId } from '../../shared/notifications/plan'
import { templateId } from '../../shared/notifications/values'
import { deviceStamps } from '../../shared/sync/device-stamps.test-support'
import type { Mutation } from '../../shared/sync/protocol'
import { type SmtpStandIn, startSmtpStandIn } from '../../testing/smtp-standin'
import { startTwilioStandIn, type TwilioStandIn } from '../../testing/twilio-standin'
import { serverClock } from '../api/clock'
import { type EventsDb, eventsDatabase, inTransaction } from '../events/events.test-support'
import { publishEvents } from '../events/outbox'
import { type EventStream, startEventStream } from '../events/stream'
import { Subscribers } from '../events/subscribers'
import { push } from '../sync'
import { createDevice, type Device } from '../tokens'
import { type NotificationService, notificationService, REPLAN_KEY } from './service'
import { serverStore, writeLog } from './store'

/**
 * The central notification worker against real protocols on loopback: an SMTP server
 * (smtp-server) takes the emails, a stand-in shaped like Twilio's API the SMS.
 */
const DAY = 86_400_000
const FROM = 'Greenway Gardens <office@greenway.example>'

describe('the notification worker', () => {
  let t: EventsDb
  let smtp: SmtpStandIn
  let twilio: TwilioStandIn
  let stream: EventStream
  let service: NotificationService
  let office: Device
  const stamp = deviceStamps('office')
  const SERVICE = uuidv7()
  const CREW = uuidv7()

  const senders = () => ({
    email: emailSender({ url: smtp.url, from: FROM }),
    sms: smsSender({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+14155550100',
      baseUrl: twilio.url,
      timeoutMs: 1500,
    }),
  })
  const m = (table: Mutation['table'], rowId: string, fields: Mutation['fields']): Mutation => ({
    id: uuidv7(),
    table,
    rowId,
    hlc: stamp(),
    fields,
  })
  const client = async (over: Mutation['fields'] = {}) => {
    const id = uuidv7()
    await push(t.pool, office, [
      m('clients', id, {
        name: 'Jordan Smith',
        email: `jordan.${id.slice(-6)}@example.com`,
        phone: '+1 415 555 0123',
        notify_sms: true,
        ...over,
      }),
    ])
    return id
  }
  const book = async (clientId: string, atMs: number) => {
    const id = uuidv7()
    const r = await push(t.pool, office, [
      m('appointments', id, {
        client_id: clientId,
        service_id: SERVICE,
        team_member_id: CREW,
        scheduled_at: new Date(atMs).toISOString(),
        duration_minutes: 60,
        status: 'scheduled',
        notes: '',
        price: '55.00',
      }),
    ])
    expect(r[0]?.status).toBe('applied')
    return id
  }
  /**
   * A visit's messages by kind and channel, then in the order they were made: workers take
   * a visit's events side by side, so the time a row is made says nothing across kinds.
   */
  const log = async (appointmentId: string) =>
    (
      await t.pool.query<{
        kind: string
        channel: string
        status: string
        reason: string | null
        due_at: Date
        provider_id: string | null
        client_id: string
      }>(
        `SELECT kind, channel, status, reason, due_at, provider_id, client_id FROM notifications
         WHERE appointment_id = $1 ORDER BY kind, channel, created_at`,
        [appointmentId],
      )
    ).rows
  const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 20_000) => {
    const end = Date.now() + ms
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  // Whole days ahead at noon UTC: inside any sending hours.
  const ahead = (days: number) => Math.floor(Date.now() / DAY) * DAY + days * DAY + 12 * 3_600_000

  beforeAll(async () => {
    t = await eventsDatabase()
    smtp = await startSmtpStandIn()
    twilio = await startTwilioStandIn()
    office = (
      await createDevice(t.pool, { label: 'office', userName: 'o', role: 'office_manager' })
    ).device
    await t.pool.query(
      `INSERT INTO services (id, name, base_price, duration_minutes) VALUES ($1, 'Lawn mowing', 55, 60)`,
      [SERVICE],
    )
    await t.pool.query(`INSERT INTO team_members (id, name) VALUES ($1, 'Ana Lopez')`, [CREW])
    // Messages may go out at any hour of the test.
    await t.pool.query(
      `INSERT INTO business_settings (id, time_zone, business_name, business_phone, sending_hours)
       VALUES ('00000000-0000-4000-8000-000000000001', 'UTC', 'Greenway Gardens', '+1 555 0100', '00:00-23:59')`,
    )
    const subscribers = new Subscribers()
    service = notificationService({
      pool: t.pool,
      clock: serverClock(),
      senders: senders(),
      sweepMs: 500,
    })
    service.subscribe(subscribers)
    stream = await startEventStream({
      pool: t.pool,
      databaseUrl: t.db.url,
      subscribers,
      relayIntervalMs: 100,
      delivery: { pollingIntervalSeconds: 0.5 },
      onError: () => {},
    })
    await service.start(stream.boss)
  }, 60_000)
  afterAll(async () => {
    await stream?.stop()
    await service?.stop()
    await smtp?.close()
    await twilio?.close()
    await t?.close()
  })

  it('confirms a booking by email and SMS through the event stream, and plans its reminders', async () => {
    const c = await client()
    const visitAt = ahead(10)
    const job = await book(c, visitAt)
    const emailId = messageId(job, 'confirmation', 'email', null)
    await until('the confirmation email', () =>
      smtp.received.some((r) => r.headers.get('message-id') === `<${emailId}@greenway.example>`),
    )
    await until('the confirmation SMS', () =>
      twilio.messages.some((x) => x.body.includes('is booked for')),
    )
    const mail = smtp.received.find(
      (r) => r.headers.get('message-id') === `<${emailId}@greenway.example>`,
    )
    expect(mail?.to).toEqual([`jordan.${c.slice(-6)}@example.com`])
    expect(mail?.headers.get('from')).toBe(FROM)
    expect(mail?.headers.get('x-groundskeeper-notification')).toBe(emailId)
    expect(mail?.headers.get('content-type')).toMatch(/^multipart\/alternative/)
    const when = new Date(visitAt).toUTCString().slice(0, 11).replace(',', ',')
    expect(mail?.headers.get('subject')).toMatch(
      /^Your Lawn mowing visit is booked for \w{3}, \w{3} \d+ at 12:00 PM$/,
    )
    expect(mail?.text).toMatch(
      /^Hello Jordan Smith,\r?\n\r?\nThank you for booking with us\. Your Lawn mowing visit is on .* with Ana Lopez\./,
    )
    expect(mail?.html).toContain('<p>Hello Jordan Smith,</p>')
    expect(when.length).toBeGreaterThan(0)

    const sms = twilio.requests.find((r) => r.method === 'POST')
    expect(sms?.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`)
    expect(sms?.auth).toBe(
      `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
    )
    expect(sms?.form).toMatchObject({ To: '+14155550123', From: '+14155550100' })

    await until(
      'both confirmations logged as sent',
      async () =>
        (await log(job)).filter((r) => r.kind === 'confirmation' && r.status === 'sent').length ===
        2,
    )
    const rows = await log(job)
    expect(rows.map((r) => [r.kind, r.channel, r.status])).toEqual([
      ['confirmation', 'email', 'sent'],
      ['confirmation', 'sms', 'sent'],
      ['reminder', 'email', 'scheduled'],
      ['reminder', 'sms', 'scheduled'],
    ])
    expect(rows[0]?.provider_id).toBe(`<${emailId}@greenway.example>`)
    expect(rows[1]?.provider_id).toMatch(/^SM[0-9a-f]{32}$/)
    expect(rows[2]?.due_at.getTime()).toBe(visitAt - DAY)
  })

  it('confirms no visit a laptop held before it joined: its upload plans only the reminders', async () => {
    const c = await client({ notify_sms: false })
    const held = uuidv7()
    const r = await push(t.pool, office, [
      {
        ...m('appointments', held, {
          client_id: c,
          service_id: SERVICE,
          team_member_id: CREW,
          scheduled_at: new Date(ahead(9)).toISOString(),
          duration_minutes: 60,
          status: 'scheduled',
          notes: '',
          price: '55.00',
        }),
        uploaded: true,
      },
    ])
    expect(r[0]?.status).toBe('applied')
    // A booking made after it, through the same stream, is confirmed: the upload's
    // reminder is planned by then, its events being earlier in the stream.
    const later = await book(c, ahead(9) + 2 * 3_600_000)
    await until('the later booking confirmed', async () =>
      (await log(later)).some((x) => x.kind === 'confirmation' && x.status === 'sent'),
    )
    await until('the held visit planned', async () => (await log(held)).length > 0)
    expect((await log(held)).map((x) => [x.kind, x.channel, x.status])).toEqual([
      ['reminder', 'email', 'scheduled'],
    ])
    expect(
      smtp.received.some(
        (x) =>
          x.headers.get('message-id') ===
          `<${messageId(held, 'confirmation', 'email', null)}@greenway.example>`,
      ),
    ).toBe(false)
  })

  it('plans a visit again when its client asks for texts or the reminder lead time changes', async () => {
    const c = await client({ notify_sms: false })
    const visitAt = ahead(11)
    const job = await book(c, visitAt)
    const reminders = async () =>
      (await log(job))
        .filter((r) => r.kind === 'reminder')
        .map(
          (r) => `${r.channel} ${r.status} ${(visitAt - r.due_at.getTime()) / 3_600_000}h before`,
        )
    await until('the email reminder', async () => (await reminders()).length === 1)
    expect(await reminders()).toEqual(['email scheduled 24h before'])
    await push(t.pool, office, [m('clients', c, { notify_sms: true })])
    await until('the text reminder', async () => (await reminders()).length === 2)
    expect((await reminders()).sort()).toEqual([
      'email scheduled 24h before',
      'sms scheduled 24h before',
    ])
    await push(t.pool, office, [
      m('business_settings', '00000000-0000-4000-8000-000000000001', {
        reminder_lead_minutes: 720,
      }),
    ])
    await until('the reminders moved', async () =>
      (await reminders()).every((r) => r.endsWith('12h before')),
    )
    await push(t.pool, office, [
      m('business_settings', '00000000-0000-4000-8000-000000000001', {
        reminder_lead_minutes: 1440,
      }),
    ])
    await until('the reminders back', async () =>
      (await reminders()).every((r) => r.endsWith('24h before')),
    )
  })

  it('re-plans the reminder when the visit moves and tells the client; drops it on cancelling', async () => {
    const c = await client({ notify_sms: false })
    const job = await book(c, ahead(12))
    await until('the confirmation', async () => (await log(job)).some((r) => r.status === 'sent'))
    const movedTo = ahead(14)
    await push(t.pool, office, [
      m('appointments', job, { scheduled_at: new Date(movedTo).toISOString() }),
    ])
    await until('the change notice', async () =>
      (await log(job)).some((r) => r.kind === 'rescheduled' && r.status === 'sent'),
    )
    let rows = await log(job)
    expect(rows.map((r) => [r.kind, r.status, r.reason])).toEqual([
      ['confirmation', 'sent', null],
      ['reminder', 'skipped', 'the visit moved'],
      ['reminder', 'scheduled', null],
      ['rescheduled', 'sent', null],
    ])
    expect(rows[2]?.due_at.getTime()).toBe(movedTo - DAY)
    const notice = smtp.received.find(
      (r) =>
        r.headers.get('message-id') ===
        `<${messageId(job, 'rescheduled', 'email', movedTo)}@greenway.example>`,
    )
    expect(notice?.text).toMatch(/, planned for .* at 12:00 PM, is now on /)

    await push(t.pool, office, [m('appointments', job, { status: 'cancelled' })])
    await until('the cancellation', async () =>
      (await log(job)).some((r) => r.kind === 'cancelled' && r.status === 'sent'),
    )
    rows = await log(job)
    expect(rows.filter((r) => r.kind === 'reminder').map((r) => r.reason)).toEqual([
      'the visit moved',
      'the visit was cancelled',
    ])
  })

  it('confirms a visit given to another client to that client, and tells the first no more', async () => {
    const first = await client({ notify_sms: false })
    const second = await client({ notify_sms: false, name: 'Sam Lee' })
    // The sweep that plans again the visits of changed clients has passed the second
    // client's creation: only the change of the visit's client can plan it for them.
    await until('the replan sweep past the second client', async () => {
      const { rows } = await t.pool.query<{ past: boolean }>(
        `SELECT (s.value->>'since')::timestamptz >= c.updated_at AS past
         FROM app_settings s, clients c WHERE s.key = $1 AND c.id = $2`,
        [REPLAN_KEY, second],
      )
      return rows[0]?.past === true
    })
    const visitAt = ahead(18)
    const job = await book(first, visitAt)
    await until('the first client confirmed', async () =>
      (await log(job)).some((r) => r.kind === 'confirmation' && r.status === 'sent'),
    )
    const mailTo = (c: string) =>
      smtp.received.filter((r) => r.to.includes(`jordan.${c.slice(-6)}@example.com`))
    expect(mailTo(first)).toHaveLength(1)

    await push(t.pool, office, [m('appointments', job, { client_id: second })])
    const confirmation = messageId(job, 'confirmation', 'email', null, 0, second)
    await until('the second client confirmed', () =>
      smtp.received.some(
        (r) => r.headers.get('message-id') === `<${confirmation}@greenway.example>`,
      ),
    )
    const mail = mailTo(second)
    expect(mail.map((r) => r.headers.get('message-id'))).toEqual([
      `<${confirmation}@greenway.example>`,
    ])
    expect(mail[0]?.text).toMatch(/^Hello Sam Lee,/)
    await until('the confirmation logged as sent', async () =>
      (await log(job)).some((r) => r.client_id === second && r.status === 'sent'),
    )
    const rows = await log(job)
    const whose = (c: string) =>
      rows.filter((r) => r.client_id === c).map((r) => [r.kind, r.status, r.reason])
    expect(whose(first)).toEqual([
      ['confirmation', 'sent', null],
      ['reminder', 'skipped', 'the visit was given to another client'],
    ])
    expect(whose(second)).toEqual([
      ['confirmation', 'sent', null],
      ['reminder', 'scheduled', null],
    ])
    expect(
      rows.find((r) => r.client_id === second && r.kind === 'reminder')?.due_at.getTime(),
    ).toBe(visitAt - DAY)
    expect(mailTo(first)).toHaveLength(1)
  })

  it('tells a client of a weather risk on their visit, in the words of the forecast', async () => {
    const c = await client({ notify_sms: false })
    const visitAt = ahead(16)
    const job = await book(c, visitAt)
    await until('the confirmation', async () => (await log(job)).some((r) => r.status === 'sent'))
    const alert = (risk: 'high' | 'low', reason: string) =>
      inTransaction(t.pool, (tx) =>
        publishEvents(
          tx,
          [
            {
              type: 'weather.alert.updated.v1',
              subject: `appointments/${job}`,
              data: {
                appointmentId: job,
                clientId: c,
                scheduledAt: new Date(visitAt).toISOString(),
                risk,
                previousRisk: risk === 'high' ? 'low' : 'high',
                reason,
              },
            },
          ],
          { deviceId: office.id, source: '/services/weather' },
        ),
      )
    await alert('high', 'Heavy rain (12 mm) is expected that day.')
    const id = messageId(job, 'weather', 'email', visitAt)
    await until('the weather notice', () =>
      smtp.received.some((r) => r.headers.get('message-id') === `<${id}@greenway.example>`),
    )
    const mail = smtp.received.find(
      (r) => r.headers.get('message-id') === `<${id}@greenway.example>`,
    )
    expect(mail?.headers.get('subject')).toMatch(/^Weather and your Lawn mowing visit on /)
    expect(mail?.text).toContain('Heavy rain (12 mm) is expected that day. We will let you know')
    // The same alert again sends nothing more.
    await alert('high', 'Heavy rain (14 mm) is expected that day.')
    await new Promise((r) => setTimeout(r, 1500))
    expect(
      smtp.received.filter((r) => r.headers.get('message-id') === `<${id}@greenway.example>`),
    ).toHaveLength(1)
  })

  it('sends each message once with duplicated events and two workers at once', async () => {
    const second = notificationService({
      pool: t.pool,
      clock: serverClock(),
      senders: senders(),
      sweepMs: 200,
    })
    const secondStream = await startEventStream({
      pool: t.pool,
      databaseUrl: t.db.url,
      subscribers: new Subscribers(),
      relay: false,
      onError: () => {},
    })
    await second.start(secondStream.boss)
    try {
      const before = smtp.received.length
      const jobs: string[] = []
      for (let i = 0; i < 12; i++)
        jobs.push(await book(await client({ notify_sms: false }), ahead(20 + i)))
      // Every event delivered again to the planner, and every send job queued again.
      await t.pool.query(`DELETE FROM processed_events WHERE subscriber = 'notifications'`)
      await t.pool.query(`UPDATE event_cursors SET seq = 0 WHERE consumer = 'pgboss:notifications'`)
      await Promise.all([service.sweep(), second.sweep()])
      await until('12 confirmations', () => smtp.received.length - before >= 12)
      await new Promise((r) => setTimeout(r, 2000))
      await Promise.all([service.sweep(), second.sweep()])
      await new Promise((r) => setTimeout(r, 1000))
      const ids = smtp.received.slice(before).map((r) => r.headers.get('message-id'))
      expect(ids).toHaveLength(12)
      expect(new Set(ids).size).toBe(12)
      const { rows } = await t.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications WHERE appointment_id = ANY($1::uuid[])`,
        [jobs],
      )
      expect(rows[0]?.n).toBe(24)
    } finally {
      await secondStream.stop()
      await second.stop()
    }
  })

  it('keeps the send log 90 days: older messages are forgotten, unless still to be sent', async () => {
    const c = await client()
    const ids = { old: uuidv7(), recent: uuidv7(), pending: uuidv7() }
    const entry = (status: string) => ({
      kind: 'weather',
      channel: 'email',
      client_id: c,
      due_at: new Date().toISOString(),
      status,
      attempts: 0,
    })
    await writeLog(t.pool, serverClock(), [
      { id: ids.old, fields: entry('sent') },
      { id: ids.recent, fields: entry('sent') },
      { id: ids.pending, fields: entry('failed') },
    ])
    await t.pool.query(
      `UPDATE notifications SET created_at = now() - interval '91 days' WHERE id = ANY($1::uuid[])`,
      [[ids.old, ids.pending]],
    )
    await t.pool.query(
      `UPDATE notifications SET created_at = now() - interval '89 days' WHERE id = $1`,
      [ids.recent],
    )
    const pruner = notificationService({ pool: t.pool, clock: serverClock(), senders: {} })
    expect(await pruner.prune()).toBeGreaterThanOrEqual(1)
    const { rows } = await t.pool.query<{ id: string }>(
      'SELECT id FROM notifications WHERE id = ANY($1::uuid[]) ORDER BY id',
      [Object.values(ids)],
    )
    expect(rows.map((r) => r.id).sort()).toEqual([ids.recent, ids.pending].sort())
    const { rows: versions } = await t.pool.query(
      `SELECT row_id FROM sync_rows WHERE table_name = 'notifications' AND row_id = $1`,
      [ids.old],
    )
    expect(versions).toEqual([])
    // At most hourly.
    expect(await pruner.prune()).toBe(0)
  })

  describe('sending one message (the engine, with a clock of its own)', () => {
    let now = Date.now()
    const store = () => serverStore(t.pool, serverClock())
    const queued = async (channel: 'email' | 'sms', over: { clientId?: string } = {}) => {
      const clientId = over.clientId ?? (await client())
      // Straight into the table: no event, so the running worker sends nothing of its own.
      const job = uuidv7()
      await t.pool.query(
        `INSERT INTO appointments (id, client_id, service_id, scheduled_at, duration_minutes, price)
         VALUES ($1, $2, $3, $4, 60, 55)`,
        [job, clientId, SERVICE, new Date(ahead(30)).toISOString()],
      )
      const id = uuidv7()
      await writeLog(t.pool, serverClock(), [
        {
          id,
          fields: {
            kind: 'weather',
            channel,
            client_id: clientId,
            appointment_id: job,
            visit_at: new Date(ahead(30)).toISOString(),
            due_at: new Date(now).toISOString(),
            status: 'queued',
            attempts: 0,
          },
        },
      ])
      return id
    }
    const send = (id: string) =>
      deliver(store(), senders(), id, { nowMs: () => now, random: () => 1 })

    it("follows Twilio's answers: Retry-After, 5xx and timeouts retry, 4xx is dead at once", async () => {
      const id = await queued('sms')
      twilio.answerNext({
        status: 429,
        retryAfter: '600',
        code: 20429,
        message: 'Too Many Requests',
      })
      const limited = await send(id)
      expect(limited).toMatchObject({ status: 'failed' })
      expect(limited.status === 'failed' && limited.retryAtMs - now).toBe(600_000)
      now += 600_000
      twilio.answerNext({ status: 503 })
      const down = await send(id)
      expect(down.status === 'failed' && down.retryAtMs - now).toBe(600_000)
      now += 600_000
      twilio.answerNext({ hang: true })
      expect(await send(id)).toMatchObject({
        status: 'failed',
        reason: 'Twilio did not answer in time',
      })
      now += 3_600_000
      const sent = await send(id)
      expect(sent).toMatchObject({ status: 'sent' })
      expect(await send(id)).toEqual({ status: 'left', why: 'final' })

      const refused = await queued('sms')
      twilio.answerNext({
        status: 400,
        code: 21211,
        message: "The 'To' number is not a valid phone number.",
      })
      expect(await send(refused)).toEqual({
        status: 'dead',
        reason:
          "Twilio refused it (400, error 21211): The 'To' number is not a valid phone number.",
      })
    })

    it('gives up after 5 failed attempts: the message is dead, with the last error', async () => {
      const id = await queued('email')
      smtp.refuseNext(5, { code: 451, message: 'Try again later' })
      const outcomes: string[] = []
      for (let i = 0; i < 5; i++) {
        const o = await send(id)
        outcomes.push(o.status)
        now += 5 * 3_600_000
      }
      expect(outcomes).toEqual(['failed', 'failed', 'failed', 'failed', 'dead'])
      const { rows } = await t.pool.query(
        'SELECT status, attempts, reason FROM notifications WHERE id = $1',
        [id],
      )
      expect(rows[0]).toMatchObject({ status: 'dead', attempts: 5 })
      expect(rows[0]?.reason).toMatch(/^5 attempts failed; the last: .*451 Try again later/)
      // The office's retry: queued again from nothing, and it goes.
      await writeLog(t.pool, serverClock(), [
        { id, fields: { status: 'queued', attempts: 0, due_at: new Date(now).toISOString() } },
      ])
      expect(await send(id)).toMatchObject({ status: 'sent' })
    })

    it('settles an attempt cut off after the provider took it by asking the provider', async () => {
      now = Date.now()
      const id = await queued('sms')
      const [first] = await store().read([id])
      if (!first) throw new Error('no row')
      // A sender claimed it and reached Twilio, then died before writing the outcome.
      await store().claim([
        {
          row: first,
          claim: {
            status: 'processing',
            attempts: 1,
            recipient: '+14155550123',
            subject: '',
            body: 'Greenway Gardens: the weather, early.',
            templateVersion: 0,
            visitAtMs: first.visitAtMs,
          },
        },
      ])
      await smsSender({
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: '+14155550100',
        baseUrl: twilio.url,
      }).send({
        id,
        to: '+14155550123',
        subject: '',
        text: 'Greenway Gardens: the weather, early.',
        html: null,
      })
      const count = twilio.messages.length
      expect(await send(id)).toEqual({ status: 'left', why: 'busy' })
      now = Date.now() + 5 * 60_000
      const settled = await send(id)
      expect(settled).toMatchObject({ status: 'sent', settled: true })
      expect(twilio.messages.length).toBe(count)
    })

    it('lets one of several senders at one message through', async () => {
      now = Date.now()
      const id = await queued('email')
      const before = smtp.received.length
      const results = await Promise.all([send(id), send(id), send(id)])
      expect(results.filter((r) => r.status === 'sent')).toHaveLength(1)
      expect(results.filter((r) => r.status === 'left')).toHaveLength(2)
      expect(smtp.received.length - before).toBe(1)
    })

    it('honours an opt-out made after the message was planned', async () => {
      const c = await client()
      const id = await queued('email', { clientId: c })
      await push(t.pool, office, [m('clients', c, { notify_email: false })])
      expect(await send(id)).toEqual({ status: 'skipped', reason: 'the client opted out of email' })
    })

    it('sets aside a message whose stored template cannot be used, and sends the others', async () => {
      now = Date.now()
      // Stored before its check knew of the fault: straight into the table.
      const template = templateId('weather', 'email', 'en')
      await t.pool.query(
        `INSERT INTO notification_templates (id, kind, channel, locale, version, subject, body)
         VALUES ($1, 'weather', 'email', 'en', 1, 'Weather', 'Hello {{#if}}x{{/if}}')`,
        [template],
      )
      try {
        const broken = await queued('email')
        const fine = await queued('sms')
        const outcomes = await deliverMany(store(), senders(), [broken, fine], {
          nowMs: () => now,
          random: () => 1,
        })
        expect(outcomes.get(fine)).toMatchObject({ status: 'sent' })
        expect(outcomes.get(broken)).toEqual({
          status: 'dead',
          reason:
            'its template cannot be used (#if requires exactly one argument): correct the template "Weather notice" (Email) in Settings → Notifications, then retry',
        })
      } finally {
        await t.pool.query('DELETE FROM notification_templates WHERE id = $1', [template])
      }
    })
  })

  it('refuses a pushed template that cannot make a message or has another id, and a second settings row', async () => {
    const admin = (await createDevice(t.pool, { label: 'admin', userName: 'a', role: 'admin' }))
      .device
    const template = (body: string, id = templateId('reminder', 'email', 'en')) =>
      m('notification_templates', id, {
        kind: 'reminder',
        channel: 'email',
        locale: 'en',
        version: 1,
        subject: 'Reminder',
        body,
      })
    const results = await push(t.pool, admin, [
      template('Hello {{#if}}sorry{{/if}}'),
      template('Hello {{{client_name}}}'),
      template('Hello {{client_name}}', uuidv7()),
      m('business_settings', uuidv7(), { time_zone: 'Asia/Tokyo', business_name: 'Not us' }),
    ])
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      [
        'rejected',
        'the template cannot be used: its body {{#if}} needs one variable to test, as in {{#if crew_member}}',
      ],
      [
        'rejected',
        'the template cannot be used: its body {{{client_name}}} is not allowed: write {{client_name}}',
      ],
      ['rejected', "a template's id must be the one made from its kind, channel and locale"],
      ['rejected', "the business's settings are one row: write them under its id"],
    ])
    const stored = await t.pool.query(
      `SELECT (SELECT count(*) FROM notification_templates)::int AS templates,
              (SELECT count(*) FROM business_settings)::int AS settings`,
    )
    expect(stored.rows[0]).toEqual({ templates: 0, settings: 1 })
    // A template that makes a message is taken.
    const [fine] = await push(t.pool, admin, [template('Hello {{client_name}}, see you {{when}}')])
    expect(fine?.status).toBe('applied')
    await t.pool.query('DELETE FROM notification_templates')
  })
})
