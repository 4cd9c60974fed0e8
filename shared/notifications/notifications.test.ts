import { describe, expect, it } from 'vitest'
import { BUILT_IN_TEMPLATES } from './built-in-templates'
import { crewAlert, type JobState } from './crew-alerts'
import { CHANNELS, isPending, LOCALES } from './kinds'
import {
  type LoggedMessage,
  messageId,
  type Plan,
  type PlanInput,
  planMessages,
  reminderTime,
  type Visit,
} from './plan'
import { type ClientContact, isReachReason, reach, smsNumberProblem, toE164 } from './preferences'
import { mayRetry, skipReason, VISIT_SKIP_REASONS } from './skips'
import { smsParts } from './sms-parts'
import { checkTemplate, renderTemplate, SAMPLE_VALUES } from './templates'
import { holdToSendingHours, parseRetryAfter, retryDelayMs } from './timing'
import { pickTemplate, type SavedTemplate } from './values'

const NY = 'America/New_York'
const window = { hours: '08:00-20:00', timeZone: NY }
const at = (iso: string) => Date.parse(iso)

const client: ClientContact = {
  email: 'jo@example.com',
  phone: '+1 (415) 555-0123',
  notifyEmail: true,
  notifySms: true,
  notifyOff: '',
}

const visit = (over: Partial<Visit> = {}): Visit => ({
  id: '01900000-0000-7000-8000-000000000001',
  clientId: '01900000-0000-7000-8000-0000000000c1',
  // 10:00 in New York.
  scheduledAtMs: at('2027-06-10T14:00:00Z'),
  status: 'scheduled',
  deleted: false,
  ...over,
})

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  nowMs: at('2027-06-01T15:00:00Z'),
  isNew: true,
  visit: visit(),
  client,
  existing: [],
  window,
  reminderLeadMinutes: 24 * 60,
  ...over,
})

/** The log after a plan was written and (optionally) everything due was sent. */
const logged = (p: PlanInput, sent: boolean): LoggedMessage[] => [
  ...p.existing,
  ...planMessages(p).create.map((m) => ({
    id: m.id,
    kind: m.kind,
    channel: m.channel,
    clientId: m.clientId,
    visitAtMs: m.visitAtMs,
    status: sent && m.status === 'queued' ? ('sent' as const) : m.status,
    reason: m.reason ?? null,
  })),
]

