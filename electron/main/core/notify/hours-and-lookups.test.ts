import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MAY_HAVE_BEEN_TAKEN } from '../../../../notify/attempt'
import type { ChannelSender } from '../../../../notify/channels'
import { emailSender } from '../../../../notify/email'
import { smsSender } from '../../../../notify/sms'
import type { Channel } from '../../../../shared/notifications/kinds'
import { type SmtpStandIn, startSmtpStandIn } from '../../../../testing/smtp-standin'
import { startTwilioStandIn, type TwilioStandIn } from '../../../../testing/twilio-standin'
import { closeCore, openCore } from '../app-core'
import type { AppContext } from '../context'
import { sourceResources } from '../paths'
import { buildFixture, type Fixture, TEST_PIN } from '../test/fixture'
import { call } from '../test/helpers'

/**
 * A laptop without a server sends with the same engine as the central worker: never at
 * night (sending hours 07:00-21:00 UTC here), and a text Twilio took without answering
 * is looked up, not sent twice. Real SMTP and Twilio stand-ins on loopback; a clock the
 * test moves.
 */
describe('a laptop sending at night, or without an answer', () => {
  let smtp: SmtpStandIn
  let twilio: TwilioStandIn
  let ctx: AppContext
  let f: Fixture
  let now = 0
  /** The laptop's providers, swapped by a test (nothing listens on port 9: offline). */
  const senders: Partial<Record<Channel, ChannelSender>> = {}
  const email = (url: string) => emailSender({ url, from: 'office@greenway.example' })
  beforeAll(async () => {
    smtp = await startSmtpStandIn()
    twilio = await startTwilioStandIn()
  })
  afterAll(async () => {
    await smtp.close()
    await twilio.close()
  })
  afterEach(async () => {
    if (ctx) await closeCore(ctx)
  })

  async function laptop(startIso: string) {
    now = Date.parse(startIso)
    senders.email = email(smtp.url)
    senders.sms = smsSender({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+14155550100',
      baseUrl: twilio.url,
      timeoutMs: 1000,
    })
    ctx = await openCore({
      dataDir: null,
      resources: sourceResources(),
      version: 'test',
      durability: 'os',
      sync: { auto: false },
      notify: { intervalMs: 3_600_000, nowMs: () => now, turnMs: 0, senders },
    })
    f = await buildFixture(ctx)
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    await call(ctx, 'settings.update', { timeZone: 'UTC' })
    await call(ctx, 'notifications.updateSettings', {
      businessName: 'Greenway Gardens',
      sendingHours: { start: '07:00', end: '21:00' },
    })
    // The first pass starts the watch: what existed before is not confirmed.
    await ctx.notifier.pass()
  }
  const book = async (at: string) =>
    (
      await call(ctx, 'appointments.create', {
        clientId: f.smith.id,
        serviceId: f.mowing.id,
        teamMemberId: f.ana.id,
        scheduledAt: at,
        acceptConflict: true,
      })
    ).appointment
  const confirmation = async (appointmentId: string, channel: Channel = 'email') =>
    (
      await ctx.db.pg.query<{
        status: string
        attempts: number
        reason: string | null
        due: string
      }>(
        `SELECT status, attempts, reason,
           to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS due
         FROM notifications WHERE appointment_id = $1 AND kind = 'confirmation' AND channel = $2`,
        [appointmentId, channel],
      )
    ).rows[0]

  it('back online at 23:00, sends what fell due at the opening, not at once', async () => {
    await laptop('2027-03-01T20:30:00Z')
    senders.email = email('smtp://127.0.0.1:9')
    const before = smtp.received.length
    const job = await book('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    expect(await confirmation(job.id)).toMatchObject({ status: 'failed', attempts: 0 })
    now = Date.parse('2027-03-01T23:00:00Z')
    senders.email = email(smtp.url)
    await ctx.notifier.pass()
    expect(smtp.received.length).toBe(before)
    expect(await confirmation(job.id)).toEqual({
      status: 'scheduled',
      attempts: 0,
      reason: 'held to the sending hours (07:00-21:00): it goes when they open',
      due: '2027-03-02T07:00',
    })
    now = Date.parse('2027-03-02T07:00:00Z')
    await ctx.notifier.pass()
    expect(await confirmation(job.id)).toMatchObject({ status: 'sent', attempts: 1 })
    expect(smtp.received.length).toBe(before + 1)
  })

  it('puts a retry that would fall after closing at the next opening', async () => {
    await laptop('2027-03-01T20:59:00Z')
    smtp.refuseNext(1, { code: 451, message: 'Try again later' })
    const job = await book('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    // Back-off of one to two minutes: 21:00 or later, when the hours have closed.
    expect(await confirmation(job.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      due: '2027-03-02T07:00',
    })
  })

  const posts = () => twilio.requests.filter((r) => r.method === 'POST').length
  /** A confirmation by text that Twilio takes and never answers, on its first attempt. */
  async function textTakenUnanswered() {
    await laptop('2027-03-01T15:00:00Z')
    await call(ctx, 'clients.update', { id: f.smith.id, phone: '+1 415 555 0123', notifySms: true })
    const before = { posts: posts(), taken: twilio.messages.length }
    twilio.answerNext({ acceptThenHang: true })
    const job = await book('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    return { job, before }
  }

  it('looks up a text Twilio took without answering, and does not send it again', async () => {
    const { job, before } = await textTakenUnanswered()
    expect(twilio.messages.length).toBe(before.taken + 1)
    expect(await confirmation(job.id, 'sms')).toMatchObject({
      status: 'failed',
      attempts: 1,
      reason: `Twilio did not answer in time${MAY_HAVE_BEEN_TAKEN}`,
    })
    now += 5 * 60_000
    await ctx.notifier.pass()
    expect(await confirmation(job.id, 'sms')).toMatchObject({
      status: 'sent',
      attempts: 2,
      reason: 'the provider had it from an attempt it did not answer',
    })
    expect(posts()).toBe(before.posts + 1)
    expect(twilio.messages.length).toBe(before.taken + 1)
  })

  it("keeps the lookup on the office's Retry of a text left unanswered", async () => {
    const { job, before } = await textTakenUnanswered()
    const failed = await call(ctx, 'notifications.list', {
      appointmentId: job.id,
      channel: 'sms',
      limit: 5,
    })
    const id = failed.results.find((m) => m.kind === 'confirmation')?.id ?? ''
    await call(ctx, 'notifications.retry', { id })
    await ctx.notifier.pass()
    expect(await confirmation(job.id, 'sms')).toMatchObject({ status: 'sent' })
    expect(posts()).toBe(before.posts + 1)
    expect(twilio.messages.length).toBe(before.taken + 1)
  })
})
