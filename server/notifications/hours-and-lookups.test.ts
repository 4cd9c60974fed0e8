import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAY_HAVE_BEEN_TAKEN } from '../../notify/attempt'
import { deliver } from '../../notify/engine'
import { smsSender } from '../../notify/sms'
import { uuidv7 } from '../../shared/domain/ids'
import { startTwilioStandIn, type TwilioStandIn } from '../../testing/twilio-standin'
import { serverClock } from '../api/clock'
import { type EventsDb, eventsDatabase } from '../events/events.test-support'
import { ensureWorkerDevice, serverStore, writeLog } from './store'

/**
 * The engine on the central send log, with a clock of its own: messages never go out
 * at night (sending hours 08:00-20:00 UTC), and an SMS whose answer was lost is looked
 * up at Twilio (the stand-in on loopback), never sent twice.
 */
const at = (iso: string) => Date.parse(iso)

describe('the engine: sending hours and attempts without an answer', () => {
  let t: EventsDb
  let twilio: TwilioStandIn
  let now = at('2031-05-01T10:00:00Z')
  const SERVICE = uuidv7()
  const CLIENT = uuidv7()

  beforeAll(async () => {
    t = await eventsDatabase()
    twilio = await startTwilioStandIn()
    await ensureWorkerDevice(t.pool)
    await t.pool.query(
      `INSERT INTO services (id, name, base_price, duration_minutes) VALUES ($1, 'Lawn mowing', 55, 60)`,
      [SERVICE],
    )
    await t.pool.query(
      `INSERT INTO clients (id, name, phone, notify_sms) VALUES ($1, 'Jordan Smith', '+14155550123', true)`,
      [CLIENT],
    )
    await t.pool.query(
      `INSERT INTO business_settings (id, time_zone, business_name, sending_hours)
       VALUES ('00000000-0000-4000-8000-000000000001', 'UTC', 'Greenway Gardens', '08:00-20:00')`,
    )
  }, 60_000)
  afterAll(async () => {
    await twilio?.close()
    await t?.close()
  })

  const store = () => serverStore(t.pool, serverClock())
  const twilioSender = () =>
    smsSender({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+14155550100',
      baseUrl: twilio.url,
      timeoutMs: 1000,
    })
  const send = (id: string) =>
    deliver(store(), { sms: twilioSender() }, id, { nowMs: () => now, random: () => 1 })
  /** A text reminder of a visit at `visit`, due at `due`, straight into the log. */
  const reminder = async (visit: string, due: string) => {
    const job = uuidv7()
    await t.pool.query(
      `INSERT INTO appointments (id, client_id, service_id, scheduled_at, duration_minutes, price)
       VALUES ($1, $2, $3, $4, 60, 55)`,
      [job, CLIENT, SERVICE, visit],
    )
    const id = uuidv7()
    await writeLog(t.pool, serverClock(), [
      {
        id,
        fields: {
          kind: 'reminder',
          channel: 'sms',
          client_id: CLIENT,
          appointment_id: job,
          visit_at: visit,
          due_at: due,
          status: 'queued',
          attempts: 0,
        },
      },
    ])
    return id
  }
  const row = async (id: string) =>
    (
      await t.pool.query<{
        status: string
        attempts: number
        reason: string | null
        due: string
        provider_id: string | null
      }>(
        `SELECT status, attempts, reason, provider_id,
           to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS due
         FROM notifications WHERE id = $1`,
        [id],
      )
    ).rows[0]
  const requests = (method: 'GET' | 'POST') =>
    twilio.requests.filter((r) => r.method === method).length

  it('holds a message found due at night until the sending hours open, as no attempt', async () => {
    now = at('2031-05-01T21:30:00Z')
    const id = await reminder('2031-05-03T12:00:00.000Z', '2031-05-01T19:00:00.000Z')
    const posts = requests('POST')
    expect(await send(id)).toEqual({
      status: 'failed',
      reason: 'held to the sending hours (08:00-20:00): it goes when they open',
      retryAtMs: at('2031-05-02T08:00:00Z'),
      held: true,
    })
    expect(requests('POST')).toBe(posts)
    expect(await row(id)).toMatchObject({
      status: 'scheduled',
      attempts: 0,
      due: '2031-05-02T08:00:00Z',
    })
    // Before dawn: still not due.
    now = at('2031-05-02T05:00:00Z')
    expect(await send(id)).toEqual({ status: 'left', why: 'not due' })
    now = at('2031-05-02T08:00:00Z')
    expect(await send(id)).toMatchObject({ status: 'sent', settled: false })
    expect(requests('POST')).toBe(posts + 1)
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 })
  })

  it('sends at night only what would be useless by the opening: its visit comes first', async () => {
    now = at('2031-05-01T21:30:00Z')
    const id = await reminder('2031-05-02T07:30:00.000Z', '2031-05-01T19:30:00.000Z')
    expect(await send(id)).toMatchObject({ status: 'sent' })
  })

  it('puts a retry that would fall at night at the opening of the sending hours', async () => {
    now = at('2031-05-01T19:58:30Z')
    const id = await reminder('2031-05-03T13:00:00.000Z', '2031-05-01T19:58:00.000Z')
    // Two minutes' back-off would be 20:00:30, after closing.
    twilio.answerNext({ status: 503 })
    expect(await send(id)).toMatchObject({
      status: 'failed',
      retryAtMs: at('2031-05-02T08:00:00Z'),
    })
    expect(await row(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      due: '2031-05-02T08:00:00Z',
    })
    // Its visit before the opening: the retry goes when the back-off ends, not earlier.
    const soon = await reminder('2031-05-02T07:00:00.000Z', '2031-05-01T19:58:00.000Z')
    twilio.answerNext({ status: 503 })
    expect(await send(soon)).toMatchObject({ status: 'failed', retryAtMs: now + 120_000 })
  })

  it('settles a text Twilio took but never answered by asking Twilio: it goes once', async () => {
    now = at('2031-05-01T10:00:00Z')
    const id = await reminder('2031-05-03T14:00:00.000Z', '2031-05-01T10:00:00.000Z')
    const before = { posts: requests('POST'), gets: requests('GET'), taken: twilio.messages.length }
    twilio.answerNext({ acceptThenHang: true })
    const lost = await send(id)
    expect(lost).toMatchObject({ status: 'failed', reason: 'Twilio did not answer in time' })
    expect(twilio.messages.length).toBe(before.taken + 1)
    expect(await row(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      reason: `Twilio did not answer in time${MAY_HAVE_BEEN_TAKEN}`,
    })
    now = lost.status === 'failed' ? lost.retryAtMs : now
    const settled = await send(id)
    const taken = twilio.messages.at(-1)
    expect(settled).toEqual({ status: 'sent', providerId: taken?.sid, settled: true })
    expect(requests('POST')).toBe(before.posts + 1)
    expect(requests('GET')).toBe(before.gets + 1)
    expect(twilio.messages.length).toBe(before.taken + 1)
    expect(await row(id)).toMatchObject({
      status: 'sent',
      provider_id: taken?.sid,
      reason: 'the provider had it from an attempt it did not answer',
    })
  })

  it('sends again, without asking, after a refusal that took nothing', async () => {
    now = at('2031-05-01T11:00:00Z')
    const id = await reminder('2031-05-03T15:00:00.000Z', '2031-05-01T11:00:00.000Z')
    const before = { posts: requests('POST'), gets: requests('GET'), taken: twilio.messages.length }
    twilio.answerNext({ status: 500 })
    const refused = await send(id)
    expect(refused).toMatchObject({ status: 'failed' })
    expect((await row(id))?.reason).toBe('Twilio refused it (500, error 20500): scripted failure')
    now = refused.status === 'failed' ? refused.retryAtMs : now
    expect(await send(id)).toMatchObject({ status: 'sent', settled: false })
    expect(requests('POST')).toBe(before.posts + 2)
    expect(requests('GET')).toBe(before.gets)
    expect(twilio.messages.length).toBe(before.taken + 1)
  })

  it('asks again, never sends blind, when Twilio could not be asked about a cut-off attempt', async () => {
    now = at('2031-05-01T12:00:00Z')
    const id = await reminder('2031-05-03T16:00:00.000Z', '2031-05-01T12:00:00.000Z')
    const [first] = await store().read([id])
    if (!first) throw new Error('no row')
    // A sender claimed it and reached Twilio, then died before writing the outcome.
    const text = 'Greenway Gardens: see you on Saturday.'
    await store().claim([
      {
        row: first,
        claim: {
          status: 'processing',
          attempts: 1,
          recipient: '+14155550123',
          subject: '',
          body: text,
          templateVersion: 0,
          visitAtMs: first.visitAtMs,
        },
      },
    ])
    const taken = await twilioSender().send({
      id,
      to: '+14155550123',
      subject: '',
      text,
      html: null,
    })
    const posts = requests('POST')
    twilio.answerNextList({ status: 503 })
    const unasked = await send(id)
    expect(unasked).toMatchObject({ status: 'failed' })
    expect((await row(id))?.reason).toMatch(/^Twilio refused it \(503.*\)/)
    expect((await row(id))?.reason?.endsWith(MAY_HAVE_BEEN_TAKEN)).toBe(true)
    now = unasked.status === 'failed' ? unasked.retryAtMs : now
    expect(await send(id)).toEqual({ status: 'sent', providerId: taken.providerId, settled: true })
    expect(requests('POST')).toBe(posts)
  })
})
