import { MAY_HAVE_BEEN_TAKEN } from '../../../../notify/attempt'
import {
  businessFacts,
  readRows,
  readVisit,
  sendContexts,
  visitValues,
} from '../../../../notify/sql'
import type { ChannelInput } from '../../../../shared/contract'
import type {
  Notification,
  NotificationSettings,
  Template,
} from '../../../../shared/contract/notifications'
import { BUSINESS_SETTINGS_ID } from '../../../../shared/contract/settings'
import { instantWords } from '../../../../shared/domain/when'
import { AppError } from '../../../../shared/errors'
import {
  CHANNELS,
  DEFAULT_LOCALE,
  LOCALES,
  NOTIFICATION_KINDS,
  PENDING_STATUSES,
} from '../../../../shared/notifications/kinds'
import { mayRetry } from '../../../../shared/notifications/skips'
import {
  checkTemplate,
  renderTemplate,
  SAMPLE_VALUES,
  sampleWeather,
} from '../../../../shared/notifications/templates'
import { parseHours } from '../../../../shared/notifications/timing'
import { pickTemplate, templateId } from '../../../../shared/notifications/values'
import { businessLocale } from '../../../../weather/sql'
import { writeAppSetting } from '../app-settings'
import { requireActor } from '../auth'
import type { AppContext } from '../context'
import { LEFT_TO_SERVER_KEY, leftToServer } from '../notify/local'
import { EMAIL_KEY, readProviders, SMS_KEY, writeProvider } from '../notify/settings'
import { getState } from '../sync/store'
import type { Handlers } from './types'

interface Row {
  id: string
  kind: Notification['kind']
  channel: Notification['channel']
  client_id: string
  client_name: string
  appointment_id: string | null
  recipient: string | null
  visit_at: string | null
  due_at: string
  status: Notification['status']
  attempts: number
  provider_id: string | null
  reason: string | null
  subject: string | null
  body: string | null
  sent_at: string | null
  created_at: string
}

const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString())

const toNotification = (r: Row): Notification => ({
  id: r.id,
  kind: r.kind,
  channel: r.channel,
  clientId: r.client_id,
  clientName: r.client_name,
  appointmentId: r.appointment_id,
  recipient: r.recipient,
  visitAt: iso(r.visit_at),
  dueAt: iso(r.due_at) as string,
  status: r.status,
  attempts: r.attempts,
  providerId: r.provider_id,
  reason: r.reason,
  subject: r.subject,
  body: r.body,
  sentAt: iso(r.sent_at),
  createdAt: iso(r.created_at) as string,
})

const SELECT = `SELECT n.id, n.kind, n.channel, n.client_id, c.name AS client_name, n.appointment_id,
  n.recipient, n.visit_at::text, n.due_at::text, n.status, n.attempts, n.provider_id, n.reason,
  n.subject, n.body, n.sent_at::text, n.created_at::text
  FROM notifications n JOIN clients c ON c.id = n.client_id`

async function getNotification(ctx: AppContext, id: string): Promise<Notification> {
  const { rows } = await ctx.db.pg.query<Row>(`${SELECT} WHERE n.id = $1`, [id])
  const row = rows[0]
  if (!row) throw new AppError('NOT_FOUND', 'message not found')
  return toNotification(row)
}

async function readTemplates(ctx: AppContext): Promise<Template[]> {
  const { rows } = await ctx.db.pg.query<{
    kind: Template['kind']
    channel: Template['channel']
    locale: Template['locale']
    version: number
    subject: string
    body: string
  }>(
    `SELECT kind, channel, locale, version, subject, body FROM notification_templates
     WHERE deleted_at IS NULL ORDER BY kind, channel, locale`,
  )
  const out: Template[] = []
  for (const kind of NOTIFICATION_KINDS)
    for (const channel of CHANNELS) {
      for (const locale of LOCALES) {
        const saved = rows.find(
          (r) => r.kind === kind && r.channel === channel && r.locale === locale,
        )
        if (saved) out.push({ ...saved, builtIn: false })
        else {
          const { subject, body, version } = pickTemplate([], kind, channel, locale)
          out.push({ kind, channel, locale, subject, body, version, builtIn: true })
        }
      }
    }
  return out
}

async function readNotificationSettings(ctx: AppContext): Promise<NotificationSettings> {
  const pg = ctx.db.pg
  const business = await businessFacts(pg)
  const hours = parseHours(business.sendingHours)
  const fmt = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
  const { email, sms } = await readProviders(pg)
  const connected = !!(await getState(pg, 'config'))
  return {
    businessName: business.businessName,
    businessPhone: business.businessPhone,
    reminderLeadMinutes: business.reminderLeadMinutes,
    sendingHours: hours
      ? { start: fmt(hours.start), end: fmt(hours.end) }
      : { start: '08:00', end: '20:00' },
    email: email
      ? {
          host: email.host,
          port: email.port,
          secure: email.secure,
          user: email.user,
          from: email.from,
          passwordSet: !!email.password,
        }
      : null,
    sms: sms
      ? { accountSid: sms.accountSid, from: sms.from, baseUrl: sms.baseUrl, tokenSet: !!sms.token }
      : null,
    sender: connected ? 'server' : email || sms ? 'laptop' : 'nobody',
    leftToServer: connected ? 0 : await leftToServer(pg),
    secretStore: ctx.secrets.kind,
  }
}

