import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { businessFacts } from '../../../../notify/sql'
import { DEFAULT_SETTINGS } from '../../../../shared/contract/settings'
import { WEEKDAYS } from '../../../../shared/domain/series-rule'
import { messageId } from '../../../../shared/notifications/plan'
import { type SmtpStandIn, startSmtpStandIn } from '../../../../testing/smtp-standin'
import { closeCore, openCore } from '../app-core'
import type { AppContext } from '../context'
import { sourceResources } from '../paths'
import { setState } from '../sync/store'
import { buildFixture, type Fixture, TEST_PIN } from '../test/fixture'
import { call, callError, memoryDb } from '../test/helpers'

/**
 * A laptop with no sync server sends its clients' messages itself, through a real SMTP
 * server on loopback, with a clock the test moves (no waiting).
 */
describe("a message's business details", () => {
  it('take the time zone the app assumes until one is saved', async () => {
    const db = await memoryDb()
    try {
      expect((await businessFacts(db.pg)).timeZone).toBe(DEFAULT_SETTINGS.timeZone)
    } finally {
      await db.close()
    }
  })
})

describe('messages sent from a laptop without a server', () => {
  let smtp: SmtpStandIn
  let ctx: AppContext
  let f: Fixture
  let now = Date.parse('2027-03-01T15:00:00Z')
  beforeAll(async () => {
    smtp = await startSmtpStandIn()
  })
  afterAll(async () => {
    await smtp.close()
  })
  afterEach(async () => {
    if (ctx) await closeCore(ctx)
  })

  const smtpPort = () => Number(new URL(smtp.url).port)
  /** This laptop's email provider: the SMTP server on loopback at `port`. */
  const sendThrough = (port: number) =>
    call(ctx, 'notifications.updateSettings', {
      email: {
        host: '127.0.0.1',
        port,
        secure: false,
        user: null,
        from: 'office@greenway.example',
      },
    })

  async function laptop(port: number, startMs = Date.parse('2027-03-01T15:00:00Z')) {
    now = startMs
    ctx = await openCore({
      dataDir: null,
      resources: sourceResources(),
      version: 'test',
      durability: 'os',
      sync: { auto: false },
      notify: { intervalMs: 3_600_000, nowMs: () => now, turnMs: 0 },
    })
    f = await buildFixture(ctx)
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    await call(ctx, 'settings.update', { timeZone: 'UTC' })
    await call(ctx, 'notifications.updateSettings', {
      businessName: 'Greenway Gardens',
      sendingHours: { start: '07:00', end: '21:00' },
      email: {
        host: '127.0.0.1',
        port,
        secure: false,
        user: null,
        from: 'office@greenway.example',
      },
    })
    await call(ctx, 'clients.update', { id: f.smith.id, email: 'smith@example.com' })
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
  const messages = async (appointmentId: string) =>
    (await call(ctx, 'notifications.list', { appointmentId, limit: 20 })).results
      .map((m) => [m.kind, m.status, m.reason])
      .sort()
  it('confirms a booking at once and sends its reminder when the clock reaches it', async () => {
    await laptop(smtpPort())
    const before = smtp.received.length
    const job = await book('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    expect(await messages(job.id)).toEqual([
      ['confirmation', 'sent', null],
      ['reminder', 'scheduled', null],
    ])
    expect(smtp.received.length - before).toBe(1)
    expect(smtp.received.at(-1)?.headers.get('subject')).toBe(
      'Your Lawn mowing visit is booked for Fri, Mar 5 at 4:00 PM',
    )
    // Moved: the reminder follows, and Smith is told the new time.
    await call(ctx, 'appointments.reschedule', {
      id: job.id,
      scheduledAt: '2027-03-06T16:00:00Z',
      acceptConflict: true,
    })
    await ctx.notifier.pass()
    expect(await messages(job.id)).toEqual([
      ['confirmation', 'sent', null],
      ['reminder', 'scheduled', null],
      ['reminder', 'skipped', 'the visit moved'],
      ['rescheduled', 'sent', null],
    ])
    // The old reminder is not offered again: its time is gone, the new one is planned.
    const moved = await ctx.db.pg.query<{ id: string }>(
      "SELECT id FROM notifications WHERE appointment_id = $1 AND status = 'skipped'",
      [job.id],
    )
    expect(
      await callError(ctx, 'notifications.retry', { id: moved.rows[0]?.id ?? '' }),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'this message cannot go any more: the visit moved',
    })
    now = Date.parse('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    expect(await messages(job.id)).toContainEqual(['reminder', 'sent', null])
    expect(smtp.received.length - before).toBe(3)
    expect(smtp.received.at(-1)?.headers.get('subject')).toBe(
      'Reminder: Lawn mowing on Sat, Mar 6 at 4:00 PM',
    )
  })

  it('tells a client their cancelled visit is back on, and plans its reminder again', async () => {
    await laptop(smtpPort())
    const before = smtp.received.length
    const job = await book('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    await call(ctx, 'appointments.setStatus', { id: job.id, status: 'cancelled' })
    await ctx.notifier.pass()
    expect(await messages(job.id)).toEqual([
      ['cancelled', 'sent', null],
      ['confirmation', 'sent', null],
      ['reminder', 'skipped', 'the visit was cancelled'],
    ])
    await call(ctx, 'appointments.setStatus', { id: job.id, status: 'scheduled' })
    await ctx.notifier.pass()
    expect(await messages(job.id)).toEqual([
      ['cancelled', 'sent', null],
      ['confirmation', 'sent', null],
      ['confirmation', 'sent', null],
      ['reminder', 'scheduled', null],
    ])
    expect(smtp.received.length - before).toBe(3)
    expect(smtp.received.at(-1)?.headers.get('subject')).toBe(
      'Your Lawn mowing visit is booked for Fri, Mar 5 at 4:00 PM',
    )
    now = Date.parse('2027-03-04T16:00:00Z')
    await ctx.notifier.pass()
    expect(await messages(job.id)).toContainEqual(['reminder', 'sent', null])
  })

  it('plans a visit again when its client or the reminder lead time changes', async () => {
    await laptop(smtpPort())
    const job = await book('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    const planned = async () =>
      (
        await ctx.db.pg.query<{ kind: string; channel: string; status: string; due: string }>(
          `SELECT kind, channel, status, to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS due
           FROM notifications WHERE appointment_id = $1 AND kind = 'reminder' ORDER BY channel`,
          [job.id],
        )
      ).rows.map((r) => `${r.channel} ${r.status} ${r.due}`)
    expect(await planned()).toEqual(['email scheduled 2027-03-04T16:00'])
    // Reminders twelve hours before, from now on: the waiting one moves too (held to the
    // sending hours, which open at 07:00).
    await call(ctx, 'notifications.updateSettings', { reminderLeadMinutes: 720 })
    await ctx.notifier.pass()
    expect(await planned()).toEqual(['email scheduled 2027-03-05T07:00'])
    // Smith asks for texts, with a number that can take them: the visit gets one.
    await call(ctx, 'clients.update', {
      id: f.smith.id,
      phone: '+1 415 555 0123',
      notifySms: true,
    })
    await ctx.notifier.pass()
    expect(await planned()).toEqual([
      'email scheduled 2027-03-05T07:00',
      'sms scheduled 2027-03-05T07:00',
    ])
  })

  /** 28 visits planned with a 24-hour reminder, then the lead time cut to 12 hours. */
  async function manyVisitsToPlanAgain() {
    await laptop(smtpPort())
    for (let day = 2; day < 30; day++)
      await book(`2027-03-${String(day).padStart(2, '0')}T16:00:00Z`)
    await ctx.notifier.pass()
    await call(ctx, 'notifications.updateSettings', { reminderLeadMinutes: 720 })
  }
  /** Reminders planned again: due on the visit's own day (12 hours before, held to 07:00). */
  const movedToTheDay = async () =>
    (
      await ctx.db.pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications n JOIN appointments a
           ON a.id = n.appointment_id
         WHERE n.kind = 'reminder' AND n.status = 'scheduled'
           AND (n.due_at AT TIME ZONE 'UTC')::date = (a.scheduled_at AT TIME ZONE 'UTC')::date`,
      )
    ).rows[0]?.n ?? 0

  it('answers other callers while it plans many visits again', async () => {
    await manyVisitsToPlanAgain()
    // A new lead time plans every upcoming visit again: a turn for others after each
    // (turnMs 0 here, so the count does not hang on this machine's speed).
    let passDone = false
    let answeredDuring = 0
    const pass = ctx.notifier.pass().then(() => {
      passDone = true
    })
    const other = async () => {
      while (!passDone) {
        await new Promise((resolve) => setImmediate(resolve))
        if (!passDone) answeredDuring++
      }
    }
    await Promise.all([pass, other()])
    expect(answeredDuring).toBeGreaterThan(20)
  })

  it('stops between visits when asked, and plans the rest when it starts again', async () => {
    await manyVisitsToPlanAgain()
    const pass = ctx.notifier.pass()
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve))
    await ctx.notifier.stop()
    await pass
    const planned = await movedToTheDay()
    expect(planned).toBeLessThan(28)
    ctx.notifier.start()
    await ctx.notifier.pass()
    expect(await movedToTheDay()).toBeGreaterThan(planned)
  })

  it('plans no more once the laptop connects to a server between two visits', async () => {
    await manyVisitsToPlanAgain()
    const pass = ctx.notifier.pass()
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve))
    await setState(ctx.db.pg, 'config', {
      serverUrl: 'https://sync.example.com',
      token: 'gk_x',
      device: { id: 'd', label: 'Office', user: 'Ada', role: 'admin' },
    })
    const atConnect = await movedToTheDay()
    await pass
    // At most the visit being planned as it connected: the rest is the server's.
    expect((await movedToTheDay()) - atConnect).toBeLessThanOrEqual(1)
    expect(atConnect).toBeLessThan(28)
  })

  it('shows a message still to go as it would be written now', async () => {
    await laptop(smtpPort())
    const job = await book('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    const { rows } = await ctx.db.pg.query<{ id: string }>(
      "SELECT id FROM notifications WHERE appointment_id = $1 AND kind = 'reminder'",
      [job.id],
    )
    const draft = await call(ctx, 'notifications.draft', { id: rows[0]?.id ?? '' })
    expect(draft.subject).toBe('Reminder: Lawn mowing on Fri, Mar 5 at 4:00 PM')
    expect(draft.text).toMatch(/^Hello Smith Residence,/)
    // Written from the visit as it is now.
    await call(ctx, 'appointments.update', { id: job.id, notes: 'gate' })
    await call(ctx, 'clients.update', { id: f.smith.id, name: 'The Smiths' })
    expect((await call(ctx, 'notifications.draft', { id: rows[0]?.id ?? '' })).text).toMatch(
      /^Hello The Smiths,/,
    )
  })

  it("writes a message's dates in its template's language", async () => {
    await laptop(smtpPort())
    await call(ctx, 'notifications.saveTemplate', {
      kind: 'confirmation',
      channel: 'email',
      locale: 'es',
      subject: 'Su visita de {{service}}: {{when}}',
      body: 'Hola {{client_name}}, hasta el {{date}} a las {{time}}.',
    })
    await call(ctx, 'clients.update', { id: f.smith.id, locale: 'es' })
    await book('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    const mail = smtp.received.at(-1)
    expect(mail?.headers.get('subject')).toBe('Su visita de Lawn mowing: vie, 5 mar, 16:00')
    expect(mail?.text).toMatch(/^Hola Smith Residence, hasta el vie, 5 mar a las 16:00\./)
  })

  it('lists what goes out next first, soonest first, then what went, newest first', async () => {
    await laptop(smtpPort())
    const later = await book('2027-03-09T16:00:00Z')
    const sooner = await book('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    const { results } = await call(ctx, 'notifications.list', { limit: 20 })
    const rows = results.map((m) => [m.kind, m.status, m.appointmentId])
    expect(rows.slice(0, 2)).toEqual([
      ['reminder', 'scheduled', sooner.id],
      ['reminder', 'scheduled', later.id],
    ])
    // Both confirmed at the same moment (this test's clock stands still): either order.
    expect(rows.slice(2).sort()).toEqual(
      [
        ['confirmation', 'sent', sooner.id],
        ['confirmation', 'sent', later.id],
      ].sort(),
    )
  })

  it('confirms a recurring series once, with its first visit; every visit gets its reminder', async () => {
    // Series book from the business's real today onwards. The first visit is two days
    // away, beyond the reminder's lead (a day) at whatever time of day this runs.
    await laptop(smtpPort(), Date.now())
    const first = new Date(now + 2 * 86_400_000).toISOString().slice(0, 10)
    const { series } = await call(ctx, 'series.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      rule: {
        kind: 'weekly',
        weekdays: [WEEKDAYS[(new Date(`${first}T12:00:00Z`).getUTCDay() + 6) % 7] ?? 'MO'],
      },
      startsOn: first,
      endsOn: null,
      startTime: '10:00',
    })
    await ctx.notifier.pass()
    const { rows } = await ctx.db.pg.query<{ kind: string; visit: string }>(
      `SELECT n.kind, a.series_occurrence::text AS visit FROM notifications n
       JOIN appointments a ON a.id = n.appointment_id
       WHERE a.series_id = $1 ORDER BY a.series_occurrence, n.kind`,
      [series.rootId],
    )
    const visits = new Set(rows.map((r) => r.visit))
    expect(visits.size).toBeGreaterThan(5)
    expect(rows.filter((r) => r.kind === 'confirmation').map((r) => r.visit)).toEqual([first])
    expect(rows.filter((r) => r.kind === 'reminder').length).toBe(visits.size)
  })

  it('tells the screens what each pass wrote, and is not woken by its own notice', async () => {
    await laptop(smtpPort())
    const notices: string[][] = []
    ctx.changes.subscribe((n) => notices.push(n.tables))
    const job = await book('2027-03-05T16:00:00Z')
    await ctx.notifier.pass()
    expect(notices).toContainEqual(['notifications'])
    expect(await messages(job.id)).toContainEqual(['confirmation', 'sent', null])
    // Nothing new: the next pass writes nothing and says nothing.
    notices.length = 0
    await ctx.notifier.pass()
    await new Promise((r) => setTimeout(r, 200))
    expect(notices).toEqual([])
  })

  it('keeps messages while offline and sends each once when the network returns', async () => {
    // Nothing listens here: the provider cannot be reached.
    await laptop(9)
    const before = smtp.received.length
    const job = await book('2027-03-04T16:00:00Z')
    await ctx.notifier.pass()
    const waiting = (
      await call(ctx, 'notifications.list', { appointmentId: job.id, limit: 5 })
    ).results.find((m) => m.kind === 'confirmation')
    expect(waiting?.status).toBe('failed')
    expect(waiting?.attempts).toBe(0)
    expect(waiting?.reason).toMatch(
      /^waiting until the mail server can be reached \(no network, or not running at that address\): /,
    )
    // Offline past the reminder's time, the visit still ahead: it goes late.
    now = Date.parse('2027-03-03T20:00:00Z')
    await ctx.notifier.pass()
    await sendThrough(smtpPort())
    await ctx.notifier.pass()
    await ctx.notifier.pass()
    expect(await messages(job.id)).toEqual([
      ['confirmation', 'sent', null],
      ['reminder', 'sent', null],
    ])
    expect(smtp.received.length - before).toBe(2)
  })

  it('skips a reminder whose visit passed while the laptop was offline', async () => {
    await laptop(9)
    const job = await book('2027-03-04T16:00:00Z')
    await ctx.notifier.pass()
    now = Date.parse('2027-03-04T18:00:00Z')
    await sendThrough(smtpPort())
    await ctx.notifier.pass()
    expect(await messages(job.id)).toEqual([
      ['confirmation', 'skipped', 'the visit time passed before it could be sent'],
      ['reminder', 'skipped', 'the visit time passed before it could be sent'],
    ])
  })

  it('never sends while it syncs with a server: the server does', async () => {
    await laptop(smtpPort())
    await setState(ctx.db.pg, 'config', {
      serverUrl: 'https://sync.example.com',
      token: 'gk_x',
      device: { id: 'd', label: 'Office', user: 'Ada', role: 'admin' },
    })
    const before = smtp.received.length
    const job = await book('2027-03-05T16:00:00Z')
    expect(await ctx.notifier.pass()).toBe('server')
    expect(await messages(job.id)).toEqual([])
    expect(smtp.received.length).toBe(before)
    expect((await call(ctx, 'notifications.settings', {})).sender).toBe('server')
  })

  it('leaves to the server it left the messages planned with it; they go from here only when asked', async () => {
    await laptop(smtpPort())
    await setState(ctx.db.pg, 'config', {
      serverUrl: 'https://sync.example.com',
      token: 'gk_x',
      device: { id: 'd', label: 'Office', user: 'Ada', role: 'admin' },
    })
    // A confirmation the server planned, pulled here, still to go.
    const first = await book('2027-03-05T16:00:00Z')
    await ctx.db.pg.query(
      `INSERT INTO notifications (id, kind, channel, client_id, appointment_id, due_at, status)
       VALUES ($3, 'confirmation', 'email', $1, $2, '2027-03-01T14:00:00Z', 'queued')`,
      [f.smith.id, first.id, messageId(first.id, 'confirmation', 'email', null)],
    )
    await call(ctx, 'sync.disconnect', {})
    const before = smtp.received.length
    await ctx.notifier.pass()
    // The server still sends it: not a second time from here.
    expect(smtp.received.length).toBe(before)
    expect(await messages(first.id)).toContainEqual(['confirmation', 'queued', null])
    expect((await call(ctx, 'notifications.settings', {})).leftToServer).toBe(1)
    // A booking made here from now on is this laptop's to confirm.
    const second = await book('2027-03-06T16:00:00Z')
    await ctx.notifier.pass()
    expect(await messages(second.id)).toContainEqual(['confirmation', 'sent', null])
    expect(smtp.received.length).toBe(before + 1)
    // The server is gone for good: the office has this laptop send what it left.
    const settings = await call(ctx, 'notifications.sendLeft', {})
    expect(settings.leftToServer).toBe(0)
    await ctx.notifier.pass()
    expect(await messages(first.id)).toContainEqual(['confirmation', 'sent', null])
    expect(smtp.received.length).toBe(before + 2)
  })

  it('forgets messages older than 90 days, with their versions, and keeps the rest', async () => {
    await laptop(9)
    const { rows } = await ctx.db.pg.query<{ id: string; old: boolean }>(
      `INSERT INTO notifications (id, kind, channel, client_id, due_at, status, created_at)
       SELECT gen_random_uuid(), 'weather', 'email', $1, now(), 'sent', now() - (d || ' days')::interval
       FROM unnest(ARRAY['91', '89']) AS d
       RETURNING id, created_at < now() - interval '90 days' AS old`,
      [f.smith.id],
    )
    const old = rows.find((r) => r.old)?.id
    // The log is pruned at most hourly.
    now += 2 * 3_600_000
    await ctx.notifier.pass()
    const { rows: left } = await ctx.db.pg.query<{ id: string }>(
      'SELECT id FROM notifications WHERE id = ANY($1::uuid[])',
      [rows.map((r) => r.id)],
    )
    expect(left.map((r) => r.id)).toEqual([rows.find((r) => !r.old)?.id])
    const { rows: versions } = await ctx.db.pg.query(
      `SELECT 1 FROM sync_versions WHERE table_name = 'notifications' AND row_id = $1`,
      [old],
    )
    expect(versions).toEqual([])
  })

  it('keeps the SMTP password sealed, never in clear in the database', async () => {
    await laptop(smtpPort())
    await call(ctx, 'notifications.updateSettings', {
      email: {
        host: '127.0.0.1',
        port: smtpPort(),
        secure: false,
        user: 'office',
        password: 'hunter2-very-secret',
        from: 'office@greenway.example',
      },
    })
    const { rows } = await ctx.db.pg.query<{ v: string }>(
      'SELECT value::text AS v FROM app_settings',
    )
    expect(rows.some((r) => r.v.includes('hunter2'))).toBe(false)
    const settings = await call(ctx, 'notifications.settings', {})
    expect(settings.email).toMatchObject({ user: 'office', passwordSet: true })
    expect(JSON.stringify(settings)).not.toContain('hunter2')
  })

  it('hands a saved secret only to the place it was given for, and only an admin sets them', async () => {
    await laptop(smtpPort())
    const email = {
      host: '127.0.0.1',
      port: smtpPort(),
      secure: false,
      user: 'office',
      from: 'office@greenway.example',
    }
    await call(ctx, 'notifications.updateSettings', {
      email: { ...email, password: 'hunter2-very-secret' },
      sms: {
        accountSid: `AC${'1'.repeat(32)}`,
        from: '+14155550100',
        baseUrl: 'http://127.0.0.1:4010',
        token: 'twilio-secret',
      },
    })
    // Elsewhere, the saved secret is not taken along: it is asked for again.
    const moved = await callError(ctx, 'notifications.updateSettings', {
      email: { ...email, host: 'localhost' },
      sms: {
        accountSid: `AC${'1'.repeat(32)}`,
        from: '+14155550100',
        baseUrl: 'http://127.0.0.1:4011',
      },
    })
    expect(moved.issues).toEqual([
      {
        path: 'email.password',
        message: 'must be typed again: the mail server or its user changed',
      },
      { path: 'sms.token', message: 'must be typed again: the account or the API address changed' },
    ])
    // The same places keep it: the sender's name is all that changes.
    await call(ctx, 'notifications.updateSettings', {
      email: { ...email, from: 'Greenway <office@greenway.example>' },
    })
    // An office manager saves the timing, never the providers.
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    const refused = await callError(ctx, 'notifications.updateSettings', {
      email: { ...email, password: 'mine-now' },
    })
    expect(refused.code).toBe('FORBIDDEN')
    await call(ctx, 'notifications.updateSettings', { reminderLeadMinutes: 720 })
    expect((await call(ctx, 'notifications.settings', {})).email).toMatchObject({
      from: 'Greenway <office@greenway.example>',
      passwordSet: true,
    })
  })
})