describe('planning the messages of a visit', () => {
  it('confirms a new booking at once on each channel and plans the reminder a day ahead', () => {
    const plan = planMessages(input())
    const summary = plan.create.map((m) => [
      m.kind,
      m.channel,
      m.status,
      new Date(m.dueAtMs).toISOString(),
    ])
    expect(summary).toEqual([
      ['confirmation', 'email', 'queued', '2027-06-01T15:00:00.000Z'],
      ['reminder', 'email', 'scheduled', '2027-06-09T14:00:00.000Z'],
      ['confirmation', 'sms', 'queued', '2027-06-01T15:00:00.000Z'],
      ['reminder', 'sms', 'scheduled', '2027-06-09T14:00:00.000Z'],
    ])
    expect(plan.create[2]?.recipient).toBe('+14155550123')
    expect(plan.drop).toEqual([])
  })

  it('confirms a series once, with its first visit; its later visits get their reminders only', () => {
    const kinds = (p: PlanInput) => planMessages(p).create.map((m) => `${m.kind}:${m.channel}`)
    expect(kinds(input({ visit: visit({ laterInSeries: false }) }))).toContain('confirmation:email')
    expect(kinds(input({ visit: visit({ laterInSeries: true }) }))).toEqual([
      'reminder:email',
      'reminder:sms',
    ])
  })

  it('plans nothing more when run again, or for the same event delivered twice', () => {
    const first = input()
    const again = input({ existing: logged(first, false) })
    expect(planMessages(again)).toEqual({ create: [], drop: [], move: [], revive: [] })
  })

  it('re-plans the reminder when the visit moves and tells the client of the new time', () => {
    const booked = input()
    const moved = input({
      nowMs: at('2027-06-03T15:00:00Z'),
      isNew: false,
      visit: visit({ scheduledAtMs: at('2027-06-12T18:00:00Z') }),
      existing: logged(booked, true),
    })
    const plan = planMessages(moved)
    const oldReminders = logged(booked, true).filter((m) => m.kind === 'reminder')
    expect(plan.drop).toEqual(oldReminders.map((m) => ({ id: m.id, reason: 'the visit moved' })))
    const email = plan.create.filter((m) => m.channel === 'email')
    expect(email.map((m) => m.kind)).toEqual(['rescheduled', 'reminder'])
    expect(email[0]?.previousVisitAtMs).toBe(at('2027-06-10T14:00:00Z'))
    expect(new Date(email[1]?.dueAtMs ?? 0).toISOString()).toBe('2027-06-11T18:00:00.000Z')
  })

  it('drops what is pending and sends a cancellation only to a client who was told', () => {
    const booked = input()
    const cancelled = (existing: LoggedMessage[]) =>
      planMessages(input({ isNew: false, visit: visit({ status: 'cancelled' }), existing }))
    const told = cancelled(logged(booked, true))
    expect(told.create.map((m) => [m.kind, m.channel])).toEqual([
      ['cancelled', 'email'],
      ['cancelled', 'sms'],
    ])
    expect(told.drop.map((d) => d.reason)).toEqual([
      'the visit was cancelled',
      'the visit was cancelled',
    ])
    // Nothing had gone out yet: the pending confirmation is dropped, no notice is sent.
    const untold = cancelled(logged(booked, false))
    expect(untold.create).toEqual([])
    expect(untold.drop).toHaveLength(4)
  })

  it('drops the reminder of a visit done early, and plans nothing for a visit past', () => {
    const booked = input()
    const done = planMessages(
      input({
        isNew: false,
        visit: visit({ status: 'completed' }),
        existing: logged(booked, true),
      }),
    )
    expect(done.drop.map((d) => d.reason)).toEqual(['the visit is done', 'the visit is done'])
    expect(done.create).toEqual([])
    expect(planMessages(input({ nowMs: at('2027-06-11T00:00:00Z') })).create).toEqual([])
  })

  it('skips the reminder of a visit booked inside the lead time: the confirmation does', () => {
    const plan = planMessages(input({ nowMs: at('2027-06-10T02:00:00Z') }))
    expect(plan.create.map((m) => m.kind)).toEqual(['confirmation', 'confirmation'])
  })

  it('follows the client: email unless opted out, SMS opted in, per-kind overrides', () => {
    const plan = (c: Partial<ClientContact>) => planMessages(input({ client: { ...client, ...c } }))
    const kinds = (c: Partial<ClientContact>) =>
      plan(c)
        .create.filter((m) => m.status !== 'skipped')
        .map((m) => `${m.kind}:${m.channel}`)
    expect(kinds({ notifySms: false })).toEqual(['confirmation:email', 'reminder:email'])
    expect(kinds({ notifyEmail: false, notifyOff: 'reminder:sms' })).toEqual(['confirmation:sms'])
    expect(kinds({ email: null, phone: '415 555 0123' })).toEqual([])
  })

  it('logs a message no channel reaches the client by as skipped, once, saying why', () => {
    const skipped = (c: Partial<ClientContact>) =>
      planMessages(input({ client: { ...client, ...c } }))
        .create.filter((m) => m.status === 'skipped')
        .map((m) => [m.kind, m.channel, m.recipient, m.reason])
    // Email is reached: SMS not being on is no reason to log anything.
    expect(skipped({ notifySms: false })).toEqual([])
    expect(skipped({ notifyEmail: false, notifyOff: 'reminder:sms' })).toEqual([
      [
        'reminder',
        'email',
        null,
        'the client opted out of email; the client turned off sms reminders',
      ],
    ])
    expect(skipped({ email: null, notifySms: true, phone: '415 555 0123' })).toEqual(
      ['confirmation', 'reminder'].map((kind) => [
        kind,
        'email',
        null,
        'the client has no email address; the client\'s phone number "415 555 0123" is not in international form (+ and country code)',
      ]),
    )
  })

  it('plans a reminder skipped for want of a contact again when the client can be reached', () => {
    const unreachable = input({ client: { ...client, email: null, notifySms: false } })
    const first = planMessages(unreachable)
    const reminder = first.create.find((m) => m.kind === 'reminder')
    expect(reminder?.status).toBe('skipped')
    // The visit is planned again (moved back, say) after an address was added.
    const again = planMessages(
      input({ isNew: false, existing: logged(unreachable, false), client }),
    )
    expect(again.revive.map((r) => r.id)).toEqual([reminder?.id])
    expect(again.create.filter((m) => m.kind === 'reminder').map((m) => m.channel)).toEqual(['sms'])
    // One the sender skipped for want of a mail server stays skipped: nothing about the
    // client lifts that (the office retries it once the server is set up).
    const unsent = logged(input({ client }), false).map((m) =>
      m.kind === 'reminder'
        ? { ...m, status: 'skipped' as const, reason: 'no email server is set up' }
        : m,
    )
    expect(planMessages(input({ isNew: false, existing: unsent, client })).revive).toEqual([])
  })

  it('tells a skip reason that a change to the client may lift from any other', () => {
    const reasons = [
      { deleted: true },
      { notifyEmail: false },
      { notifySms: false },
      { notifyOff: 'reminder:email' },
      { email: null },
      { phone: null },
      { phone: '415 555 0123' },
    ].flatMap((c) =>
      CHANNELS.map((ch) => reach({ ...client, ...c }, 'reminder', ch)).flatMap((r) =>
        r.ok ? [] : [r.reason],
      ),
    )
    expect(reasons.length).toBeGreaterThan(6)
    for (const r of reasons) expect(isReachReason(r), r).toBe(true)
    for (const r of [
      ...VISIT_SKIP_REASONS,
      'no email server is set up',
      'no SMS provider is set up',
    ])
      expect(isReachReason(r), r).toBe(false)
  })

  it('sends one weather notice per visit time at risk, and drops it when the forecast improves', () => {
    const rain = { risk: 'high' as const, reason: '8 mm rain expected, limit 5 mm' }
    const warned = input({ isNew: false, weather: rain })
    const plan = planMessages(warned)
    expect(plan.create.map((m) => [m.kind, m.channel, m.detail])).toContainEqual([
      'weather',
      'email',
      '8 mm rain expected, limit 5 mm',
    ])
    // The forecast changes again, still at risk: nothing more.
    const again = input({
      isNew: false,
      weather: { ...rain, reason: '9 mm' },
      existing: logged(warned, false),
    })
    expect(planMessages(again).create.filter((m) => m.kind === 'weather')).toEqual([])
    const better = input({
      isNew: false,
      weather: { risk: 'low', reason: '' },
      existing: logged(warned, false),
    })
    expect(planMessages(better).drop.map((d) => d.reason)).toContain('the forecast improved')
    expect(
      planMessages(input({ weather: { risk: 'unknown', reason: 'no forecast' } })).create.map(
        (m) => m.kind,
      ),
    ).not.toContain('weather')
  })

  it('tells a client a visit was given to, once; the one it had hears nothing more of it', () => {
    const ann = input({ client: { ...client, notifySms: false } })
    const before = logged(ann, true)
    expect(before.map((m) => [m.kind, m.status])).toEqual([
      ['confirmation', 'sent'],
      ['reminder', 'scheduled'],
    ])
    // Booked for the wrong client: the visit is given to Bea.
    const bea = '01900000-0000-7000-8000-0000000000c2'
    const given = input({
      isNew: false,
      visit: visit({ clientId: bea }),
      client: { ...client, notifySms: false, email: 'bea@example.com' },
      existing: before,
    })
    const plan = planMessages(given)
    expect(plan.drop).toEqual([
      { id: before[1]?.id, reason: 'the visit was given to another client' },
    ])
    expect(plan.create.map((m) => [m.kind, m.clientId, m.recipient])).toEqual([
      ['confirmation', bea, 'bea@example.com'],
      ['reminder', bea, 'bea@example.com'],
    ])
    // Her messages are her own: none has the id of one to Ann.
    for (const m of plan.create) expect(before.map((b) => b.id)).not.toContain(m.id)
    // Planned again (an event delivered twice): nothing more.
    const after = logged(given, true).map((m) =>
      plan.drop.some((d) => d.id === m.id)
        ? { ...m, status: 'skipped' as const, reason: 'the visit was given to another client' }
        : m,
    )
    expect(planMessages({ ...given, existing: after }).create).toEqual([])
    // Given back to Ann: she heard of it, so only her reminder waits again; Bea's goes.
    const back = planMessages(
      input({ isNew: false, existing: after, client: { ...client, notifySms: false } }),
    )
    expect(back.create).toEqual([])
    expect(back.revive.map((r) => r.id)).toEqual([before[1]?.id])
    expect(back.drop.map((d) => d.reason)).toEqual(['the visit was given to another client'])
  })

  it('makes the same id for the same message on every machine, another for another', () => {
    const v = visit()
    expect(messageId(v.id, 'reminder', 'sms', v.scheduledAtMs)).toBe(
      messageId(v.id, 'reminder', 'sms', v.scheduledAtMs),
    )
    expect(messageId(v.id, 'reminder', 'sms', v.scheduledAtMs)).not.toBe(
      messageId(v.id, 'reminder', 'sms', v.scheduledAtMs + 60_000),
    )
  })

  it('decides at send time: a moved, cancelled or past visit skips its message', () => {
    const v = visit()
    const reminder = { kind: 'reminder' as const, visitAtMs: v.scheduledAtMs }
    const now = at('2027-06-09T14:00:00Z')
    expect(skipReason(reminder, v, now)).toBeNull()
    expect(skipReason(reminder, visit({ scheduledAtMs: v.scheduledAtMs + 3_600_000 }), now)).toBe(
      'the visit moved',
    )
    expect(skipReason(reminder, visit({ status: 'cancelled' }), now)).toBe(
      'the visit was cancelled',
    )
    expect(skipReason(reminder, v, at('2027-06-10T15:00:00Z'))).toBe(
      'the visit time passed before it could be sent',
    )
    expect(
      skipReason({ kind: 'cancelled', visitAtMs: null }, visit({ status: 'cancelled' }), now),
    ).toBeNull()
    // A weather notice speaks of the day it was raised for: moved off it, it is not sent.
    const weather = { kind: 'weather' as const, visitAtMs: v.scheduledAtMs }
    expect(skipReason(weather, v, now)).toBeNull()
    expect(skipReason(weather, visit({ scheduledAtMs: v.scheduledAtMs + 86_400_000 }), now)).toBe(
      'the visit moved',
    )
  })
})