/** The sample visit's time: Thursday, December 10 at 9:00 AM, as the sample values say. */
const SAMPLE_VISIT_MS = Date.UTC(2026, 11, 10, 9, 0)

export const notificationHandlers = {
  'notifications.list': async (ctx, input) => {
    const where: string[] = ['n.deleted_at IS NULL']
    const params: unknown[] = []
    const add = (v: unknown) => {
      params.push(v)
      return `$${params.length}`
    }
    if (input.status.length) where.push(`n.status = ANY(${add(input.status)}::text[])`)
    if (input.kind) where.push(`n.kind = ${add(input.kind)}`)
    if (input.channel) where.push(`n.channel = ${add(input.channel)}`)
    if (input.clientId) where.push(`n.client_id = ${add(input.clientId)}::uuid`)
    if (input.appointmentId) where.push(`n.appointment_id = ${add(input.appointmentId)}::uuid`)
    const filter = where.join(' AND ')
    const { rows: counted } = await ctx.db.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications n WHERE ${filter}`,
      params,
    )
    // What still goes out comes first, soonest first (what happens next); then what has
    // gone or was given up, newest first.
    const pending = add(PENDING_STATUSES)
    const { rows } = await ctx.db.pg.query<Row>(
      `${SELECT} WHERE ${filter}
       ORDER BY n.status = ANY(${pending}::text[]) DESC,
         CASE WHEN n.status = ANY(${pending}::text[]) THEN n.due_at END ASC,
         n.due_at DESC, n.id DESC
       LIMIT ${add(input.limit)} OFFSET ${add(input.offset)}`,
      params,
    )
    return {
      count: counted[0]?.n ?? 0,
      limit: input.limit,
      offset: input.offset,
      results: rows.map(toNotification),
    }
  },

  'notifications.draft': async (ctx, input) => {
    await requireActor(ctx)
    await getNotification(ctx, input.id)
    const [row] = await readRows(ctx.db.pg, [input.id])
    const context = row && (await sendContexts(ctx.db.pg, [row])).get(row.id)
    if (!row || !context) throw new AppError('NOT_FOUND', 'message not found')
    try {
      const written = renderTemplate(row.channel, context.template, context.values)
      return { subject: written.subject, text: written.text }
    } catch (e) {
      throw new AppError(
        'CONFLICT',
        `its template cannot be used: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
      )
    }
  },
  'notifications.retry': async (ctx, input) => {
    await requireActor(ctx, 'notifications.write')
    const current = await getNotification(ctx, input.id)
    if (!mayRetry(current))
      throw new AppError(
        'CONFLICT',
        current.status === 'skipped'
          ? `this message cannot go any more: ${current.reason}`
          : `this message is ${current.status}: only a failed, dead or skipped one can be tried again`,
      )
    await ctx.db.pg.query(
      // A last attempt left unanswered keeps its note: the provider is asked first, so
      // the retry never sends a second message the provider had taken.
      `UPDATE notifications SET status = 'queued', attempts = 0, due_at = now(),
         reason = CASE WHEN right(reason, length($2)) = $2 THEN $2 END,
         updated_at = now() WHERE id = $1`,
      [input.id, MAY_HAVE_BEEN_TAKEN],
    )
    ctx.notifier.poke()
    return getNotification(ctx, input.id)
  },

  'notifications.templates': async (ctx) => ({ templates: await readTemplates(ctx) }),

  'notifications.saveTemplate': async (ctx, input) => {
    await requireActor(ctx, 'templates.write')
    const issues = checkTemplate(input.channel, input)
    if (issues.length) throw new AppError('VALIDATION', 'the template cannot be saved', issues)
    const id = templateId(input.kind, input.channel, input.locale)
    await ctx.db.pg.query(
      `INSERT INTO notification_templates (id, kind, channel, locale, version, subject, body)
       VALUES ($1, $2, $3, $4, 1, $5, $6)
       ON CONFLICT (id) DO UPDATE SET version = notification_templates.version + 1,
         subject = EXCLUDED.subject, body = EXCLUDED.body, deleted_at = NULL, updated_at = now()`,
      [
        id,
        input.kind,
        input.channel,
        input.locale,
        input.channel === 'sms' ? '' : input.subject,
        input.body,
      ],
    )
    const saved = (await readTemplates(ctx)).find(
      (t) => t.kind === input.kind && t.channel === input.channel && t.locale === input.locale,
    )
    if (!saved) throw new Error('a saved template could not be read back')
    return saved
  },

  'notifications.preview': async (ctx, input) => {
    const issues = checkTemplate(input.channel, input)
    if (issues.length) return { issues, subject: '', text: '', html: null }
    const facts = await businessFacts(ctx.db.pg)
    const { units } = await businessLocale(ctx.db.pg)
    const weather = sampleWeather(units)
    const locale = input.locale ?? DEFAULT_LOCALE
    // A sample visit, written as clients will read it: signed with the business's own
    // name and phone as they are (none yet: none in the message either), its dates in
    // the template's language.
    const sample = instantWords(SAMPLE_VISIT_MS, 'UTC', locale)
    let values = {
      ...SAMPLE_VALUES,
      ...sample,
      previous_when: instantWords(SAMPLE_VISIT_MS - 19 * 3_600_000, 'UTC', locale).when,
      weather,
      business_name: facts.businessName ?? '',
      business_phone: facts.businessPhone ?? '',
    }
    if (input.appointmentId) {
      const v = await readVisit(ctx.db.pg, input.appointmentId)
      if (!v) throw new AppError('NOT_FOUND', 'appointment not found')
      values = visitValues(v, facts, null, weather, locale)
    }
    return { issues: [], ...renderTemplate(input.channel, input, values) }
  },

  'notifications.settings': (ctx) => readNotificationSettings(ctx),

  'notifications.sendLeft': async (ctx) => {
    await requireActor(ctx, 'notifications.write')
    await writeAppSetting(ctx.db.pg, LEFT_TO_SERVER_KEY, null)
    ctx.notifier.poke()
    return readNotificationSettings(ctx)
  },

  'notifications.updateSettings': async (ctx, input) => {
    await requireActor(ctx, 'settings.write')
    // The providers' secrets go wherever their settings point: an admin's to change.
    if (input.email !== undefined || input.sms !== undefined)
      await requireActor(ctx, 'providers.write')
    const pg = ctx.db.pg
    const { email, sms } = await readProviders(pg)
    refuseMovedSecrets(input, { email, sms })
    await pg.transaction(async (tx) => {
      const business: [string, unknown][] = []
      if (input.businessName !== undefined)
        business.push(['business_name', input.businessName || null])
      if (input.businessPhone !== undefined)
        business.push(['business_phone', input.businessPhone || null])
      if (input.reminderLeadMinutes !== undefined)
        business.push(['reminder_lead_minutes', input.reminderLeadMinutes])
      if (input.sendingHours)
        business.push(['sending_hours', `${input.sendingHours.start}-${input.sendingHours.end}`])
      if (business.length) {
        const cols = business.map(([c]) => c)
        await tx.query(
          `INSERT INTO business_settings (id, ${cols.join(', ')}) VALUES ($1, ${cols.map((_, i) => `$${i + 2}`).join(', ')})
           ON CONFLICT (id) DO UPDATE SET ${cols.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = now()`,
          [BUSINESS_SETTINGS_ID, ...business.map(([, v]) => v)],
        )
      }
      if (input.email !== undefined) {
        const e = input.email
        await writeProvider(
          tx,
          EMAIL_KEY,
          e && {
            host: e.host,
            port: e.port,
            secure: e.secure,
            user: e.user || null,
            from: e.from,
            password:
              e.password !== undefined
                ? e.password
                  ? ctx.secrets.seal(e.password)
                  : null
                : (email?.password ?? null),
          },
        )
      }
      if (input.sms !== undefined) {
        const s = input.sms
        const token = s?.token !== undefined ? ctx.secrets.seal(s.token) : (sms?.token ?? null)
        if (s && !token)
          throw new AppError('VALIDATION', 'invalid input', [
            { path: 'sms.token', message: 'is required' },
          ])
        await writeProvider(
          tx,
          SMS_KEY,
          s && { accountSid: s.accountSid, from: s.from, baseUrl: s.baseUrl, token },
        )
      }
    })
    ctx.notifier.poke()
    return readNotificationSettings(ctx)
  },
} satisfies Partial<Handlers>

/**
 * A saved password or token is kept only for the place it was given for: pointing the
 * mail server, its user, the Twilio account or its address elsewhere without typing the
 * secret again would hand the saved one to whoever is there.
 */
function refuseMovedSecrets(
  input: ChannelInput<'notifications.updateSettings'>,
  saved: Awaited<ReturnType<typeof readProviders>>,
) {
  const issues: { path: string; message: string }[] = []
  const e = input.email
  if (e && e.password === undefined && e.user && saved.email?.password) {
    const was = saved.email
    if (was.host !== e.host || was.port !== e.port || was.user !== e.user)
      issues.push({
        path: 'email.password',
        message: 'must be typed again: the mail server or its user changed',
      })
  }
  const s = input.sms
  if (s && s.token === undefined && saved.sms?.token) {
    const was = saved.sms
    if (was.accountSid !== s.accountSid || (was.baseUrl ?? null) !== (s.baseUrl ?? null))
      issues.push({
        path: 'sms.token',
        message: 'must be typed again: the account or the API address changed',
      })
  }
  if (issues.length) throw new AppError('VALIDATION', 'invalid input', issues)
}