/** The log after a plan is written as the callers write it (notify/plan-visit.ts). */
const written = (log: readonly LoggedMessage[], plan: Plan): LoggedMessage[] => [
  ...log.map((m): LoggedMessage => {
    const dropped = plan.drop.find((d) => d.id === m.id)
    if (dropped) return { ...m, status: 'skipped', reason: dropped.reason }
    const back = plan.revive.find((r) => r.id === m.id)
    if (back) return { ...m, status: back.status, dueAtMs: back.dueAtMs, reason: null }
    const moved = plan.move.find((r) => r.id === m.id)
    return moved ? { ...m, dueAtMs: moved.dueAtMs } : m
  }),
  ...plan.create.map(
    (m): LoggedMessage => ({
      id: m.id,
      kind: m.kind,
      channel: m.channel,
      visitAtMs: m.visitAtMs,
      status: m.status,
      dueAtMs: m.dueAtMs,
    }),
  ),
]

/** What is due by `nowMs` sent, or skipped, as the engine decides just before sending. */
const sentDue = (log: readonly LoggedMessage[], v: Visit, nowMs: number): LoggedMessage[] =>
  log.map((m): LoggedMessage => {
    if (!isPending(m.status) || (m.dueAtMs ?? nowMs) > nowMs) return m
    const skip = skipReason(m, v, nowMs)
    return skip
      ? { ...m, status: 'skipped', reason: skip }
      : { ...m, status: 'sent', sentAtMs: nowMs, visitAtMs: v.scheduledAtMs }
  })

/**
 * A visit's life, change after change: each planned as the worker plans it (from the
 * visit as it stands and the log), written, and what is due then sent.
 */
const life = () => {
  let log: LoggedMessage[] = []
  return {
    log: () => log,
    change(iso: string, over: Partial<Visit>, o: { isNew?: boolean; lead?: number } = {}) {
      const nowMs = at(iso)
      const p = input({
        nowMs,
        isNew: o.isNew ?? false,
        visit: visit(over),
        existing: log,
        reminderLeadMinutes: o.lead ?? 24 * 60,
      })
      const plan = planMessages(p)
      const beforeSending = written(log, plan)
      log = sentDue(beforeSending, p.visit, nowMs)
      return { input: p, plan, beforeSending }
    },
  }
}

const T1 = at('2027-06-10T14:00:00Z')
const T2 = at('2027-06-12T18:00:00Z')
const V = visit().id
const NOTHING: Plan = { create: [], drop: [], move: [], revive: [] }
const pendingReminders = (log: readonly LoggedMessage[]) =>
  log
    .filter((m) => m.kind === 'reminder' && isPending(m.status))
    .map((m) => [m.channel, m.id, new Date(m.dueAtMs ?? 0).toISOString()])
const sent = (log: readonly LoggedMessage[], kind: LoggedMessage['kind']) =>
  log.filter((m) => m.kind === kind && m.status === 'sent' && m.channel === 'email')

describe('a visit that changes and changes back', () => {
  it('moved away and back keeps one live reminder, at its time, and tells each move', () => {
    const v = life()
    v.change('2027-06-01T15:00:00Z', {}, { isNew: true })
    v.change('2027-06-02T15:00:00Z', { scheduledAtMs: T2 })
    // Back to the first time; meanwhile the business made its reminders two days ahead.
    const back = v.change('2027-06-03T15:00:00Z', { scheduledAtMs: T1 }, { lead: 48 * 60 })
    expect(back.plan.create.map((m) => [m.kind, m.channel, m.previousVisitAtMs])).toEqual([
      ['rescheduled', 'email', T2],
      ['rescheduled', 'sms', T2],
    ])
    // The reminder the first move left behind, never sent, waits again at its new time.
    expect(back.plan.revive.map((r) => r.id)).toEqual([
      messageId(V, 'reminder', 'email', T1),
      messageId(V, 'reminder', 'sms', T1),
    ])
    expect(pendingReminders(v.log())).toEqual([
      ['email', messageId(V, 'reminder', 'email', T1), '2027-06-08T14:00:00.000Z'],
      ['sms', messageId(V, 'reminder', 'sms', T1), '2027-06-08T14:00:00.000Z'],
    ])
    // To a time the client was told of before: told again, with a message of its own.
    const again = v.change('2027-06-04T15:00:00Z', { scheduledAtMs: T2 })
    expect(again.plan.create.map((m) => [m.kind, m.previousVisitAtMs])).toEqual([
      ['rescheduled', T1],
      ['rescheduled', T1],
    ])
    expect(sent(v.log(), 'rescheduled').map((m) => m.visitAtMs)).toEqual([T2, T1, T2])
    expect(new Set(sent(v.log(), 'rescheduled').map((m) => m.id)).size).toBe(3)
    expect(pendingReminders(v.log())).toEqual([
      ['email', messageId(V, 'reminder', 'email', T2), '2027-06-11T18:00:00.000Z'],
      ['sms', messageId(V, 'reminder', 'sms', T2), '2027-06-11T18:00:00.000Z'],
    ])
  })

  it.each([
    ['cancelled then reopened', { status: 'cancelled' as const }],
    ['deleted then restored', { deleted: true }],
  ])('%s: the client hears it is back on, and the reminder is planned again', (_, off) => {
    const v = life()
    v.change('2027-06-01T15:00:00Z', {}, { isNew: true })
    const gone = v.change('2027-06-02T15:00:00Z', off)
    expect(gone.plan.create.map((m) => m.kind)).toEqual(['cancelled', 'cancelled'])
    const on = v.change('2027-06-03T15:00:00Z', {})
    // "Your visit is booked for …": a confirmation of its own, not the first one again.
    expect(on.plan.create.map((m) => [m.kind, m.channel, m.status])).toEqual([
      ['confirmation', 'email', 'queued'],
      ['confirmation', 'sms', 'queued'],
    ])
    expect(on.plan.create[0]?.id).not.toBe(messageId(V, 'confirmation', 'email', null))
    expect(on.plan.revive.map((r) => r.status)).toEqual(['scheduled', 'scheduled'])
    expect(pendingReminders(v.log())).toEqual([
      ['email', messageId(V, 'reminder', 'email', T1), '2027-06-09T14:00:00.000Z'],
      ['sms', messageId(V, 'reminder', 'sms', T1), '2027-06-09T14:00:00.000Z'],
    ])
    expect(sent(v.log(), 'confirmation')).toHaveLength(2)
    // A laptop plans every visit booked on it as new: the same plan.
    expect(planMessages({ ...on.input, isNew: true })).toEqual(on.plan)
  })

  it('tells each of two cancellations (cancelled, reopened, cancelled again)', () => {
    const v = life()
    v.change('2027-06-01T15:00:00Z', {}, { isNew: true })
    v.change('2027-06-02T15:00:00Z', { status: 'cancelled' })
    v.change('2027-06-03T15:00:00Z', {})
    const second = v.change('2027-06-04T15:00:00Z', { status: 'cancelled' })
    expect(second.plan.create.map((m) => [m.kind, m.channel])).toEqual([
      ['cancelled', 'email'],
      ['cancelled', 'sms'],
    ])
    const cancellations = sent(v.log(), 'cancelled')
    expect(cancellations).toHaveLength(2)
    expect(cancellations[0]?.id).not.toBe(cancellations[1]?.id)
    expect(pendingReminders(v.log())).toEqual([])
  })

  it('plans nothing new for an event delivered again, sent or not yet', () => {
    const v = life()
    const changes = [
      v.change('2027-06-01T15:00:00Z', {}, { isNew: true }),
      v.change('2027-06-02T15:00:00Z', { scheduledAtMs: T2 }),
      v.change('2027-06-03T15:00:00Z', { scheduledAtMs: T1 }),
      v.change('2027-06-04T15:00:00Z', { status: 'cancelled' }),
      v.change('2027-06-05T15:00:00Z', {}),
      // 23:00 in New York: the notice waits for the morning; reopened before it goes.
      v.change('2027-06-06T03:00:00Z', { status: 'cancelled' }),
      v.change('2027-06-06T04:00:00Z', {}),
      v.change('2027-06-07T15:00:00Z', { deleted: true }),
      v.change('2027-06-08T15:00:00Z', {}),
    ]
    for (const c of changes) {
      expect(c.plan).not.toEqual(NOTHING)
      expect(planMessages({ ...c.input, existing: c.beforeSending })).toEqual(NOTHING)
    }
    const last = changes.at(-1)
    if (last) expect(planMessages({ ...last.input, existing: v.log() })).toEqual(NOTHING)
  })
})

describe('sending hours', () => {
  it('holds a message due at night to the morning, in the business time zone', () => {
    // 23:30 in New York.
    const due = at('2027-06-02T03:30:00Z')
    expect(
      new Date(holdToSendingHours(due, due, at('2027-06-10T14:00:00Z'), window)).toISOString(),
    ).toBe('2027-06-02T12:00:00.000Z')
    // Within the hours: as due.
    const noon = at('2027-06-02T16:00:00Z')
    expect(holdToSendingHours(noon, noon, at('2027-06-10T14:00:00Z'), window)).toBe(noon)
  })

  it('takes hours ending at 23:59 to run to midnight: the whole day holds nothing', () => {
    const allDay = { hours: '00:00-23:59', timeZone: 'America/New_York' }
    // 23:59:30 in New York.
    const late = at('2027-06-02T03:59:30Z')
    expect(holdToSendingHours(late, late, at('2027-06-10T14:00:00Z'), allDay)).toBe(late)
    // Hours ending earlier still close at their end.
    const evening = { hours: '08:00-22:00', timeZone: 'America/New_York' }
    expect(
      new Date(holdToSendingHours(late, late, at('2027-06-10T14:00:00Z'), evening)).toISOString(),
    ).toBe('2027-06-02T12:00:00.000Z')
  })

  it('sends the evening before when the morning would be after the visit', () => {
    // Reminder due 06:00 for a visit at 07:30 (New York): last closing, 19:59 the day before.
    const due = at('2027-06-10T10:00:00Z')
    const now = at('2027-06-09T12:00:00Z')
    expect(
      new Date(holdToSendingHours(due, now, at('2027-06-10T11:30:00Z'), window)).toISOString(),
    ).toBe('2027-06-09T23:59:00.000Z')
    // Already past that closing: at once rather than never.
    const late = at('2027-06-10T04:00:00Z')
    expect(holdToSendingHours(late, late, at('2027-06-10T11:30:00Z'), window)).toBe(late)
  })

  it('follows the zone across a change of clocks', () => {
    // Europe/Berlin, the night clocks go forward (2027-03-28): 07:00 local is 05:00 UTC.
    const berlin = { hours: '07:00-19:00', timeZone: 'Europe/Berlin' }
    const due = at('2027-03-27T23:30:00Z')
    expect(
      new Date(holdToSendingHours(due, due, at('2027-04-01T10:00:00Z'), berlin)).toISOString(),
    ).toBe('2027-03-28T05:00:00.000Z')
  })
})

describe('retries', () => {
  it('back off exponentially with jitter, never sooner than Retry-After', () => {
    expect(retryDelayMs(1, null, 0)).toBe(60_000)
    expect(retryDelayMs(1, null, 1)).toBe(120_000)
    expect(retryDelayMs(2, null, 1)).toBe(600_000)
    expect(retryDelayMs(3, null, 1)).toBe(3_000_000)
    expect(retryDelayMs(4, null, 1)).toBe(4 * 3_600_000)
    expect(retryDelayMs(20, null, 1)).toBe(4 * 3_600_000)
    expect(retryDelayMs(1, 150_000, 0.5)).toBe(150_000)
    // The four waits between five attempts: hours, not minutes.
    const total = [1, 2, 3, 4].reduce((sum, a) => sum + retryDelayMs(a, null, 1), 0)
    expect(total / 3_600_000).toBeGreaterThan(4.5)
    expect(parseRetryAfter('120', 0)).toBe(120_000)
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('2015-10-21T07:28:00Z')),
    ).toBe(30_000)
    expect(parseRetryAfter('soon', 0)).toBeNull()
  })
})

describe('reminder times', () => {
  it("counts a lead time's whole days on the business's calendar, across a clock change", () => {
    // Sunday 14 March 2027, 10:00 in New York (EDT, the day clocks go forward).
    const visitAt = at('2027-03-14T14:00:00Z')
    // A day before: Saturday 10:00 EST, which is 15:00 UTC (25 hours earlier, not 24).
    expect(new Date(reminderTime(visitAt, 24 * 60, NY)).toISOString()).toBe(
      '2027-03-13T15:00:00.000Z',
    )
    // A day and a half: Friday 22:00 EST.
    expect(new Date(reminderTime(visitAt, 36 * 60, NY)).toISOString()).toBe(
      '2027-03-13T03:00:00.000Z',
    )
    // Under a day: plain minutes.
    expect(reminderTime(visitAt, 120, NY)).toBe(visitAt - 120 * 60_000)
  })
})

describe('contacts', () => {
  it('holds an opt-in to texts to a number they can go to', () => {
    expect(smsNumberProblem({ notifySms: false, phone: 'call the office' })).toBeNull()
    expect(smsNumberProblem({ notifySms: true, phone: '+1 (415) 555-0123' })).toBeNull()
    expect(smsNumberProblem({ notifySms: true, phone: '(415) 555-0123' })).toBe(
      'needs + and the country code for text messages, such as +1 415 555 0100',
    )
    expect(smsNumberProblem({ notifySms: true, phone: ' ' })).toBe(
      'is needed for text messages (or turn texts off)',
    )
  })

  it('validates phone numbers to E.164 without guessing a country', () => {
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958')
    expect(toE164('(415) 555-0123')).toBeNull()
    expect(toE164('+0 123 456 789')).toBeNull()
    expect(reach({ ...client, phone: '555-0123' }, 'reminder', 'sms')).toEqual({
      ok: false,
      reason:
        'the client\'s phone number "555-0123" is not in international form (+ and country code)',
    })
    expect(reach({ ...client, notifyOff: 'reminder:sms' }, 'reminder', 'sms')).toEqual({
      ok: false,
      reason: 'the client turned off sms reminders',
    })
  })
})

describe('sending again', () => {
  it('is offered for a failed, dead or skipped message, unless its visit left it behind', () => {
    expect(mayRetry({ status: 'dead', reason: '5 attempts failed' })).toBe(true)
    expect(mayRetry({ status: 'failed', reason: 'timeout' })).toBe(true)
    expect(mayRetry({ status: 'skipped', reason: 'the client has no email address' })).toBe(true)
    expect(mayRetry({ status: 'skipped', reason: 'the visit moved' })).toBe(false)
    expect(mayRetry({ status: 'skipped', reason: 'the visit was cancelled' })).toBe(false)
    // A weather notice of a forecast that improved, or of a day the visit left, never goes.
    expect(mayRetry({ status: 'skipped', reason: 'the forecast improved' })).toBe(false)
    expect(mayRetry({ status: 'skipped', reason: 'the visit moved again' })).toBe(false)
    expect(mayRetry({ status: 'sent', reason: null })).toBe(false)
  })
})

describe('an SMS in parts', () => {
  it('counts 160 GSM characters as one part and 153 a part beyond', () => {
    expect(smsParts('a'.repeat(160))).toEqual({
      encoding: 'GSM-7',
      length: 160,
      parts: 1,
      outside: [],
    })
    expect(smsParts('a'.repeat(161)).parts).toBe(2)
    expect(smsParts('a'.repeat(306)).parts).toBe(2)
    expect(smsParts('a'.repeat(307)).parts).toBe(3)
  })

  it('counts the extension table twice and anything outside the alphabet as UCS-2', () => {
    expect(smsParts('€5 [ok]')).toMatchObject({ encoding: 'GSM-7', length: 10 })
    expect(smsParts(`${'a'.repeat(79)}€`.repeat(2)).parts).toBe(2)
    expect(smsParts('Visit – moved, está')).toMatchObject({
      encoding: 'UCS-2',
      length: 19,
      parts: 1,
      outside: ['–', 'á'],
    })
    expect(smsParts('á'.repeat(70)).parts).toBe(1)
    expect(smsParts('á'.repeat(71)).parts).toBe(2)
    expect(smsParts('á'.repeat(135)).parts).toBe(3)
    // An emoji is two UTF-16 units.
    expect(smsParts('🌧').length).toBe(2)
  })
})

describe('templates', () => {
  it('render text and HTML from one body, values escaped in the HTML only', () => {
    const values = { ...SAMPLE_VALUES, client_name: 'Lee & <Sons>' }
    const m = renderTemplate('email', BUILT_IN_TEMPLATES.en.confirmation.email, values)
    expect(m.subject).toBe('Your Lawn mowing visit is booked for Thu, Dec 10 at 9:00 AM')
    expect(m.text).toMatch(/^Hello Lee & <Sons>,\n\nThank you/)
    expect(m.html).toContain('<p>Hello Lee &amp; &lt;Sons&gt;,</p>')
    expect(m.text).toContain('Greenway Gardens · +1 555 0100')
    // Markup typed into a template is words in the HTML too, as in the text.
    const typed = {
      subject: 'Hi',
      body: 'Pay <a href="https://x.example">here</a>, {{client_name}}',
    }
    expect(renderTemplate('email', typed, values).html).toContain(
      '<p>Pay &lt;a href=&quot;https://x.example&quot;&gt;here&lt;/a&gt;, Lee &amp; &lt;Sons&gt;</p>',
    )
  })

  it('are all valid as shipped, in every language a client may choose', () => {
    expect(Object.keys(BUILT_IN_TEMPLATES).sort()).toEqual([...LOCALES].sort())
    for (const set of Object.values(BUILT_IN_TEMPLATES))
      for (const kinds of Object.values(set))
        for (const [channel, t] of Object.entries(kinds))
          expect(checkTemplate(channel as 'email' | 'sms', t)).toEqual([])
  })

  it('sign an SMS with the business name when there is one, and read well without', () => {
    const t = BUILT_IN_TEMPLATES.en.reminder.sms
    expect(renderTemplate('sms', t, SAMPLE_VALUES).text).toBe(
      'Reminder: your Lawn mowing visit is on Thu, Dec 10 at 9:00 AM. - Greenway Gardens',
    )
    expect(renderTemplate('sms', t, { ...SAMPLE_VALUES, business_name: '' }).text).toBe(
      'Reminder: your Lawn mowing visit is on Thu, Dec 10 at 9:00 AM.',
    )
  })

  it('keep an SMS in the GSM alphabet where the language allows: 160 characters a part, not 70', () => {
    // Spanish needs á, í, ó, ú, which the alphabet lacks.
    for (const locale of ['en', 'fr', 'de'] as const)
      for (const [kind, channels] of Object.entries(BUILT_IN_TEMPLATES[locale])) {
        const parts = smsParts(renderTemplate('sms', channels.sms, SAMPLE_VALUES).text)
        expect(parts.outside, `${locale} ${kind}`).toEqual([])
      }
  })

  it("write to a client in their language: the admins' own words first, else the built-in ones", () => {
    const saved = (locale: string, body: string): SavedTemplate => ({
      kind: 'reminder',
      channel: 'sms',
      locale,
      version: 2,
      subject: '',
      body,
    })
    const english = saved('en', 'Our own words, {{client_name}}')
    expect(pickTemplate([english], 'reminder', 'sms', 'es')).toMatchObject({
      body: BUILT_IN_TEMPLATES.es.reminder.sms.body,
      locale: 'es',
      version: 0,
    })
    expect(
      pickTemplate([english, saved('es', 'Nuestras palabras')], 'reminder', 'sms', 'es'),
    ).toMatchObject({ body: 'Nuestras palabras', locale: 'es', version: 2 })
    expect(pickTemplate([english], 'reminder', 'sms', 'en')).toMatchObject({ version: 2 })
    // A language the app has no words for: the admins' English.
    expect(pickTemplate([english], 'reminder', 'sms', 'it')).toMatchObject({
      locale: 'en',
      version: 2,
    })
    expect(pickTemplate([], 'reminder', 'sms', 'it')).toMatchObject({ locale: 'en', version: 0 })
  })

  it('refuse on save an unknown variable, a helper, broken syntax or an SMS too long', () => {
    const email = (body: string, subject = 'Hi') => checkTemplate('email', { subject, body })
    expect(email('Hello {{client}}')[0]?.message).toMatch(
      /^\{\{client\}\} is not a variable; use one of \{\{client_name\}\}/,
    )
    expect(email('{{#each service}}x{{/each}}')[0]?.message).toMatch(/“each” is not allowed/)
    expect(email('Hello {{client_name')[0]?.message).toBe(
      'cannot be read: a {{ has no }} to close it (line 1)',
    )
    expect(email('Hi\n{{#if crew_member}}with {{crew_member}}')[0]?.message).toBe(
      'cannot be read: a {{#if …}} or {{#unless …}} has no {{/if}} or {{/unless}} to close it (line 2)',
    )
    expect(email('{{#if crew_member}}x{{/unless}}')[0]?.message).toBe(
      'cannot be read: {{#if}} is closed by {{/unless}} (line 1)',
    )
    expect(email('{{lookup client_name 1}}')[0]?.message).toMatch(/“lookup” is not allowed/)
    expect(email('Hi', '')[0]).toEqual({ path: 'subject', message: 'is required for an email' })
    // What parses but would fail, or write markup, when a message is made.
    expect(email('Hello {{client_name}}, {{#if}}sorry{{/if}}')[0]?.message).toBe(
      '{{#if}} needs one variable to test, as in {{#if crew_member}}',
    )
    expect(email('{{#unless client_name service}}x{{/unless}}')[0]?.message).toMatch(
      /^\{\{#unless\}\} needs one variable/,
    )
    expect(email('Hello {{{client_name}}}')[0]?.message).toBe(
      '{{{client_name}}} is not allowed: write {{client_name}}',
    )
    expect(email('{{&location}}')[0]?.message).toMatch(/^\{\{\{location\}\}\} is not allowed/)
    const sms = checkTemplate('sms', { subject: '', body: 'Hi {{#if}}x{{/if}}' })
    expect(sms[0]?.message).toMatch(/needs one variable/)
    const long = checkTemplate('sms', { subject: '', body: `${'x'.repeat(1590)} {{when}}` })
    expect(long[0]?.message).toMatch(/makes an SMS of 1613 characters/)
  })
})

describe('crew alerts', () => {
  const crew = 'crew-1'
  const now = at('2027-06-10T13:00:00Z') // 09:00 in New York
  const job = (over: Partial<JobState> = {}): JobState => ({
    teamMemberId: crew,
    scheduledAtMs: at('2027-06-10T18:00:00Z'),
    status: 'scheduled',
    deleted: false,
    clientName: 'Smith',
    serviceName: 'Mowing',
    ...over,
  })

  it('tell a crew lead of a job added, moved or cancelled today or tomorrow', () => {
    expect(crewAlert(null, job(), crew, now, NY)).toEqual({
      title: 'New job for your crew',
      body: 'Mowing for Smith today at 2:00 PM',
    })
    expect(
      crewAlert(job(), job({ scheduledAtMs: at('2027-06-11T13:00:00Z') }), crew, now, NY),
    ).toEqual({
      title: 'Job moved',
      body: 'Mowing for Smith tomorrow at 9:00 AM (was today at 2:00 PM)',
    })
    // Moved off today to a later day: that day by its date, never "tomorrow".
    expect(
      crewAlert(job(), job({ scheduledAtMs: at('2027-06-14T18:00:00Z') }), crew, now, NY)?.body,
    ).toBe('Mowing for Smith on Mon, Jun 14 at 2:00 PM (was today at 2:00 PM)')
    expect(crewAlert(job(), job({ status: 'cancelled' }), crew, now, NY)?.title).toBe(
      'Job cancelled',
    )
    expect(crewAlert(job(), job({ teamMemberId: 'crew-2' }), crew, now, NY)?.title).toBe(
      'Job moved to another crew',
    )
  })

  it('stay quiet about other crews, later days and changes that move nothing', () => {
    expect(crewAlert(null, job({ teamMemberId: 'crew-2' }), crew, now, NY)).toBeNull()
    expect(
      crewAlert(null, job({ scheduledAtMs: at('2027-06-14T18:00:00Z') }), crew, now, NY),
    ).toBeNull()
    expect(crewAlert(job(), job({ clientName: 'Smith' }), crew, now, NY)).toBeNull()
  })
})
